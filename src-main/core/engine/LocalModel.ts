import PQueue from 'p-queue';
import {
  LlamaChat,
  LlamaCompletion,
  LlamaText,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatModelFunctionCall,
  type ChatModelFunctions,
  type ChatWrapper,
  type GbnfJsonSchema,
  type LLamaChatGenerateResponseOptions,
  type LLamaContextualRepeatPenalty,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaEmbeddingContext,
  type LlamaGrammar,
  type LlamaModel,
  type Token
} from 'node-llama-cpp';
import type { GpuBackend, ModelInfo, ReplyMetrics } from '../shared/types';
import { InvalidArgumentsError } from '../EnclaveError';
import { ContextLengthExceededError, GenerationAbortedError, ModelUnloadedError, QueueFullError, UnsupportedSchemaError } from './errors';
import { toGrammarSchema } from './jsonSchemaGrammar';
import { threadCandidates } from './threads';

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

/** A tool name the call syntax of every chat wrapper can carry (the same rule as OpenAI's). */
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const GRAMMAR_CACHE_SIZE = 32;

export interface ThreadSweepSample {
  threads: number;
  tokensPerSecond: number;
}

interface LocalModelSetup {
  name: string;
  path: string;
  sizeBytes: number;
  backend: GpuBackend;
  /** CPUs available to the process: the upper end of a thread sweep. */
  cpuCount: number;
  contextSize?: number;
  threads: number;
  maxQueueLength?: number;
}

const DEFAULT_CONTEXT_SIZE = 4096;
const TUNE_PROMPT = 'The quick brown fox jumps over the lazy dog. Once upon a time,';
const TUNE_TOKENS = 32;

/**
 * A loaded GGUF model with one context. Generations run one at a time in arrival order
 * (a FIFO queue: nobody waits behind a later request); the rest wait, or are refused when
 * the queue is full.
 */
export class LocalModel {
  private readonly queue = new PQueue({ concurrency: 1 });
  private context: LlamaContext | null = null;
  private sequence: LlamaContextSequence | null = null;
  private readonly maxQueueLength: number;
  private threadCount: number;
  private embeddingContext: Promise<LlamaEmbeddingContext> | null = null;
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  /** Wait cancellers of the jobs not yet started. */
  private readonly waiting = new Set<AbortController>();
  private unloading = false;
  /** The chat template, resolved once: counting prompt tokens before queueing needs it. */
  private readonly chatWrapper: ChatWrapper;
  /** When the model finished loading (ms since the epoch). */
  readonly loadedAt = Date.now();

  private constructor(
    readonly model: LlamaModel,
    private readonly setup: LocalModelSetup
  ) {
    this.threadCount = setup.threads;
    this.maxQueueLength = setup.maxQueueLength ?? 64;
    this.chatWrapper = resolveChatWrapper(model);
  }

  static async create(model: LlamaModel, setup: LocalModelSetup): Promise<LocalModel> {
    const local = new LocalModel(model, setup);
    try {
      await local.ensureContext(local.clampContextSize(setup.contextSize ?? DEFAULT_CONTEXT_SIZE));
    } catch (error) {
      await model.dispose();
      throw error;
    }
    return local;
  }

  get path(): string {
    return this.setup.path;
  }

  /** The name clients use for this model: its file name without ".gguf". */
  get id(): string {
    return this.setup.name.replace(/\.gguf$/i, '');
  }

  get threads(): number {
    return this.threadCount;
  }

  /** Generations waiting plus the one running. */
  get queueLength(): number {
    return this.queue.size + this.queue.pending;
  }

  get info(): ModelInfo {
    return {
      path: this.setup.path,
      name: this.setup.name,
      sizeBytes: this.setup.sizeBytes,
      architecture: this.model.fileInfo.metadata.general?.architecture ?? null,
      trainContextSize: this.model.trainContextSize,
      contextSize: this.context?.contextSize ?? 0,
      totalLayers: this.model.fileInsights.totalLayers,
      offloadedLayers: this.model.gpuLayers,
      threads: this.threadCount
    };
  }

  /**
   * Streams a chat reply. Resolves with stopReason 'aborted' and the partial text when the signal fires mid-reply.
   * Invalid tools or schemas, and (with strictContext) prompts that do not fit, are refused before queueing.
   */
  generateChat(turns: ChatTurn[], options: GenerateChatOptions = {}): Promise<GenerationResult> {
    const enqueuedAt = performance.now();
    let plan: ChatPlan;
    try {
      plan = this.planChat(turns, options);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.enqueue(options.signal, () => this.runChat(plan, options, performance.now() - enqueuedAt));
  }

  /** Continues raw text (no chat template), e.g. for OpenAI's legacy completions. Same queue and abort rules as generateChat. */
  generateCompletion(prompt: string, options: GenerateCompletionOptions = {}): Promise<GenerationResult> {
    const enqueuedAt = performance.now();
    let plan: CompletionPlan;
    try {
      const tokens = this.model.tokenize(prompt, false, 'trimLeadingSpace');
      const bos = this.model.tokens.shouldPrependBosToken && this.model.tokens.bos != null ? 1 : 0;
      const contextSize = this.targetContextSize(options.contextSize);
      plan = {
        tokens,
        contextSize,
        promptTokens: tokens.length + bos,
        maxTokens: this.fitReply(tokens.length + bos, contextSize, options)
      };
    } catch (error) {
      return Promise.reject(error);
    }
    return this.enqueue(options.signal, () => this.runCompletion(plan, options, performance.now() - enqueuedAt));
  }

  /**
   * Embeds each input with this model (a separate embedding context, created on first use), in the
   * generation queue like everything else. Inputs longer than the context are refused before queueing.
   */
  embed(inputs: string[], options: EmbedOptions = {}): Promise<EmbeddingResult> {
    try {
      const limit = this.embeddingContextSize();
      for (const input of inputs) {
        const tokens = this.model.tokenize(input).length + 1;
        if (tokens > limit) throw new ContextLengthExceededError(limit, tokens, null);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.enqueue(options.signal, async () => {
      const context = await this.ensureEmbeddingContext();
      const embeddings: number[][] = [];
      let promptTokens = 0;
      for (const input of inputs) {
        if (options.signal?.aborted) throw new GenerationAbortedError();
        promptTokens += context.calculateInputLength(input);
        const { vector } = await context.getEmbeddingFor(input);
        embeddings.push(options.normalize === false ? [...vector] : normalized(vector));
      }
      return { embeddings, promptTokens };
    });
  }

  /**
   * Measures tokens/s at each candidate thread count on this model and keeps the best.
   * Runs as a queued job so it never overlaps a generation.
   */
  tuneThreads(
    options: { signal?: AbortSignal; onSample?: (sample: ThreadSweepSample, step: number, steps: number) => void } = {}
  ): Promise<ThreadSweepSample[]> {
    return this.enqueue(options.signal, async () => {
      const candidates = threadCandidates(this.setup.cpuCount);
      const samples: ThreadSweepSample[] = [];
      for (const [index, threads] of candidates.entries()) {
        options.signal?.throwIfAborted();
        const sample = { threads, tokensPerSecond: await this.measureThroughput(threads, options.signal) };
        samples.push(sample);
        options.onSample?.(sample, index + 1, candidates.length);
      }
      const best = samples.reduce((a, b) => (b.tokensPerSecond > a.tokensPerSecond ? b : a));
      await this.applyThreads(best.threads);
      return samples;
    });
  }

  /** Switches the thread count between generations (the context is recreated). */
  setThreads(threads: number): Promise<void> {
    return this.enqueue(undefined, () => this.applyThreads(threads));
  }

  async dispose(): Promise<void> {
    // Requests still waiting are refused (ModelUnloadedError) rather than left pending forever.
    this.unloading = true;
    for (const waiting of this.waiting) waiting.abort();
    this.queue.clear();
    await this.queue.onIdle();
    await this.disposeEmbeddingContext();
    await this.context?.dispose();
    await this.model.dispose();
  }

  private enqueue<T>(signal: AbortSignal | undefined, job: () => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(new GenerationAbortedError());
    if (this.unloading) return Promise.reject(new ModelUnloadedError(this.setup.name));
    if (this.queue.size >= this.maxQueueLength) return Promise.reject(new QueueFullError(this.maxQueueLength, 2));
    // p-queue races a running job against its signal and would start the next job while this one
    // still holds the sequence; so its signal only cancels the wait, and the job handles the rest.
    const waiting = new AbortController();
    let started = false;
    const cancelWait = () => !started && waiting.abort();
    signal?.addEventListener('abort', cancelWait, { once: true });
    this.waiting.add(waiting);
    return this.queue
      .add(
        () => {
          started = true;
          this.waiting.delete(waiting);
          return job();
        },
        { signal: waiting.signal }
      )
      .catch((error: unknown) => {
        if (!waiting.signal.aborted) throw error;
        throw signal?.aborted || !this.unloading ? new GenerationAbortedError() : new ModelUnloadedError(this.setup.name);
      })
      .finally(() => {
        this.waiting.delete(waiting);
        signal?.removeEventListener('abort', cancelWait);
      });
  }

  private async applyThreads(threads: number): Promise<void> {
    this.threadCount = threads;
    await this.disposeEmbeddingContext();
    await this.ensureContext(this.context?.contextSize ?? DEFAULT_CONTEXT_SIZE, true);
  }

  private embeddingContextSize(): number {
    return this.clampContextSize(this.context?.contextSize ?? DEFAULT_CONTEXT_SIZE);
  }

  private ensureEmbeddingContext(): Promise<LlamaEmbeddingContext> {
    this.embeddingContext ??= this.model
      .createEmbeddingContext({ contextSize: this.embeddingContextSize(), threads: this.threadCount })
      .catch((error: unknown) => {
        this.embeddingContext = null;
        throw error;
      });
    return this.embeddingContext;
  }

  private async disposeEmbeddingContext(): Promise<void> {
    const pending = this.embeddingContext;
    this.embeddingContext = null;
    await (await pending?.catch(() => null))?.dispose();
  }

  private targetContextSize(requested: number | undefined): number {
    return requested ? this.clampContextSize(requested) : (this.context?.contextSize ?? DEFAULT_CONTEXT_SIZE);
  }

  /** The reply length to ask llama.cpp for; with strictContext, refuses what does not fit (one token stays free). */
  private fitReply(promptTokens: number, contextSize: number, options: GenerateOptions): number | undefined {
    if (!options.strictContext) return options.maxTokens;
    const room = contextSize - promptTokens - 1;
    if (room < 1) throw new ContextLengthExceededError(contextSize, promptTokens, null);
    if (options.maxTokens !== undefined && options.maxTokens > room)
      throw new ContextLengthExceededError(contextSize, promptTokens, options.maxTokens);
    return options.maxTokens ?? room;
  }

  /** Validates tools, response format and context fit, and counts the prompt: everything that can refuse a chat before it queues. */
  private planChat(turns: ChatTurn[], options: GenerateChatOptions): ChatPlan {
    const choice = options.toolChoice ?? 'auto';
    const tools = options.tools ?? [];
    // A Map, then fromEntries: a tool named "__proto__" must stay an ordinary key.
    const definitions = new Map<string, { description?: string; params?: GbnfJsonSchema }>();
    for (const [index, tool] of tools.entries()) {
      if (!TOOL_NAME.test(tool.name))
        throw new InvalidArgumentsError('generateChat', [
          `tool ${index}: the name "${tool.name}" must be 1-64 letters, digits, "_" or "-"`
        ]);
      if (definitions.has(tool.name)) throw new InvalidArgumentsError('generateChat', [`tool ${index}: "${tool.name}" is defined twice`]);
      const params =
        tool.parameters === undefined
          ? undefined
          : toGrammarSchema(tool.parameters, { target: { kind: 'toolParameters', toolIndex: index }, strict: tool.strict });
      definitions.set(tool.name, { ...(tool.description && { description: tool.description }), ...(params && { params }) });
    }
    const functions: ChatModelFunctions = Object.fromEntries(definitions);
    let offered: ChatModelFunctions | undefined;
    let forceToolCall = false;
    if (typeof choice === 'object') {
      const chosen = definitions.get(choice.name);
      if (!chosen) throw new InvalidArgumentsError('generateChat', [`tool_choice names "${choice.name}", which is not one of the tools`]);
      offered = Object.fromEntries([[choice.name, chosen]]);
      forceToolCall = true;
    } else if (choice === 'required') {
      if (tools.length === 0) throw new InvalidArgumentsError('generateChat', ['tool_choice "required" needs at least one tool']);
      offered = functions;
      forceToolCall = true;
    } else if (choice === 'auto' && tools.length > 0) {
      offered = functions;
    }

    const format = options.responseFormat ?? { type: 'text' };
    if (format.type !== 'text' && offered)
      throw new InvalidArgumentsError('generateChat', [
        'a JSON response format cannot be combined with tools on a local model; use tool_choice "none" or drop one'
      ]);
    const grammarSchema =
      format.type === 'json_schema'
        ? toGrammarSchema(format.schema, { target: { kind: 'responseFormat' }, strict: format.strict })
        : undefined;

    const history = toChatHistory(turns);
    const contextSize = this.targetContextSize(options.contextSize);
    const promptTokens = this.chatWrapper
      .generateContextState({ chatHistory: history, availableFunctions: offered, documentFunctionParams: offered ? true : undefined })
      .contextText.tokenize(this.model.tokenizer).length;
    const maxTokens = this.fitReply(promptTokens, contextSize, options);
    // Start compiling the grammar now; the job awaits it before it reports a start.
    const grammar =
      format.type === 'json_object'
        ? this.grammar('json', () => this.model.llama.getGrammarFor('json'))
        : grammarSchema
          ? this.schemaGrammar(grammarSchema)
          : undefined;
    grammar?.catch(() => {}); // observed by the job; never an unhandled rejection
    return { history, contextSize, promptTokens, maxTokens, functions: offered, forceToolCall, grammar };
  }

  private schemaGrammar(schema: GbnfJsonSchema): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    return this.grammar(key, () =>
      // The schema's shape is only known at run time; toGrammarSchema made it a valid GbnfJsonSchema.
      this.model.llama.createGrammarForJsonSchema(schema as Readonly<{ type: 'object' }>).catch((error: unknown) => {
        throw new UnsupportedSchemaError(
          { kind: 'responseFormat' },
          '',
          `no grammar could be built from it (${(error as Error)?.message ?? error})`
        );
      })
    );
  }

  /** Grammars are compiled once per distinct schema (a small LRU). */
  private grammar(key: string, create: () => Promise<LlamaGrammar>): Promise<LlamaGrammar> {
    let grammar = this.grammars.get(key);
    if (grammar) {
      this.grammars.delete(key);
    } else {
      grammar = create();
      grammar.catch(() => this.grammars.delete(key));
    }
    this.grammars.set(key, grammar);
    if (this.grammars.size > GRAMMAR_CACHE_SIZE) this.grammars.delete(this.grammars.keys().next().value!);
    return grammar;
  }

  private clampContextSize(size: number): number {
    return Math.max(64, Math.min(size, this.model.trainContextSize));
  }

  private async ensureContext(size: number, force = false): Promise<LlamaContextSequence> {
    if (this.sequence && this.context && this.context.contextSize === size && !force) return this.sequence;
    await this.context?.dispose();
    this.context = await this.model.createContext({ contextSize: size, threads: this.threadCount, sequences: 1 });
    this.sequence = this.context.getSequence();
    return this.sequence;
  }

  private async runChat(plan: ChatPlan, options: GenerateChatOptions, queueWaitMs: number): Promise<GenerationResult> {
    const sequence = await this.ensureContext(plan.contextSize);
    const grammar = await plan.grammar;
    const chat = new LlamaChat({
      contextSequence: sequence,
      chatWrapper: plan.forceToolCall ? forcedToolCallWrapper(this.chatWrapper) : this.chatWrapper
    });
    const outputBefore = sequence.tokenMeter.usedOutputTokens;
    options.onStart?.();

    const startedAt = performance.now();
    let firstTokenAt: number | null = null;
    let completionTokens = 0;
    try {
      const common = {
        ...samplingOptions(options, plan.maxTokens),
        onToken: (tokens: Token[]) => {
          firstTokenAt ??= performance.now();
          completionTokens += tokens.length;
        },
        onTextChunk: options.onTextChunk
      };
      const generateOptions: LLamaChatGenerateResponseOptions<ChatModelFunctions> = plan.functions
        ? {
            ...common,
            functions: plan.functions,
            documentFunctionParams: true,
            maxParallelFunctionCalls: options.parallelToolCalls === false ? 1 : undefined,
            onFunctionCallParamsChunk: () => {
              firstTokenAt ??= performance.now();
            }
          }
        : { ...common, grammar };
      const result = await chat.generateResponse(plan.history, generateOptions);
      const toolCalls = result.functionCalls?.map((call) => ({ name: call.functionName, arguments: JSON.stringify(call.params ?? {}) }));
      // Tool-call tokens do not pass through onToken: count what the sequence really generated.
      if (toolCalls?.length) completionTokens = Math.max(completionTokens, sequence.tokenMeter.usedOutputTokens - outputBefore);
      return {
        text: result.response,
        stopReason: toolCalls?.length ? 'toolCalls' : toStopReason(result.metadata.stopReason),
        ...(toolCalls?.length && { toolCalls }),
        metrics: this.metrics({ promptTokens: plan.promptTokens, completionTokens, startedAt, firstTokenAt, queueWaitMs })
      };
    } finally {
      chat.dispose({ disposeSequence: false });
    }
  }

  private async runCompletion(plan: CompletionPlan, options: GenerateCompletionOptions, queueWaitMs: number): Promise<GenerationResult> {
    const sequence = await this.ensureContext(plan.contextSize);
    const completion = new LlamaCompletion({ contextSequence: sequence });
    options.onStart?.();
    const startedAt = performance.now();
    let firstTokenAt: number | null = null;
    let completionTokens = 0;
    try {
      const result = await completion.generateCompletionWithMeta(plan.tokens, {
        ...samplingOptions(options, plan.maxTokens),
        disableContextShift: options.strictContext,
        onToken: (tokens) => {
          firstTokenAt ??= performance.now();
          completionTokens += tokens.length;
        },
        onTextChunk: options.onTextChunk
      });
      return {
        text: result.response,
        stopReason: toStopReason(result.metadata.stopReason),
        metrics: this.metrics({ promptTokens: plan.promptTokens, completionTokens, startedAt, firstTokenAt, queueWaitMs })
      };
    } finally {
      completion.dispose({ disposeSequence: false });
    }
  }

  /** Per-reply figures, measured when the reply ends. */
  private metrics(run: {
    promptTokens: number;
    completionTokens: number;
    startedAt: number;
    firstTokenAt: number | null;
    queueWaitMs: number;
  }): ReplyMetrics {
    const finishedAt = performance.now();
    const generationMs = run.firstTokenAt === null ? 0 : finishedAt - run.firstTokenAt;
    return {
      model: this.setup.name,
      backend: this.setup.backend,
      promptTokens: run.promptTokens,
      completionTokens: run.completionTokens,
      timeToFirstTokenMs: run.firstTokenAt === null ? null : run.firstTokenAt - run.startedAt,
      // Decode speed after the first token, the figure llama.cpp users compare.
      tokensPerSecond: run.completionTokens > 1 && generationMs > 0 ? ((run.completionTokens - 1) * 1000) / generationMs : 0,
      totalMs: finishedAt - run.startedAt,
      queueWaitMs: run.queueWaitMs,
      provider: null,
      costUsd: null,
      route: null
    };
  }

  private async measureThroughput(threads: number, signal?: AbortSignal): Promise<number> {
    const context = await this.model.createContext({ contextSize: 512, threads, sequences: 1 });
    try {
      const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
      let firstAt = 0;
      let lastAt = 0;
      let tokens = 0;
      await completion.generateCompletion(TUNE_PROMPT, {
        maxTokens: TUNE_TOKENS,
        temperature: 0,
        signal,
        onToken: (chunk) => {
          lastAt = performance.now();
          if (tokens === 0) firstAt = lastAt;
          tokens += chunk.length;
        }
      });
      return tokens > 1 && lastAt > firstAt ? ((tokens - 1) * 1000) / (lastAt - firstAt) : 0;
    } finally {
      await context.dispose();
    }
  }
}

interface ChatPlan {
  history: ChatHistoryItem[];
  contextSize: number;
  promptTokens: number;
  maxTokens: number | undefined;
  functions: ChatModelFunctions | undefined;
  forceToolCall: boolean;
  grammar: Promise<LlamaGrammar> | undefined;
}

interface CompletionPlan {
  tokens: Token[];
  contextSize: number;
  promptTokens: number;
  maxTokens: number | undefined;
}

function toChatHistory(turns: ChatTurn[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = turns.map((turn) => {
    if (turn.role === 'system') return { type: 'system', text: turn.content };
    if (turn.role === 'user') return { type: 'user', text: turn.content };
    const calls: ChatModelFunctionCall[] = (turn.toolCalls ?? []).map((call) => ({
      type: 'functionCall',
      name: call.name,
      params: call.arguments,
      result: call.result
    }));
    return { type: 'model', response: turn.content || calls.length === 0 ? [turn.content, ...calls] : calls };
  });
  history.push({ type: 'model', response: [] });
  return history;
}

/**
 * The chat template, made to open the reply with its function-call syntax, so the model must call
 * one of the offered functions (node-llama-cpp then constrains the name and the arguments).
 */
function forcedToolCallWrapper(inner: ChatWrapper): ChatWrapper {
  const forced = Object.create(inner) as ChatWrapper;
  forced.generateContextState = (options) => {
    const state = inner.generateContextState(options);
    if (state.functionCall) return { ...state, functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] } };
    return {
      contextText: state.contextText,
      stopGenerationTriggers: state.stopGenerationTriggers,
      noPrefixTrigger: { type: 'functionCall', inject: LlamaText(inner.settings.functions.call.prefix) },
      detectFunctionCalls: true
    };
  };
  return forced;
}

/** What chat and raw completions pass alike to node-llama-cpp: sampling, stops and cancellation. */
function samplingOptions(options: GenerateOptions, maxTokens: number | undefined) {
  return {
    temperature: options.temperature,
    topP: options.topP,
    maxTokens,
    seed: options.seed,
    repeatPenalty: repeatPenalty(options),
    customStopTriggers: options.stop?.length ? options.stop : undefined,
    signal: options.signal,
    stopOnAbortSignal: true
  };
}

function repeatPenalty(options: GenerateOptions): LLamaContextualRepeatPenalty | undefined {
  const frequencyPenalty = Math.max(0, options.frequencyPenalty ?? 0);
  const presencePenalty = Math.max(0, options.presencePenalty ?? 0);
  return frequencyPenalty || presencePenalty ? { frequencyPenalty, presencePenalty } : undefined;
}

function normalized(vector: readonly number[]): number[] {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const length = Math.sqrt(sum);
  return length > 0 ? vector.map((value) => value / length) : [...vector];
}

function toStopReason(reason: string): StopReason {
  if (reason === 'maxTokens') return 'maxTokens';
  if (reason === 'abort') return 'aborted';
  if (reason === 'eogToken') return 'eos';
  return 'stopTrigger';
}
