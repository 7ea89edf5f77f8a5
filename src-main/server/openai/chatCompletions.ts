import { randomBytes } from 'node:crypto';
import type { RouteRequest } from '../../core/cloud/ModelRouter';
import type { ChatToolCall, ChatTurn, GenerationResult, ResponseFormat, ToolChoice } from '../../core/engine/LocalModel';
import { ApiError } from '../ApiError';
import { defineRoute, type RouteContext } from '../routes';
import { finishReason, newId, samplingOptions, unixSeconds, usage } from './common';
import { chatCompletionRequest, type ChatCompletionRequest, type ChatMessage } from './schemas';

/**
 * POST /v1/chat/completions, streamed (SSE) or not: the local model with JSON modes and tool calls, or a
 * cloud model (`provider/model`, `auto`) through the router and its privacy gate.
 */
export const chatCompletionsRoute = defineRoute({
  method: 'POST',
  path: '/v1/chat/completions',
  body: chatCompletionRequest,
  promptParam: 'messages',
  async handle(ctx, body) {
    ctx.setModel(body.model);
    const { stop, ...local } = samplingOptions(body);
    // The router decides who answers: the local model by its id, or `auto` / `provider/model` through the privacy gate.
    const request: RouteRequest = {
      conversationId: null,
      requested: body.model,
      policy: null,
      privacyMode: null,
      turns: toTurns(body.messages),
      sampling: { temperature: local.temperature, topP: local.topP, maxTokens: body.max_completion_tokens ?? body.max_tokens, stop },
      local: {
        ...local,
        responseFormat: toResponseFormat(body.response_format),
        tools: body.tools?.map(({ function: f }) => ({
          name: f.name,
          description: f.description,
          parameters: f.parameters,
          strict: f.strict
        })),
        toolChoice: toToolChoice(body.tool_choice),
        parallelToolCalls: body.parallel_tool_calls
      },
      source: 'api'
    };
    const id = newId('chatcmpl');
    const created = unixSeconds();

    if (!body.stream) {
      const result = await ctx.core.router.generate(request, { signal: ctx.signal }).catch(unlessClientLeft(ctx));
      if (!result || result.stopReason === 'aborted') return; // the client is gone
      ctx.sendJson(200, {
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        system_fingerprint: null,
        choices: [{ index: 0, message: replyMessage(result), logprobs: null, finish_reason: finishReason(result.stopReason) }],
        usage: usage(result)
      });
      return;
    }

    const sse = ctx.sse();
    const includeUsage = body.stream_options?.include_usage === true;
    const chunk = (delta: object, finish: string | null = null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: body.model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage && { usage: null })
    });
    const result = await ctx.core.router
      .generate(request, {
        signal: ctx.signal,
        onStart: () => sse.send(chunk({ role: 'assistant', content: '' })),
        onTextChunk: (text) => {
          if (text) sse.send(chunk({ content: text }));
        }
      })
      .catch(unlessClientLeft(ctx));
    if (!result || result.stopReason === 'aborted') return;
    if (result.toolCalls) sse.send(chunk({ tool_calls: result.toolCalls.map((call, index) => ({ index, ...toolCallObject(call) })) }));
    sse.send(chunk({}, finishReason(result.stopReason)));
    if (includeUsage)
      sse.send({
        id,
        object: 'chat.completion.chunk',
        created,
        model: body.model,
        system_fingerprint: null,
        choices: [],
        usage: usage(result)
      });
    sse.done();
  }
});

/** A failure after the client disconnected has no one to report to. */
function unlessClientLeft(ctx: RouteContext) {
  return (error: unknown): null => {
    if (ctx.signal.aborted) return null;
    throw error;
  };
}

function replyMessage(result: GenerationResult) {
  if (!result.toolCalls) return { role: 'assistant', content: result.text, refusal: null };
  return { role: 'assistant', content: result.text || null, refusal: null, tool_calls: result.toolCalls.map(toolCallObject) };
}

function toolCallObject(call: { name: string; arguments: string }) {
  return {
    id: `call_${randomBytes(12).toString('base64url')}`,
    type: 'function' as const,
    function: { name: call.name, arguments: call.arguments }
  };
}

function toResponseFormat(format: ChatCompletionRequest['response_format']): ResponseFormat | undefined {
  if (!format || format.type !== 'json_schema') return format;
  return { type: 'json_schema', schema: format.json_schema.schema, strict: format.json_schema.strict };
}

function toToolChoice(choice: ChatCompletionRequest['tool_choice']): ToolChoice | undefined {
  if (choice === undefined || typeof choice === 'string') return choice;
  return { name: choice.function.name };
}

/**
 * OpenAI messages to the core's turns: text parts joined, system and developer both system turns,
 * and each assistant tool call paired with the tool message that answers it.
 */
export function toTurns(messages: ChatMessage[]): ChatTurn[] {
  const turns: ChatTurn[] = [];
  const unanswered = new Map<string, { call: ChatToolCall; param: string }>();
  const requireAnswers = () => {
    const [first] = unanswered.values();
    if (first)
      throw ApiError.invalid(
        'An assistant message with tool_calls must be followed by a tool message answering each call (matching tool_call_id).',
        `${first.param}.id`
      );
  };
  for (const [i, message] of messages.entries()) {
    const param = `messages[${i}]`;
    if (message.role === 'tool') {
      const pending = unanswered.get(message.tool_call_id);
      if (!pending)
        throw ApiError.invalid(
          'A tool message must answer a tool call of the assistant message just before it (by tool_call_id).',
          `${param}.tool_call_id`
        );
      pending.call.result = parseResult(textOf(message.content, `${param}.content`));
      unanswered.delete(message.tool_call_id);
      continue;
    }
    requireAnswers();
    if (message.role === 'system' || message.role === 'developer' || message.role === 'user') {
      turns.push({ role: message.role === 'user' ? 'user' : 'system', content: textOf(message.content, `${param}.content`) });
      continue;
    }
    const toolCalls = (message.tool_calls ?? []).map((call, j): ChatToolCall => {
      const callParam = `${param}.tool_calls[${j}]`;
      if (unanswered.has(call.id)) throw ApiError.invalid('Tool call ids must be unique.', `${callParam}.id`);
      let args: unknown;
      try {
        args = JSON.parse(call.function.arguments || '{}');
      } catch {
        throw ApiError.invalid('Tool call arguments must be JSON text.', `${callParam}.function.arguments`);
      }
      const entry: ChatToolCall = { name: call.function.name, arguments: args, result: null };
      unanswered.set(call.id, { call: entry, param: callParam });
      return entry;
    });
    turns.push({
      role: 'assistant',
      content: message.content === undefined ? '' : textOf(message.content, `${param}.content`),
      ...(toolCalls.length > 0 && { toolCalls })
    });
  }
  requireAnswers();
  return turns;
}

function textOf(content: string | Array<{ type: string; text?: string }>, param: string): string {
  if (typeof content === 'string') return content;
  return content
    .map((part, j) => {
      if (part.type !== 'text' || typeof part.text !== 'string')
        throw ApiError.invalid(`The local model reads text only; a "${part.type}" content part cannot be sent to it.`, `${param}[${j}]`);
      return part.text;
    })
    .join('\n');
}

/** A tool's answer as the model will see it: the JSON value when it is JSON, else the text. */
function parseResult(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
