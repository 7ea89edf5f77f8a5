// Fake cloud providers: real HTTP servers on 127.0.0.1 speaking OpenAI's, Anthropic's and Gemini's
// wire formats (SSE streams, error bodies, model lists), with injectable faults.

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeWire = 'openai' | 'anthropic' | 'gemini';

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1beta/models/gemini-x:streamGenerateContent?alt=sse`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; null when there was none or it was not JSON. */
  body: any;
  rawBody: string;
}

/**
 * Applies to one response. Stream faults count `afterChunks` text chunks (default 2). On a
 * non-streaming response: cut sends half the body, malformed sends truncated JSON, stall waits
 * after the headers, streamError answers 500.
 */
export type Fault =
  | { status: number; retryAfter?: string; retryAfterMs?: string; body?: string }
  | { kind: 'cut'; afterChunks?: number }
  | { kind: 'malformed'; afterChunks?: number }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'stall'; afterChunks?: number; delayMs: number }
  | { kind: 'streamError'; afterChunks?: number };

export interface FakeProviderOptions {
  wire: FakeWire;
  /** The reply text; default `You said: <last user message>`. */
  reply?: (request: RecordedRequest) => string;
  models?: string[];
  /** When set, requests must carry this key (a wrong or missing key gets the provider's auth error). */
  apiKey?: string;
  /**
   * Overrides the reported usage (default: fakeTokenCount of the prompt text and of the reply).
   * null: an OpenAI-compatible server that ignores stream_options and streams no usage.
   */
  usage?: { promptTokens?: number; completionTokens?: number } | null;
  /** Characters per streamed text chunk (default 4, so words are split). */
  chunkSize?: number;
  /** Pause between streamed events (default 2 ms). */
  chunkDelayMs?: number;
}

export interface FakeProvider {
  wire: FakeWire;
  /** What to put in ProviderConfig.baseUrl: `.../v1` for openai, the server root for anthropic and gemini. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Applies `f` to every later request (null: none) and drops any queued faults. */
  fault(f: Fault | null): void;
  /** Queues one-shot faults for the next requests, ahead of the standing one: `faults({ status: 500 })` = fail once, then succeed. */
  faults(...f: Fault[]): void;
  close(): Promise<void>;
}

/** The fake's token count: a quarter of the characters, rounded up. */
export const fakeTokenCount = (text: string): number => Math.ceil(text.length / 4);

export function splitChunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

interface ChatCall {
  model: string;
  promptText: string;
  lastUser: string;
  maxTokens: number | null;
  stream: boolean;
  includeUsage: boolean;
}

interface Outcome {
  call: ChatCall;
  text: string;
  finish: 'stop' | 'length';
  promptTokens: number;
  completionTokens: number;
}

const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE'
};
const ANTHROPIC_TYPE: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  529: 'overloaded_error'
};

const textOf = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((p: { text?: unknown }) => (typeof p?.text === 'string' ? p.text : '')).join('')
      : '';

/** One wire format: how to route, authenticate, parse and answer. */
interface Wire {
  route(method: string, url: URL): 'chat' | 'models' | null;
  auth(req: RecordedRequest, url: URL, apiKey: string): { status: number; body: object } | null;
  parseChat(body: any, url: URL): ChatCall;
  errorBody(status: number, message: string, retryAfter?: string): object;
  /** Stream events: before the text, one per text chunk, after the text. */
  stream(o: Outcome, chunks: string[]): { head: string[]; text: string[]; tail: string[] };
  streamError(): string;
  malformed(): string;
  json(o: Outcome): object;
  models(ids: string[]): object;
}

const sse = (data: unknown, event?: string) =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

const openaiWire: Wire = {
  route: (method, url) =>
    method === 'POST' && url.pathname === '/v1/chat/completions'
      ? 'chat'
      : method === 'GET' && url.pathname === '/v1/models'
        ? 'models'
        : null,
  auth(req, _url, apiKey) {
    const given = /^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1];
    if (given === apiKey) return null;
    // Like OpenAI, the message quotes the key it was given (OpenAI masks it; clients must not rely on that).
    const message = given ? `Incorrect API key provided: ${given}.` : "You didn't provide an API key.";
    return { status: 401, body: { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } } };
  },
  parseChat: (body) => ({
    model: body.model,
    promptText: (body.messages ?? []).map((m: { content: unknown }) => textOf(m.content)).join('\n'),
    lastUser: textOf([...(body.messages ?? [])].reverse().find((m: { role: string }) => m.role === 'user')?.content),
    maxTokens: body.max_completion_tokens ?? body.max_tokens ?? null,
    stream: body.stream === true,
    includeUsage: body.stream_options?.include_usage === true
  }),
  errorBody: (status, message) => ({
    error: { message, type: status === 429 ? 'rate_limit_exceeded' : 'server_error', param: null, code: null }
  }),
  stream(o, chunks) {
    const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model: o.call.model };
    const usage = o.call.includeUsage ? { usage: null } : {};
    const chunk = (delta: object, finish: string | null) =>
      sse({ ...base, choices: [{ index: 0, delta, finish_reason: finish }], ...usage });
    const tail = [chunk({}, o.finish)];
    if (o.call.includeUsage) {
      const u = { prompt_tokens: o.promptTokens, completion_tokens: o.completionTokens, total_tokens: o.promptTokens + o.completionTokens };
      tail.push(sse({ ...base, choices: [], usage: u }));
    }
    tail.push(sse('[DONE]'));
    return { head: [chunk({ role: 'assistant', content: '' }, null)], text: chunks.map((c) => chunk({ content: c }, null)), tail };
  },
  streamError: () => sse({ error: { message: 'The server had an error while processing your request.', type: 'server_error' } }),
  malformed: () => 'data: {"id":"chatcmpl-fake","choices":[{"delta":{"content":"oops"\n\n',
  json: (o) => ({
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: o.call.model,
    choices: [{ index: 0, message: { role: 'assistant', content: o.text }, finish_reason: o.finish }],
    usage: { prompt_tokens: o.promptTokens, completion_tokens: o.completionTokens, total_tokens: o.promptTokens + o.completionTokens }
  }),
  models: (ids) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) })
};

const anthropicWire: Wire = {
  route: (method, url) =>
    method === 'POST' && url.pathname === '/v1/messages' ? 'chat' : method === 'GET' && url.pathname === '/v1/models' ? 'models' : null,
  auth(req, _url, apiKey) {
    if (!req.headers['anthropic-version'])
      return { status: 400, body: anthropicWire.errorBody(400, 'anthropic-version: header is required') };
    // API version 2023-06-01 takes `x-api-key`; 2026-10-21 (SDK 1.x) sends `Authorization: Bearer`.
    const given = req.headers['x-api-key'] ?? /^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1];
    return given === apiKey ? null : { status: 401, body: anthropicWire.errorBody(401, 'invalid x-api-key') };
  },
  parseChat: (body) => ({
    model: body.model,
    promptText: [textOf(body.system), ...(body.messages ?? []).map((m: { content: unknown }) => textOf(m.content))]
      .filter((t) => t)
      .join('\n'),
    lastUser: textOf([...(body.messages ?? [])].reverse().find((m: { role: string }) => m.role === 'user')?.content),
    maxTokens: body.max_tokens ?? null,
    stream: body.stream === true,
    includeUsage: true
  }),
  errorBody: (status, message) => ({
    type: 'error',
    error: { type: ANTHROPIC_TYPE[status] ?? 'api_error', message },
    request_id: 'req_fake'
  }),
  stream(o, chunks) {
    const message = {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: o.call.model,
      content: [],
      stop_reason: null,
      stop_sequence: null
    };
    const usage = { input_tokens: o.promptTokens, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    return {
      head: [
        sse({ type: 'message_start', message: { ...message, usage } }, 'message_start'),
        sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start'),
        sse({ type: 'ping' }, 'ping')
      ],
      text: chunks.map((c) =>
        sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: c } }, 'content_block_delta')
      ),
      tail: [
        sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
        sse(
          {
            type: 'message_delta',
            delta: { stop_reason: o.finish === 'stop' ? 'end_turn' : 'max_tokens', stop_sequence: null },
            usage: { output_tokens: o.completionTokens }
          },
          'message_delta'
        ),
        sse({ type: 'message_stop' }, 'message_stop')
      ]
    };
  },
  streamError: () => sse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'error'),
  malformed: () => 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_d\n\n',
  json: (o) => ({
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model: o.call.model,
    content: [{ type: 'text', text: o.text }],
    stop_reason: o.finish === 'stop' ? 'end_turn' : 'max_tokens',
    stop_sequence: null,
    usage: { input_tokens: o.promptTokens, output_tokens: o.completionTokens }
  }),
  models: (ids) => ({
    data: ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' })),
    has_more: false,
    first_id: ids[0] ?? null,
    last_id: ids.at(-1) ?? null
  })
};

const GEMINI_CHAT = /^\/v1beta\/models\/([^/:]+):(streamGenerateContent|generateContent)$/;

const geminiWire: Wire = {
  route: (method, url) =>
    method === 'POST' && GEMINI_CHAT.test(url.pathname) ? 'chat' : method === 'GET' && url.pathname === '/v1beta/models' ? 'models' : null,
  auth(req, url, apiKey) {
    const given = req.headers['x-goog-api-key'] ?? url.searchParams.get('key');
    if (given === apiKey) return null;
    if (!given)
      return {
        status: 403,
        body: geminiWire.errorBody(403, "Method doesn't allow unregistered callers (callers without established identity).")
      };
    // The real API answers a wrong key with 400, not 401.
    const body = geminiWire.errorBody(400, 'API key not valid. Please pass a valid API key.') as { error: { details: object[] } };
    body.error.details = [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }];
    return { status: 400, body };
  },
  parseChat: (body, url) => ({
    model: GEMINI_CHAT.exec(url.pathname)?.[1] ?? '',
    promptText: [textOf(body.systemInstruction?.parts), ...(body.contents ?? []).map((c: { parts: unknown }) => textOf(c.parts))]
      .filter((t) => t)
      .join('\n'),
    lastUser: textOf([...(body.contents ?? [])].reverse().find((c: { role?: string }) => (c.role ?? 'user') === 'user')?.parts),
    maxTokens: body.generationConfig?.maxOutputTokens ?? null,
    stream: url.pathname.endsWith(':streamGenerateContent'),
    includeUsage: true
  }),
  errorBody: (status, message, retryAfter) => ({
    error: {
      code: status,
      message,
      status: GOOGLE_STATUS[status] ?? 'UNKNOWN',
      ...(retryAfter && /^\d+$/.test(retryAfter)
        ? { details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfter}s` }] }
        : {})
    }
  }),
  stream(o, chunks) {
    const pieces = chunks.length ? chunks : [''];
    const text = pieces.map((c, i) => {
      const last = i === pieces.length - 1;
      const candidate = {
        content: { parts: [{ text: c }], role: 'model' },
        index: 0,
        ...(last ? { finishReason: o.finish === 'stop' ? 'STOP' : 'MAX_TOKENS' } : {})
      };
      const usageMetadata = last
        ? {
            promptTokenCount: o.promptTokens,
            candidatesTokenCount: o.completionTokens,
            totalTokenCount: o.promptTokens + o.completionTokens
          }
        : { promptTokenCount: o.promptTokens, totalTokenCount: o.promptTokens };
      // Gemini separates events with CRLF.
      return `data: ${JSON.stringify({ candidates: [candidate], usageMetadata, modelVersion: o.call.model })}\r\n\r\n`;
    });
    return { head: [], text, tail: [] };
  },
  streamError: () => sse({ error: { code: 500, message: 'An internal error has occurred.', status: 'INTERNAL' } }),
  malformed: () => 'data: {"candidates": [{"content": {"parts": [{"text": "oo\r\n\r\n',
  json: (o) => ({
    candidates: [
      { content: { parts: [{ text: o.text }], role: 'model' }, finishReason: o.finish === 'stop' ? 'STOP' : 'MAX_TOKENS', index: 0 }
    ],
    usageMetadata: {
      promptTokenCount: o.promptTokens,
      candidatesTokenCount: o.completionTokens,
      totalTokenCount: o.promptTokens + o.completionTokens
    },
    modelVersion: o.call.model
  }),
  models: (ids) => ({
    models: ids.map((id) => ({ name: `models/${id}`, displayName: id, supportedGenerationMethods: ['generateContent', 'countTokens'] }))
  })
};

const WIRES: Record<FakeWire, Wire> = { openai: openaiWire, anthropic: anthropicWire, gemini: geminiWire };
const DEFAULT_MODELS: Record<FakeWire, string[]> = {
  openai: ['gpt-fake-1', 'gpt-fake-2'],
  anthropic: ['claude-fake-1', 'claude-fake-2'],
  gemini: ['gemini-fake-1', 'gemini-fake-2']
};

export async function startFakeProvider(options: FakeProviderOptions): Promise<FakeProvider> {
  const wire = WIRES[options.wire];
  const chunkSize = options.chunkSize ?? 4;
  const chunkDelayMs = options.chunkDelayMs ?? 2;
  const requests: RecordedRequest[] = [];
  const queued: Fault[] = [];
  let standing: Fault | null = null;
  let closed = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => (timers.delete(t), resolve()), ms);
      timers.add(t);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: any = null;
    try {
      body = rawBody ? JSON.parse(rawBody) : null;
    } catch {
      body = null;
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body, rawBody };
    requests.push(recorded);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const gone = () => closed || res.destroyed;
    const sendJson = (status: number, payload: object, headers: Record<string, string> = {}) => {
      if (!gone()) res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
    };

    const route = wire.route(recorded.method, url);
    if (!route) return sendJson(404, wire.errorBody(404, `No route for ${recorded.method} ${url.pathname}`));
    const fault = queued.shift() ?? standing;
    if (fault && 'kind' in fault && fault.kind === 'slow') await sleep(fault.delayMs);
    if (gone()) return;
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = fault.retryAfterMs;
      if (fault.body !== undefined) {
        res.writeHead(fault.status, { 'content-type': 'application/json', ...headers }).end(fault.body);
        return;
      }
      return sendJson(fault.status, wire.errorBody(fault.status, `Injected HTTP ${fault.status}`, fault.retryAfter), headers);
    }
    if (options.apiKey !== undefined) {
      const denied = wire.auth(recorded, url, options.apiKey);
      if (denied) return sendJson(denied.status, denied.body);
    }
    const streamFault = fault && 'kind' in fault && fault.kind !== 'slow' ? fault : null;

    let payload: object;
    let call: ChatCall | null = null;
    let outcome: Outcome | null = null;
    if (route === 'models') payload = wire.models(options.models ?? DEFAULT_MODELS[options.wire]);
    else {
      call = wire.parseChat(body ?? {}, url);
      if (options.usage === null) call.includeUsage = false;
      let text = options.reply ? options.reply(recorded) : `You said: ${call.lastUser}`;
      let finish: Outcome['finish'] = 'stop';
      if (call.maxTokens !== null && fakeTokenCount(text) > call.maxTokens) {
        text = text.slice(0, call.maxTokens * 4);
        finish = 'length';
      }
      outcome = {
        call,
        text,
        finish,
        promptTokens: options.usage?.promptTokens ?? fakeTokenCount(call.promptText),
        completionTokens: options.usage?.completionTokens ?? fakeTokenCount(text)
      };
      payload = wire.json(outcome);
    }

    if (!call?.stream || !outcome) {
      if (streamFault?.kind === 'streamError') return sendJson(500, wire.errorBody(500, 'Injected error'));
      const text = JSON.stringify(payload);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      if (streamFault?.kind === 'stall') await sleep(streamFault.delayMs);
      if (gone()) return;
      if (streamFault?.kind === 'cut') return void res.write(text.slice(0, text.length / 2), () => res.destroy());
      res.end(streamFault?.kind === 'malformed' ? text.slice(0, -3) : text);
      return;
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    const { head, text, tail } = wire.stream(outcome, splitChunks(outcome.text, chunkSize));
    const faultAt = streamFault ? (streamFault.afterChunks ?? 2) : -1;
    const write = async (event: string) => {
      if (gone()) return false;
      await new Promise<void>((resolve) => res.write(event, () => resolve()));
      if (chunkDelayMs) await sleep(chunkDelayMs);
      return !gone();
    };
    for (const event of head) if (!(await write(event))) return;
    for (let i = 0; i <= text.length; i++) {
      if (i === faultAt && streamFault) {
        if (streamFault.kind === 'cut') return void res.destroy();
        if (streamFault.kind === 'stall') await sleep(streamFault.delayMs);
        else {
          await write(streamFault.kind === 'malformed' ? wire.malformed() : wire.streamError());
          if (!gone()) res.end();
          return;
        }
      }
      if (i < text.length && !(await write(text[i]))) return;
    }
    for (const event of tail) if (!(await write(event))) return;
    if (!gone()) res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) res.writeHead(500).end(String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const root = `http://127.0.0.1:${port}`;

  return {
    wire: options.wire,
    baseUrl: options.wire === 'openai' ? `${root}/v1` : root,
    requests,
    fault(f) {
      standing = f;
      queued.length = 0;
    },
    faults(...f) {
      queued.push(...f);
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}

/** A URL on 127.0.0.1 where nothing listens (connection refused). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
