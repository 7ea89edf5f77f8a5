export interface ElectronBinaryOptions {
  /** node_modules/electron by default. */
  electronDir?: string;
  /** process.env by default; only ELECTRON_EXEC_PATH and ELECTRON_OVERRIDE_DIST_PATH are read. */
  env?: Record<string, string | undefined>;
  /** process.platform by default; picks the executable name when path.txt is missing. */
  platform?: string;
}

export type ElectronBinaryLookup =
  | { path: string; electronVersion: string }
  | { path: null; reason: string; electronVersion: string | null };

export interface ElectronPackageInfo {
  dir: string;
  version: string;
  /** Contents of node_modules/electron/abi_version (NODE_MODULE_VERSION), when present. */
  abi: string | null;
}

export function electronExecutableSubpath(platform?: string): string;
export function readElectronPackage(options?: { electronDir?: string }): ElectronPackageInfo;
export function findElectronBinary(options?: ElectronBinaryOptions): ElectronBinaryLookup;
