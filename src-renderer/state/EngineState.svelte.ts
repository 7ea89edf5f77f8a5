import type { EnclaveApi, EventPayload } from '../../src-preload/contract';
import type { EngineSettings, EngineStatus, ModelLoadOptions, ThreadTuneResult } from '../../src-main/core/shared/types';
import { toUserFacingError } from '../lib/errors';

export type EngineSettingsPatch = Partial<Pick<EngineSettings, 'gpuLayers' | 'contextSize' | 'threads'>>;
export type TuneProgress = EventPayload<'tuneProgress'>;
export interface TuneSample {
  threads: number;
  tokensPerSecond: number;
}

/** The local inference engine: what is loaded, loading progress, engine settings and thread tuning. */
export class EngineState {
  status = $state.raw<EngineStatus | null>(null);
  settings = $state.raw<EngineSettings | null>(null);
  statusError = $state<string | null>(null);

  /** The path field; shared so "Choose model file…", Ctrl+O and a pasted path all feed the same load. */
  modelPath = $state('');
  loadError = $state<string | null>(null);
  settingsError = $state<string | null>(null);

  isTuning = $state(false);
  tuneProgress = $state.raw<TuneProgress | null>(null);
  tuneResult = $state.raw<ThreadTuneResult | null>(null);
  tuneError = $state<string | null>(null);
  /** Samples measured so far in the running sweep, so the chart fills in live. */
  #liveTuneSamples = $state.raw<TuneSample[]>([]);

  /** Set while our own loadModel call is in flight, before main reports `loading`. */
  #requestedPath = $state<string | null>(null);
  #progressEvent = $state.raw<EventPayload<'modelLoadProgress'> | null>(null);

  model = $derived(this.status?.model ?? null);
  /** Known to have no model (not merely "status not fetched yet"), so the load prompt doesn't flash at start. */
  needsModel = $derived(this.status !== null && this.status.model === null);
  isLoading = $derived(this.#requestedPath !== null || this.status?.loading != null);
  loadingPath = $derived(this.status?.loading?.path ?? this.#requestedPath);
  loadProgress = $derived(Math.max(this.status?.loading?.progress ?? 0, this.#progressEvent?.progress ?? 0));
  tuneSamples = $derived(this.isTuning ? this.#liveTuneSamples : (this.tuneResult?.samples ?? []));

  readonly #api: EnclaveApi;

  constructor(api: EnclaveApi) {
    this.#api = api;
  }

  /** Subscribes to engine events and fetches the current state; returns the unsubscribe. */
  connect(): () => void {
    const unsubscribers = [
      this.#api.onEngineStatusChanged((status) => {
        this.status = status;
        if (!status.loading) this.#progressEvent = null;
      }),
      this.#api.onModelLoadProgress((progress) => {
        this.#progressEvent = progress;
      }),
      this.#api.onTuneProgress((progress) => {
        this.tuneProgress = progress;
        this.#liveTuneSamples = [...this.#liveTuneSamples, { threads: progress.threads, tokensPerSecond: progress.tokensPerSecond }];
      })
    ];
    void this.refresh();
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
  }

  async refresh(): Promise<void> {
    try {
      const [status, settings] = await Promise.all([this.#api.getEngineStatus({}), this.#api.getEngineSettings({})]);
      this.status = status;
      this.settings = settings;
      this.statusError = null;
      if (!this.modelPath) this.modelPath = settings.lastModelPath ?? status.model?.path ?? '';
    } catch (error) {
      this.statusError = toUserFacingError(error).message;
    }
  }

  /** Opens the native file dialog and loads the chosen file right away. */
  async chooseAndLoadModel(): Promise<void> {
    if (this.isLoading) return;
    try {
      const path = await this.#api.chooseModelFile({});
      if (path === null) return;
      this.modelPath = path;
    } catch (error) {
      this.loadError = toUserFacingError(error).message;
      return;
    }
    await this.loadModel();
  }

  /** Loads `modelPath` with the saved engine settings. */
  async loadModel(): Promise<void> {
    const path = this.modelPath.trim();
    if (path) await this.load({ path });
  }

  /**
   * Loads a model file by id (the models folder) or path, replacing the loaded one; options left out come
   * from the engine settings. Resolves false when it failed (`loadError` says why).
   */
  async load(target: { id: string } | { path: string }, options: ModelLoadOptions = {}): Promise<boolean> {
    if (this.isLoading) return false;
    this.loadError = null;
    this.#progressEvent = null;
    this.#requestedPath = 'path' in target ? target.path : target.id;
    let loaded = false;
    try {
      await this.#api.loadModel({ ...target, ...options });
      loaded = true;
    } catch (error) {
      this.loadError = toUserFacingError(error).message;
    } finally {
      this.#requestedPath = null;
    }
    await this.refresh();
    return loaded;
  }

  async unloadModel(): Promise<void> {
    this.loadError = null;
    try {
      await this.#api.unloadModel({});
    } catch (error) {
      this.loadError = toUserFacingError(error).message;
    }
    await this.refresh();
  }

  async updateSettings(patch: EngineSettingsPatch): Promise<void> {
    try {
      this.settings = await this.#api.updateEngineSettings(patch);
      this.settingsError = null;
    } catch (error) {
      this.settingsError = toUserFacingError(error).message;
    }
  }

  /** Runs the thread sweep; a second run forces a fresh measurement instead of the cached one. */
  async tuneThreads(): Promise<void> {
    if (this.isTuning) return;
    this.isTuning = true;
    this.tuneError = null;
    this.tuneProgress = null;
    this.#liveTuneSamples = [];
    try {
      this.tuneResult = await this.#api.tuneThreads({ force: this.tuneResult !== null });
    } catch (error) {
      this.tuneError = toUserFacingError(error).message;
    } finally {
      this.isTuning = false;
    }
    await this.refresh();
  }
}
