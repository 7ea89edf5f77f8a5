import type { Content, GenerateContentConfig, GoogleGenAI, HttpOptions } from '@google/genai';
import type { CloudCallOptions, CloudChatRequest, CloudChatResult, CloudClient, CloudUsage } from './CloudClient';
import { callSpec, collectModelIds, guardedCall, type GuardedCallSpec } from './CallGuard';
import { parseRetryAfter, toFinishReason, type Classified } from './failures';
import { lazySdk } from './MissingApiKeyError';
import { splitSystemPrompt } from './splitSystemPrompt';

export interface GeminiClientOptions {
  /** The user's name for the provider, used in error messages. */
  name: string;
  /** The root the SDK appends `/v1beta/models/...` to, e.g. `https://generativelanguage.googleapis.com`. */
  baseUrl: string;
  apiKey: string | null;
}

/** The last HTTP response of one call: the SDK's ApiError carries no headers, so Retry-After is read here. */
interface ResponseRecorder {
  response: Response | null;
  httpOptions: HttpOptions;
}

type GeminiClassifier = (error: unknown, response: Response | null) => Classified;

function recorder(): ResponseRecorder {
  const rec: ResponseRecorder = {
    response: null,
    httpOptions: {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        rec.response = response;
        return response;
      }
    }
  };
  return rec;
}

/**
 * Google's Gemini API (generativelanguage.googleapis.com) through @google/genai, streamed over SSE
 * (`:streamGenerateContent?alt=sse`). The SDK does not retry unless `retryOptions` is given, and
 * its automatic continuation (a second request after finish reason CONTINUATION) is turned off so
 * that one call is one request, as with the other clients.
 */
export class GeminiClient implements CloudClient {
  private readonly sdk: () => Promise<{ client: GoogleGenAI; classify: GeminiClassifier }>;

  constructor(private readonly options: GeminiClientOptions) {
    const { apiKey } = options;
    this.sdk = lazySdk(
      options.name,
      apiKey === null
        ? null
        : async () => {
            const sdk = await import('@google/genai');
            const client = new sdk.GoogleGenAI({
              apiKey,
              // Explicit, so that GOOGLE_GENAI_USE_VERTEXAI / GOOGLE_GEMINI_BASE_URL cannot redirect requests.
              vertexai: false,
              httpOptions: { baseUrl: options.baseUrl }
            });
            return { client, classify: (error, response) => classifyGeminiError(sdk, error, response) };
          }
    );
  }

  async chat(request: CloudChatRequest, options: CloudCallOptions): Promise<CloudChatResult> {
    const { client, classify } = await this.sdk();
    const { system, turns } = splitSystemPrompt(request.messages);
    const contents: Content[] = turns.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] }));
    const rec = recorder();

    return guardedCall(this.spec(classify, options, rec), async (call) => {
      const config: GenerateContentConfig = {
        abortSignal: call.guard.signal,
        httpOptions: rec.httpOptions,
        automaticContinuation: false,
        automaticFunctionCalling: { disable: true }
      };
      if (system) config.systemInstruction = { parts: [{ text: system }] };
      if (request.temperature !== undefined) config.temperature = request.temperature;
      if (request.topP !== undefined) config.topP = request.topP;
      if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
      if (request.stop?.length) config.stopSequences = request.stop;

      const stream = await client.models.generateContentStream({ model: request.model, contents, config });
      call.started();
      let finishReason: string | null = null;
      let blocked = false;
      let usage: CloudUsage | null = null;
      for await (const chunk of call.chunks(stream)) {
        const candidate = chunk.candidates?.[0];
        for (const part of candidate?.content?.parts ?? []) {
          if (typeof part.text === 'string' && part.text && !part.thought) call.emit(part.text);
        }
        if (candidate?.finishReason) finishReason = candidate.finishReason;
        if (chunk.promptFeedback?.blockReason) blocked = true;
        const meta = chunk.usageMetadata;
        if (meta && meta.promptTokenCount !== undefined) {
          // Thinking tokens are billed as output.
          usage = {
            promptTokens: meta.promptTokenCount,
            completionTokens: (meta.candidatesTokenCount ?? 0) + (meta.thoughtsTokenCount ?? 0)
          };
        }
      }
      if (finishReason === null && !blocked) throw new Error('the stream ended before a finish reason');
      return { text: call.text, finishReason: toFinishReason(finishReason), usage };
    });
  }

  async listModels(options: Omit<CloudCallOptions, 'onTextChunk'>): Promise<string[]> {
    const { client, classify } = await this.sdk();
    const rec = recorder();
    return guardedCall(this.spec(classify, options, rec), async (call) => {
      const pager = await client.models.list({ config: { pageSize: 1000, abortSignal: call.guard.signal, httpOptions: rec.httpOptions } });
      call.guard.arm();
      return collectModelIds(call, pager, (model) => {
        // Embedding and other non-chat models are left out when the API says what a model supports.
        if (model.supportedActions && !model.supportedActions.includes('generateContent')) return null;
        return model.name ? model.name.replace(/^models\//, '') : null;
      });
    });
  }

  /** Errors are classified with the call's last HTTP response at hand (for Retry-After). */
  private spec(
    classify: GeminiClassifier,
    options: CloudCallOptions | Omit<CloudCallOptions, 'onTextChunk'>,
    rec: ResponseRecorder
  ): GuardedCallSpec {
    return callSpec(this.options, options, (error) => classify(error, rec.response));
  }
}

interface GoogleErrorBody {
  error?: { code?: number; message?: string; status?: string; details?: { '@type'?: string; reason?: string; retryDelay?: string }[] };
}

/** The SDK's ApiError message is the error body as JSON, sometimes after a prefix (`got status: INTERNAL. {...}`). */
function parseErrorBody(message: string): GoogleErrorBody | null {
  const start = message.indexOf('{');
  if (start < 0) return null;
  try {
    return JSON.parse(message.slice(start)) as GoogleErrorBody;
  } catch {
    return null;
  }
}

function classifyGeminiError(sdk: typeof import('@google/genai'), error: unknown, response: Response | null): Classified {
  if (error instanceof sdk.ApiError) {
    const body = parseErrorBody(error.message)?.error;
    const detail = body?.message ?? error.message;
    const details = body?.details ?? [];
    // Gemini answers a wrong key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
    const badKey =
      error.status === 400 &&
      (details.some((d) => d.reason === 'API_KEY_INVALID' || d.reason === 'API_KEY_EXPIRED') ||
        /API key (not valid|expired)/i.test(detail));
    // Rate limits come with google.rpc.RetryInfo in the body (e.g. retryDelay "17s") more often than with a header.
    const retryDelay = details.find((d) => d['@type']?.endsWith('google.rpc.RetryInfo'))?.retryDelay;
    const fromBody = retryDelay && /^\d+(\.\d+)?s$/.test(retryDelay) ? Math.round(parseFloat(retryDelay) * 1000) : null;
    const fromHeader = response && response.status === error.status ? parseRetryAfter((name) => response.headers.get(name)) : null;
    return { kind: 'http', status: error.status, detail, retryAfterMs: fromHeader ?? fromBody, auth: badKey };
  }
  if (error instanceof SyntaxError) return { kind: 'stream', detail: `malformed event (${error.message})` };
  if (error instanceof Error && /^(exception parsing stream chunk|Incomplete JSON segment)/.test(error.message)) {
    return { kind: 'stream', detail: 'malformed event' };
  }
  return null;
}
