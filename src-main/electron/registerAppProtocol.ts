import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME, resolveAppProtocolPath } from './resolveAppProtocolPath';

/**
 * Must run before the app is ready. Standard + secure: a real origin (app://enclave) that CSP
 * 'self', storage and relative URLs work with. Not corsEnabled, so no other origin can read it.
 */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves app://enclave/... from `rendererDir` (out/renderer) only; everything else is a 404. */
export function handleAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const target = resolveAppProtocolPath(rendererDir, request.url);
    if (!target) return new Response(null, { status: 404 });
    let body: Buffer;
    try {
      body = await readFile(target.file);
    } catch {
      return new Response(null, { status: 404 });
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      headers: { 'Content-Type': target.mimeType, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' }
    });
  });
}
