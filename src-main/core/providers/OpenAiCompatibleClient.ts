import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { CloudCallOptions, CloudChatRequest, CloudChatResult, CloudClient, CloudUsage, ProviderKind } from './CloudClient';
import { callSpec, collectModelIds, guardedCall, sdkRequestOptions } from './CallGuard';
import { connectionDetail, describeError, parseRetryAfter, toFinishReason, type Classified } from './failures';
import { lazySdk } from './MissingApiKeyError';

export interface OpenAiCompatibleClientOptions {
  /** The user's name for the provider, used in error messages. */
  name: string;
  kind: ProviderKind;
  /** Up to and including the version segment, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  apiKey: string | null;
}

/** The OpenAI SDK wants a key string; a keyless local server (Ollama, llama.cpp) gets this, and the header is then removed. */
const NO_KEY_PLACEHOLDER = 'none';

/** OpenAI's Chat Completions wire format: OpenAI, OpenRouter, Groq, Mistral and any compatible server. */
export class OpenAiCompatibleClient implements CloudClient {
  private readonly sdk: () => Promise<{ client: OpenAI; classify: (error: unknown) => Classified }>;

  constructor(private readonly options: OpenAiCompatibleClientOptions) {
    const keyless = options.apiKey === null;
    this.sdk = lazySdk(
      options.name,
      keyless && options.kind !== 'openai-compatible'
        ? null
        : async () => {
            const sdk = await import('openai');
            const client = new sdk.default({
              apiKey: options.apiKey ?? NO_KEY_PLACEHOLDER,
              // Passed explicitly so that OPENAI_BASE_URL, OPENAI_ORG_ID and OPENAI_PROJECT_ID in the
              // environment can neither redirect requests nor add headers.
              baseURL: options.baseUrl,
              organization: null,
              project: null,
              webhookSecret: null,
              // The router retries, honouring Retry-After.
              maxRetries: 0,
              logLevel: 'off',
              // A null header value removes the SDK's `Authorization: Bearer none`.
              defaultHeaders: keyless ? { Authorization: null } : undefined
            });
            return { client, classify: (error: unknown) => classifyOpenAiError(sdk, error) };
          }
    );
  }

  async chat(request: CloudChatRequest, options: CloudCallOptions): Promise<CloudChatResult> {
    const { client, classify } = await this.sdk();
    const params: ChatCompletionCreateParamsStreaming = {
      model: request.model,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      stream: true,
      stream_options: { include_usage: true }
    };
    if (request.temperature !== undefined) params.temperature = request.temperature;
    if (request.topP !== undefined) params.top_p = request.topP;
    if (request.stop?.length) params.stop = request.stop;
    if (request.maxTokens !== undefined) {
      // OpenAI's newer models refuse `max_tokens`; the other providers know only `max_tokens`.
      if (this.options.kind === 'openai') params.max_completion_tokens = request.maxTokens;
      else params.max_tokens = request.maxTokens;
    }

    return guardedCall(callSpec(this.options, options, classify), async (call) => {
      const stream = await client.chat.completions.create(params, sdkRequestOptions(call.guard));
      call.started();
      let finishReason: string | null = null;
      let usage: CloudUsage | null = null;
      for await (const chunk of call.chunks(stream)) {
        const choice = chunk.choices?.[0];
        const piece = choice?.delta?.content;
        if (piece) call.emit(piece);
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        // The usage chunk (stream_options.include_usage) comes last with no choices; Groq's
        // older API put it under `x_groq.usage` instead.
        const reported = chunk.usage ?? (chunk as { x_groq?: { usage?: OpenAI.CompletionUsage } }).x_groq?.usage;
        if (reported) usage = { promptTokens: reported.prompt_tokens, completionTokens: reported.completion_tokens };
      }
      if (finishReason === null) throw new Error('the stream ended before the reply was complete');
      return { text: call.text, finishReason: toFinishReason(finishReason), usage };
    });
  }

  async listModels(options: Omit<CloudCallOptions, 'onTextChunk'>): Promise<string[]> {
    const { client, classify } = await this.sdk();
    return guardedCall(callSpec(this.options, options, classify), (call) =>
      collectModelIds(call, client.models.list(sdkRequestOptions(call.guard)), (model) => model.id)
    );
  }
}

function classifyOpenAiError(sdk: typeof import('openai'), error: unknown): Classified {
  if (error instanceof sdk.APIConnectionTimeoutError) return { kind: 'network', detail: 'no response (connection timed out)' };
  if (error instanceof sdk.APIConnectionError) return { kind: 'network', detail: connectionDetail(error) ?? describeError(error) };
  if (error instanceof sdk.APIError) {
    const body = error.error as { message?: unknown } | string | undefined;
    const detail = typeof body === 'string' ? body : typeof body?.message === 'string' ? body.message : error.message;
    if (error.status === undefined) return { kind: 'stream', detail: `the provider reported an error: ${detail}` };
    return {
      kind: 'http',
      status: error.status,
      detail: detail.replace(new RegExp(`^${error.status} `), ''),
      retryAfterMs: parseRetryAfter((name) => error.headers?.get(name))
    };
  }
  if (error instanceof SyntaxError) return { kind: 'stream', detail: `malformed event (${error.message})` };
  return null;
}
