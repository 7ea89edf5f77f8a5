import { LlamaCompletion, type LlamaModel } from 'node-llama-cpp';
import { threadCandidates } from './threads';
import type { ThreadSweepSample } from './types';

const TUNE_PROMPT = 'The quick brown fox jumps over the lazy dog. Once upon a time,';
const TUNE_TOKENS = 32;

export interface ThreadSweepOptions {
  signal?: AbortSignal;
  onSample?: (sample: ThreadSweepSample, step: number, steps: number) => void;
}

/**
 * Measures decode speed at each candidate thread count (up to `cpuCount`), each in a small context
 * of its own. The caller must keep generations off the model meanwhile.
 */
export async function sweepThreads(model: LlamaModel, cpuCount: number, options: ThreadSweepOptions = {}): Promise<ThreadSweepSample[]> {
  const candidates = threadCandidates(cpuCount);
  const samples: ThreadSweepSample[] = [];
  for (const [index, threads] of candidates.entries()) {
    options.signal?.throwIfAborted();
    const sample = { threads, tokensPerSecond: await measureThroughput(model, threads, options.signal) };
    samples.push(sample);
    options.onSample?.(sample, index + 1, candidates.length);
  }
  return samples;
}

async function measureThroughput(model: LlamaModel, threads: number, signal?: AbortSignal): Promise<number> {
  const context = await model.createContext({ contextSize: 512, threads, sequences: 1 });
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
