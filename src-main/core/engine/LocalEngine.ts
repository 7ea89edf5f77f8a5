import { open, stat } from 'node:fs/promises';
import { freemem, totalmem } from 'node:os';
import { basename, isAbsolute } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  getLlama,
  GgufInsights,
  InsufficientMemoryError,
  readGgufFileInfo,
  LlamaLogLevel,
  type Llama,
  type LlamaGpuType
} from 'node-llama-cpp';
import { InvalidArgumentsError } from '../EnclaveError';
import type { GpuBackend, GpuLayersChoice, KvCacheType, MachineMemory } from '../shared/types';
import { InvalidGgufError, ModelLoadError, ModelNotFoundError, ModelTooLargeError, TruncatedModelError } from './errors';
import { LocalModel } from './LocalModel';
import { availableCpuCount } from './threads';

const GGUF_MAGIC = 'GGUF';

export interface LocalEngineOptions {
  /** `auto` picks the best backend that works here (CUDA, Vulkan, Metal, else CPU). */
  gpu?: 'auto' | false;
  logLevel?: LlamaLogLevel;
}

export interface LoadModelOptions {
  path: string;
  gpuLayers?: GpuLayersChoice;
  contextSize?: number;
  flashAttention?: boolean;
  batchSize?: number;
  kvCacheType?: KvCacheType;
  threads: number;
  /** Requests beyond this many waiting generations are refused (QueueFullError). */
  maxQueueLength?: number;
  signal?: AbortSignal;
  onProgress?: (progress: number) => void;
}

/** Hosts llama.cpp through node-llama-cpp: one backend for the process, models created from it. */
export class LocalEngine {
  readonly cpuCount = availableCpuCount();

  private constructor(
    readonly llama: Llama,
    readonly gpuDeviceNames: string[]
  ) {}

  static async create({ gpu = 'auto', logLevel = LlamaLogLevel.error }: LocalEngineOptions = {}): Promise<LocalEngine> {
    const llama = await getLlama({
      gpu,
      // Prebuilt binaries only: never start a source build (no compiler or network is assumed).
      build: 'never',
      progressLogs: false,
      logLevel,
      maxThreads: availableCpuCount()
    });
    const names = llama.gpu ? await llama.getGpuDeviceNames() : [];
    return new LocalEngine(llama, names);
  }

  get backend(): GpuBackend {
    return toBackend(this.llama.gpu);
  }

  /**
   * Checks, without loading it, that `path` is a complete GGUF file this machine can hold. Only an
   * absolute file path is accepted: never a relative one (resolved against whatever the working
   * folder is) nor a URL or `hf:` URI, which node-llama-cpp would fetch.
   */
  async checkModelFile(path: string): Promise<void> {
    if (!isAbsolute(path))
      throw new InvalidArgumentsError('loadModel', [`the model path must be an absolute file path, not ${JSON.stringify(path)}`]);
    await assertGgufFile(path);
    await this.assertLoadable(path);
  }

  async loadModel(options: LoadModelOptions): Promise<LocalModel> {
    const { path } = options;
    await this.checkModelFile(path);
    // node-llama-cpp's model load does not keep Node's event loop alive: a CLI process would
    // otherwise exit silently, with code 0, in the middle of loading a large model.
    const keepAlive = setInterval(() => {}, 1 << 30);
    try {
      const vramUsedBefore = await this.vramUsed();
      const model = await this.llama.loadModel({
        modelPath: path,
        gpuLayers: options.gpuLayers ?? 'auto',
        loadSignal: options.signal,
        onLoadProgress: options.onProgress
      });
      return await LocalModel.create(model, {
        name: basename(path),
        path,
        sizeBytes: (await stat(path)).size,
        backend: this.backend,
        cpuCount: this.cpuCount,
        contextSize: options.contextSize,
        // Flash attention only where the model supports it (llama.cpp refuses it otherwise).
        flashAttention: (options.flashAttention ?? false) && model.flashAttentionSupported,
        batchSize: options.batchSize,
        kvCacheType: options.kvCacheType ?? 'f16',
        threads: options.threads,
        maxQueueLength: options.maxQueueLength,
        vramUsedBefore,
        readVramUsed: () => this.vramUsed()
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw classifyLoadError(path, error);
    } finally {
      clearInterval(keepAlive);
    }
  }

  /** This machine's RAM and the GPU's VRAM (none on the CPU backend), for fit estimates. */
  async machineMemory(): Promise<MachineMemory> {
    const vram = this.llama.gpu ? await this.llama.getVramState() : { total: 0, free: 0 };
    return {
      backend: this.backend,
      totalRamBytes: totalmem(),
      freeRamBytes: freemem(),
      totalVramBytes: vram.total,
      freeVramBytes: vram.free
    };
  }

  private async vramUsed(): Promise<number> {
    return this.llama.gpu ? (await this.llama.getVramState()).used : 0;
  }

  async dispose(): Promise<void> {
    // node-llama-cpp 3.21.1 keeps a dispose guard for a model whose load failed inside llama.cpp,
    // so llama.dispose() can wait until garbage collection: quitting must not hang on it.
    await Promise.race([this.llama.dispose(), delay(DISPOSE_WAIT_MS, undefined, { ref: false })]);
  }

  /**
   * Reads the GGUF header: a truncated download, or weights larger than this machine's RAM and
   * VRAM together, fail clearly here instead of deep inside llama.cpp (or, with mmap, by
   * "loading" and then paging from disk at unusable speed).
   */
  private async assertLoadable(path: string): Promise<void> {
    let expectedBytes: number | null = null;
    let weightsBytes: number;
    try {
      const info = await readGgufFileInfo(path, {
        sourceType: 'filesystem', // a local file only, never the network
        readTensorInfo: true,
        ignoreKeys: ['tokenizer.ggml.tokens', 'tokenizer.ggml.merges']
      });
      weightsBytes = (await GgufInsights.from(info, this.llama)).modelSize;
      if (info.splicedParts === 1 && info.infoEndOffset !== undefined) expectedBytes = info.infoEndOffset + weightsBytes;
    } catch (error) {
      throw new ModelLoadError(path, error);
    }
    const actualBytes = (await stat(path)).size;
    if (expectedBytes !== null && actualBytes < expectedBytes) throw new TruncatedModelError(path, expectedBytes, actualBytes);
    const memoryBytes = totalmem() + (this.llama.gpu ? (await this.llama.getVramState()).total : 0);
    if (weightsBytes > memoryBytes)
      throw new ModelTooLargeError(path, new Error(`${formatGiB(weightsBytes)} of weights, ${formatGiB(memoryBytes)} of RAM and VRAM`));
  }
}

const formatGiB = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

const DISPOSE_WAIT_MS = 3000;

function toBackend(gpu: LlamaGpuType): GpuBackend {
  return gpu === false ? 'cpu' : gpu;
}

/** Checks existence and the magic bytes before handing the file to llama.cpp. */
async function assertGgufFile(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new ModelNotFoundError(path);
    throw new ModelLoadError(path, error);
  }
  try {
    if ((await handle.stat()).isDirectory()) throw new ModelNotFoundError(path);
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    const magic = head.subarray(0, bytesRead).toString('latin1');
    if (magic !== GGUF_MAGIC) throw new InvalidGgufError(path, GGUF_MAGIC, magic);
  } finally {
    await handle.close();
  }
}

function classifyLoadError(path: string, error: unknown): Error {
  if (error instanceof InsufficientMemoryError || /memory|alloc/i.test((error as Error)?.message ?? ''))
    return new ModelTooLargeError(path, error);
  return new ModelLoadError(path, error);
}
