import type { EnclaveApi } from '../../src-preload/contract';
import type { EngineSettings, KvCacheType, LoadEstimate, ModelLoadOptions } from '../../src-main/core/shared/types';
import { toUserFacingError } from '../lib/errors';

export type GpuLayersMode = 'auto' | 'custom' | 'max';
/** Wait this long after the last change before asking the core for a new estimate. */
const ESTIMATE_DEBOUNCE_MS = 200;

/**
 * The load options for one model file as the load form edits them, starting from the engine settings,
 * and the core's memory estimate for the current choice (refreshed as the choice changes).
 */
export class LoadOptionsState {
  readonly #api: EnclaveApi;
  readonly #fileId: string;

  gpuMode = $state<GpuLayersMode>('auto');
  gpuLayers = $state(0);
  contextSize = $state(4096);
  flashAttention = $state(false);
  /** null: node-llama-cpp's default. */
  batchSize = $state<number | null>(null);
  kvCacheType = $state<KvCacheType>('f16');

  estimate = $state.raw<LoadEstimate | null>(null);
  estimateError = $state<string | null>(null);
  isEstimating = $state(false);

  options = $derived<ModelLoadOptions>({
    gpuLayers: this.gpuMode === 'custom' ? this.gpuLayers : this.gpuMode,
    contextSize: this.contextSize,
    flashAttention: this.flashAttention,
    kvCacheType: this.kvCacheType,
    ...(this.batchSize === null ? {} : { batchSize: this.batchSize })
  });

  #timer: ReturnType<typeof setTimeout> | undefined;
  #sequence = 0;

  /** `trainedContext`: the model's own context length, when its header says; the context size starts within it. */
  constructor(api: EnclaveApi, fileId: string, settings: EngineSettings | null, trainedContext: number | null) {
    this.#api = api;
    this.#fileId = fileId;
    if (settings) {
      this.gpuMode = settings.gpuLayers === 'auto' ? 'auto' : 'custom';
      this.gpuLayers = settings.gpuLayers === 'auto' ? 0 : settings.gpuLayers;
      this.contextSize = settings.contextSize;
      this.flashAttention = settings.flashAttention;
      this.batchSize = settings.batchSize;
      this.kvCacheType = settings.kvCacheType;
    }
    if (trainedContext) this.contextSize = Math.min(this.contextSize, trainedContext);
  }

  /** Asks for a fresh estimate once the choice has settled; earlier answers that arrive late are dropped. */
  scheduleEstimate(): void {
    const options = this.options;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#estimate(options), ESTIMATE_DEBOUNCE_MS);
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }

  async #estimate(options: ModelLoadOptions): Promise<void> {
    const sequence = ++this.#sequence;
    this.isEstimating = true;
    try {
      const estimate = await this.#api.estimateLoad({ id: this.#fileId, options });
      if (sequence !== this.#sequence) return;
      this.estimate = estimate;
      this.estimateError = null;
      // The slider's range is the model's layers; keep a custom choice inside it.
      if (this.gpuLayers > estimate.totalLayers) this.gpuLayers = estimate.totalLayers;
      if (estimate.trainContextSize > 0 && this.contextSize > estimate.trainContextSize) this.contextSize = estimate.trainContextSize;
      if (!estimate.flashAttentionSupported) this.flashAttention = false;
    } catch (error) {
      if (sequence === this.#sequence) this.estimateError = toUserFacingError(error).message;
    } finally {
      if (sequence === this.#sequence) this.isEstimating = false;
    }
  }
}
