import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { resourcePath } from '../paths';
import { DatabaseCorruptError, DatabaseLockedError, DatabaseOpenError } from './errors';
import * as schema from './schema';

export type EnclaveDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDatabaseOptions {
  file: string;
  /** Path of an Electron-ABI better_sqlite3.node; plain Node uses the one in node_modules. */
  nativeBinding?: string;
  /** How long a statement waits for another process's lock before failing. */
  busyTimeoutMs?: number;
}

// Primary SQLite result codes; extended ones (SQLITE_BUSY_SNAPSHOT…) share the prefix.
const CORRUPTION_CODES = ['SQLITE_NOTADB', 'SQLITE_CORRUPT'];
const LOCK_CODES = ['SQLITE_BUSY', 'SQLITE_LOCKED'];

/**
 * Opens the SQLite file in WAL mode and applies pending migrations. A damaged or locked file
 * raises a typed error and is left exactly as it was: never reset, never recreated.
 */
export function openDatabase({ file, nativeBinding, busyTimeoutMs = 5000 }: OpenDatabaseOptions): EnclaveDb {
  let client: Database.Database | undefined;
  try {
    restrictToOwner(file);
    client = new Database(file, { nativeBinding, timeout: busyTimeoutMs });
    client.pragma('journal_mode = WAL');
    client.pragma('foreign_keys = ON');
    client.pragma('synchronous = NORMAL');
    const db = drizzle(client, { schema });
    migrate(db, { migrationsFolder: resourcePath('migrations') });
    // The -wal and -shm files exist only now.
    restrictToOwner(file);
    return db;
  } catch (error) {
    client?.close();
    throw classifyOpenError(file, error);
  }
}

const DB_FILE_MODE = 0o600;

/**
 * The database and its -wal/-shm files, readable by the owner only whatever the umask: a new
 * database is created empty with mode 0600 before SQLite opens it (SQLite gives the -wal and -shm
 * files it creates the database's mode), and an older one, or sidecars left by an older version,
 * are tightened. Windows has no such modes.
 */
function restrictToOwner(file: string): void {
  if (process.platform === 'win32') return;
  if (!existsSync(file)) writeFileSync(file, '', { mode: DB_FILE_MODE, flag: 'wx' });
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(path)) continue;
    try {
      chmodSync(path, DB_FILE_MODE);
    } catch (error) {
      // Another user's file that we may still write to: opening it is not ours to refuse.
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    }
  }
}

function classifyOpenError(file: string, error: unknown): Error {
  const code = sqliteCode(error);
  const matches = (codes: string[]) => codes.some((c) => code === c || code?.startsWith(`${c}_`));
  if (matches(CORRUPTION_CODES)) return new DatabaseCorruptError(file, error);
  if (matches(LOCK_CODES)) return new DatabaseLockedError(file, error);
  return new DatabaseOpenError(file, error);
}

function sqliteCode(error: unknown): string | undefined {
  // drizzle's migrator wraps driver errors; the SQLite code sits on a cause.
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  }
  return undefined;
}
