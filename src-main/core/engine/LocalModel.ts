import PQueue from 'p-queue';
import {
  LlamaChat,
  LlamaCompletion,
  type ChatHistoryItem,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel
} from 'node-llama-cpp';
import type { ModelInfo, ReplyMetrics } from '../../../src-preload/types';
import { GenerationAbortedError, QueueFullError } from './errors';
import type { LocalEngine } from './LocalEngine';
import { threadCandidates } from './threads';

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerateChatOptions {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  /** Run with a context of this size (recreated when it differs from the current one). */
  contextSize?: number;
  signal?: AbortSignal;
  onTextChunk?: (text: string) => void;
}

export type StopReason = 'eos' | 'maxTokens' | 'aborted' | 'stopTrigger';

export interface GenerationResult {
  text: string;
  stopReason: StopReason;
  metrics: ReplyMetrics;
}

export interface ThreadSweepSample {
  threads: number;
  tokensPerSecond: number;
}

interface LocalModelSetup {
  name: string;
  path: string;
  sizeBytes: number;
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

  private constructor(
    private readonly engine: LocalEngine,
    readonly model: LlamaModel,
    private readonly setup: LocalModelSetup
  ) {
    this.threadCount = setup.threads;
    this.maxQueueLength = setup.maxQueueLength ?? 64;
  }

  static async create(engine: LocalEngine, model: LlamaModel, setup: LocalModelSetup): Promise<LocalModel> {
    const local = new LocalModel(engine, model, setup);
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

  /** Streams a chat reply. Resolves with stopReason 'aborted' and the partial text when the signal fires mid-reply. */
  generateChat(turns: ChatTurn[], options: GenerateChatOptions = {}): Promise<GenerationResult> {
    const enqueuedAt = performance.now();
    return this.enqueue(options.signal, () => this.runChat(turns, options, performance.now() - enqueuedAt));
  }

  /**
   * Measures tokens/s at each candidate thread count on this model and keeps the best.
   * Runs as a queued job so it never overlaps a generation.
   */
  tuneThreads(options: { signal?: AbortSignal; onSample?: (sample: ThreadSweepSample, step: number, steps: number) => void } = {}): Promise<ThreadSweepSample[]> {
    return this.enqueue(options.signal, async () => {
      const candidates = threadCandidates(this.engine.cpuCount);
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
    this.queue.clear();
    await this.queue.onIdle();
    await this.context?.dispose();
    await this.model.dispose();
  }

  private enqueue<T>(signal: AbortSignal | undefined, job: () => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(new GenerationAbortedError());
    if (this.queue.size >= this.maxQueueLength) return Promise.reject(new QueueFullError(this.maxQueueLength, 2));
    // p-queue races a running job against its signal and would start the next job while this one
    // still holds the sequence; so its signal only cancels the wait, and the job handles the rest.
    const waiting = new AbortController();
    let started = false;
    const cancelWait = () => !started && waiting.abort();
    signal?.addEventListener('abort', cancelWait, { once: true });
    return this.queue
      .add(
        () => {
          started = true;
          return job();
        },
        { signal: waiting.signal }
      )
      .catch((error: unknown) => {
        throw waiting.signal.aborted ? new GenerationAbortedError() : error;
      })
      .finally(() => signal?.removeEventListener('abort', cancelWait));
  }

  private async applyThreads(threads: number): Promise<void> {
    this.threadCount = threads;
    await this.ensureContext(this.context?.contextSize ?? DEFAULT_CONTEXT_SIZE, true);
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

  private async runChat(turns: ChatTurn[], options: GenerateChatOptions, queueWaitMs: number): Promise<GenerationResult> {
    const sequence = await this.ensureContext(
      options.contextSize ? this.clampContextSize(options.contextSize) : (this.context?.contextSize ?? DEFAULT_CONTEXT_SIZE)
    );
    const chat = new LlamaChat({ contextSequence: sequence });
    const history = toChatHistory(turns);
    const promptTokens = chat.chatWrapper
      .generateContextState({ chatHistory: history })
      .contextText.tokenize(this.model.tokenizer).length;

    const startedAt = performance.now();
    let firstTokenAt: number | null = null;
    let completionTokens = 0;
    try {
      const result = await chat.generateResponse(history, {
        temperature: options.temperature,
        topP: options.topP,
        maxTokens: options.maxTokens,
        seed: options.seed,
        signal: options.signal,
        stopOnAbortSignal: true,
        onToken: (tokens) => {
          firstTokenAt ??= performance.now();
          completionTokens += tokens.length;
        },
        onTextChunk: options.onTextChunk
      });
      const finishedAt = performance.now();
      const generationMs = firstTokenAt === null ? 0 : finishedAt - firstTokenAt;
      return {
        text: result.response,
        stopReason: toStopReason(result.metadata.stopReason),
        metrics: {
          model: this.setup.name,
          backend: this.engine.backend,
          promptTokens,
          completionTokens,
          timeToFirstTokenMs: firstTokenAt === null ? null : firstTokenAt - startedAt,
          // Decode speed after the first token, the figure llama.cpp users compare.
          tokensPerSecond: completionTokens > 1 && generationMs > 0 ? ((completionTokens - 1) * 1000) / generationMs : 0,
          totalMs: finishedAt - startedAt,
          queueWaitMs
        }
      };
    } finally {
      chat.dispose({ disposeSequence: false });
    }
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

function toChatHistory(turns: ChatTurn[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = turns.map((turn) =>
    turn.role === 'system'
      ? { type: 'system', text: turn.content }
      : turn.role === 'user'
        ? { type: 'user', text: turn.content }
        : { type: 'model', response: [turn.content] }
  );
  history.push({ type: 'model', response: [] });
  return history;
}

function toStopReason(reason: string): StopReason {
  if (reason === 'maxTokens') return 'maxTokens';
  if (reason === 'abort') return 'aborted';
  if (reason === 'eogToken') return 'eos';
  return 'stopTrigger';
}
