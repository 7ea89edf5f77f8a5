import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const APP_FOLDER_NAME = 'Enclave';

/**
 * The folder holding package.json and resources/: found by walking up from this file, so it is
 * right for the TypeScript sources (tests), the built bundle in out/ and the packaged app.asar alike.
 */
export function findAppRoot(start = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'enclave') return dir;
    if (dirname(dir) === dir) throw new Error(`Enclave's package.json was not found above ${start}`);
  }
}

export const resourcePath = (...parts: string[]) => join(findAppRoot(), 'resources', ...parts);

/** The per-user data folder, the same one Electron's app.getPath('userData') gives for this app. */
export function defaultDataDir(platform = process.platform, env = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_FOLDER_NAME);
}

/** `--data-dir` wins over ENCLAVE_DATA_DIR, which wins over the per-user default. */
export function resolveDataDir(flag: string | undefined, env = process.env): string {
  const chosen = flag ?? env.ENCLAVE_DATA_DIR;
  return chosen ? resolve(chosen) : defaultDataDir(process.platform, env);
}
