import { z } from 'zod';

/**
 * Request bodies of the OpenAI-compatible routes. Unknown fields are ignored (clients send extras);
 * fields that would change the answer in ways the local engine cannot honour are refused with a
 * 400 naming them, rather than silently ignored.
 */

const nullish = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);

const modelId = z.string().min(1).max(256);
const temperature = nullish(z.number().min(0).max(2));
const topP = nullish(z.number().min(0).max(1));
const penalty = nullish(z.number().min(-2).max(2));
const seed = nullish(z.number().int());
const maxTokens = nullish(z.number().int().min(1));
const stop = nullish(z.union([z.string().min(1).max(256), z.array(z.string().min(1).max(256)).max(4)]));
const streamOptions = nullish(z.object({ include_usage: nullish(z.boolean()) }));
const onlyOne = nullish(z.literal(1, { message: 'only 1 is supported by the local engine' }));
const notSupported = (what: string) => nullish(z.literal(false, { message: `${what} are not supported by the local engine` }));

/** A JSON schema object: validated for grammar use by the core, not here. */
const jsonSchema = z.record(z.string(), z.unknown());

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const content = z.union([z.string(), z.array(contentPart)]);

const toolCall = z.object({
  id: z.string().min(1).max(256),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1).max(64), arguments: z.string() })
});

const message = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content }),
  z.object({ role: z.literal('developer'), content }),
  z.object({ role: z.literal('user'), content }),
  z.object({
    role: z.literal('assistant'),
    content: nullish(content),
    tool_calls: nullish(z.array(toolCall).max(128))
  }),
  z.object({ role: z.literal('tool'), content, tool_call_id: z.string().min(1).max(256) })
]);

const tool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"'),
    description: nullish(z.string().max(8192)),
    parameters: nullish(jsonSchema),
    strict: nullish(z.boolean())
  })
});

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1).max(64) }) })
]);

const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().min(1).max(64),
      description: nullish(z.string()),
      schema: jsonSchema,
      strict: nullish(z.boolean())
    })
  })
]);

/** The sampling and streaming fields chat completions and completions share. */
const samplingAndStreaming = {
  temperature,
  top_p: topP,
  seed,
  stop,
  frequency_penalty: penalty,
  presence_penalty: penalty,
  stream: nullish(z.boolean()),
  stream_options: streamOptions
};

export const chatCompletionRequest = z.object({
  model: modelId,
  messages: z.array(message).min(1).max(10_000),
  max_tokens: maxTokens,
  max_completion_tokens: maxTokens,
  ...samplingAndStreaming,
  response_format: nullish(responseFormat),
  tools: nullish(z.array(tool).max(128)),
  tool_choice: nullish(toolChoice),
  parallel_tool_calls: nullish(z.boolean()),
  n: onlyOne,
  logprobs: notSupported('Log probabilities'),
  user: nullish(z.string())
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;
export type ChatMessage = ChatCompletionRequest['messages'][number];

export const completionRequest = z.object({
  model: modelId,
  prompt: z.union([z.string(), z.array(z.string()).length(1, 'only one prompt per request is supported')]),
  max_tokens: maxTokens,
  ...samplingAndStreaming,
  n: onlyOne,
  best_of: onlyOne,
  echo: notSupported('Echoed prompts'),
  logprobs: nullish(z.null({ message: 'log probabilities are not supported by the local engine' })),
  suffix: nullish(z.null({ message: 'suffixes (insertion) are not supported by the local engine' })),
  user: nullish(z.string())
});

export const embeddingRequest = z.object({
  model: modelId,
  input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(2048)]),
  encoding_format: nullish(z.enum(['float', 'base64'])),
  dimensions: nullish(z.number().int().min(1)),
  user: nullish(z.string())
});

/** OpenAI's way of naming a field: `messages[0].content`. */
export function formatParam(path: readonly PropertyKey[]): string | null {
  let param = '';
  for (const key of path) param += typeof key === 'number' ? `[${key}]` : param ? `.${String(key)}` : String(key);
  return param || null;
}
