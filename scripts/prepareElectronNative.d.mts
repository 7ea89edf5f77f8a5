import type { RebuildOptions } from '@electron/rebuild';
import type { ElectronNativePaths } from './electronNativePaths.mjs';

export declare class PrepareElectronNativeError extends Error {}

export interface ElectronNativeStamp {
  format: number;
  electronVersion: string;
  abi: string | null;
  platform: string;
  arch: string;
  modules: Record<string, string>;
}

export interface PrepareElectronNativeOptions {
  /** The repository root by default. */
  projectRoot?: string;
  /** <projectRoot>/node_modules/electron by default. */
  electronDir?: string;
  /** true (npm start): fail when no Electron binary is installed. false (--dist). */
  requireBinary?: boolean;
  force?: boolean;
  arch?: string;
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  /** @electron/rebuild's rebuild() by default; injectable for tests. */
  rebuild?: (options: RebuildOptions) => Promise<void>;
  log?: (line: string) => void;
}

export interface PrepareElectronNativeResult {
  status: 'up-to-date' | 'built';
  paths: ElectronNativePaths;
  stamp: ElectronNativeStamp;
  electronBinary: string | null;
}

export declare function expectedStamp(inputs: {
  projectRoot: string;
  electronVersion: string;
  abi: string | null;
  platform: string;
  arch: string;
}): ElectronNativeStamp;

export declare function prepareElectronNative(options?: PrepareElectronNativeOptions): Promise<PrepareElectronNativeResult>;
