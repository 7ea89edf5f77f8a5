#!/usr/bin/env node
// Builds Electron-ABI copies of the native modules into .electron-native/ without touching
// node_modules (whose Node-ABI builds the CLI and the unit tests need).
//
//   node scripts/prepareElectronNative.mjs            # before `electron-vite dev` (npm start)
//   node scripts/prepareElectronNative.mjs --dist     # before electron-builder (npm run dist)
//
// Options: --dist     do not require a local Electron binary (electron-builder fetches its own)
//          --force    rebuild even when the stamp says the builds are current
//          --arch=X   target architecture (default: this machine's; native code is not cross-compiled)
// Environment: ENCLAVE_NO_ELECTRON_DOWNLOAD=1  never try to fetch a missing Electron binary
//              ENCLAVE_ELECTRON_HEADERS_URL    mirror of https://www.electronjs.org/headers
//
// What it does: copies node_modules/{better-sqlite3,keytar} (sources, without their build/
// folders) to .electron-native/node_modules/, rebuilds them there with @electron/rebuild for
// the Electron version pinned in node_modules/electron/package.json (a prebuilt binary when
// one can be downloaded, node-gyp against Electron's headers otherwise), prunes them to what
// runs (package.json, lib/, build/Release/<addon>.node), then writes .electron-native/stamp.json. A later run with the same Electron version, platform, arch and
// module versions does nothing.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findElectronBinary, readElectronPackage } from './electronBinary.mjs';
import { ELECTRON_NATIVE_MODULES, resolveElectronNativePaths } from './electronNativePaths.mjs';

const defaultProjectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TAG = '[prepare-electron-native]';
const STAMP_FORMAT = 1;

export class PrepareElectronNativeError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PrepareElectronNativeError';
  }
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Node >= 22.12 is what electron's install.js (its package `engines`) needs to download the binary. */
function canRunElectronInstaller(nodeVersion = process.versions.node) {
  const [major, minor] = nodeVersion.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}

/**
 * The stamp a build for these inputs carries. Any difference means rebuild.
 * @param {{ projectRoot: string, electronVersion: string, abi: string | null, platform: string, arch: string }} inputs
 */
export function expectedStamp({ projectRoot, electronVersion, abi, platform, arch }) {
  /** @type {Record<string, string>} */
  const modules = {};
  for (const name of ELECTRON_NATIVE_MODULES) {
    const pkg = readJson(join(projectRoot, 'node_modules', name, 'package.json'));
    if (!pkg) throw new PrepareElectronNativeError(`${name} is not installed in node_modules. Run npm install.`);
    modules[name] = String(pkg.version);
  }
  return { format: STAMP_FORMAT, electronVersion, abi, platform, arch, modules };
}

function sameStamp(actual, expected) {
  if (!actual || typeof actual !== 'object') return false;
  const { builtAt: _ignored, ...rest } = actual;
  return JSON.stringify(rest) === JSON.stringify(expected);
}

async function defaultRebuild(options) {
  const { rebuild } = await import('@electron/rebuild');
  const result = rebuild(options);
  result.lifecycle.on('module-found', (name) => console.log(`${TAG} rebuilding ${name} for Electron ${options.electronVersion}`));
  result.lifecycle.on('module-done', (name) => console.log(`${TAG} ${name} done`));
  await result;
}

/**
 * Makes .electron-native/ current. Throws PrepareElectronNativeError with a readable message on failure.
 * @param {{
 *   projectRoot?: string,
 *   electronDir?: string,
 *   requireBinary?: boolean,
 *   force?: boolean,
 *   arch?: string,
 *   platform?: NodeJS.Platform,
 *   env?: Record<string, string | undefined>,
 *   rebuild?: (options: import('@electron/rebuild').RebuildOptions) => Promise<void>,
 *   log?: (line: string) => void
 * }} [options]
 * @returns {Promise<{ status: 'up-to-date' | 'built', paths: ReturnType<typeof resolveElectronNativePaths>, stamp: object, electronBinary: string | null }>}
 */
export async function prepareElectronNative(options = {}) {
  const projectRoot = options.projectRoot ?? defaultProjectRoot;
  const env = options.env ?? process.env;
  const log = options.log ?? ((line) => console.log(`${TAG} ${line}`));
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const electronDir = options.electronDir ?? join(projectRoot, 'node_modules', 'electron');

  let electron;
  try {
    electron = readElectronPackage({ electronDir });
  } catch (error) {
    throw new PrepareElectronNativeError(/** @type {Error} */ (error).message);
  }

  // 1. The Electron binary: `npm start` cannot do anything without it, so fail first and clearly.
  let electronBinary = null;
  if (options.requireBinary ?? true) {
    let found = findElectronBinary({ electronDir, env });
    if (found.path === null && !env.ELECTRON_EXEC_PATH && !env.ELECTRON_OVERRIDE_DIST_PATH && !env.ENCLAVE_NO_ELECTRON_DOWNLOAD) {
      if (canRunElectronInstaller()) {
        log(`${found.reason}\n${TAG} Trying to download it (node ${join(electronDir, 'install.js')})...`);
        spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', env: { ...process.env, ...env } });
        found = findElectronBinary({ electronDir, env });
      } else {
        found = {
          ...found,
          reason: `${found.reason} (Electron ${electron.version}'s installer needs Node >= 22.12; this is Node ${process.versions.node}, so no download was tried.)`
        };
      }
    }
    if (found.path === null) {
      throw new PrepareElectronNativeError(
        `Cannot start the Enclave desktop app: ${found.reason}\n` +
          'The CLI (bin/enclave.js) and the unit tests do not need Electron and still work.'
      );
    }
    electronBinary = found.path;
    if (!env.ELECTRON_EXEC_PATH && env.ELECTRON_OVERRIDE_DIST_PATH && !existsSync(join(electronDir, 'path.txt'))) {
      log(`Note: electron-vite does not read ELECTRON_OVERRIDE_DIST_PATH; for npm start also set ELECTRON_EXEC_PATH=${found.path}`);
    }
  }

  // 2. Skip when the stamp matches and the binaries are there.
  const paths = resolveElectronNativePaths({ isPackaged: false, appRoot: projectRoot });
  const stamp = expectedStamp({ projectRoot, electronVersion: electron.version, abi: electron.abi, platform, arch });
  const outputs = [paths.betterSqlite3NativeBinding, paths.keytarNativeBinding];
  if (!options.force && sameStamp(readJson(paths.stampFile), stamp) && outputs.every((file) => existsSync(file))) {
    log(`Electron-ABI native modules are current (Electron ${electron.version}, ${platform}-${arch}).`);
    return { status: 'up-to-date', paths, stamp, electronBinary };
  }

  // 3. Fresh copies of the package sources, without their Node-ABI build output.
  rmSync(paths.stampFile, { force: true });
  mkdirSync(paths.nodeModules, { recursive: true });
  for (const name of ELECTRON_NATIVE_MODULES) {
    const from = join(projectRoot, 'node_modules', name);
    const to = join(paths.nodeModules, name);
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, {
      recursive: true,
      dereference: true,
      filter: (source) => {
        const top = relative(from, source).split(sep)[0];
        return top !== 'build' && top !== 'prebuilds' && top !== 'node_modules';
      }
    });
  }
  writeFileSync(
    join(paths.root, 'package.json'),
    JSON.stringify(
      {
        name: 'enclave-electron-native',
        version: '0.0.0',
        private: true,
        description: 'Generated by scripts/prepareElectronNative.mjs: Electron-ABI builds of native modules.',
        dependencies: stamp.modules
      },
      null,
      2
    ) + '\n'
  );

  // 4. Rebuild for Electron. projectRootPath = buildPath keeps @electron/rebuild from walking up
  //    into the project's own node_modules (it would rebuild those in place otherwise).
  const rebuildOptions = {
    buildPath: paths.root,
    projectRootPath: paths.root,
    electronVersion: electron.version,
    platform,
    arch,
    force: true,
    onlyModules: [...ELECTRON_NATIVE_MODULES],
    types: /** @type {const} */ (['prod']),
    mode: /** @type {const} */ ('sequential'),
    ...(electron.abi ? { forceABI: Number(electron.abi) } : {}),
    ...(env.ENCLAVE_ELECTRON_HEADERS_URL ? { headerURL: env.ENCLAVE_ELECTRON_HEADERS_URL } : {})
  };
  log(
    `Building better-sqlite3 and keytar for Electron ${electron.version} (ABI ${electron.abi ?? '?'}, ${platform}-${arch}) in ${paths.root}`
  );
  try {
    await (options.rebuild ?? defaultRebuild)(rebuildOptions);
  } catch (error) {
    throw new PrepareElectronNativeError(
      `Rebuilding the native modules for Electron ${electron.version} failed: ${/** @type {Error} */ (error)?.message ?? error}\n` +
        'It needs either a prebuilt binary (downloaded from GitHub releases by prebuild-install) or, failing that, ' +
        `Electron's headers (from ${rebuildOptions.headerURL ?? 'https://www.electronjs.org/headers'}, or set ENCLAVE_ELECTRON_HEADERS_URL) ` +
        'plus a C++ toolchain and Python for node-gyp.'
    );
  }
  const missing = outputs.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new PrepareElectronNativeError(`The rebuild finished but did not produce: ${missing.join(', ')}`);
  }
  // Keep only what runs (package.json, LICENSE, lib/, the addon): electron-builder ships this
  // folder as it is, and every rebuild starts again from fresh copies anyway.
  pruneToRuntimeFiles(paths.betterSqlite3Dir, paths.betterSqlite3NativeBinding);
  pruneToRuntimeFiles(paths.keytarDir, paths.keytarNativeBinding);

  // 5. The stamp goes last: its presence means the builds above are complete.
  writeFileSync(paths.stampFile, JSON.stringify({ ...stamp, builtAt: new Date().toISOString() }, null, 2) + '\n');
  log(`Done: ${relative(projectRoot, paths.root)}/ is ready for Electron ${electron.version}.`);
  return { status: 'built', paths, stamp, electronBinary };
}

/** Deletes everything in a rebuilt package except package.json, LICENSE*, lib/ and its addon. */
function pruneToRuntimeFiles(packageDir, addonFile) {
  const keep = (name) => name === 'package.json' || name === 'lib' || name === 'build' || /^LICENSE/i.test(name);
  for (const entry of readdirSync(packageDir)) {
    if (!keep(entry)) rmSync(join(packageDir, entry), { recursive: true, force: true });
  }
  const buildDir = join(packageDir, 'build');
  for (const entry of readdirSync(buildDir)) {
    if (entry !== 'Release') rmSync(join(buildDir, entry), { recursive: true, force: true });
  }
  const releaseDir = join(buildDir, 'Release');
  for (const entry of readdirSync(releaseDir)) {
    if (join(releaseDir, entry) !== addonFile) rmSync(join(releaseDir, entry), { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const options = { requireBinary: true, force: false, arch: undefined };
  for (const arg of argv) {
    if (arg === '--dist') options.requireBinary = false;
    else if (arg === '--force') options.force = true;
    else if (arg.startsWith('--arch=')) options.arch = arg.slice('--arch='.length);
    else throw new PrepareElectronNativeError(`Unknown option ${arg} (expected --dist, --force, --arch=<arch>)`);
  }
  return options;
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  try {
    await prepareElectronNative(parseArgs(process.argv.slice(2)));
  } catch (error) {
    if (error instanceof PrepareElectronNativeError) {
      console.error(`${TAG} ${error.message.split('\n').join(`\n${TAG} `)}`);
    } else {
      console.error(error);
    }
    process.exitCode = 1;
  }
}
