import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ProviderAbortedError,
  ProviderAuthError,
  ProviderError,
  ProviderHttpError,
  ProviderNetworkError,
  ProviderStreamError,
  ProviderTimeoutError
} from '../../src-main/core/providers/errors';
import type { CloudChatRequest, CloudClient, ProviderKind } from '../../src-main/core/providers/CloudClient';
import { DEFAULT_BASE_URLS } from '../../src-main/core/providers/CloudClient';
import { createCloudClient } from '../../src-main/core/providers/createCloudClient';
import { parseRetryAfter, toFinishReason } from '../../src-main/core/providers/failures';
import { MissingApiKeyError } from '../../src-main/core/providers/MissingApiKeyError';
import { InsecureKeyTransportError, InvalidProviderConfigError } from '../../src-main/core/providers/errors';
import { useTempDir } from '../support/tempDir';
import { useCloudFixture } from './support';
import { closedPortUrl, fakeTokenCount, splitChunks, startFakeProvider, type FakeProvider, type FakeWire } from '../support/fakeProviders';

const KEY = 'sk-fake-SECRET-4c1d9e2b7a';
const CHUNK = 4;

const CASES: { wire: FakeWire; kind: ProviderKind; model: string }[] = [
  { wire: 'openai', kind: 'openai', model: 'gpt-fake-1' },
  { wire: 'openai', kind: 'openrouter', model: 'vendor/model-fake' },
  { wire: 'openai', kind: 'groq', model: 'llama-fake' },
  { wire: 'openai', kind: 'mistral', model: 'mistral-fake' },
  { wire: 'openai', kind: 'openai-compatible', model: 'local-fake' },
  { wire: 'anthropic', kind: 'anthropic', model: 'claude-fake-1' },
  { wire: 'gemini', kind: 'gemini', model: 'gemini-fake-1' }
];

const conversation: CloudChatRequest['messages'] = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Hello there' },
  { role: 'assistant', content: 'Hi.' },
  { role: 'user', content: 'Tell me about otters please' }
];
const expectedReply = 'You said: Tell me about otters please';

/** Awaits a rejection and checks what every provider error must satisfy. */
async function rejection<T extends ProviderError>(
  promise: Promise<unknown>,
  type: abstract new (...args: any[]) => T,
  key = KEY
): Promise<T> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(type);
  const e = error as T;
  expect(e.message).not.toContain(key);
  expect(String(e.stack)).not.toContain(key);
  expect(e.provider).toBe('Fake');
  return e;
}

describe.each(CASES)('$kind over the $wire wire', ({ wire, kind, model }) => {
  let fake: FakeProvider;
  let client: CloudClient;
  const request = (overrides: Partial<CloudChatRequest> = {}): CloudChatRequest => ({ model, messages: conversation, ...overrides });

  beforeAll(async () => {
    fake = await startFakeProvider({ wire, apiKey: KEY, chunkSize: CHUNK });
    client = createCloudClient({ name: 'Fake', kind, baseUrl: fake.baseUrl }, KEY);
  });
  afterEach(() => {
    fake.fault(null);
    fake.requests.length = 0;
  });
  afterAll(() => fake.close());

  it('streams the reply in small chunks and reports the usage the provider sent', async () => {
    const chunks: string[] = [];
    const result = await client.chat(request({ temperature: 0.3, topP: 0.9, maxTokens: 200 }), {
      timeoutMs: 5000,
      onTextChunk: (c) => chunks.push(c)
    });
    expect(result.text).toBe(expectedReply);
    expect(chunks).toEqual(splitChunks(expectedReply, CHUNK));
    expect(chunks.length).toBeGreaterThan(5);
    expect(result.finishReason).toBe('stop');
    const promptText = conversation.map((m) => m.content).join('\n');
    expect(result.usage).toEqual({ promptTokens: fakeTokenCount(promptText), completionTokens: fakeTokenCount(expectedReply) });
    expect(fake.requests).toHaveLength(1);
  });

  it('sends the key, the model, the messages and the sampling settings in the provider’s own shape', async () => {
    await client.chat(request({ temperature: 0.3, topP: 0.9, maxTokens: 200, stop: ['END'] }), { timeoutMs: 5000 });
    const [sent] = fake.requests;
    expect(sent.method).toBe('POST');
    if (wire === 'openai') {
      expect(sent.path).toBe('/v1/chat/completions');
      expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(sent.body).toMatchObject({
        model,
        messages: conversation,
        temperature: 0.3,
        top_p: 0.9,
        stop: ['END'],
        stream: true,
        stream_options: { include_usage: true }
      });
      // OpenAI's newer models only take max_completion_tokens; the others only know max_tokens.
      if (kind === 'openai') {
        expect(sent.body.max_completion_tokens).toBe(200);
        expect(sent.body.max_tokens).toBeUndefined();
      } else {
        expect(sent.body.max_tokens).toBe(200);
        expect(sent.body.max_completion_tokens).toBeUndefined();
      }
    } else if (wire === 'anthropic') {
      expect(sent.path).toBe('/v1/messages');
      expect(sent.headers['x-api-key'] ?? sent.headers.authorization?.replace(/^Bearer /, '')).toBe(KEY);
      expect(sent.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(sent.body).toMatchObject({ model, system: 'You are terse.', max_tokens: 200, stop_sequences: ['END'], stream: true });
      expect(sent.body.messages).toEqual(conversation.slice(1));
      // API version 2026-10-21 has no sampling parameters.
      expect(sent.body.temperature).toBeUndefined();
    } else {
      expect(sent.path).toBe(`/v1beta/models/${model}:streamGenerateContent?alt=sse`);
      expect(sent.headers['x-goog-api-key']).toBe(KEY);
      expect(sent.path).not.toContain(KEY);
      expect(sent.body.systemInstruction.parts).toEqual([{ text: 'You are terse.' }]);
      expect(sent.body.contents).toEqual([
        { role: 'user', parts: [{ text: 'Hello there' }] },
        { role: 'model', parts: [{ text: 'Hi.' }] },
        { role: 'user', parts: [{ text: 'Tell me about otters please' }] }
      ]);
      expect(sent.body.generationConfig).toMatchObject({ temperature: 0.3, topP: 0.9, maxOutputTokens: 200, stopSequences: ['END'] });
    }
    expect(sent.rawBody).not.toContain(KEY);
  });

  it('reports a reply cut by the token limit as finishReason length', async () => {
    const result = await client.chat(request({ maxTokens: 2 }), { timeoutMs: 5000 });
    expect(result).toMatchObject({ text: expectedReply.slice(0, 8), finishReason: 'length', usage: { completionTokens: 2 } });
  });

  it('lists the models with one authenticated request', async () => {
    expect(await client.listModels({ timeoutMs: 5000 })).toEqual([
      `${wire === 'openai' ? 'gpt' : wire === 'anthropic' ? 'claude' : 'gemini'}-fake-1`,
      expect.any(String)
    ]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].method).toBe('GET');
  });

  it('maps a wrong key to ProviderAuthError without repeating the key', async () => {
    const wrongKey = 'sk-wrong-SECRET-99f00d';
    const wrong = createCloudClient({ name: 'Fake', kind, baseUrl: fake.baseUrl }, wrongKey);
    const error = await rejection(wrong.chat(request(), { timeoutMs: 5000 }), ProviderAuthError, wrongKey);
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(wire === 'gemini' ? 400 : 401);
    await rejection(wrong.listModels({ timeoutMs: 5000 }), ProviderAuthError, wrongKey);
    expect(fake.requests).toHaveLength(2);
  });

  it('maps an injected 401 to ProviderAuthError', async () => {
    fake.faults({ status: 401 });
    const error = await rejection(client.chat(request(), { timeoutMs: 5000 }), ProviderAuthError);
    expect(error.status).toBe(401);
  });

  it('maps 429 with Retry-After: 2 to a retryable ProviderHttpError, and does not retry itself', async () => {
    fake.fault({ status: 429, retryAfter: '2' });
    const error = await rejection(client.chat(request(), { timeoutMs: 5000 }), ProviderHttpError);
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 2000 });
    expect(fake.requests).toHaveLength(1);
  });

  it('maps 500 to a retryable ProviderHttpError, and does not retry itself', async () => {
    fake.fault({ status: 500 });
    const error = await rejection(client.chat(request(), { timeoutMs: 5000 }), ProviderHttpError);
    expect(error).toMatchObject({ status: 500, retryable: true, retryAfterMs: null });
    expect(error.message).toContain('Injected HTTP 500');
    expect(fake.requests).toHaveLength(1);
    await rejection(client.listModels({ timeoutMs: 5000 }), ProviderHttpError);
    expect(fake.requests).toHaveLength(2);
  });

  it('fails once, then succeeds on the next call', async () => {
    fake.faults({ status: 503, retryAfter: '1' });
    await rejection(client.chat(request(), { timeoutMs: 5000 }), ProviderHttpError);
    expect((await client.chat(request(), { timeoutMs: 5000 })).text).toBe(expectedReply);
    expect(fake.requests).toHaveLength(2);
  });

  it('maps a stream cut mid-way to ProviderStreamError carrying the text streamed so far', async () => {
    fake.fault({ kind: 'cut', afterChunks: 3 });
    const chunks: string[] = [];
    const error = await rejection(client.chat(request(), { timeoutMs: 5000, onTextChunk: (c) => chunks.push(c) }), ProviderStreamError);
    expect(error.partialText).toBe(expectedReply.slice(0, 3 * CHUNK));
    expect(chunks.join('')).toBe(error.partialText);
    expect(error.retryable).toBe(true);
  });

  it('maps a malformed SSE event to ProviderStreamError', async () => {
    fake.fault({ kind: 'malformed' });
    const error = await rejection(client.chat(request(), { timeoutMs: 5000 }), ProviderStreamError);
    expect(error.partialText).toBe(expectedReply.slice(0, 2 * CHUNK));
  });

  it('maps an error event inside the stream to ProviderStreamError', async () => {
    fake.fault({ kind: 'streamError' });
    const error = await rejection(client.chat(request(), { timeoutMs: 5000 }), ProviderStreamError);
    expect(error.partialText).toBe(expectedReply.slice(0, 2 * CHUNK));
    expect(error.message).toMatch(/error|overloaded/i);
  });

  it('gives ProviderTimeoutError when the response does not start in time', async () => {
    fake.fault({ kind: 'slow', delayMs: 3000 });
    const started = Date.now();
    const error = await rejection(client.chat(request(), { timeoutMs: 200 }), ProviderTimeoutError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toMatchObject({ timeoutMs: 200, retryable: true });
    const listStarted = Date.now();
    await rejection(client.listModels({ timeoutMs: 200 }), ProviderTimeoutError);
    expect(Date.now() - listStarted).toBeLessThan(1000);
  });

  it('gives ProviderTimeoutError when the stream goes quiet mid-way', async () => {
    fake.fault({ kind: 'stall', afterChunks: 2, delayMs: 3000 });
    const chunks: string[] = [];
    const started = Date.now();
    await rejection(client.chat(request(), { timeoutMs: 300, onTextChunk: (c) => chunks.push(c) }), ProviderTimeoutError);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(chunks.join('')).toBe(expectedReply.slice(0, 2 * CHUNK));
  });

  it('does not time out a stream that keeps arriving, however long it takes in all', async () => {
    const slowFake = await startFakeProvider({ wire, chunkSize: 2, chunkDelayMs: 40 });
    try {
      const slowClient = createCloudClient({ name: 'Fake', kind, baseUrl: slowFake.baseUrl }, KEY);
      const started = Date.now();
      const result = await slowClient.chat(request(), { timeoutMs: 200 });
      expect(result.text).toBe(expectedReply);
      expect(Date.now() - started).toBeGreaterThan(400);
    } finally {
      await slowFake.close();
    }
  });

  it('maps the caller’s abort to ProviderAbortedError with the partial text', async () => {
    const controller = new AbortController();
    const chunks: string[] = [];
    const onTextChunk = (c: string) => {
      chunks.push(c);
      if (chunks.length === 2) controller.abort();
    };
    const error = await rejection(
      client.chat(request(), { timeoutMs: 5000, signal: controller.signal, onTextChunk }),
      ProviderAbortedError
    );
    expect(error.partialText).toBe(expectedReply.slice(0, 2 * CHUNK));
    expect(error.retryable).toBe(false);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const error = await rejection(client.chat(request(), { timeoutMs: 5000, signal: AbortSignal.abort() }), ProviderAbortedError);
    expect(error.partialText).toBe('');
    await rejection(client.listModels({ timeoutMs: 5000, signal: AbortSignal.abort() }), ProviderAbortedError);
    expect(fake.requests).toHaveLength(0);
  });

  it('maps a refused connection to ProviderNetworkError', async () => {
    const root = await closedPortUrl();
    const offline = createCloudClient({ name: 'Fake', kind, baseUrl: wire === 'openai' ? `${root}/v1` : root }, KEY);
    const error = await rejection(offline.chat(request(), { timeoutMs: 5000 }), ProviderNetworkError);
    expect(error.message).toMatch(/refused/);
    expect(error.retryable).toBe(true);
    await rejection(offline.listModels({ timeoutMs: 5000 }), ProviderNetworkError);
  });

  it('rethrows an exception from onTextChunk as it is, and stops the stream', async () => {
    const mine = new Error('renderer went away');
    await expect(
      client.chat(request(), {
        timeoutMs: 5000,
        onTextChunk: () => {
          throw mine;
        }
      })
    ).rejects.toBe(mine);
  });

  if (kind === 'openai-compatible') {
    it('talks to a keyless local server without an Authorization header', async () => {
      const open = await startFakeProvider({ wire: 'openai' });
      try {
        const keyless = createCloudClient({ name: 'Fake', kind, baseUrl: open.baseUrl }, null);
        expect((await keyless.chat(request(), { timeoutMs: 5000 })).text).toBe(expectedReply);
        expect(await keyless.listModels({ timeoutMs: 5000 })).toEqual(['gpt-fake-1', 'gpt-fake-2']);
        expect(open.requests.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
      } finally {
        await open.close();
      }
    });
  } else {
    it('refuses to run without a key, sending nothing', async () => {
      const keyless = createCloudClient({ name: 'Fake', kind, baseUrl: fake.baseUrl }, null);
      const error = await rejection(keyless.chat(request(), { timeoutMs: 5000 }), MissingApiKeyError);
      expect(error).toBeInstanceOf(ProviderAuthError);
      expect(error.message).toMatch(/No API key/);
      await rejection(keyless.listModels({ timeoutMs: 5000 }), MissingApiKeyError);
      expect(fake.requests).toHaveLength(0);
    });
  }
});

describe('provider specifics', () => {
  const servers: FakeProvider[] = [];
  const start = async (...args: Parameters<typeof startFakeProvider>) => {
    const fake = await startFakeProvider(...args);
    servers.push(fake);
    return fake;
  };
  afterAll(() => Promise.all(servers.map((s) => s.close())));
  const hello: CloudChatRequest = { model: 'm', messages: [{ role: 'user', content: 'Hello' }] };

  it('reads retry-after-ms and an HTTP-date Retry-After from OpenAI-style answers', async () => {
    const fake = await start({ wire: 'openai' });
    const client = createCloudClient({ name: 'Fake', kind: 'openai', baseUrl: fake.baseUrl }, KEY);
    fake.faults(
      { status: 429, retryAfterMs: '1500', retryAfter: '9' },
      { status: 503, retryAfter: new Date(Date.now() + 30_000).toUTCString() }
    );
    expect(await rejection(client.chat(hello, { timeoutMs: 5000 }), ProviderHttpError)).toMatchObject({ retryAfterMs: 1500 });
    const dated = await rejection(client.chat(hello, { timeoutMs: 5000 }), ProviderHttpError);
    expect(dated.retryAfterMs).toBeGreaterThan(25_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('reads Gemini’s RetryInfo from the error body when there is no Retry-After header', async () => {
    const fake = await start({ wire: 'gemini' });
    const client = createCloudClient({ name: 'Fake', kind: 'gemini', baseUrl: fake.baseUrl }, KEY);
    const body = JSON.stringify({
      error: {
        code: 429,
        message: 'Resource has been exhausted (e.g. check quota).',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '17s' }]
      }
    });
    fake.faults({ status: 429, body });
    const error = await rejection(client.chat(hello, { timeoutMs: 5000 }), ProviderHttpError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 17_000 });
    expect(error.message).toContain('Resource has been exhausted');
  });

  it('answers Gemini’s missing key (403) with ProviderAuthError too', async () => {
    const fake = await start({ wire: 'gemini', apiKey: KEY });
    const client = createCloudClient({ name: 'Fake', kind: 'gemini', baseUrl: fake.baseUrl }, KEY);
    fake.faults({ status: 403 });
    expect(await rejection(client.listModels({ timeoutMs: 5000 }), ProviderAuthError)).toMatchObject({ status: 403 });
  });

  it('sends Anthropic the default max_tokens when the request names none, and maps max_tokens to length', async () => {
    const fake = await start({ wire: 'anthropic', reply: () => 'x'.repeat(40) });
    const client = createCloudClient({ name: 'Fake', kind: 'anthropic', baseUrl: fake.baseUrl }, KEY);
    await client.chat(hello, { timeoutMs: 5000 });
    expect(fake.requests[0].body.max_tokens).toBe(4096);
    expect(fake.requests[0].body.system).toBeUndefined();
    expect(await client.chat({ ...hello, maxTokens: 3 }, { timeoutMs: 5000 })).toMatchObject({
      finishReason: 'length',
      text: 'x'.repeat(12)
    });
  });

  it('reports usage as null when an OpenAI-compatible server streams none', async () => {
    const fake = await start({ wire: 'openai', usage: null });
    const client = createCloudClient({ name: 'Fake', kind: 'openai-compatible', baseUrl: fake.baseUrl }, null);
    expect(await client.chat(hello, { timeoutMs: 5000 })).toEqual({ text: 'You said: Hello', finishReason: 'stop', usage: null });
  });

  it('reports the usage numbers the provider sent, not its own count', async () => {
    for (const wire of ['openai', 'anthropic', 'gemini'] as const) {
      const fake = await start({ wire, usage: { promptTokens: 1234, completionTokens: 56 } });
      const kind = wire === 'openai' ? 'openai' : wire;
      const client = createCloudClient({ name: 'Fake', kind, baseUrl: fake.baseUrl }, KEY);
      expect((await client.chat(hello, { timeoutMs: 5000 })).usage).toEqual({ promptTokens: 1234, completionTokens: 56 });
    }
  });
});

describe('createCloudClient', () => {
  it('knows each kind’s default endpoint and needs one for openai-compatible', () => {
    // A literal copy on purpose: these are the hosts prompts are sent to, so changing one takes a second, deliberate edit here.
    expect(DEFAULT_BASE_URLS).toEqual({
      openai: 'https://api.openai.com/v1',
      openrouter: 'https://openrouter.ai/api/v1',
      groq: 'https://api.groq.com/openai/v1',
      mistral: 'https://api.mistral.ai/v1',
      anthropic: 'https://api.anthropic.com',
      gemini: 'https://generativelanguage.googleapis.com',
      'openai-compatible': null
    });
    expect(() => createCloudClient({ name: 'Local', kind: 'openai-compatible', baseUrl: null }, null)).toThrow(InvalidProviderConfigError);
    expect(() => createCloudClient({ name: 'Local', kind: 'openai-compatible', baseUrl: '  ' }, null)).toThrow(/needs a base URL/);
    expect(() => createCloudClient({ name: 'Local', kind: 'openai-compatible', baseUrl: 'localhost:11434' }, null)).toThrow(
      InvalidProviderConfigError
    );
    expect(() => createCloudClient({ name: 'Local', kind: 'openai-compatible', baseUrl: 'ftp://x/v1' }, null)).toThrow(/http/);
    for (const kind of ['openai', 'anthropic', 'gemini', 'openrouter', 'groq', 'mistral'] as const) {
      expect(createCloudClient({ name: kind, kind, baseUrl: null }, KEY)).toBeDefined();
    }
  });

  it('accepts a base URL with a trailing slash', async () => {
    const fake = await startFakeProvider({ wire: 'openai', apiKey: KEY });
    try {
      const client = createCloudClient({ name: 'Fake', kind: 'openai', baseUrl: `${fake.baseUrl}/` }, KEY);
      expect(await client.listModels({ timeoutMs: 5000 })).toEqual(['gpt-fake-1', 'gpt-fake-2']);
      expect(fake.requests[0].path).toBe('/v1/models');
    } finally {
      await fake.close();
    }
  });
});

describe('API keys over https only, except to this machine', () => {
  const cloudFixture = useCloudFixture(useTempDir('enclave-https-'));
  const REMOTE_HTTP = [
    'http://api.example.com/v1',
    'http://192.168.1.10:8080/v1',
    'http://[fe80::1]/v1',
    'http://127.0.0.1.example.com/v1',
    'http://localhost.example.com/v1',
    'http://[::ffff:7f00:1]/v1'
  ];

  it('refuses to build a client that would send a key over http to another host, and says to use https', () => {
    for (const baseUrl of REMOTE_HTTP) {
      let error: unknown = null;
      try {
        createCloudClient({ name: 'Remote', kind: 'openai-compatible', baseUrl }, KEY);
      } catch (caught) {
        error = caught;
      }
      expect(error, baseUrl).toBeInstanceOf(InsecureKeyTransportError);
      expect((error as InsecureKeyTransportError).code).toBe('INSECURE_KEY_TRANSPORT');
      expect((error as Error).message).toContain('https://');
      expect((error as Error).message).not.toContain(KEY);
      // Without a key, or over https, the same host is fine.
      expect(createCloudClient({ name: 'Remote', kind: 'openai-compatible', baseUrl }, null)).toBeDefined();
      expect(
        createCloudClient({ name: 'Remote', kind: 'openai-compatible', baseUrl: baseUrl.replace('http:', 'https:') }, KEY)
      ).toBeDefined();
    }
    for (const baseUrl of [
      'http://localhost:11434/v1',
      'http://LOCALHOST/v1',
      'http://127.0.0.1/v1',
      'http://127.12.0.1/v1',
      'http://[::1]:8080/v1'
    ])
      expect(createCloudClient({ name: 'Local', kind: 'openai-compatible', baseUrl }, KEY), baseUrl).toBeDefined();
  });

  it('sends the key over http to a loopback server', async () => {
    const fake = await startFakeProvider({ wire: 'openai', apiKey: KEY });
    try {
      expect(fake.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
      const client = createCloudClient({ name: 'Fake', kind: 'openai-compatible', baseUrl: fake.baseUrl }, KEY);
      expect(await client.listModels({ timeoutMs: 5000 })).toEqual(['gpt-fake-1', 'gpt-fake-2']);
      expect(fake.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    } finally {
      await fake.close();
    }
  });

  it('adds an http provider on another host, but stores no key for it', async () => {
    const { enclave } = await cloudFixture();
    await enclave.cloud.addProvider({ name: 'lan', kind: 'openai-compatible', baseUrl: 'http://192.168.1.10:8080/v1' });
    const error = await enclave.cloud.setKey('lan', 'sk-lan-key-0123456789abcdef').then(
      () => null,
      (caught: unknown) => caught
    );
    expect(error).toBeInstanceOf(InsecureKeyTransportError);
    expect((await enclave.cloud.getProvider('lan')).key).toEqual({ set: false, last4: null });
    await enclave.cloud.addProvider({ name: 'local', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' });
    expect((await enclave.cloud.setKey('local', 'sk-local-key-0123456789abcdef')).key).toEqual({ set: true, last4: 'cdef' });
  });
});

describe('failure helpers', () => {
  it('parses Retry-After as seconds, an HTTP-date, or retry-after-ms', () => {
    const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(parseRetryAfter(headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(parseRetryAfter(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }), now)).toBe(7000);
    expect(parseRetryAfter(headers({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(parseRetryAfter(headers({}), now)).toBeNull();
  });

  it('maps the providers’ finish reasons', () => {
    expect(['stop', 'end_turn', 'STOP', 'stop_sequence'].map(toFinishReason)).toEqual(['stop', 'stop', 'stop', 'stop']);
    expect(['length', 'max_tokens', 'MAX_TOKENS'].map(toFinishReason)).toEqual(['length', 'length', 'length']);
    expect(['content_filter', 'SAFETY', 'tool_use', null, undefined].map(toFinishReason)).toEqual([
      'other',
      'other',
      'other',
      'other',
      'other'
    ]);
  });
});
