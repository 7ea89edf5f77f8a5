import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GenerationAbortedError,
  InvalidGgufError,
  ModelLoadError,
  ModelNotFoundError,
  ModelTooLargeError,
  QueueFullError,
  TruncatedModelError
} from '../src-main/core/engine/errors';
import { InvalidArgumentsError } from '../src-main/core/EnclaveError';
import { LocalEngine } from '../src-main/core/engine/LocalEngine';
import type { GenerateOptions, LocalModel } from '../src-main/core/engine/LocalModel';
import { threadCandidates } from '../src-main/core/engine/threads';
import { useTempDir } from './support/tempDir';
import { ensureTestModel, writeTestModel, writeTruncatedCopy } from './support/writeTestModel';

const turns = [{ role: 'user' as const, content: 'Tell me a story about a fox.' }];

describe('LocalEngine with the generated GGUF', () => {
  const tempDir = useTempDir();
  let engine: LocalEngine;
  let model: LocalModel;
  let modelPath: string;

  beforeAll(async () => {
    modelPath = await ensureTestModel();
    engine = await LocalEngine.create();
    model = await engine.loadModel({ path: modelPath, threads: 1, contextSize: 1024, maxQueueLength: 2 });
  });

  afterAll(async () => {
    await model?.dispose();
    await engine?.dispose();
  });

  it('loads the model and reports backend, layers and threads', () => {
    expect(['cpu', 'cuda', 'vulkan', 'metal']).toContain(engine.backend);
    const info = model.info;
    expect(info.architecture).toBe('llama');
    expect(info.path).toBe(modelPath);
    expect(info.totalLayers).toBeGreaterThan(0);
    expect(info.offloadedLayers).toBeLessThanOrEqual(info.totalLayers);
    if (engine.backend === 'cpu') expect(info.offloadedLayers).toBe(0);
    expect(info.contextSize).toBe(1024);
    expect(info.threads).toBe(1);
  });

  it('streams a reply in many chunks and measures it', async () => {
    const chunks: string[] = [];
    const result = await model.generateChat(turns, { maxTokens: 48, temperature: 0.8, onTextChunk: (text) => chunks.push(text) });
    expect(chunks.length).toBeGreaterThan(5);
    expect(result.text).toBe(chunks.join(''));
    expect(result.stopReason).toBe('maxTokens');
    expect(result.metrics.completionTokens).toBe(48);
    expect(result.metrics.promptTokens).toBeGreaterThan(5);
    expect(result.metrics.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(result.metrics.tokensPerSecond).toBeGreaterThan(0);
    expect(result.metrics.totalMs).toBeGreaterThanOrEqual(result.metrics.timeToFirstTokenMs!);
    expect(result.metrics.backend).toBe(engine.backend);
  });

  it('stops mid-reply on abort and keeps the partial text', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const result = await model.generateChat(turns, {
      maxTokens: 2000,
      signal: controller.signal,
      onTextChunk: () => {
        if (++chunks === 5) controller.abort();
      }
    });
    expect(result.stopReason).toBe('aborted');
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.metrics.completionTokens).toBeLessThan(2000);
  });

  it('counts every generated token and keeps all the text, also when the reply ends in what could start a stop string', async () => {
    for (const generate of [
      (options: GenerateOptions) => model.generateCompletion('Once upon a time', options),
      (options: GenerateOptions) => model.generateChat(turns, options)
    ]) {
      const plain = await generate({ maxTokens: 16, temperature: 0 });
      expect(plain.metrics.completionTokens).toBe(16);
      // The reply's last characters begin this stop string: they are held back while it may still
      // come, and released (and counted) when the reply ends without it.
      const stop = `${plain.text.slice(-3)}\u0000`;
      const chunks: string[] = [];
      const held = await generate({ maxTokens: 16, temperature: 0, stop: [stop], onTextChunk: (text) => chunks.push(text) });
      expect(held.text).toBe(plain.text);
      expect(chunks.join('')).toBe(plain.text);
      expect(held.stopReason).toBe('maxTokens');
      expect(held.metrics.completionTokens).toBe(16);
    }
  });

  it('stops before a stop string without losing the characters before it', async () => {
    const prompt = 'Once upon a time';
    const unstopped = await model.generateCompletion(prompt, { maxTokens: 16, temperature: 0 });
    // A whole word without the space before it: node-llama-cpp's own stop triggers dropped that space.
    const stop = unstopped.text.split(' ')[4]!;
    const chunks: string[] = [];
    const stopped = await model.generateCompletion(prompt, {
      maxTokens: 16,
      temperature: 0,
      stop: [stop],
      onTextChunk: (text) => chunks.push(text)
    });
    expect(stopped.text).toBe(unstopped.text.slice(0, unstopped.text.indexOf(stop)));
    expect(stopped.text).toMatch(/ $/);
    expect(chunks.join('')).toBe(stopped.text);
    expect(stopped.stopReason).toBe('stopTrigger');
    expect(stopped.metrics.completionTokens).toBeLessThan(16);
  });

  it('runs two concurrent prompts one after the other, in arrival order', async () => {
    const order: string[] = [];
    const first = model.generateChat(turns, { maxTokens: 24, onTextChunk: () => order.push('first') });
    const second = model.generateChat(turns, { maxTokens: 24, onTextChunk: () => order.push('second') });
    expect(model.queueLength).toBe(2);
    const [a, b] = await Promise.all([first, second]);
    expect(order.indexOf('second')).toBeGreaterThan(order.lastIndexOf('first'));
    expect(a.metrics.completionTokens).toBe(24);
    expect(b.metrics.completionTokens).toBe(24);
    expect(b.metrics.queueWaitMs).toBeGreaterThan(0);
    expect(model.queueLength).toBe(0);
  });

  it('cancels a queued prompt without disturbing the running one, and refuses when the queue is full', async () => {
    const running = model.generateChat(turns, { maxTokens: 200 });
    const controller = new AbortController();
    const queued = model.generateChat(turns, { maxTokens: 24, signal: controller.signal });
    const alsoQueued = model.generateChat(turns, { maxTokens: 8 });
    await expect(model.generateChat(turns, { maxTokens: 8 })).rejects.toBeInstanceOf(QueueFullError);
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(GenerationAbortedError);
    expect((await running).metrics.completionTokens).toBe(200);
    expect((await alsoQueued).metrics.completionTokens).toBe(8);
  });

  it('recreates the context for another thread count or context size between generations', async () => {
    await model.setThreads(2);
    expect(model.info.threads).toBe(2);
    const result = await model.generateChat(turns, { maxTokens: 8, contextSize: 512 });
    expect(result.metrics.completionTokens).toBe(8);
    expect(model.info.contextSize).toBe(512);
    await model.setThreads(1);
  });

  it('tunes threads with a measured sweep and keeps the fastest', async () => {
    const seen: number[] = [];
    const samples = await model.tuneThreads({ onSample: (sample) => seen.push(sample.threads) });
    expect(samples.map((s) => s.threads)).toEqual(threadCandidates(engine.cpuCount));
    expect(seen).toEqual(samples.map((s) => s.threads));
    for (const sample of samples) expect(sample.tokensPerSecond).toBeGreaterThan(0);
    const best = samples.reduce((a, b) => (b.tokensPerSecond > a.tokensPerSecond ? b : a));
    expect(model.threads).toBe(best.threads);
  });

  describe('bad model files', () => {
    it('a relative path, even to a good model, or a URL: refused before anything is read or fetched', async () => {
      for (const path of [relative(process.cwd(), modelPath), 'https://example.invalid/model.gguf', 'hf:someone/some-model-GGUF:Q4_K_M']) {
        const error = await engine.loadModel({ path, threads: 1 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidArgumentsError);
        expect((error as Error).message).toContain('absolute file path');
        await expect(engine.checkModelFile(path)).rejects.toBeInstanceOf(InvalidArgumentsError);
      }
    });

    it('a missing file', async () => {
      const error = await engine.loadModel({ path: join(tempDir(), 'nope.gguf'), threads: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelNotFoundError);
      expect((error as Error).message).toMatch(/No model file at .*nope\.gguf/);
    });

    it('a directory', async () => {
      await expect(engine.loadModel({ path: tempDir(), threads: 1 })).rejects.toBeInstanceOf(ModelNotFoundError);
    });

    it('a file that is not GGUF', async () => {
      const file = join(tempDir(), 'notes.gguf');
      writeFileSync(file, 'just some text, certainly not a model');
      const error = (await engine.loadModel({ path: file, threads: 1 }).catch((e: unknown) => e)) as InvalidGgufError;
      expect(error).toBeInstanceOf(InvalidGgufError);
      expect(error.actual).toBe('just');
      expect(error.message).toContain('not a GGUF model file');
    });

    it('an empty file', async () => {
      const file = join(tempDir(), 'empty.gguf');
      writeFileSync(file, '');
      await expect(engine.loadModel({ path: file, threads: 1 })).rejects.toBeInstanceOf(InvalidGgufError);
    });

    it('a GGUF cut inside its header', async () => {
      const file = join(tempDir(), 'header.gguf');
      await writeTruncatedCopy(modelPath, file, 10);
      const error = await engine.loadModel({ path: file, threads: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelLoadError);
      expect((error as Error).message).toMatch(/truncated or damaged/);
    });

    it('a model larger than RAM and VRAM together', async () => {
      // 680+ GiB of declared weights in a sparse file that takes no disk space.
      const file = join(tempDir(), 'huge.gguf');
      await writeTestModel(
        file,
        { embeddingLength: 16384, layers: 48, headCount: 64, headCountKv: 8, feedForwardLength: 65536, vocabSize: 4096 },
        { sparse: true }
      );
      const error = await engine.loadModel({ path: file, threads: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelTooLargeError);
      expect((error as Error).message).toMatch(/GiB of weights/);
    });

    it('a truncated GGUF, after which the engine still loads good models', async () => {
      const file = join(tempDir(), 'truncated.gguf');
      await writeTruncatedCopy(modelPath, file, 40_000);
      const error = (await engine.loadModel({ path: file, threads: 1 }).catch((e: unknown) => e)) as TruncatedModelError;
      expect(error).toBeInstanceOf(TruncatedModelError);
      expect(error.actualBytes).toBe(40_000);
      expect(error.expectedBytes).toBeGreaterThan(40_000);
      expect(error.message).toMatch(/incomplete/);
      const again = await engine.loadModel({ path: modelPath, threads: 1, contextSize: 256 });
      expect((await again.generateChat(turns, { maxTokens: 4 })).metrics.completionTokens).toBe(4);
      await again.dispose();
    });
  });
});
