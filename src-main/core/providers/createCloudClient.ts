import { AnthropicClient } from './AnthropicClient';
import { invalidProviderConfig, resolveBaseUrl, type CloudClient, type ProviderConfig } from './CloudClient';
import { GeminiClient } from './GeminiClient';
import { OpenAiCompatibleClient } from './OpenAiCompatibleClient';

/**
 * The client for one configured provider. Throws InvalidProviderConfigError when the config cannot be
 * used. A null `apiKey` is fine for `openai-compatible` (local servers such as Ollama need none);
 * for the other kinds the client's calls reject with MissingApiKeyError without sending anything.
 */
export function createCloudClient(config: ProviderConfig, apiKey: string | null): CloudClient {
  const key = apiKey === null || apiKey.trim() === '' ? null : apiKey.trim();
  const baseUrl = resolveBaseUrl(config, { withKey: key !== null });
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
      throw invalidProviderConfig(config, `unknown provider kind "${String(unknown)}"`);
    }
  }
}
