// Electron-ABI native modules for the Electron adapter (see scripts/prepareElectronNative.mjs).
//
// node_modules holds better-sqlite3 and keytar compiled for Node's ABI (the CLI and the tests
// use those). Under Electron the adapter must use the copies in .electron-native/ instead:
//
//   import { app } from 'electron';
//   const native = resolveElectronNativePaths({
//     isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appRoot: app.getAppPath()
//   });
//   checkElectronNative(native, { electronVersion: process.versions.electron, platform: process.platform, arch: process.arch });
//   const db = new Database(file, betterSqlite3Options(native));
//   const keytar = loadKeytar(native);
//
// keytar is only read to move the keys earlier versions stored (see KeychainKeyStore); the keychain
// binding in use, @napi-rs/keyring, is N-API and loads from node_modules in Node and Electron alike.
//
// This file must not import 'electron' so that it can be tested from plain Node.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ElectronNativePaths } from '../../scripts/electronNativePaths.mjs';

export {
  ELECTRON_NATIVE_DIR,
  ELECTRON_NATIVE_MODULES,
  ELECTRON_NATIVE_STAMP,
  resolveElectronNativePaths
} from '../../scripts/electronNativePaths.mjs';
export type { ElectronNativePathOptions, ElectronNativePaths } from '../../scripts/electronNativePaths.mjs';

export interface ElectronRuntime {
  /** process.versions.electron */
  electronVersion: string;
  platform: string;
  arch: string;
}

interface NativeStamp {
  electronVersion?: unknown;
  platform?: unknown;
  arch?: unknown;
}

const PREPARE_HINT = 'Run `node scripts/prepareElectronNative.mjs` (npm start and npm run dist do this).';

/**
 * Throws a readable error when the Electron-ABI builds are missing or were made for another
 * Electron version, platform or architecture (instead of a cryptic dlopen/ABI failure later).
 */
export function checkElectronNative(paths: ElectronNativePaths, runtime: ElectronRuntime): void {
  let stamp: NativeStamp | null;
  try {
    stamp = JSON.parse(readFileSync(paths.stampFile, 'utf8')) as NativeStamp | null;
  } catch {
    throw new Error(`Electron-ABI native modules are missing (${paths.stampFile} not found). ${PREPARE_HINT}`);
  }
  const built = `${String(stamp?.electronVersion)} ${String(stamp?.platform)}-${String(stamp?.arch)}`;
  const wanted = `${runtime.electronVersion} ${runtime.platform}-${runtime.arch}`;
  if (built !== wanted) {
    throw new Error(
      `Electron-ABI native modules in ${paths.root} were built for Electron ${built}, this is Electron ${wanted}. ${PREPARE_HINT}`
    );
  }
  for (const file of [paths.betterSqlite3NativeBinding, paths.keytarNativeBinding]) {
    if (!existsSync(file)) throw new Error(`Missing Electron-ABI native module ${file}. ${PREPARE_HINT}`);
  }
}

/** Options for `new Database(file, options)` from better-sqlite3 so it loads the Electron-ABI addon. */
export function betterSqlite3Options(paths: ElectronNativePaths): { nativeBinding: string } {
  return { nativeBinding: paths.betterSqlite3NativeBinding };
}

/** Loads keytar from .electron-native (its JS requires ../build/Release/keytar.node next to it), for KeychainKeyStore's `legacy`. */
export function loadKeytar(paths: ElectronNativePaths): typeof import('keytar') {
  const require = createRequire(import.meta.url);
  return require(paths.keytarDir) as typeof import('keytar');
}
