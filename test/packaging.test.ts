// Packaging: electron-builder.config.cjs, the Electron binary lookup, and the Electron-ABI
// native-module layout. Nothing here loads 'electron' (that would try to download it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseState, FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import type { RebuildOptions } from '@electron/rebuild';
import type { Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronExecutableSubpath, findElectronBinary, readElectronPackage } from '../scripts/electronBinary.mjs';
import { ELECTRON_NATIVE_DIR, ELECTRON_NATIVE_MODULES, resolveElectronNativePaths } from '../scripts/electronNativePaths.mjs';
import { expectedStamp, prepareElectronNative } from '../scripts/prepareElectronNative.mjs';
import { unpackedPath } from '../src-main/core/documents/retrieval/loadSqliteVec';
import {
  betterSqlite3Options,
  checkElectronNative,
  loadKeytar,
  resolveElectronNativePaths as resolveFromAdapter
} from '../src-main/electron/nativeModules';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const config = require('../electron-builder.config.cjs') as Configuration;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'enclave-packaging-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});
let counter = 0;
function freshDir(name: string): string {
  const dir = join(scratch, `${name}-${++counter}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}
function write(file: string, content: string | Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

type TargetList = Configuration['linux'] extends infer L ? (L extends { target?: infer T } ? T : never) : never;
function targetNames(target: TargetList | undefined): string[] {
  const list = target == null ? [] : Array.isArray(target) ? target : [target];
  return list.map((t) => (typeof t === 'string' ? t : t.target));
}

// ---------------------------------------------------------------------------------------------
// electron-builder's own file selection, driven through its (internal) matcher code so that the
// test sees exactly what `electron-builder` would pack. A file is packed when every folder above
// it passes the filter (the walker does not descend otherwise) and the file itself passes.
type Filter = (file: string, stat: { isDirectory(): boolean; isSymbolicLink(): boolean }) => boolean;
const identity = (s: string) => s;
const dirStat = { isDirectory: () => true, isSymbolicLink: () => false };
const fileStat = { isDirectory: () => false, isSymbolicLink: () => false };

function mainFilesFilter(): Filter {
  const { getMainFileMatchers } = require('app-builder-lib/out/fileMatcher');
  const fakePackager = {
    info: {
      projectDir: repoRoot,
      buildResourcesDir: join(repoRoot, 'build'),
      isPrepackedAppAsar: false,
      config,
      debugLogger: { isEnabled: false }
    }
  };
  const matchers = getMainFileMatchers(repoRoot, '/dest', identity, {}, fakePackager, join(repoRoot, 'dist'), false);
  return matchers[0].createFilter() as Filter;
}
function isPacked(filter: Filter, relativePath: string): boolean {
  const parts = relativePath.split('/');
  for (let i = 1; i < parts.length; i++) {
    if (!filter(join(repoRoot, ...parts.slice(0, i)), dirStat)) return false;
  }
  return filter(join(repoRoot, ...parts), fileStat);
}
function isUnpacked(relativePath: string): boolean {
  const { FileMatcher } = require('app-builder-lib/out/fileMatcher');
  const matcher = new FileMatcher(repoRoot, '/dest', identity, config.asarUnpack);
  return (matcher.createFilter() as Filter)(join(repoRoot, relativePath), fileStat);
}

describe('electron-builder.config.cjs', () => {
  it('identifies the app and writes to dist/', () => {
    expect(config.appId).toBe('app.enclave.desktop');
    expect(config.productName).toBe('Enclave');
    expect(config.directories?.output).toBe('dist');
  });

  it('passes electron-builder 26 schema validation', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config');
    const { DebugLogger } = require('builder-util');
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds AppImage + deb on Linux, dmg on macOS, nsis on Windows', () => {
    expect(targetNames(config.linux?.target).sort()).toEqual(['AppImage', 'deb']);
    expect(targetNames(config.mac?.target as TargetList)).toEqual(['dmg']);
    expect(targetNames(config.win?.target as TargetList)).toEqual(['nsis']);
    // deb refuses to build without a maintainer (author e-mail) and a homepage.
    expect(config.linux?.maintainer).toMatch(/<[^>]+@[^>]+>/);
  });

  it('packs into app.asar, without smartUnpack (which unpacks whole packages), and does not rebuild node_modules', () => {
    expect(config.asar).toEqual({ smartUnpack: false });
    expect(config.npmRebuild).toBe(false);
  });

  it('unpacks native binaries only, so asar integrity covers every JavaScript file', () => {
    for (const file of [
      'node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node',
      'node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/libggml-base.so',
      'node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/_nlcBuildMetadata.json',
      'node_modules/@node-llama-cpp/mac-arm64-metal/bins/mac-arm64-metal/libggml-metal.dylib',
      'node_modules/@node-llama-cpp/win-x64/bins/win-x64/llama.dll',
      'node_modules/node-llama-cpp/llama/localBuilds/linux-x64/Release/llama-addon.node',
      'node_modules/node-llama-cpp/llama/grammars/json.gbnf',
      'node_modules/some-native/build/Release/addon.node',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/keytar/build/Release/keytar.node',
      // @napi-rs/keyring's worker loads this file directly (src-main/core/providers/keys/NapiKeyringBackend.ts).
      'node_modules/@napi-rs/keyring-linux-x64-gnu/keyring.linux-x64-gnu.node',
      'node_modules/@napi-rs/keyring-darwin-arm64/keyring.darwin-arm64.node',
      'node_modules/@napi-rs/keyring-win32-x64-msvc/keyring.win32-x64-msvc.node',
      // sqlite-vec: SQLite loads it by path, which must be outside app.asar (loadSqliteVec).
      'node_modules/sqlite-vec-linux-x64/vec0.so',
      'node_modules/sqlite-vec-darwin-arm64/vec0.dylib',
      'node_modules/sqlite-vec-windows-x64/vec0.dll',
      `${ELECTRON_NATIVE_DIR}/node_modules/better-sqlite3/build/Release/better_sqlite3.node`,
      `${ELECTRON_NATIVE_DIR}/node_modules/keytar/lib/keytar.js`,
      `${ELECTRON_NATIVE_DIR}/node_modules/keytar/build/Release/keytar.node`
    ]) {
      expect(isUnpacked(file), file).toBe(true);
    }
    for (const file of [
      'out/main/index.js',
      'out/renderer/index.html',
      'node_modules/node-llama-cpp/dist/index.js',
      'node_modules/node-llama-cpp/package.json',
      'node_modules/@node-llama-cpp/linux-x64/dist/index.js',
      'node_modules/better-sqlite3/lib/index.js',
      'node_modules/keytar/lib/keytar.js',
      'node_modules/@napi-rs/keyring/index.js',
      'node_modules/sqlite-vec/index.mjs',
      'node_modules/sqlite-vec-linux-x64/package.json',
      'node_modules/zod/index.js'
    ]) {
      expect(isUnpacked(file), file).toBe(false);
    }
  });

  it('leaves no JavaScript file of the installed native packages outside app.asar', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]
      );
    const roots = ['node-llama-cpp', '@node-llama-cpp', 'better-sqlite3', 'keytar', '@napi-rs'].map((name) =>
      join(repoRoot, 'node_modules', name)
    );
    const files = roots.filter((root) => existsSync(root)).flatMap(walk);
    const js = files.filter((file) => /\.[cm]?js$/.test(file)).map((file) => relative(repoRoot, file));
    expect(js.length).toBeGreaterThan(100);
    expect(js.filter((file) => isUnpacked(file))).toEqual([]);
    // …while the binaries node-llama-cpp loads are out.
    const addons = files.filter((file) => file.endsWith('.node')).map((file) => relative(repoRoot, file));
    expect(addons.length).toBeGreaterThan(0);
    expect(addons.filter((file) => !isUnpacked(file))).toEqual([]);
  });

  it('ships the build output and the Electron-ABI builds, never sources, tests, caches or models', () => {
    const filter = mainFilesFilter();
    for (const file of [
      'package.json',
      'out/main/index.js',
      'out/main/cli.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'resources/migrations/0000_init.sql',
      `${ELECTRON_NATIVE_DIR}/stamp.json`,
      `${ELECTRON_NATIVE_DIR}/node_modules/better-sqlite3/build/Release/better_sqlite3.node`,
      `${ELECTRON_NATIVE_DIR}/node_modules/keytar/package.json`,
      `${ELECTRON_NATIVE_DIR}/node_modules/keytar/lib/keytar.js`,
      `${ELECTRON_NATIVE_DIR}/node_modules/keytar/build/Release/keytar.node`
    ]) {
      expect(isPacked(filter, file), `${file} should be packed`).toBe(true);
    }
    for (const file of [
      'src-main/electron/main.ts',
      'src-preload/index.ts',
      'src-renderer/App.svelte',
      'test/packaging.test.ts',
      'e2e/app.spec.ts',
      'scripts/prepareElectronNative.mjs',
      '.cache/models/tiny.gguf',
      'out/.cache/x.json',
      'models/llama.gguf',
      'out/main/index.js.map',
      'electron-builder.config.cjs',
      'tsconfig.json',
      `${ELECTRON_NATIVE_DIR}/package.json`
    ]) {
      expect(isPacked(filter, file), `${file} should not be packed`).toBe(false);
    }
    const patterns = (config.files as string[]).filter((p) => p.startsWith('!'));
    expect(patterns.join(' ')).toContain('!**/*.gguf');
    expect(patterns.join(' ')).toContain('!**/.cache{,/**}');
  });

  describe('Electron fuses', () => {
    const fuses = config.electronFuses as NonNullable<Configuration['electronFuses']>;
    const expected: Record<string, boolean> = {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false
    };

    it('sets each fuse as intended', () => {
      expect(fuses).toEqual(expected);
    });

    it('names only real FuseV1Options (a typo fails here)', () => {
      for (const key of Object.keys(fuses)) {
        const optionName = key[0]!.toUpperCase() + key.slice(1);
        expect(Object.keys(FuseV1Options), `${key} → FuseV1Options.${optionName}`).toContain(optionName);
      }
    });

    it('is translated by electron-builder into the same fuse wire, with nothing dropped', async () => {
      const { PlatformPackager } = require('app-builder-lib');
      const fuseConfig = await PlatformPackager.prototype.generateFuseConfig.call(null, fuses);
      expect(fuseConfig.version).toBe(FuseVersion.V1);
      const wireIndexes = Object.keys(fuseConfig).filter((k) => /^\d+$/.test(k));
      expect(wireIndexes).toHaveLength(Object.keys(fuses).length);

      // A stand-in Electron binary: just the fuse sentinel and a wire with every configured
      // fuse set to the opposite of what we want, so each one must be flipped.
      const wireLength = Object.keys(FuseV1Options).filter((k) => !/^\d+$/.test(k)).length;
      const initial = Array.from({ length: wireLength }, (_, i) => {
        const name = FuseV1Options[i]!;
        const key = name[0]!.toLowerCase() + name.slice(1);
        return key in expected ? (expected[key] ? FuseState.DISABLE : FuseState.ENABLE) : FuseState.ENABLE;
      });
      const binary = join(freshDir('fuses'), 'electron');
      write(
        binary,
        Buffer.concat([
          Buffer.alloc(512),
          Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
          Buffer.from([1, wireLength, ...initial]),
          Buffer.alloc(512)
        ])
      );
      await flipFuses(binary, fuseConfig);
      const wire = await getCurrentFuseWire(binary);
      for (const [key, value] of Object.entries(expected)) {
        const index = FuseV1Options[(key[0]!.toUpperCase() + key.slice(1)) as keyof typeof FuseV1Options];
        expect(wire[index], key).toBe(value ? FuseState.ENABLE : FuseState.DISABLE);
      }
      // Fuses we do not configure keep Electron's default.
      expect(wire[FuseV1Options.WasmTrapHandlers]).toBe(FuseState.ENABLE);
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('.npmrc', () => {
  it('makes an unreviewed install script fail the install, and every script in the lockfile is reviewed', () => {
    const npmrc = readFileSync(join(repoRoot, '.npmrc'), 'utf8');
    expect(npmrc).toMatch(/^strict-allow-scripts=true$/m);
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const allowScripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> })
      .allowScripts;
    const withScripts = Object.entries(lock.packages)
      .filter(([path, entry]) => path && entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0);
    // Otherwise `npm ci` stops with ESTRICTALLOWSCRIPTS.
    expect(withScripts.filter((name) => !(name in allowScripts))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Electron cannot run here; these read the adapter's source (e2e/electron/app.spec.ts checks the
// same things in the running app wherever the binary exists).
describe('the Electron window and session (source checks)', () => {
  const source = (file: string) => readFileSync(join(repoRoot, 'src-main', 'electron', file), 'utf8');

  it('creates the window isolated, sandboxed, without Node, webviews or the spellchecker', () => {
    const prefs = /webPreferences: \{([^}]*)\}/.exec(source('createMainWindow.ts'))?.[1] ?? '';
    for (const setting of [
      'contextIsolation: true',
      'sandbox: true',
      'nodeIntegration: false',
      'nodeIntegrationInSubFrames: false',
      'webviewTag: false',
      'spellcheck: false'
    ])
      expect(prefs).toContain(setting);
    expect(prefs).not.toMatch(/webSecurity|allowRunningInsecureContent|experimentalFeatures/);
  });

  it('loads the page from app://, never file://, and denies every permission handler', () => {
    const main = source('main.ts');
    expect(source('createMainWindow.ts')).not.toContain('loadFile(');
    expect(main).not.toMatch(/pathToFileURL|file:\/\//);
    expect(main).toContain('registerAppSchemePrivileges()');
    expect(main).toContain('handleAppProtocol(');
    for (const handler of [
      'setPermissionRequestHandler',
      'setPermissionCheckHandler',
      'setDevicePermissionHandler',
      'setDisplayMediaRequestHandler'
    ])
      expect(main, handler).toContain(`ses.${handler}(`);
    expect(main).toContain('ses.setDevicePermissionHandler(() => false)');
    expect(main).toContain('callback(null)');
    // The privileges go in before the app is ready (Electron ignores them after).
    expect(main.indexOf('registerAppSchemePrivileges()')).toBeLessThan(main.indexOf('app.whenReady()'));
  });
});

// ---------------------------------------------------------------------------------------------
describe('findElectronBinary', () => {
  function fakeElectronPackage(version = '45.5.0'): string {
    const dir = freshDir('electron');
    write(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version }));
    write(join(dir, 'abi_version'), '150');
    return dir;
  }

  it('gives a reason, and creates nothing, when the binary was never downloaded', () => {
    const electronDir = fakeElectronPackage();
    const result = findElectronBinary({ electronDir, env: {} });
    expect(result.path).toBeNull();
    expect(result.path === null && result.reason).toMatch(/45\.5\.0.*not installed.*path\.txt/s);
    expect(existsSync(join(electronDir, 'dist'))).toBe(false);
    expect(existsSync(join(electronDir, 'path.txt'))).toBe(false);
  });

  it('never triggers the download for the real electron package', () => {
    const realDist = join(repoRoot, 'node_modules', 'electron', 'dist');
    const distBefore = existsSync(realDist);
    const result = findElectronBinary();
    expect(existsSync(realDist)).toBe(distBefore);
    if (result.path === null) expect(result.reason.length).toBeGreaterThan(0);
    else expect(existsSync(result.path)).toBe(true);
    expect(result.electronVersion).toBe(readElectronPackage().version);
  });

  it('finds an installed binary through path.txt', () => {
    const electronDir = fakeElectronPackage();
    const subpath = electronExecutableSubpath();
    write(join(electronDir, 'path.txt'), subpath);
    write(join(electronDir, 'dist', subpath), 'binary');
    write(join(electronDir, 'dist', 'version'), 'v45.5.0');
    expect(findElectronBinary({ electronDir, env: {} })).toEqual({
      path: join(electronDir, 'dist', subpath),
      electronVersion: '45.5.0'
    });
  });

  it('reports a path.txt pointing at a missing file, and a binary of another version', () => {
    const electronDir = fakeElectronPackage();
    write(join(electronDir, 'path.txt'), 'electron');
    const missing = findElectronBinary({ electronDir, env: {}, platform: 'linux' });
    expect(missing.path === null && missing.reason).toMatch(/does not exist/);
    write(join(electronDir, 'dist', 'electron'), 'binary');
    write(join(electronDir, 'dist', 'version'), '44.0.0');
    const stale = findElectronBinary({ electronDir, env: {}, platform: 'linux' });
    expect(stale.path === null && stale.reason).toMatch(/44\.0\.0.*45\.5\.0/s);
  });

  it('respects ELECTRON_OVERRIDE_DIST_PATH', () => {
    const electronDir = fakeElectronPackage();
    const override = freshDir('override');
    const absent = findElectronBinary({ electronDir, env: { ELECTRON_OVERRIDE_DIST_PATH: override }, platform: 'linux' });
    expect(absent.path === null && absent.reason).toMatch(/ELECTRON_OVERRIDE_DIST_PATH/);
    write(join(override, 'electron'), 'binary');
    expect(findElectronBinary({ electronDir, env: { ELECTRON_OVERRIDE_DIST_PATH: override }, platform: 'linux' }).path).toBe(
      join(override, 'electron')
    );
  });

  it('respects ELECTRON_EXEC_PATH first, as electron-vite does', () => {
    const electronDir = fakeElectronPackage();
    const exe = join(freshDir('exec'), 'electron');
    const absent = findElectronBinary({ electronDir, env: { ELECTRON_EXEC_PATH: exe } });
    expect(absent.path === null && absent.reason).toMatch(/ELECTRON_EXEC_PATH/);
    write(exe, 'binary');
    expect(findElectronBinary({ electronDir, env: { ELECTRON_EXEC_PATH: exe, ELECTRON_OVERRIDE_DIST_PATH: '/nowhere' } }).path).toBe(exe);
  });

  it('uses the executable names electron installs per platform', () => {
    expect(electronExecutableSubpath('linux')).toBe('electron');
    expect(electronExecutableSubpath('win32')).toBe('electron.exe');
    expect(electronExecutableSubpath('darwin')).toBe('Electron.app/Contents/MacOS/Electron');
  });
});

// ---------------------------------------------------------------------------------------------
describe('Electron-ABI native module paths', () => {
  it('resolves into the project in development', () => {
    const appRoot = join(scratch, 'repo');
    const paths = resolveElectronNativePaths({ isPackaged: false, appRoot });
    const root = join(appRoot, '.electron-native');
    expect(paths.root).toBe(root);
    expect(paths.stampFile).toBe(join(root, 'stamp.json'));
    expect(paths.betterSqlite3NativeBinding).toBe(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
    expect(paths.keytarDir).toBe(join(root, 'node_modules', 'keytar'));
    expect(paths.keytarNativeBinding).toBe(join(root, 'node_modules', 'keytar', 'build', 'Release', 'keytar.node'));
  });

  it('resolves next to app.asar when packaged (where asarUnpack puts it)', () => {
    const resourcesPath = join(scratch, 'Enclave', 'resources');
    const paths = resolveElectronNativePaths({ isPackaged: true, resourcesPath, appRoot: join(resourcesPath, 'app.asar') });
    const root = join(resourcesPath, 'app.asar.unpacked', '.electron-native');
    expect(paths.root).toBe(root);
    expect(paths.betterSqlite3NativeBinding).toBe(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
    expect(paths.keytarDir).toBe(join(root, 'node_modules', 'keytar'));
    // The builder config packs and unpacks exactly this folder.
    expect(isUnpacked(`${ELECTRON_NATIVE_DIR}/node_modules/better-sqlite3/build/Release/better_sqlite3.node`)).toBe(true);
  });

  it('requires the location it needs', () => {
    expect(() => resolveElectronNativePaths({ isPackaged: true })).toThrow(/resourcesPath/);
    expect(() => resolveElectronNativePaths({ isPackaged: false })).toThrow(/appRoot/);
  });

  it('is the same resolver the Electron adapter uses', () => {
    expect(resolveFromAdapter).toBe(resolveElectronNativePaths);
    expect([...ELECTRON_NATIVE_MODULES]).toEqual(['better-sqlite3', 'keytar']);
  });

  it('checks the stamp and loads keytar and the sqlite binding from .electron-native', () => {
    const appRoot = freshDir('app');
    const paths = resolveElectronNativePaths({ isPackaged: false, appRoot });
    const runtime = { electronVersion: '45.5.0', platform: 'linux', arch: 'x64' };
    expect(() => checkElectronNative(paths, runtime)).toThrow(/missing.*prepareElectronNative/s);
    write(paths.stampFile, JSON.stringify({ electronVersion: '44.0.0', platform: 'linux', arch: 'x64' }));
    expect(() => checkElectronNative(paths, runtime)).toThrow(/44\.0\.0.*45\.5\.0/s);
    write(paths.stampFile, JSON.stringify({ electronVersion: '45.5.0', platform: 'linux', arch: 'x64' }));
    expect(() => checkElectronNative(paths, runtime)).toThrow(/better_sqlite3\.node/);
    write(paths.betterSqlite3NativeBinding, 'addon');
    write(paths.keytarNativeBinding, 'addon');
    expect(() => checkElectronNative(paths, runtime)).not.toThrow();

    expect(betterSqlite3Options(paths)).toEqual({ nativeBinding: paths.betterSqlite3NativeBinding });
    write(join(paths.keytarDir, 'package.json'), JSON.stringify({ name: 'keytar', main: './lib/keytar.js' }));
    write(join(paths.keytarDir, 'lib', 'keytar.js'), 'module.exports = { loadedFrom: __dirname };');
    expect((loadKeytar(paths) as unknown as { loadedFrom: string }).loadedFrom).toBe(join(paths.keytarDir, 'lib'));
  });
});

// ---------------------------------------------------------------------------------------------
describe('prepareElectronNative', () => {
  /** A project with stand-in better-sqlite3 / keytar packages (with Node-ABI build output) and electron. */
  function fakeProject(electronVersion = '45.5.0'): string {
    const root = freshDir('project');
    write(join(root, 'node_modules', 'electron', 'package.json'), JSON.stringify({ name: 'electron', version: electronVersion }));
    write(join(root, 'node_modules', 'electron', 'abi_version'), '150');
    write(
      join(root, 'node_modules', 'better-sqlite3', 'package.json'),
      JSON.stringify({ name: 'better-sqlite3', version: '12.11.1', main: 'lib/index.js' })
    );
    write(join(root, 'node_modules', 'better-sqlite3', 'lib', 'index.js'), 'module.exports = {};');
    write(join(root, 'node_modules', 'better-sqlite3', 'deps', 'sqlite3', 'sqlite3.c'), '/* sqlite */');
    write(join(root, 'node_modules', 'better-sqlite3', 'binding.gyp'), '{}');
    write(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), 'node-abi');
    write(
      join(root, 'node_modules', 'keytar', 'package.json'),
      JSON.stringify({ name: 'keytar', version: '7.9.0', main: './lib/keytar.js' })
    );
    write(join(root, 'node_modules', 'keytar', 'lib', 'keytar.js'), "module.exports = require('../build/Release/keytar.node');");
    write(join(root, 'node_modules', 'keytar', 'src', 'main.cc'), '// c++');
    write(join(root, 'node_modules', 'keytar', 'build', 'Release', 'keytar.node'), 'node-abi');
    return root;
  }

  /** Stands in for @electron/rebuild: records its options and writes "Electron-ABI" addons plus build debris. */
  function fakeRebuild(calls: RebuildOptions[]) {
    return async (options: RebuildOptions) => {
      calls.push(options);
      // Sources were copied without the Node-ABI build output.
      expect(existsSync(join(options.buildPath, 'node_modules', 'better-sqlite3', 'build'))).toBe(false);
      expect(existsSync(join(options.buildPath, 'node_modules', 'better-sqlite3', 'deps', 'sqlite3', 'sqlite3.c'))).toBe(true);
      for (const [name, addon] of [
        ['better-sqlite3', 'better_sqlite3.node'],
        ['keytar', 'keytar.node']
      ] as const) {
        const release = join(options.buildPath, 'node_modules', name, 'build', 'Release');
        write(join(release, addon), `electron-abi ${options.electronVersion}`);
        write(join(release, 'obj.target', 'x.o'), 'object');
        write(join(release, '.forge-meta'), 'meta');
        write(join(options.buildPath, 'node_modules', name, 'build', 'Makefile'), 'make');
      }
    };
  }

  it('builds into .electron-native with @electron/rebuild confined to it, then skips while current', async () => {
    const projectRoot = fakeProject();
    const calls: RebuildOptions[] = [];
    const quiet = () => {};
    const first = await prepareElectronNative({
      projectRoot,
      requireBinary: false,
      rebuild: fakeRebuild(calls),
      log: quiet,
      platform: 'linux',
      arch: 'x64'
    });
    expect(first.status).toBe('built');
    const paths = resolveElectronNativePaths({ isPackaged: false, appRoot: projectRoot });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      buildPath: paths.root,
      projectRootPath: paths.root,
      electronVersion: '45.5.0',
      forceABI: 150,
      platform: 'linux',
      arch: 'x64',
      force: true,
      onlyModules: ['better-sqlite3', 'keytar']
    });
    // node_modules is untouched; .electron-native holds only what runs.
    expect(readFileSync(join(projectRoot, 'node_modules', 'keytar', 'build', 'Release', 'keytar.node'), 'utf8')).toBe('node-abi');
    expect(readFileSync(paths.keytarNativeBinding, 'utf8')).toBe('electron-abi 45.5.0');
    expect(readFileSync(paths.betterSqlite3NativeBinding, 'utf8')).toBe('electron-abi 45.5.0');
    expect(existsSync(join(paths.keytarDir, 'lib', 'keytar.js'))).toBe(true);
    for (const debris of ['src', 'build/Makefile', 'build/Release/obj.target', 'build/Release/.forge-meta']) {
      expect(existsSync(join(paths.keytarDir, debris)), debris).toBe(false);
    }
    expect(existsSync(join(paths.betterSqlite3Dir, 'deps'))).toBe(false);
    const stamp = JSON.parse(readFileSync(paths.stampFile, 'utf8'));
    expect(stamp).toMatchObject(expectedStamp({ projectRoot, electronVersion: '45.5.0', abi: '150', platform: 'linux', arch: 'x64' }));
    expect(stamp.modules).toEqual({ 'better-sqlite3': '12.11.1', keytar: '7.9.0' });

    const second = await prepareElectronNative({
      projectRoot,
      requireBinary: false,
      rebuild: fakeRebuild(calls),
      log: quiet,
      platform: 'linux',
      arch: 'x64'
    });
    expect(second.status).toBe('up-to-date');
    expect(calls).toHaveLength(1);

    // Another Electron version, or another arch, means another build.
    write(join(projectRoot, 'node_modules', 'electron', 'package.json'), JSON.stringify({ name: 'electron', version: '45.6.0' }));
    const third = await prepareElectronNative({
      projectRoot,
      requireBinary: false,
      rebuild: fakeRebuild(calls),
      log: quiet,
      platform: 'linux',
      arch: 'x64'
    });
    expect(third.status).toBe('built');
    expect(readFileSync(paths.keytarNativeBinding, 'utf8')).toBe('electron-abi 45.6.0');
    const fourth = await prepareElectronNative({
      projectRoot,
      requireBinary: false,
      rebuild: fakeRebuild(calls),
      log: quiet,
      platform: 'linux',
      arch: 'arm64'
    });
    expect(fourth.status).toBe('built');
    expect(calls).toHaveLength(3);
  });

  it('leaves no stamp when the rebuild fails, and says what it needs', async () => {
    const projectRoot = fakeProject();
    const failing = async () => {
      throw new Error('gyp ERR! could not download headers');
    };
    await expect(prepareElectronNative({ projectRoot, requireBinary: false, rebuild: failing, log: () => {} })).rejects.toThrow(
      /45\.5\.0 failed: gyp ERR!.*headers/s
    );
    expect(existsSync(resolveElectronNativePaths({ isPackaged: false, appRoot: projectRoot }).stampFile)).toBe(false);
  });

  it('refuses to go on (for npm start) when no Electron binary is installed', async () => {
    const projectRoot = fakeProject();
    let rebuilt = false;
    await expect(
      prepareElectronNative({
        projectRoot,
        env: { ENCLAVE_NO_ELECTRON_DOWNLOAD: '1' },
        rebuild: async () => {
          rebuilt = true;
        },
        log: () => {}
      })
    ).rejects.toThrow(/Cannot start the Enclave desktop app.*not installed/s);
    expect(rebuilt).toBe(false);
    expect(existsSync(join(projectRoot, ELECTRON_NATIVE_DIR))).toBe(false);
    expect(existsSync(join(projectRoot, 'node_modules', 'electron', 'dist'))).toBe(false);
  });

  it('exits non-zero with a clear message from the command line', () => {
    const emptyDist = freshDir('no-electron');
    const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'prepareElectronNative.mjs')], {
      cwd: repoRoot,
      env: { ...process.env, ELECTRON_EXEC_PATH: '', ELECTRON_OVERRIDE_DIST_PATH: emptyDist, ENCLAVE_NO_ELECTRON_DOWNLOAD: '1' },
      encoding: 'utf8'
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\[prepare-electron-native\] Cannot start the Enclave desktop app: ELECTRON_OVERRIDE_DIST_PATH/);
    const badOption = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'prepareElectronNative.mjs'), '--bogus'], {
      cwd: repoRoot,
      encoding: 'utf8'
    });
    expect(badOption.status).toBe(1);
    expect(badOption.stderr).toMatch(/Unknown option --bogus/);
  });
});

describe('sqlite-vec in the packaged app', () => {
  it('loads the copy unpacked next to app.asar: SQLite cannot dlopen inside the archive', () => {
    const inside = join('/opt', 'Enclave', 'resources', 'app.asar', 'node_modules', 'sqlite-vec-linux-x64', 'vec0.so');
    expect(unpackedPath(inside)).toBe(
      join('/opt', 'Enclave', 'resources', 'app.asar.unpacked', 'node_modules', 'sqlite-vec-linux-x64', 'vec0.so')
    );
    expect(unpackedPath('C:\\Enclave\\resources\\app.asar\\node_modules\\sqlite-vec-windows-x64\\vec0.dll')).toBe(
      'C:\\Enclave\\resources\\app.asar.unpacked\\node_modules\\sqlite-vec-windows-x64\\vec0.dll'
    );
    const dev = join(repoRoot, 'node_modules', 'sqlite-vec-linux-x64', 'vec0.so');
    expect(unpackedPath(dev)).toBe(dev);
  });
});
