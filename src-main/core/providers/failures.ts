// Helpers the provider clients share to turn SDK failures into the ProviderError family (../errors.ts).

import type { CloudChatResult } from './CloudClient';

/** What a client could read from one SDK error. */
export type Classified =
  | { kind: 'http'; status: number; detail: string; retryAfterMs: number | null; auth?: boolean }
  | { kind: 'network'; detail: string }
  | { kind: 'stream'; detail: string }
  | null;

const MAX_DETAIL_LENGTH = 300;

/** Makes provider text fit for an error message: never the API key, one line, bounded length. */
export function cleanDetail(text: string, apiKey: string | null): string {
  let out = text;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('[redacted]');
  out = out.replace(/\s+/g, ' ').trim().replace(/\.+$/, '');
  return out.length > MAX_DETAIL_LENGTH ? `${out.slice(0, MAX_DETAIL_LENGTH - 1)}…` : out;
}

/**
 * Milliseconds to wait, from `retry-after-ms` (OpenAI's and Anthropic's own header) or
 * `Retry-After` (delay-seconds or an HTTP-date); null when neither is usable.
 */
export function parseRetryAfter(get: (name: string) => string | null | undefined, now = Date.now()): number | null {
  const ms = get('retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  const value = get('retry-after')?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function toFinishReason(raw: string | null | undefined): CloudChatResult['finishReason'] {
  switch (raw) {
    case 'stop':
    case 'end_turn':
    case 'stop_sequence':
    case 'STOP':
      return 'stop';
    case 'length':
    case 'max_tokens':
    case 'model_context_window_exceeded':
    case 'MAX_TOKENS':
      return 'length';
    default:
      return 'other';
  }
}

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CLOSED: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host'
};

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e !== null && e !== undefined && chain.length < 6; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/** Describes a failure to connect (refused, DNS, reset, TLS), or null when `error` is not one. */
export function connectionDetail(error: unknown): string | null {
  const chain = causeChain(error);
  for (let i = chain.length - 1; i >= 0; i--) {
    const code = (chain[i] as { code?: unknown }).code;
    if (typeof code === 'string' && code in CONNECTION_CODES) {
      const message = (chain[i] as Error).message;
      return message ? `${CONNECTION_CODES[code]} (${message})` : CONNECTION_CODES[code];
    }
  }
  if (chain.some((e) => e instanceof TypeError && e.message === 'fetch failed')) return describeError(error);
  return null;
}

/** The error's message followed by its causes' messages. */
export function describeError(error: unknown): string {
  const messages = causeChain(error)
    .map((e) => (e instanceof Error ? e.message : typeof e === 'string' ? e : ''))
    .filter((m) => m);
  return [...new Set(messages)].join(': ') || 'unknown error';
}
