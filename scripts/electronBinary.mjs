// Locates the Electron executable WITHOUT ever triggering its download.
//
// `require('electron')` runs node_modules/electron/index.js, which downloads the binary when
// it is missing (needs Node >= 22.12 and network access). Scripts and tests must never do
// that, so this module mirrors index.js's lookup with plain file reads:
//   - ELECTRON_EXEC_PATH, when set, is the executable (electron-vite honours it first);
//   - node_modules/electron/path.txt names the executable inside node_modules/electron/dist/
//     (written by electron's install.js once the zip is extracted);
//   - ELECTRON_OVERRIDE_DIST_PATH, when set, replaces node_modules/electron/dist.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where electron's install.js puts the executable, per platform (same table as install.js). */
export function electronExecutableSubpath(platform = process.platform) {
  switch (platform) {
    case 'mas':
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Reads node_modules/electron/package.json (and `abi_version`) without loading electron's index.js.
 * @param {{ electronDir?: string }} [options]
 */
export function readElectronPackage(options = {}) {
  const dir = options.electronDir ?? join(repoRoot, 'node_modules', 'electron');
  const pkgText = readText(join(dir, 'package.json'));
  if (pkgText === null) {
    throw new Error(`The electron package is not installed (no ${join(dir, 'package.json')}). Run npm install.`);
  }
  const version = String(JSON.parse(pkgText).version);
  const abi = readText(join(dir, 'abi_version'))?.trim() || null;
  return { dir, version, abi };
}

/**
 * Finds the installed Electron executable. Never downloads anything and never creates files.
 * @param {{ electronDir?: string, env?: Record<string, string | undefined>, platform?: string }} [options]
 * @returns {{ path: string, electronVersion: string } | { path: null, reason: string, electronVersion: string | null }}
 */
export function findElectronBinary(options = {}) {
  const env = options.env ?? process.env;
  let electronPackage;
  try {
    electronPackage = readElectronPackage(options);
  } catch (error) {
    return { path: null, reason: /** @type {Error} */ (error).message, electronVersion: null };
  }
  const { dir, version } = electronPackage;
  const howToInstall =
    `Install the Electron ${version} binary with \`npx install-electron\` (needs Node >= 22.12 and network access), ` +
    `or point ELECTRON_EXEC_PATH at an Electron ${version} executable.`;
  const recordedSubpath = readText(join(dir, 'path.txt'))?.trim() || null;

  // electron-vite (npm start) looks at ELECTRON_EXEC_PATH before anything else.
  const execPath = env.ELECTRON_EXEC_PATH;
  if (execPath) {
    return existsSync(execPath)
      ? { path: execPath, electronVersion: version }
      : { path: null, reason: `ELECTRON_EXEC_PATH is set but ${execPath} does not exist.`, electronVersion: version };
  }

  const overrideDist = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (overrideDist) {
    const candidate = join(overrideDist, recordedSubpath ?? electronExecutableSubpath(options.platform));
    return existsSync(candidate)
      ? { path: candidate, electronVersion: version }
      : {
          path: null,
          reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${candidate} does not exist.`,
          electronVersion: version
        };
  }

  if (recordedSubpath === null) {
    return {
      path: null,
      reason: `The Electron ${version} binary is not installed (${join(dir, 'path.txt')} is missing). ${howToInstall}`,
      electronVersion: version
    };
  }
  const distDir = join(dir, 'dist');
  const candidate = join(distDir, recordedSubpath);
  if (!existsSync(candidate)) {
    return {
      path: null,
      reason: `The Electron binary ${candidate} named by path.txt does not exist. ${howToInstall}`,
      electronVersion: version
    };
  }
  const installedVersion = readText(join(distDir, 'version'))?.trim().replace(/^v/, '') ?? null;
  if (installedVersion !== null && installedVersion !== version) {
    return {
      path: null,
      reason: `The Electron binary in ${distDir} is version ${installedVersion}, but package.json pins ${version}. ` + howToInstall,
      electronVersion: version
    };
  }
  return { path: candidate, electronVersion: version };
}
