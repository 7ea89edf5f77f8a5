import fc from 'fast-check';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support';

/** What one request returned, streamed or not, in the same shape. */
interface Reply {
  text: string;
  finishReason: string | null;
  completionTokens: number | undefined;
}

interface Request {
  prompt: string;
  maxTokens: number;
  temperature: number;
  seed: number;
  stop?: string;
  stream: boolean;
}

// Token counts and stop strings through the official client, on the generated model (its replies
// run to max_tokens): the count is tokens, the stopped text is the unstopped one cut before the stop.
describe('token accounting and stop strings of the local API', () => {
  let api: TestApi;
  let client: OpenAI;
  let model: string;

  beforeAll(async () => {
    api = await startTestApi();
    model = api.modelId!;
    client = new OpenAI({ baseURL: api.baseURL, apiKey: api.token, maxRetries: 0, timeout: 30_000 });
  });

  afterAll(async () => {
    expect(api?.errors).toEqual([]);
    await api?.close();
  });

  async function completion(request: Request): Promise<Reply> {
    const body = {
      model,
      prompt: request.prompt,
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      seed: request.seed,
      ...(request.stop !== undefined && { stop: request.stop })
    };
    if (!request.stream) {
      const reply = await client.completions.create(body);
      return {
        text: reply.choices[0]!.text,
        finishReason: reply.choices[0]!.finish_reason,
        completionTokens: reply.usage?.completion_tokens
      };
    }
    const reply: Reply = { text: '', finishReason: null, completionTokens: undefined };
    for await (const chunk of await client.completions.create({ ...body, stream: true, stream_options: { include_usage: true } })) {
      const choice = chunk.choices[0];
      if (choice) reply.text += choice.text;
      if (choice?.finish_reason) reply.finishReason = choice.finish_reason;
      if (chunk.usage) reply.completionTokens = chunk.usage.completion_tokens;
    }
    return reply;
  }

  async function chat(request: Request): Promise<Reply> {
    const body = {
      model,
      messages: [{ role: 'user' as const, content: request.prompt }],
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      seed: request.seed,
      ...(request.stop !== undefined && { stop: request.stop })
    };
    if (!request.stream) {
      const reply = await client.chat.completions.create(body);
      const choice = reply.choices[0]!;
      return { text: choice.message.content ?? '', finishReason: choice.finish_reason, completionTokens: reply.usage?.completion_tokens };
    }
    const reply: Reply = { text: '', finishReason: null, completionTokens: undefined };
    for await (const chunk of await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } })) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) reply.text += choice.delta.content;
      if (choice?.finish_reason) reply.finishReason = choice.finish_reason;
      if (chunk.usage) reply.completionTokens = chunk.usage.completion_tokens;
    }
    return reply;
  }

  const prompts = fc.constantFrom('Once upon a time', 'Tell me about foxes.', 'Grüße aus Köln, ça va? 日本語 😀', '');
  const sampling = fc.record({
    prompt: prompts,
    maxTokens: fc.integer({ min: 1, max: 16 }),
    // Greedy, or a seeded sample (which reaches the multi-byte pieces é, ü, ñ).
    temperature: fc.constantFrom(0, 1.5),
    seed: fc.integer({ min: 0, max: 1000 })
  });
  /** Where in the unstopped text the stop string is taken from, and how long it is. */
  const stopPick = fc.record({ at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), length: fc.integer({ min: 1, max: 6 }) });

  for (const [endpoint, send] of [
    ['/v1/completions', completion],
    ['/v1/chat/completions', chat]
  ] as const) {
    it(`${endpoint}: completion_tokens is max_tokens when the reply runs to the limit, streamed or not`, async () => {
      await fc.assert(
        fc.asyncProperty(sampling, fc.integer({ min: 1, max: 4 }), async (request, tail) => {
          const plain = await send({ ...request, stream: false });
          const streamed = await send({ ...request, stream: true });
          expect(plain.finishReason).toBe('length');
          expect(plain.completionTokens).toBe(request.maxTokens);
          expect(streamed).toEqual(plain);
          // A stop string the reply's end begins but never completes: that end is held back, then released and counted.
          const stop = `${plain.text.slice(-tail)}\u0000`;
          for (const stream of [false, true]) expect(await send({ ...request, stop, stream })).toEqual(plain);
        }),
        { numRuns: 25, seed: 1301 }
      );
    });

    it(`${endpoint}: with a stop string from the reply, the text is the unstopped text cut before it, streamed or not`, async () => {
      await fc.assert(
        fc.asyncProperty(sampling, stopPick, async (request, pick) => {
          const unstopped = (await send({ ...request, stream: false })).text;
          fc.pre(unstopped.length > 0);
          const start = Math.floor(pick.at * unstopped.length);
          const stop = unstopped.slice(start, start + pick.length);
          const expected = unstopped.slice(0, unstopped.indexOf(stop));
          for (const stream of [false, true]) {
            const stopped = await send({ ...request, stop, stream });
            expect({ stream, text: stopped.text, finishReason: stopped.finishReason }).toEqual({
              stream,
              text: expected,
              finishReason: 'stop'
            });
            expect(stopped.completionTokens).toBeLessThanOrEqual(request.maxTokens);
          }
        }),
        { numRuns: 25, seed: 1302 }
      );
    });
  }
});
