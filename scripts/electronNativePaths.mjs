// Where the Electron-ABI builds of the native modules live, in development and when packaged.
//
// One implementation shared by scripts/prepareElectronNative.mjs (which writes them), the
// Electron adapter (src-main/electron/nativeModules.ts re-exports this; electron-vite bundles
// it into out/main) and test/packaging.test.ts. It must not import 'electron'.
//
// Layout (kept in step with electron-builder.config.cjs: `files` ships it, `asarUnpack`
// puts it on the real file system next to app.asar):
//   development: <appRoot>/.electron-native/node_modules/{better-sqlite3,keytar}/...
//   packaged:    <resourcesPath>/app.asar.unpacked/.electron-native/node_modules/{...}/...
import { join } from 'node:path';

/** Folder, relative to the project root (and to the app root inside app.asar), holding the Electron-ABI builds. */
export const ELECTRON_NATIVE_DIR = '.electron-native';

/** Native modules rebuilt for Electron's ABI. node_modules keeps the Node-ABI builds for the CLI and tests. */
export const ELECTRON_NATIVE_MODULES = Object.freeze(['better-sqlite3', 'keytar']);

/** Written last by prepareElectronNative.mjs; describes what the builds were made for. */
export const ELECTRON_NATIVE_STAMP = 'stamp.json';

/**
 * @param {{ isPackaged: boolean, resourcesPath?: string | null, appRoot?: string | null }} options
 */
export function resolveElectronNativePaths(options) {
  let root;
  if (options.isPackaged) {
    if (!options.resourcesPath) {
      throw new Error('resolveElectronNativePaths: resourcesPath (process.resourcesPath) is required when packaged');
    }
    root = join(options.resourcesPath, 'app.asar.unpacked', ELECTRON_NATIVE_DIR);
  } else {
    if (!options.appRoot) {
      throw new Error('resolveElectronNativePaths: appRoot (app.getAppPath()) is required in development');
    }
    root = join(options.appRoot, ELECTRON_NATIVE_DIR);
  }
  const nodeModules = join(root, 'node_modules');
  const betterSqlite3Dir = join(nodeModules, 'better-sqlite3');
  const keytarDir = join(nodeModules, 'keytar');
  return {
    root,
    stampFile: join(root, ELECTRON_NATIVE_STAMP),
    nodeModules,
    betterSqlite3Dir,
    /** Pass as `new Database(file, { nativeBinding })`; the JS half of better-sqlite3 comes from node_modules. */
    betterSqlite3NativeBinding: join(betterSqlite3Dir, 'build', 'Release', 'better_sqlite3.node'),
    /** require() this folder: keytar's lib/keytar.js loads ../build/Release/keytar.node next to it. */
    keytarDir,
    keytarNativeBinding: join(keytarDir, 'build', 'Release', 'keytar.node')
  };
}
