import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestApi, type TestApi } from './support';

type ApiError = InstanceType<typeof OpenAI.APIError>;

// The official OpenAI client against the local API: if it works here, it works for tools built on it.
describe('the OpenAI client against the local API', () => {
  let api: TestApi;
  let client: OpenAI;
  let model: string;
  const user = (content: string) => [{ role: 'user' as const, content }];

  beforeAll(async () => {
    api = await startTestApi();
    model = api.modelId!;
    client = new OpenAI({ baseURL: api.baseURL, apiKey: api.token, maxRetries: 0, timeout: 30_000 });
  });

  afterAll(async () => {
    expect(api?.errors).toEqual([]);
    await api?.close();
  });

  it('lists the loaded model by its file name, owned by enclave', async () => {
    const models = await client.models.list();
    expect(models.data).toEqual([{ id: model, object: 'model', created: expect.any(Number), owned_by: 'enclave' }]);
    expect(model).toMatch(/^enclave-test-model-/);
    expect(model).not.toMatch(/\.gguf$/);
    expect((await client.models.retrieve(model)).id).toBe(model);
  });

  it('answers a chat completion with real token counts', async () => {
    const completion = await client.chat.completions.create({ model, messages: user('Tell me about foxes.'), max_tokens: 8 });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe(model);
    const [choice] = completion.choices;
    expect(choice!.message.role).toBe('assistant');
    expect(choice!.message.content!.length).toBeGreaterThan(0);
    expect(choice!.finish_reason).toBe('length');
    expect(completion.usage!.completion_tokens).toBe(8);
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(5);
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + 8);
    // max_completion_tokens is the newer name for the same limit.
    const newer = await client.chat.completions.create({ model, messages: user('Again.'), max_completion_tokens: 3 });
    expect(newer.usage!.completion_tokens).toBe(3);
  });

  it('streams a chat completion over SSE, with usage when asked', async () => {
    const stream = await client.chat.completions.create({
      model,
      messages: user('Tell me about foxes.'),
      max_tokens: 12,
      stream: true,
      stream_options: { include_usage: true }
    });
    const deltas: string[] = [];
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let first = true;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      if (first) expect(chunk.choices[0]!.delta.role).toBe('assistant');
      first = false;
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(deltas.length).toBeGreaterThan(3);
    expect(finish).toBe('length');
    expect(usage!.completion_tokens).toBe(12);
    const same = await client.chat.completions.create({ model, messages: user('Tell me about foxes.'), max_tokens: 1 });
    expect(usage!.prompt_tokens).toBe(same.usage!.prompt_tokens);
  });

  it('honours stop sequences, string or array, and excludes them from the text', async () => {
    const single = await client.chat.completions.create({ model, messages: user('Hello'), max_tokens: 40, stop: ' ' });
    expect(single.choices[0]!.finish_reason).toBe('stop');
    expect(single.choices[0]!.message.content).not.toContain(' ');
    expect(single.usage!.completion_tokens).toBeLessThan(40);
    const several = await client.chat.completions.create({ model, messages: user('Hello'), max_tokens: 40, stop: ['e', 'o'] });
    expect(several.choices[0]!.finish_reason).toBe('stop');
    expect(several.choices[0]!.message.content).not.toMatch(/[eo]/);
  });

  it('is reproducible with a seed', async () => {
    const ask = (seed: number) =>
      client.chat.completions
        .create({ model, messages: user('Hello'), max_tokens: 16, temperature: 1, seed })
        .then((c) => c.choices[0]!.message.content);
    const [a, b, c] = [await ask(42), await ask(42), await ask(7)];
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('enforces response_format json_object and json_schema with grammars', async () => {
    // Free-form JSON from a random model can ramble (long strings) at temperature 1; greedy it closes quickly.
    const object = await client.chat.completions.create({
      model,
      messages: user('Answer in JSON.'),
      max_tokens: 200,
      temperature: 0,
      response_format: { type: 'json_object' }
    });
    expect(object.choices[0]!.finish_reason).toBe('stop');
    const parsed: unknown = JSON.parse(object.choices[0]!.message.content!);
    expect(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)).toBe(true);

    const schema = {
      type: 'object',
      properties: {
        verdict: { type: 'string', enum: ['yes', 'no', 'maybe'] },
        confident: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string', maxLength: 6 }, maxItems: 2 },
        detail: {
          type: 'object',
          properties: { flag: { type: 'boolean' }, nothing: { type: 'null' } },
          required: ['flag', 'nothing'],
          additionalProperties: false
        }
      },
      required: ['verdict', 'confident', 'tags', 'detail'],
      additionalProperties: false
    };
    const expected = z.strictObject({
      verdict: z.enum(['yes', 'no', 'maybe']),
      confident: z.boolean(),
      tags: z.array(z.string().max(6)).max(2),
      detail: z.strictObject({ flag: z.boolean(), nothing: z.null() })
    });
    for (const seed of [1, 2, 3]) {
      const completion = await client.chat.completions.create({
        model,
        messages: user('Is the sky blue?'),
        max_tokens: 200,
        seed,
        response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } }
      });
      expect(completion.choices[0]!.finish_reason).toBe('stop');
      expect(expected.parse(JSON.parse(completion.choices[0]!.message.content!))).toBeTruthy();
    }
  });

  const tools: OpenAI.ChatCompletionTool[] = [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'The weather in a city',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string', maxLength: 12 }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
          required: ['city', 'unit']
        }
      }
    },
    { type: 'function', function: { name: 'get_time', description: 'The time now', parameters: { type: 'object', properties: {} } } }
  ];

  it('calls tools through node-llama-cpp function calling, returning tool_calls', async () => {
    const completion = await client.chat.completions.create({
      model,
      messages: user('What is the weather in Paris?'),
      max_tokens: 100,
      tools,
      tool_choice: { type: 'function', function: { name: 'get_weather' } }
    });
    const [choice] = completion.choices;
    expect(choice!.finish_reason).toBe('tool_calls');
    expect(choice!.message.content).toBeNull();
    const call = choice!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call.type).toBe('function');
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe('get_weather');
    const args = z.object({ city: z.string().max(12), unit: z.enum(['celsius', 'fahrenheit']) }).parse(JSON.parse(call.function.arguments));
    expect(args.city).toBeDefined();
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);

    const required = await client.chat.completions.create({
      model,
      messages: user('Time?'),
      max_tokens: 100,
      tools,
      tool_choice: 'required',
      parallel_tool_calls: false
    });
    expect(required.choices[0]!.finish_reason).toBe('tool_calls');
    expect(required.choices[0]!.message.tool_calls).toHaveLength(1);
    expect(['get_weather', 'get_time']).toContain(
      (required.choices[0]!.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall).function.name
    );

    // The tool's answer goes back in, and the model replies.
    const followUp = await client.chat.completions.create({
      model,
      max_tokens: 6,
      tools,
      messages: [
        ...user('What is the weather in Paris?'),
        choice!.message,
        { role: 'tool', tool_call_id: call.id, content: '{"temperature": 21}' }
      ]
    });
    expect(followUp.choices[0]!.finish_reason).toBe('length');
    expect(followUp.usage!.prompt_tokens).toBeGreaterThan(completion.usage!.prompt_tokens);
  });

  it('streams tool calls', async () => {
    const stream = await client.chat.completions.create({
      model,
      messages: user('Weather?'),
      max_tokens: 100,
      tools,
      tool_choice: 'required',
      stream: true
    });
    const calls: OpenAI.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      calls.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe('tool_calls');
    expect(calls[0]!.function!.name).toMatch(/^get_(weather|time)$/);
    expect(() => JSON.parse(calls[0]!.function!.arguments!)).not.toThrow();
  });

  it('completes raw prompts, streamed or not', async () => {
    const completion = await client.completions.create({ model, prompt: 'Once upon a time', max_tokens: 6 });
    expect(completion.object).toBe('text_completion');
    expect(completion.choices[0]!.text.length).toBeGreaterThan(0);
    expect(completion.choices[0]!.finish_reason).toBe('length');
    expect(completion.usage).toMatchObject({ completion_tokens: 6, total_tokens: completion.usage!.prompt_tokens + 6 });
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(1);

    const stream = await client.completions.create({ model, prompt: 'Once upon a time', max_tokens: 6, stream: true });
    const parts: string[] = [];
    for await (const chunk of stream) parts.push(chunk.choices[0]?.text ?? '');
    expect(parts.join('').length).toBeGreaterThan(0);
  });

  it('embeds a string or an array, as floats or base64', async () => {
    const one = await client.embeddings.create({ model, input: 'hello world' }); // the client asks for base64 and decodes it
    expect(one.data).toHaveLength(1);
    const vector = one.data[0]!.embedding;
    expect(vector.length).toBe(64);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 4);
    expect(one.usage.prompt_tokens).toBeGreaterThan(1);

    const many = await client.embeddings.create({ model, input: ['hello world', 'the quick brown fox'], encoding_format: 'float' });
    expect(many.data.map((d) => d.index)).toEqual([0, 1]);
    expect(many.data[0]!.embedding[0]).toBeCloseTo(vector[0]!, 5);
    expect(many.data[1]!.embedding).not.toEqual(many.data[0]!.embedding);
  });

  it('maps errors to the client’s error classes', async () => {
    const wrongKey = new OpenAI({ baseURL: api.baseURL, apiKey: 'not-the-token', maxRetries: 0 });
    await expect(wrongKey.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);

    const unknown = await client.chat.completions.create({ model: 'gpt-4o', messages: user('hi') }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknown as ApiError).code).toBe('model_not_found');
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);

    const badTemperature = (await client.chat.completions
      .create({ model, messages: user('hi'), temperature: 5 })
      .catch((e: unknown) => e)) as ApiError;
    expect(badTemperature).toBeInstanceOf(OpenAI.BadRequestError);
    expect(badTemperature.param).toBe('temperature');
    expect(badTemperature.type).toBe('invalid_request_error');

    const tooLong = (await client.chat.completions
      .create({ model, messages: user('hi'), max_tokens: 100_000 })
      .catch((e: unknown) => e)) as ApiError;
    expect(tooLong).toBeInstanceOf(OpenAI.BadRequestError);
    expect(tooLong.code).toBe('context_length_exceeded');
    expect(tooLong.param).toBe('max_tokens');

    const pattern = (await client.chat.completions
      .create({
        model,
        messages: user('hi'),
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'x', strict: true, schema: { type: 'object', properties: { a: { type: 'string', pattern: '^a+$' } } } }
        }
      })
      .catch((e: unknown) => e)) as ApiError;
    expect(pattern).toBeInstanceOf(OpenAI.BadRequestError);
    expect(pattern.param).toBe('response_format.json_schema.schema.properties.a.pattern');

    const image = (await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }] })
      .catch((e: unknown) => e)) as ApiError;
    expect(image).toBeInstanceOf(OpenAI.BadRequestError);
    expect(image.param).toBe('messages[0].content[0]');

    const orphanTool = (await client.chat.completions
      .create({ model, messages: [...user('hi'), { role: 'tool', tool_call_id: 'call_x', content: '1' }] })
      .catch((e: unknown) => e)) as ApiError;
    expect(orphanTool).toBeInstanceOf(OpenAI.BadRequestError);
    expect(orphanTool.param).toBe('messages[1].tool_call_id');
  });
});
