import { isAbsolute } from 'node:path';
import { InvalidArgumentsError } from '../EnclaveError';
import type {
  EngineSettings,
  EngineStatus,
  GpuLayersChoice,
  KvCacheType,
  MachineMemory,
  ModelInfo,
  ThreadTuneResult
} from '../shared/types';
import type { EnclaveEvents } from '../EnclaveEvents';
import type { SettingsStore } from '../settings/SettingsStore';
import { ModelBusyLoadingError, NoModelLoadedError, UnknownModelError } from './errors';
import { LocalEngine } from './LocalEngine';
import type { LocalModel } from './LocalModel';
import { defaultThreadCount } from './threads';
import type { ThreadTuningStore, TuningFingerprint } from './ThreadTuningStore';

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  gpuLayers: 'auto',
  contextSize: 4096,
  threads: 'auto',
  flashAttention: false,
  batchSize: null,
  kvCacheType: 'f16',
  lastModelPath: null,
  modelsDir: null
};

const SETTINGS_KEY = 'engine';

export interface EngineServiceOptions {
  gpu?: 'auto' | false;
}

/**
 * The app's local model host: creates the llama.cpp backend on first use, keeps one loaded
 * model, applies the engine settings and the cached thread tuning, and reports its status.
 */
export class EngineService {
  private enginePromise: Promise<LocalEngine> | null = null;
  private model: LocalModel | null = null;
  private loading: { path: string; progress: number } | null = null;

  constructor(
    private readonly settingsStore: SettingsStore,
    private readonly tunings: ThreadTuningStore,
    private readonly events: EnclaveEvents,
    private readonly options: EngineServiceOptions = {}
  ) {}

  engine(): Promise<LocalEngine> {
    this.enginePromise ??= LocalEngine.create({ gpu: this.options.gpu ?? 'auto' }).catch((error: unknown) => {
      this.enginePromise = null;
      throw error;
    });
    return this.enginePromise;
  }

  get loadedModel(): LocalModel | null {
    return this.model;
  }

  get isLoading(): boolean {
    return this.loading !== null;
  }

  /** The loaded model, or an error that tells the user how to get one. */
  requireModel(): LocalModel {
    if (this.model) return this.model;
    if (this.loading) throw new ModelBusyLoadingError(this.loading.path);
    throw new NoModelLoadedError();
  }

  /**
   * The loaded model when `id` names it (its id, the file name without ".gguf", or the file name),
   * else UnknownModelError; with no model loaded, the same errors as requireModel().
   */
  requireModelById(id: string): LocalModel {
    const model = this.requireModel();
    if (id === model.id || id === model.info.name) return model;
    throw new UnknownModelError(id, [model.id]);
  }

  async status(): Promise<EngineStatus> {
    const engine = await this.engine();
    return {
      backend: engine.backend,
      gpuDeviceNames: engine.gpuDeviceNames,
      cpuCount: engine.cpuCount,
      model: this.model?.info ?? null,
      loading: this.loading,
      queueLength: this.model?.queueLength ?? 0
    };
  }

  async machineMemory(): Promise<MachineMemory> {
    return (await this.engine()).machineMemory();
  }

  getSettings(): EngineSettings {
    return this.settingsStore.read(SETTINGS_KEY, DEFAULT_ENGINE_SETTINGS);
  }

  async updateSettings(update: Partial<Omit<EngineSettings, 'lastModelPath'>>): Promise<EngineSettings> {
    if (update.modelsDir && !isAbsolute(update.modelsDir))
      throw new InvalidArgumentsError('updateEngineSettings', [
        `modelsDir must be an absolute folder, not ${JSON.stringify(update.modelsDir)}`
      ]);
    const next = { ...this.getSettings(), ...update };
    this.settingsStore.write(SETTINGS_KEY, next);
    if (this.model && update.threads !== undefined) {
      await this.model.setThreads(await this.chooseThreads(this.model, next));
      await this.publishStatus();
    }
    return next;
  }

  async loadModel(request: {
    path: string;
    gpuLayers?: GpuLayersChoice;
    contextSize?: number;
    flashAttention?: boolean;
    batchSize?: number;
    kvCacheType?: KvCacheType;
    /** Overrides the thread setting for this model only (the CLI's --threads). */
    threads?: number;
    /** Generations allowed to wait behind the running one before QueueFullError (default 64). */
    maxQueueLength?: number;
    signal?: AbortSignal;
  }): Promise<ModelInfo> {
    if (this.loading) throw new ModelBusyLoadingError(this.loading.path);
    const settings = this.getSettings();
    const engine = await this.engine();
    this.loading = { path: request.path, progress: 0 };
    try {
      // A missing, non-GGUF, truncated or oversized file is refused before the current model is freed.
      await engine.checkModelFile(request.path);
      // Free the current model first: two large models rarely fit in memory together.
      await this.unloadModel();
      const model = await engine.loadModel({
        path: request.path,
        gpuLayers: request.gpuLayers ?? settings.gpuLayers,
        contextSize: request.contextSize ?? settings.contextSize,
        flashAttention: request.flashAttention ?? settings.flashAttention,
        batchSize: request.batchSize ?? settings.batchSize ?? undefined,
        kvCacheType: request.kvCacheType ?? settings.kvCacheType,
        threads: settings.threads === 'auto' ? defaultThreadCount(engine.cpuCount) : settings.threads,
        maxQueueLength: request.maxQueueLength,
        signal: request.signal,
        onProgress: (progress) => {
          this.loading = { path: request.path, progress };
          this.events.emit('modelLoadProgress', { path: request.path, progress });
        }
      });
      const threads = request.threads ?? (await this.chooseThreads(model, settings));
      if (threads !== model.threads) await model.setThreads(threads);
      this.model = model;
      this.settingsStore.write(SETTINGS_KEY, { ...this.getSettings(), lastModelPath: request.path });
      return model.info;
    } finally {
      this.loading = null;
      await this.publishStatus();
    }
  }

  async unloadModel(): Promise<void> {
    const model = this.model;
    this.model = null;
    await model?.dispose();
    if (model) await this.publishStatus();
  }

  /** Runs the thread sweep on the loaded model, or returns the cached result for this model and machine. */
  async tuneThreads({ force = false, signal }: { force?: boolean; signal?: AbortSignal } = {}): Promise<ThreadTuneResult> {
    const model = this.requireModel();
    const fingerprint = await this.fingerprint(model);
    const cached = force ? null : this.tunings.find(fingerprint);
    if (cached) {
      if (this.getSettings().threads === 'auto' && model.threads !== cached.bestThreads) await model.setThreads(cached.bestThreads);
      return { modelPath: model.path, best: cached.bestThreads, samples: cached.samples, cached: true };
    }
    const samples = await model.tuneThreads({
      signal,
      onSample: (sample, step, steps) => this.events.emit('tuneProgress', { ...sample, step, steps })
    });
    const best = model.threads;
    this.tunings.save(fingerprint, { bestThreads: best, samples });
    await this.publishStatus();
    return { modelPath: model.path, best, samples, cached: false };
  }

  async dispose(): Promise<void> {
    await this.unloadModel();
    const engine = await this.enginePromise?.catch(() => null);
    await engine?.dispose();
  }

  private async chooseThreads(model: LocalModel, settings: EngineSettings): Promise<number> {
    if (settings.threads !== 'auto') return settings.threads;
    const engine = await this.engine();
    return this.tunings.find(await this.fingerprint(model))?.bestThreads ?? defaultThreadCount(engine.cpuCount);
  }

  private async fingerprint(model: LocalModel): Promise<TuningFingerprint> {
    const engine = await this.engine();
    const info = model.info;
    return {
      modelPath: info.path,
      modelSizeBytes: info.sizeBytes,
      backend: engine.backend,
      offloadedLayers: info.offloadedLayers,
      cpuCount: engine.cpuCount
    };
  }

  private async publishStatus(): Promise<void> {
    this.events.emit('engineStatusChanged', await this.status());
  }
}
