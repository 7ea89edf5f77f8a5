import { randomBytes } from 'node:crypto';
import type { LocalModel } from '../../core/engine/LocalModel';
import type { GenerateOptions, GenerationResult, StopReason } from '../../core/engine/types';

export type FinishReason = 'stop' | 'length' | 'tool_calls';

export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(12).toString('base64url')}`;
}

export const unixSeconds = (ms = Date.now()) => Math.floor(ms / 1000);

export function finishReason(stopReason: StopReason): FinishReason {
  if (stopReason === 'maxTokens') return 'length';
  if (stopReason === 'toolCalls') return 'tool_calls';
  return 'stop';
}

export function usage(result: GenerationResult) {
  const { promptTokens, completionTokens } = result.metrics;
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

export function modelObject(model: LocalModel) {
  return { id: model.id, object: 'model' as const, created: unixSeconds(model.loadedAt), owned_by: 'enclave' };
}

/** OpenAI's default temperature is 1; llama.cpp's sampler takes the same scale. */
const DEFAULT_TEMPERATURE = 1;

/** The sampling fields every generation route shares, in the core's terms. */
export function samplingOptions(body: {
  temperature?: number;
  top_p?: number;
  seed?: number;
  stop?: string | string[];
  frequency_penalty?: number;
  presence_penalty?: number;
}): GenerateOptions {
  return {
    temperature: body.temperature ?? DEFAULT_TEMPERATURE,
    topP: body.top_p,
    // llama.cpp seeds are 32-bit; any integer a client sends maps onto one.
    seed: body.seed === undefined ? undefined : Number(BigInt.asUintN(32, BigInt(body.seed))),
    stop: body.stop === undefined ? undefined : Array.isArray(body.stop) ? body.stop : [body.stop],
    frequencyPenalty: body.frequency_penalty,
    presencePenalty: body.presence_penalty,
    // Never shift the context behind a client's back: refuse what does not fit, cap the rest.
    strictContext: true
  };
}
