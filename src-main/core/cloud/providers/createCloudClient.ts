import { AnthropicClient } from './AnthropicClient';
import { DEFAULT_BASE_URLS, type CloudClient, type ProviderConfig } from './CloudClient';
import { GeminiClient } from './GeminiClient';
import { OpenAiCompatibleClient } from './OpenAiCompatibleClient';
import { InvalidProviderConfigError } from '../routingErrors';

function invalid(config: ProviderConfig, reason: string): InvalidProviderConfigError {
  return new InvalidProviderConfigError(
    `The provider "${config.name}" is not configured correctly: ${reason}. Fix it in Settings → Providers.`
  );
}

function resolveBaseUrl(config: ProviderConfig): string {
  const raw = config.baseUrl?.trim() || DEFAULT_BASE_URLS[config.kind];
  if (!raw) throw invalid(config, 'an OpenAI-compatible provider needs a base URL, e.g. http://localhost:11434/v1');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(config, `"${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(config, `the base URL must start with http:// or https:// (got "${url.protocol}")`);
  }
  if (url.username || url.password) throw invalid(config, 'the base URL must not contain a user name or password');
  if (url.search || url.hash) throw invalid(config, 'the base URL must not contain a query or fragment');
  return url.toString().replace(/\/+$/, '');
}

/**
 * The client for one configured provider. Throws InvalidProviderConfigError when the config cannot be
 * used. A null `apiKey` is fine for `openai-compatible` (local servers such as Ollama need none);
 * for the other kinds the client's calls reject with MissingApiKeyError without sending anything.
 */
export function createCloudClient(config: ProviderConfig, apiKey: string | null): CloudClient {
  const baseUrl = resolveBaseUrl(config);
  const key = apiKey === null || apiKey.trim() === '' ? null : apiKey.trim();
  switch (config.kind) {
    case 'anthropic':
      return new AnthropicClient({ name: config.name, baseUrl, apiKey: key });
    case 'gemini':
      return new GeminiClient({ name: config.name, baseUrl, apiKey: key });
    case 'openai':
    case 'openrouter':
    case 'groq':
    case 'mistral':
    case 'openai-compatible':
      return new OpenAiCompatibleClient({ name: config.name, kind: config.kind, baseUrl, apiKey: key });
    default: {
      const unknown: never = config.kind;
      throw invalid(config, `unknown provider kind "${String(unknown)}"`);
    }
  }
}
