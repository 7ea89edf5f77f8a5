import fc from 'fast-check';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, rawRequest, sseEvents, startTestApi, waitFor, type TestApi } from './support';

describe('the API under load and abuse', () => {
  let api: TestApi;
  let model: string;
  let client: OpenAI;
  const queueLength = () => api.enclave.engine.loadedModel!.queueLength;

  beforeAll(async () => {
    // A context of 2048 lets one reply run ~2 s on this model: long enough to interrupt.
    api = await startTestApi({ contextSize: 2048 });
    model = api.modelId!;
    client = new OpenAI({ baseURL: api.baseURL, apiKey: api.token, maxRetries: 0 });
  });
  afterAll(async () => {
    expect(api?.errors).toEqual([]);
    await api?.close();
  });

  const post = (path: string, body: string | Buffer) =>
    rawRequest({ port: api.server.port, method: 'POST', path, headers: authHeaders(api), body });

  describe('fuzzed request bodies: always a 200 or a 4xx JSON error, never a 5xx or a dead server', () => {
    const junk = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.string({ unit: 'binary' }),
      fc.constantFrom(
        1e308,
        -1e308,
        Number.MAX_SAFE_INTEGER + 2,
        -1,
        0,
        0.5,
        2 ** 53,
        '',
        '\u0000',
        '\ud800',
        '💥'.repeat(50),
        [],
        {},
        null,
        true
      )
    );
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
    const schema = fc.oneof(
      fc.constantFrom(
        { type: 'object', properties: { a: { enum: ['x', 'y'] }, b: { type: 'boolean' } } },
        { type: 'array', items: { type: 'boolean' }, maxItems: 2 },
        { anyOf: [{ type: 'null' }, { const: 'z' }] },
        { type: 'string', maxLength: 10_000_000 },
        { $ref: '#/$defs/missing' },
        { type: 'object', properties: { a: { type: 'string', pattern: 'x' } } }
      ),
      fc.jsonValue({ maxDepth: 3 })
    );
    const message = fc.oneof(
      { weight: 6, arbitrary: fc.record({ role: fc.constantFrom('system', 'user', 'developer'), content: text }) },
      {
        weight: 1,
        arbitrary: fc.record({
          role: fc.constant('user'),
          content: fc.array(fc.record({ type: fc.constantFrom('text', 'image_url'), text }), { maxLength: 2 })
        })
      },
      {
        weight: 1,
        arbitrary: fc.record({
          role: fc.constantFrom('assistant', 'tool'),
          content: text,
          tool_call_id: fc.constantFrom('a', 'b'),
          tool_calls: fc.array(
            fc.record({
              id: fc.constantFrom('a', 'b'),
              type: fc.constant('function'),
              function: fc.record({ name: fc.constantFrom('f', 'g'), arguments: fc.constantFrom('{}', '{"a":1}', 'not json') })
            }),
            { maxLength: 2 }
          )
        })
      }
    );
    const sampling = {
      model: fc.constant('MODEL'),
      max_tokens: fc.integer({ min: 1, max: 6 }),
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      top_p: fc.double({ min: 0, max: 1, noNaN: true }),
      seed: fc.integer(),
      stop: fc.oneof(fc.string({ minLength: 1, maxLength: 3 }), fc.array(fc.string({ minLength: 1, maxLength: 3 }), { maxLength: 4 })),
      stream: fc.boolean(),
      stream_options: fc.record({ include_usage: fc.boolean() }),
      frequency_penalty: fc.double({ min: -2, max: 2, noNaN: true })
    };
    const samplingKeys = ['model', 'max_tokens'] as const;
    /** Mostly-valid bodies reach generation; one field swapped for junk, or everything wild, reaches validation. */
    const withMutations = (valid: fc.Arbitrary<Record<string, unknown>>, fields: string[]) =>
      fc.oneof(
        { weight: 2, arbitrary: valid },
        {
          weight: 2,
          arbitrary: fc.tuple(valid, fc.constantFrom(...fields), junk).map(([body, field, value]) => ({ ...body, [field]: value }))
        },
        { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...fields, 'other'), junk) }
      );
    const chatBody = withMutations(
      fc.record(
        {
          ...sampling,
          messages: fc.array(message, { minLength: 1, maxLength: 3 }),
          max_completion_tokens: fc.integer({ min: 1, max: 6 }),
          response_format: fc.oneof(
            fc.record({ type: fc.constantFrom('text', 'json_object') }),
            fc.record({
              type: fc.constant('json_schema'),
              json_schema: fc.record({ name: fc.constant('x'), schema, strict: fc.boolean() })
            })
          ),
          tools: fc.array(
            fc.record({
              type: fc.constant('function'),
              function: fc.record({ name: fc.constantFrom('f', 'g', 'bad name'), parameters: schema }, { requiredKeys: ['name'] })
            }),
            { maxLength: 2 }
          ),
          tool_choice: fc.oneof(
            fc.constantFrom('auto', 'none', 'required'),
            fc.record({ type: fc.constant('function'), function: fc.record({ name: fc.constantFrom('f', 'g', 'h') }) })
          )
        },
        { requiredKeys: [...samplingKeys, 'messages'] }
      ),
      [...Object.keys(sampling), 'messages', 'response_format', 'tools', 'tool_choice', 'n', 'logprobs']
    );
    const completionBody = withMutations(
      fc.record(
        { ...sampling, prompt: fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 1 })) },
        { requiredKeys: [...samplingKeys, 'prompt'] }
      ),
      [...Object.keys(sampling), 'prompt', 'echo', 'suffix', 'best_of']
    );
    const embeddingBody = withMutations(
      fc.record(
        {
          model: fc.constant('MODEL'),
          input: fc.oneof(
            fc.string({ minLength: 1, maxLength: 40 }),
            fc.array(fc.string({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 3 })
          ),
          encoding_format: fc.constantFrom('float', 'base64'),
          dimensions: fc.constantFrom(64, 32)
        },
        { requiredKeys: ['model', 'input'] }
      ),
      ['model', 'input', 'encoding_format', 'dimensions']
    );
    /** The body as sent: usually the JSON of the generated value, sometimes broken bytes. */
    const wire = (body: fc.Arbitrary<Record<string, unknown>>) =>
      fc.oneof(
        { weight: 8, arbitrary: body.map((value) => JSON.stringify(value).replaceAll('"MODEL"', JSON.stringify(model))) },
        { weight: 1, arbitrary: body.map((value) => JSON.stringify(value).slice(0, -3)) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) }
      );

    const fuzz = async (path: string, body: fc.Arbitrary<Record<string, unknown>>) => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(wire(body), async (payload) => {
          const res = await post(path, payload);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 200) {
            if (String(res.headers['content-type']).startsWith('text/event-stream')) expect(sseEvents(res.text).at(-1)).toBe('[DONE]');
            else expect(res.json).toBeTypeOf('object');
            return;
          }
          expect(res.status, res.text).toBeGreaterThanOrEqual(400);
          expect(res.status, res.text).toBeLessThan(500);
          expect(res.json).toMatchObject({ error: { message: expect.any(String), type: expect.any(String) } });
          if (process.env.FUZZ_DEBUG) console.log((res.json as { error: { message: string } }).error.message.slice(0, 100));
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 150), seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20260101 }
      );
      // Still alive, still idle.
      expect((await rawRequest({ port: api.server.port, path: '/v1/models', headers: authHeaders(api) })).status).toBe(200);
      expect(queueLength()).toBe(0);
      // For whoever reads the log: how the runs split between answers and refusals.
      console.info(`${path}: ${JSON.stringify(Object.fromEntries(statuses))}`);
      return statuses;
    };

    it('POST /v1/chat/completions', async () => {
      const statuses = await fuzz('/v1/chat/completions', chatBody);
      // The generators reach both outcomes, not just the validator.
      expect(statuses.get(200)).toBeGreaterThan(8);
      expect(statuses.get(400)).toBeGreaterThan(15);
    });

    it('POST /v1/completions', async () => {
      expect((await fuzz('/v1/completions', completionBody)).get(200)).toBeGreaterThan(15);
    });

    it('POST /v1/embeddings', async () => {
      expect((await fuzz('/v1/embeddings', embeddingBody)).get(200)).toBeGreaterThan(15);
    });
  });

  it('stops the generation when a streaming client disconnects, and serves the next request at once', async () => {
    const controller = new AbortController();
    const response = await fetch(`${api.baseURL}/chat/completions`, {
      method: 'POST',
      headers: authHeaders(api),
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Tell me a long story.' }], max_tokens: 2000, stream: true }),
      signal: controller.signal
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = 0;
    while (received < 5) {
      const { value } = await reader.read();
      received += new TextDecoder()
        .decode(value)
        .split('\n\n')
        .filter((event) => event.startsWith('data: ')).length;
    }
    expect(queueLength()).toBe(1);
    controller.abort();
    await reader.cancel().catch(() => {});
    // 2000 tokens take ~2 s here; an aborted generation frees the model within a few tokens.
    const freedAfter = await waitFor(() => queueLength() === 0, 1000, 'the aborted generation to stop');
    expect(freedAfter).toBeLessThan(500);

    const started = performance.now();
    const next = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 });
    expect(next.usage!.completion_tokens).toBe(4);
    expect(performance.now() - started).toBeLessThan(500);
    expect(queueLength()).toBe(0);
    await waitFor(() => api.log.some((entry) => entry.aborted), 1000, 'the aborted request in the log');
    expect(api.log.find((entry) => entry.aborted)).toMatchObject({ route: '/v1/chat/completions', status: 200, aborted: true });
  });

  it('also stops a non-streaming generation whose client disconnects', async () => {
    const controller = new AbortController();
    const request = fetch(`${api.baseURL}/chat/completions`, {
      method: 'POST',
      headers: authHeaders(api),
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Tell me a long story.' }], max_tokens: 2000 }),
      signal: controller.signal
    }).catch((error: unknown) => error);
    await waitFor(() => queueLength() === 1, 2000, 'the generation to start');
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    expect(await request).toBeInstanceOf(Error);
    expect(await waitFor(() => queueLength() === 0, 1000, 'the aborted generation to stop')).toBeLessThan(500);
  });

  it('serves 8 concurrent streams, each complete with correct usage', async () => {
    const prompt = [{ role: 'user' as const, content: 'Tell me about the sea.' }];
    const reference = await client.chat.completions.create({ model, messages: prompt, max_tokens: 1 });
    const runs = Array.from({ length: 8 }, async (_, i) => {
      const stream = await client.chat.completions.create({
        model,
        messages: prompt,
        max_tokens: 16 + i,
        stream: true,
        stream_options: { include_usage: true }
      });
      let text = '';
      let usage: OpenAI.CompletionUsage | undefined;
      let finish: string | null = null;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        usage = chunk.usage ?? usage;
      }
      return { text, usage: usage!, finish, maxTokens: 16 + i };
    });
    const results = await Promise.all(runs);
    for (const result of results) {
      expect(result.finish).toBe('length');
      expect(result.text.length).toBeGreaterThan(0);
      expect(result.usage).toEqual({
        prompt_tokens: reference.usage!.prompt_tokens,
        completion_tokens: result.maxTokens,
        total_tokens: reference.usage!.prompt_tokens + result.maxTokens
      });
    }
    expect(queueLength()).toBe(0);
  });

  it('refuses requests still waiting when the model is unloaded (503), instead of leaving them hanging', async () => {
    const ask = (maxTokens: number) =>
      rawRequest({
        port: api.server.port,
        method: 'POST',
        path: '/v1/chat/completions',
        headers: authHeaders(api),
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: maxTokens })
      });
    const running = ask(300);
    await waitFor(() => queueLength() === 1, 2000, 'the first generation to start');
    const waiting = ask(2);
    await waitFor(() => queueLength() === 2, 2000, 'the second request to queue');
    const reloaded = api.enclave.engine.loadModel({ path: api.modelPath, threads: 1, contextSize: 2048 });
    const refused = await waiting;
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ error: { code: 'model_unloaded' } });
    expect(refused.headers['retry-after']).toBe('5');
    expect((await running).status).toBe(200);
    await reloaded;
  });

  it('answers 429 with Retry-After when the model queue is full', async () => {
    await api.enclave.engine.loadModel({ path: api.modelPath, threads: 1, contextSize: 2048, maxQueueLength: 2 });
    const controllers: AbortController[] = [];
    const start = (maxTokens: number) => {
      const controller = new AbortController();
      controllers.push(controller);
      return fetch(`${api.baseURL}/chat/completions`, {
        method: 'POST',
        headers: authHeaders(api),
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: maxTokens }),
        signal: controller.signal
      }).catch(() => null);
    };
    try {
      const running = start(1500);
      await waitFor(() => queueLength() === 1, 2000, 'the first generation to start');
      const waiting = [start(2), start(2)];
      await waitFor(() => queueLength() === 3, 2000, 'two requests to queue');

      const refused = await rawRequest({
        port: api.server.port,
        method: 'POST',
        path: '/v1/chat/completions',
        headers: authHeaders(api),
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 })
      });
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('2');
      expect(refused.json).toMatchObject({ error: { type: 'rate_limit_error', code: 'queue_full' } });
      const viaClient = await client.chat.completions
        .create({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 })
        .catch((e: unknown) => e);
      expect(viaClient).toBeInstanceOf(OpenAI.RateLimitError);

      for (const controller of controllers) controller.abort();
      await Promise.all([running, ...waiting]);
      await waitFor(() => queueLength() === 0, 1000, 'the queue to drain');
    } finally {
      for (const controller of controllers) controller.abort();
      await api.enclave.engine.loadModel({ path: api.modelPath, threads: 1, contextSize: 2048 });
    }
  });
});
