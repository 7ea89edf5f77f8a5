import { chmodSync, mkdirSync, statSync } from 'node:fs';

/** Owner only: the folder holds chats, the pseudonym vaults (original values) and the egress ledger. */
export const DATA_DIR_MODE = 0o700;

/**
 * Creates the data folder readable by its owner only, whatever the process umask, and returns
 * warnings for an existing folder that group or other users can reach. An existing folder is
 * never changed: its mode may be the user's choice (a shared machine account, a backup tool).
 * POSIX modes mean nothing on Windows, where %APPDATA% is already per-user.
 */
export function prepareDataDir(dir: string, platform = process.platform): string[] {
  if (platform === 'win32') {
    mkdirSync(dir, { recursive: true });
    return [];
  }
  let mode: number;
  try {
    const stat = statSync(dir);
    // Not a folder: let mkdir raise its usual EEXIST.
    if (!stat.isDirectory()) mkdirSync(dir, { recursive: true });
    mode = stat.mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
    // mkdir's mode is masked by the umask; chmod is not.
    chmodSync(dir, DATA_DIR_MODE);
    return [];
  }
  if ((mode & 0o077) === 0) return [];
  return [
    `The data folder ${dir} can be reached by other users (mode ${mode.toString(8).padStart(4, '0')}): ` +
      `it holds your chats and the original values behind pseudonyms. Run: chmod 700 "${dir}"`
  ];
}
