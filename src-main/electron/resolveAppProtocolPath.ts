// The app:// scheme that serves the built renderer. Pure (no electron import) so the path rules
// are tested under Vitest; registerAppProtocol.ts wires it into Electron.
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'enclave';
/** The page every window loads: a standard, secure origin of its own instead of file://. */
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8'
};

export interface AppProtocolFile {
  file: string;
  mimeType: string;
}

/**
 * The file under `rootDir` (out/renderer) that an app://enclave/... URL names, or null for
 * anything else: another scheme or host, `..` or `.` segments (plain or percent-encoded),
 * encoded slashes or backslashes, NUL, absolute or drive-letter paths, or a result outside
 * `rootDir`. Chromium normalizes the URL first; this does not rely on it.
 */
export function resolveAppProtocolPath(rootDir: string, requestUrl: string): AppProtocolFile | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST || url.username || url.password) return null;
  // The raw path, before any decoding: an encoded separator would hide a segment boundary.
  const rawPath = url.pathname === '/' || url.pathname === '' ? '/index.html' : url.pathname;
  if (/%(2f|5c|00)/i.test(rawPath)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  const segments = decoded.slice(1).split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || /[\\\0:]/.test(segment))) return null;
  const root = resolve(rootDir);
  const file = resolve(root, ...segments);
  const inside = relative(root, file);
  if (!inside || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return null;
  return { file, mimeType: MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' };
}
