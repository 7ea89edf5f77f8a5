import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { CloudCallOptions, CloudChatRequest, CloudChatResult, CloudClient } from './CloudClient';
import { callSpec, collectModelIds, guardedCall, sdkRequestOptions } from './CallGuard';
import { connectionDetail, describeError, parseRetryAfter, toFinishReason, type Classified } from './failures';
import { lazySdk } from './MissingApiKeyError';
import { splitSystemPrompt } from './splitSystemPrompt';

export interface AnthropicClientOptions {
  /** The user's name for the provider, used in error messages. */
  name: string;
  /** The root the SDK appends `/v1/messages` to, e.g. `https://api.anthropic.com`. */
  baseUrl: string;
  apiKey: string | null;
}

/** Anthropic requires `max_tokens`; this applies when the request names none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/**
 * Anthropic's Messages API, streamed. The SDK (1.x) speaks API version 2026-10-21, which sends
 * the key as `Authorization: Bearer` and has no sampling parameters: `temperature` and `topP`
 * are not sent (models after Claude Opus 4.6 refuse them in every API version).
 */
export class AnthropicClient implements CloudClient {
  private readonly sdk: () => Promise<{ client: Anthropic; classify: (error: unknown) => Classified }>;

  constructor(private readonly options: AnthropicClientOptions) {
    const { apiKey } = options;
    this.sdk = lazySdk(
      options.name,
      apiKey === null
        ? null
        : async () => {
            const sdk = await import('@anthropic-ai/sdk');
            const client = new sdk.default({
              apiKey,
              // Explicit, so that ANTHROPIC_BASE_URL in the environment cannot redirect requests.
              baseURL: options.baseUrl,
              webhookKey: null,
              // The router retries, honouring Retry-After.
              maxRetries: 0,
              logLevel: 'off'
            });
            return { client, classify: (error: unknown) => classifyAnthropicError(sdk, error) };
          }
    );
  }

  async chat(request: CloudChatRequest, options: CloudCallOptions): Promise<CloudChatResult> {
    const { client, classify } = await this.sdk();
    const { system, turns } = splitSystemPrompt(request.messages);
    const params: MessageCreateParamsStreaming = {
      model: request.model,
      max_tokens: request.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
      messages: turns.map((m) => ({ role: m.role, content: m.content })),
      stream: true
    };
    if (system) params.system = system;
    if (request.stop?.length) params.stop_sequences = request.stop;

    return guardedCall(callSpec(this.options, options, classify), async (call) => {
      const stream = await client.messages.create(params, sdkRequestOptions(call.guard));
      call.started();
      let inputTokens: number | null = null;
      let outputTokens: number | null = null;
      let stopReason: string | null = null;
      let complete = false;
      for await (const event of call.chunks(stream)) {
        switch (event.type) {
          case 'message_start': {
            const usage = event.message.usage;
            // Cached prompt tokens are reported apart from `input_tokens`; all of them are prompt.
            inputTokens = usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
            outputTokens = usage.output_tokens;
            break;
          }
          case 'content_block_delta':
            if (event.delta.type === 'text_delta' && event.delta.text) call.emit(event.delta.text);
            break;
          case 'message_delta': {
            const usage = event.usage;
            if (usage.input_tokens !== null && usage.input_tokens !== undefined) {
              inputTokens = usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
            }
            outputTokens = usage.output_tokens;
            if (event.delta.stop_reason) stopReason = event.delta.stop_reason;
            break;
          }
          case 'message_stop':
            complete = true;
            break;
        }
      }
      if (!complete) throw new Error('the stream ended before message_stop');
      return {
        text: call.text,
        finishReason: toFinishReason(stopReason),
        usage: inputTokens !== null && outputTokens !== null ? { promptTokens: inputTokens, completionTokens: outputTokens } : null
      };
    });
  }

  async listModels(options: Omit<CloudCallOptions, 'onTextChunk'>): Promise<string[]> {
    const { client, classify } = await this.sdk();
    return guardedCall(callSpec(this.options, options, classify), (call) =>
      collectModelIds(call, client.models.list({ limit: 1000 }, sdkRequestOptions(call.guard)), (model) => model.id)
    );
  }
}

function classifyAnthropicError(sdk: typeof import('@anthropic-ai/sdk'), error: unknown): Classified {
  if (error instanceof sdk.APIConnectionTimeoutError) return { kind: 'network', detail: 'no response (connection timed out)' };
  if (error instanceof sdk.APIConnectionError) return { kind: 'network', detail: connectionDetail(error) ?? describeError(error) };
  if (error instanceof sdk.APIError) {
    const detail = error.apiMessage ?? error.message.replace(/^\d{3} /, '');
    // An `event: error` inside the stream (e.g. overloaded_error) has no HTTP status.
    if (error.status === undefined) return { kind: 'stream', detail: `the provider reported ${error.type ?? 'an error'}: ${detail}` };
    return { kind: 'http', status: error.status, detail, retryAfterMs: parseRetryAfter((name) => error.headers?.get(name)) };
  }
  if (error instanceof SyntaxError) return { kind: 'stream', detail: `malformed event (${error.message})` };
  return null;
}
