import { isIP } from 'node:net';
import { EnclaveError } from '../core/EnclaveError';
import { ErrorCode } from '../core/shared/errorCodes';

export class ApiServerConfigError extends EnclaveError {
  constructor(message: string) {
    super(ErrorCode.ApiServerConfig, message);
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase());
}

/** Refuses a non-loopback bind address unless remote access was asked for explicitly. */
export function assertBindable(host: string, allowRemote: boolean | undefined): void {
  if (!isLoopbackHost(host) && !allowRemote)
    throw new ApiServerConfigError(
      `Refusing to listen on ${host}: only 127.0.0.1, ::1 and localhost are allowed without --allow-remote, because other machines could then reach your models.`
    );
}

/** `host:port` as it appears in a Host header (IPv6 in brackets), lower-cased. */
export function hostHeaderFor(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`.toLowerCase();
}

/**
 * Host headers the server answers: the loopback names with the real port, whatever the bind
 * address, plus the bind address itself when it is a specific IP (an IP literal cannot be
 * rebound by DNS), plus any listed explicitly. Everything else is refused, which defeats DNS
 * rebinding: a page on evil.com that re-points its name at 127.0.0.1 still sends "evil.com:PORT".
 */
export function allowedHostHeaders(bindHost: string, port: number, extra: readonly string[] = []): Set<string> {
  const allowed = new Set(['127.0.0.1', 'localhost', '::1'].map((host) => hostHeaderFor(host, port)));
  if (isIP(bindHost) && bindHost !== '0.0.0.0' && bindHost !== '::') allowed.add(hostHeaderFor(bindHost, port));
  for (const entry of extra) allowed.add(entry.toLowerCase());
  return allowed;
}

/** Validates an allow-listed origin: exactly `scheme://host[:port]`, never a wildcard or "null". */
export function normalizeOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new ApiServerConfigError(`"${origin}" is not an origin; write it like https://app.example.com or http://localhost:5173`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.origin !== origin.replace(/\/$/, '') || origin.includes('*'))
    throw new ApiServerConfigError(
      `"${origin}" is not an origin; write it like https://app.example.com or http://localhost:5173 (no path, no wildcard)`
    );
  return url.origin;
}

/** The token from `Authorization: Bearer <token>`, or null when the header is missing or not a bearer token. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
  return match ? match[1]! : null;
}
