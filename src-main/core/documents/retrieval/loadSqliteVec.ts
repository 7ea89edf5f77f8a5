import type Database from 'better-sqlite3';
import { getLoadablePath } from 'sqlite-vec';

/**
 * Loads sqlite-vec (vec0) into a connection. The library comes from the platform package npm installs
 * for this machine (sqlite-vec-linux-x64…). SQLite's own dlopen cannot read inside app.asar, so in the
 * packaged app the path points at the copy electron-builder unpacks next to it (asarUnpack). A loadable
 * extension depends on SQLite's C API only, so the Node-ABI and Electron-ABI better-sqlite3 load the same file.
 */
export function loadSqliteVec(client: Database.Database): void {
  client.loadExtension(unpackedPath(getLoadablePath()));
}

export function unpackedPath(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}
