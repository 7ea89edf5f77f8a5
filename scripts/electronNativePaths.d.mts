export declare const ELECTRON_NATIVE_DIR: '.electron-native';
export declare const ELECTRON_NATIVE_MODULES: readonly ['better-sqlite3', 'keytar'];
export declare const ELECTRON_NATIVE_STAMP: 'stamp.json';

export interface ElectronNativePathOptions {
  /** app.isPackaged */
  isPackaged: boolean;
  /** process.resourcesPath; required when packaged. */
  resourcesPath?: string | null;
  /** app.getAppPath() (the project root under `electron-vite dev`); required in development. */
  appRoot?: string | null;
}

export interface ElectronNativePaths {
  root: string;
  stampFile: string;
  nodeModules: string;
  betterSqlite3Dir: string;
  betterSqlite3NativeBinding: string;
  keytarDir: string;
  keytarNativeBinding: string;
}

export declare function resolveElectronNativePaths(options: ElectronNativePathOptions): ElectronNativePaths;
