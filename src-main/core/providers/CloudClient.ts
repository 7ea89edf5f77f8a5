// What the core needs from a cloud provider, whatever its wire format. Only the egress gate
// (../EgressGate.ts) creates clients, so no request can reach a provider around the privacy policy.

import { isIPv4 } from 'node:net';
import { InsecureKeyTransportError, InvalidProviderConfigError } from './errors';

export const PROVIDER_KINDS = ['openai', 'anthropic', 'gemini', 'openrouter', 'groq', 'mistral', 'openai-compatible'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/**
 * Each kind's endpoint when the config names none. OpenAI-style kinds include the version
 * segment (the SDK appends `/chat/completions`); Anthropic and Gemini are the roots their SDKs
 * append `/v1/...` and `/v1beta/...` to. `openai-compatible` has no default.
 */
export const DEFAULT_BASE_URLS: Record<ProviderKind, string | null> = {
  openai: 'https://api.openai.com/v1',
  openrouter: 'https://openrouter.ai/api/v1',
  groq: 'https://api.groq.com/openai/v1',
  mistral: 'https://api.mistral.ai/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
  'openai-compatible': null
};

export interface ProviderConfig {
  /** The user's name for this provider; cloud models are addressed as `name/model`. */
  name: string;
  kind: ProviderKind;
  /** Overrides the kind's default endpoint; required for `openai-compatible`. */
  baseUrl: string | null;
}

export interface CloudMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CloudChatRequest {
  /** The provider's own model id (without the `name/` prefix). */
  model: string;
  messages: CloudMessage[];
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
}

export interface CloudUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface CloudChatResult {
  text: string;
  finishReason: 'stop' | 'length' | 'other';
  /** As reported by the provider; null when it reported none. */
  usage: CloudUsage | null;
}

export interface CloudCallOptions {
  signal?: AbortSignal;
  /** Longest wait for the response to start, and between two streamed chunks. */
  timeoutMs: number;
  /** Streamed text as it arrives. */
  onTextChunk?: (text: string) => void;
}

export interface CloudClient {
  /** Streams a chat completion. Rejects with a ProviderError (see ../errors.ts). */
  chat(request: CloudChatRequest, options: CloudCallOptions): Promise<CloudChatResult>;
  /** A cheap authenticated call: the provider's model ids. */
  listModels(options: Omit<CloudCallOptions, 'onTextChunk'>): Promise<string[]>;
}

export function invalidProviderConfig(config: ProviderConfig, reason: string): InvalidProviderConfigError {
  return new InvalidProviderConfigError(
    `The provider "${config.name}" is not configured correctly: ${reason}. Fix it in Settings → Providers.`
  );
}

/**
 * The endpoint a provider's requests go to; InvalidProviderConfigError when it cannot be used, and
 * InsecureKeyTransportError when `withKey` and it is plain http to a host other than this machine
 * (a key sent in clear text can be read anywhere on the way).
 */
export function resolveBaseUrl(config: ProviderConfig, options: { withKey?: boolean } = {}): string {
  const raw = config.baseUrl?.trim() || DEFAULT_BASE_URLS[config.kind];
  if (!raw) throw invalidProviderConfig(config, 'an OpenAI-compatible provider needs a base URL, e.g. http://localhost:11434/v1');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidProviderConfig(config, `"${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidProviderConfig(config, `the base URL must start with http:// or https:// (got "${url.protocol}")`);
  }
  if (url.username || url.password) throw invalidProviderConfig(config, 'the base URL must not contain a user name or password');
  if (url.search || url.hash) throw invalidProviderConfig(config, 'the base URL must not contain a query or fragment');
  const baseUrl = url.toString().replace(/\/+$/, '');
  if (options.withKey && url.protocol === 'http:' && !isLoopbackHost(url.hostname))
    throw new InsecureKeyTransportError(config.name, baseUrl);
  return baseUrl;
}

/** localhost, 127.0.0.0/8 or ::1, as WHATWG URL writes a hostname (lower case, IPv4 in dotted decimal, IPv6 in brackets). */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  return isIPv4(hostname) && hostname.startsWith('127.');
}
