/** The engine's public types: what callers of LocalModel pass in and get back. */
import type { ReplyMetrics } from '../shared/types';

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** Tools an assistant turn called, each with the result it got back. */
  toolCalls?: ChatToolCall[];
}

export interface ChatToolCall {
  name: string;
  /** The call's arguments, as a JSON value. */
  arguments: unknown;
  /** What the tool returned (a JSON value or text). */
  result: unknown;
}

/** A function the model may call. `parameters` is a JSON schema (see toGrammarSchema for what a grammar enforces). */
export interface ChatTool {
  name: string;
  description?: string;
  parameters?: unknown;
  /** Refuse schema keywords the grammar cannot enforce, instead of dropping them. */
  strict?: boolean;
}

/** `auto`: the model decides; `required`: it must call a tool; `{ name }`: it must call that tool. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat =
  | { type: 'text' }
  /** Any JSON object. */
  | { type: 'json_object' }
  /** JSON matching a schema, enforced with a grammar. */
  | { type: 'json_schema'; schema: unknown; strict?: boolean };

/** Sampling and control options shared by chat and raw completions. */
export interface GenerateOptions {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  /** Penalize tokens already generated (0 = off, as in OpenAI's API). */
  frequencyPenalty?: number;
  presencePenalty?: number;
  /** Stop before any of these strings; the text returned and streamed excludes it. */
  stop?: string[];
  /** Run with a context of this size (recreated when it differs from the current one). */
  contextSize?: number;
  signal?: AbortSignal;
  onTextChunk?: (text: string) => void;
  /** Called once, when the generation leaves the queue and starts (after anything that can refuse it). */
  onStart?: () => void;
  /**
   * Refuse (ContextLengthExceededError, before queueing) a prompt that, with maxTokens, does not fit
   * the context, instead of shifting the context; without maxTokens the reply may fill the rest of it.
   */
  strictContext?: boolean;
}

export interface GenerateChatOptions extends GenerateOptions {
  responseFormat?: ResponseFormat;
  tools?: ChatTool[];
  toolChoice?: ToolChoice;
  /** false: at most one tool call per reply. */
  parallelToolCalls?: boolean;
}

export type GenerateCompletionOptions = GenerateOptions;

export type StopReason = 'eos' | 'maxTokens' | 'aborted' | 'stopTrigger' | 'toolCalls';

export interface GeneratedToolCall {
  name: string;
  /** The arguments as JSON text. */
  arguments: string;
}

export interface GenerationResult {
  text: string;
  stopReason: StopReason;
  metrics: ReplyMetrics;
  /** Present when stopReason is 'toolCalls'. */
  toolCalls?: GeneratedToolCall[];
}

export interface EmbedOptions {
  signal?: AbortSignal;
  /** Scale each vector to length 1 (default true), so dot product = cosine similarity. */
  normalize?: boolean;
}

export interface EmbeddingResult {
  embeddings: number[][];
  /** Tokens read across all inputs. */
  promptTokens: number;
}

export interface ThreadSweepSample {
  threads: number;
  tokensPerSecond: number;
}
