import {
  GgmlType,
  LlamaChat,
  LlamaCompletion,
  type ChatModelFunctions,
  type LLamaChatGenerateResponseOptions,
  type LLamaContextualRepeatPenalty,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaEmbeddingContext,
  type LlamaModel,
  type Token
} from 'node-llama-cpp';
import type { GpuBackend, KvCacheType, ModelInfo, ReplyMetrics } from '../shared/types';
import { ChatPlanner, type ChatPlan } from './ChatPlanner';
import { ContextLengthExceededError, GenerationAbortedError } from './errors';
import { GenerationQueue } from './GenerationQueue';
import { StopStringFilter } from './StopStringFilter';
import { sweepThreads, type ThreadSweepOptions } from './sweepThreads';
import type {
  ChatTurn,
  EmbeddingResult,
  EmbedOptions,
  GenerateChatOptions,
  GenerateCompletionOptions,
  GenerateOptions,
  GeneratedToolCall,
  GenerationResult,
  StopReason,
  ThreadSweepSample
} from './types';

export type * from './types';

interface LocalModelSetup {
  name: string;
  path: string;
  sizeBytes: number;
  backend: GpuBackend;
  /** CPUs available to the process: the upper end of a thread sweep. */
  cpuCount: number;
  contextSize?: number;
  flashAttention: boolean;
  batchSize?: number;
  kvCacheType: KvCacheType;
  threads: number;
  maxQueueLength?: number;
  /** VRAM in use before the model loaded, to report what it takes (getVramState() after, minus this). */
  vramUsedBefore: number;
  readVramUsed: () => Promise<number>;
}

const DEFAULT_CONTEXT_SIZE = 4096;
/** llama.cpp quantizes the V cache only with flash attention; without it the V cache stays F16. */
export function valueCacheType(type: KvCacheType, flashAttention: boolean): KvCacheType {
  return flashAttention ? type : 'f16';
}

/** KV cache types as llama.cpp names them. */
export const KV_CACHE_GGML = { f16: GgmlType.F16, q8_0: GgmlType.Q8_0, q4_0: GgmlType.Q4_0 } as const satisfies Record<
  KvCacheType,
  GgmlType
>;

/**
 * A loaded GGUF model with one context. Generations run one at a time in arrival order
 * (a FIFO queue: nobody waits behind a later request); the rest wait, or are refused when
 * the queue is full.
 */
export class LocalModel {
  private readonly queue: GenerationQueue;
  private readonly planner: ChatPlanner;
  private context: LlamaContext | null = null;
  private sequence: LlamaContextSequence | null = null;
  private threadCount: number;
  private vramBytes = 0;
  private embeddingContext: Promise<LlamaEmbeddingContext> | null = null;
  /** When the model finished loading (ms since the epoch). */
  readonly loadedAt = Date.now();

  private constructor(
    private readonly model: LlamaModel,
    private readonly setup: LocalModelSetup
  ) {
    this.threadCount = setup.threads;
    this.queue = new GenerationQueue(setup.name, setup.maxQueueLength ?? 64);
    this.planner = new ChatPlanner(model);
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
    return this.queue.length;
  }

  /** The length of the vectors embed() returns. */
  get embeddingDimensions(): number {
    return this.model.embeddingVectorSize;
  }

  get info(): ModelInfo {
    return {
      id: this.id,
      path: this.setup.path,
      name: this.setup.name,
      sizeBytes: this.setup.sizeBytes,
      architecture: this.model.fileInfo.metadata.general?.architecture ?? null,
      trainContextSize: this.model.trainContextSize,
      contextSize: this.context?.contextSize ?? 0,
      totalLayers: this.model.fileInsights.totalLayers,
      offloadedLayers: this.model.gpuLayers,
      threads: this.threadCount,
      flashAttention: this.context?.flashAttention === true,
      batchSize: this.context?.batchSize ?? 0,
      kvCacheType: this.setup.kvCacheType,
      memory: { vramBytes: this.vramBytes, ramBytes: this.estimatedRamBytes() }
    };
  }

  /** RAM the weights kept on the CPU and the context take, from node-llama-cpp's estimate for this configuration. */
  private estimatedRamBytes(): number {
    const insights = this.model.fileInsights;
    const weights = insights.estimateModelResourceRequirements({ gpuLayers: this.model.gpuLayers }).cpuRam;
    const context = this.context
      ? insights.estimateContextResourceRequirements({
          contextSize: this.context.contextSize,
          modelGpuLayers: this.model.gpuLayers,
          batchSize: this.context.batchSize,
          flashAttention: this.context.flashAttention === true,
          kvCacheKeyType: KV_CACHE_GGML[this.setup.kvCacheType],
          kvCacheValueType: KV_CACHE_GGML[valueCacheType(this.setup.kvCacheType, this.setup.flashAttention)]
        }).cpuRam
      : 0;
    return weights + context;
  }

  /** Measures the VRAM the model and its context hold now (0 on the CPU). */
  private async measureVram(): Promise<void> {
    this.vramBytes = Math.max(0, (await this.setup.readVramUsed()) - this.setup.vramUsedBefore);
  }

  /**
   * Streams a chat reply. Resolves with stopReason 'aborted' and the partial text when the signal fires mid-reply.
   * Invalid tools or schemas, and (with strictContext) prompts that do not fit, are refused before queueing.
   */
  generateChat(turns: ChatTurn[], options: GenerateChatOptions = {}): Promise<GenerationResult> {
    const enqueuedAt = performance.now();
    let plan: ChatPlan;
    let contextSize: number;
    try {
      contextSize = this.targetContextSize(options.contextSize);
      plan = this.planner.plan(turns, options, (promptTokens) => this.fitReply(promptTokens, contextSize, options));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.queue.enqueue(options.signal, () => this.runChat(plan, contextSize, options, performance.now() - enqueuedAt));
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
    return this.queue.enqueue(options.signal, () => this.runCompletion(plan, options, performance.now() - enqueuedAt));
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
    return this.queue.enqueue(options.signal, async () => {
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
  tuneThreads(options: ThreadSweepOptions = {}): Promise<ThreadSweepSample[]> {
    return this.queue.enqueue(options.signal, async () => {
      const samples = await sweepThreads(this.model, this.setup.cpuCount, options);
      const best = samples.reduce((a, b) => (b.tokensPerSecond > a.tokensPerSecond ? b : a));
      await this.applyThreads(best.threads);
      return samples;
    });
  }

  /** Switches the thread count between generations (the context is recreated). */
  setThreads(threads: number): Promise<void> {
    return this.queue.enqueue(undefined, () => this.applyThreads(threads));
  }

  async dispose(): Promise<void> {
    // Requests still waiting are refused (ModelUnloadedError) rather than left pending forever.
    await this.queue.close();
    await this.disposeEmbeddingContext();
    await this.context?.dispose();
    await this.model.dispose();
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

  private clampContextSize(size: number): number {
    return Math.max(64, Math.min(size, this.model.trainContextSize));
  }

  private async ensureContext(size: number, force = false): Promise<LlamaContextSequence> {
    if (this.sequence && this.context && this.context.contextSize === size && !force) return this.sequence;
    await this.context?.dispose();
    this.context = await this.model.createContext({
      contextSize: size,
      threads: this.threadCount,
      sequences: 1,
      flashAttention: this.setup.flashAttention,
      batchSize: this.setup.batchSize,
      experimentalKvCacheKeyType: KV_CACHE_GGML[this.setup.kvCacheType],
      experimentalKvCacheValueType: KV_CACHE_GGML[valueCacheType(this.setup.kvCacheType, this.setup.flashAttention)]
    });
    this.sequence = this.context.getSequence();
    await this.measureVram();
    return this.sequence;
  }

  private async runChat(plan: ChatPlan, contextSize: number, options: GenerateChatOptions, queueWaitMs: number): Promise<GenerationResult> {
    const sequence = await this.ensureContext(contextSize);
    const grammar = await plan.grammar;
    const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: plan.chatWrapper });
    try {
      return await this.generate(sequence, options, { promptTokens: plan.promptTokens, queueWaitMs }, async (controls) => {
        const common = { ...samplingOptions(options, plan.maxTokens), ...controls };
        const generateOptions: LLamaChatGenerateResponseOptions<ChatModelFunctions> = plan.functions
          ? {
              ...common,
              functions: plan.functions,
              documentFunctionParams: true,
              maxParallelFunctionCalls: options.parallelToolCalls === false ? 1 : undefined,
              onFunctionCallParamsChunk: controls.onToken
            }
          : { ...common, grammar };
        const result = await chat.generateResponse(plan.history, generateOptions);
        const toolCalls = result.functionCalls?.map((call) => ({ name: call.functionName, arguments: JSON.stringify(call.params ?? {}) }));
        return { stopReason: result.metadata.stopReason, toolCalls };
      });
    } finally {
      chat.dispose({ disposeSequence: false });
    }
  }

  private async runCompletion(plan: CompletionPlan, options: GenerateCompletionOptions, queueWaitMs: number): Promise<GenerationResult> {
    const sequence = await this.ensureContext(plan.contextSize);
    const completion = new LlamaCompletion({ contextSequence: sequence });
    try {
      return await this.generate(sequence, options, { promptTokens: plan.promptTokens, queueWaitMs }, async (controls) => {
        const result = await completion.generateCompletionWithMeta(plan.tokens, {
          ...samplingOptions(options, plan.maxTokens),
          ...controls,
          disableContextShift: options.strictContext
        });
        return { stopReason: result.metadata.stopReason };
      });
    } finally {
      completion.dispose({ disposeSequence: false });
    }
  }

  /**
   * Runs one generation on the sequence. Stop strings are matched here on the streamed text (see
   * StopStringFilter), so the reply is exactly the unstopped one cut before the stop string, and
   * the generation is ended through an internal signal. The reply's text is what was streamed.
   */
  private async generate(
    sequence: LlamaContextSequence,
    options: GenerateOptions,
    run: { promptTokens: number; queueWaitMs: number },
    call: (controls: GenerationControls) => Promise<{ stopReason: string; toolCalls?: GeneratedToolCall[] }>
  ): Promise<GenerationResult> {
    const filter = new StopStringFilter(options.stop, options.onTextChunk);
    const stopper = new AbortController();
    // Tokens generated, from the sequence's own meter: onToken misses the tokens node-llama-cpp holds back.
    const outputBefore = sequence.tokenMeter.usedOutputTokens;
    options.onStart?.();
    const startedAt = performance.now();
    let firstTokenAt: number | null = null;
    const result = await call({
      signal: options.signal ? AbortSignal.any([options.signal, stopper.signal]) : stopper.signal,
      stopOnAbortSignal: true,
      onToken: () => {
        firstTokenAt ??= performance.now();
      },
      onTextChunk: (text) => {
        filter.push(text);
        if (filter.stopped) stopper.abort();
      }
    });
    filter.end();
    const completionTokens = sequence.tokenMeter.usedOutputTokens - outputBefore;
    const toolCalls = result.toolCalls?.length ? result.toolCalls : undefined;
    return {
      text: filter.text,
      stopReason: toolCalls ? 'toolCalls' : filter.stopped ? 'stopTrigger' : toStopReason(result.stopReason),
      ...(toolCalls && { toolCalls }),
      metrics: this.metrics({ ...run, completionTokens, startedAt, firstTokenAt })
    };
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
}

/** What generate() hands node-llama-cpp: cancellation (the caller's and the stop strings'), and the streamed text. */
interface GenerationControls {
  signal: AbortSignal;
  stopOnAbortSignal: true;
  onToken: () => void;
  onTextChunk: (text: string) => void;
}

interface CompletionPlan {
  tokens: Token[];
  contextSize: number;
  promptTokens: number;
  maxTokens: number | undefined;
}

/** The sampling options chat and raw completions pass alike to node-llama-cpp. */
function samplingOptions(options: GenerateOptions, maxTokens: number | undefined) {
  return {
    temperature: options.temperature,
    topP: options.topP,
    maxTokens,
    seed: options.seed,
    repeatPenalty: repeatPenalty(options)
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
