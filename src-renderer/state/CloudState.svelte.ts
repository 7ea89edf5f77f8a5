import type { CallArgs, EnclaveApi, EventPayload } from '../../src-preload/contract';
import type { ChatModelOption, KeyStoreInfo, ProviderInfo, ProviderTestResult, RouterSettings } from '../../src-main/core/shared/types';
import { groupOptions } from '../lib/cloudFormat';
import { toUserFacingError, type UserFacingError } from '../lib/errors';

export type NewProvider = CallArgs<'addProvider'>;
export type RouterSettingsPatch = CallArgs<'updateRouterSettings'>;

/** The route touched a cloud model, so a provider's health or spending may have changed. */
const touchedCloud = ({ message }: EventPayload<'messageFinished'>) =>
  message.metrics?.provider != null || (message.metrics?.route?.attempts.some((attempt) => attempt.target !== 'local') ?? false);

/**
 * Cloud providers (never their keys: only whether one is set and its last 4 characters), where keys are
 * stored, the model picker's entries and the router settings. Actions throw a bridge error for the
 * caller to show next to the control that failed; the lists refresh after each one.
 */
export class CloudState {
  providers = $state.raw<ProviderInfo[]>([]);
  keyStore = $state.raw<KeyStoreInfo | null>(null);
  modelOptions = $state.raw<ChatModelOption[]>([]);
  router = $state.raw<RouterSettings | null>(null);
  /** The latest Test result per provider name (kept while the provider exists). */
  testResults = $state.raw<Record<string, ProviderTestResult>>({});
  /** Names of providers with a Test in flight. */
  testing = $state.raw<string[]>([]);
  hasLoaded = $state(false);
  loadError = $state.raw<UserFacingError | null>(null);

  modelGroups = $derived(groupOptions(this.modelOptions));
  /** Cloud models only: what the fallback chain can hold. */
  cloudOptions = $derived(this.modelOptions.filter((option) => !option.local && option.ref !== 'auto'));
  defaultModel = $derived(this.router?.defaultModel ?? 'local');
  /** Keys cannot be stored (no keychain service); the message says how to fix it. */
  keyStoreError = $derived(this.keyStore?.error ?? null);

  readonly #api: EnclaveApi;
  /** Only the newest refresh may write, so a slow old answer can't overwrite a newer one. */
  #refreshSequence = 0;
  /** The local model the picker's "Local" entry was built for; status events also report queue and progress. */
  #localModelPath: string | null | undefined = undefined;

  constructor(api: EnclaveApi) {
    this.#api = api;
  }

  connect(): () => void {
    const unsubscribers = [
      this.#api.onProvidersChanged(() => void this.refresh()),
      // Local only disables every cloud entry of the picker.
      this.#api.onPrivacySettingsChanged(() => void this.refresh()),
      this.#api.onEngineStatusChanged((status) => {
        const path = status.model?.path ?? null;
        if (path === this.#localModelPath) return;
        this.#localModelPath = path;
        void this.refresh();
      }),
      this.#api.onMessageFinished((payload) => {
        if (touchedCloud(payload)) void this.refresh();
      })
    ];
    void this.refresh();
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
  }

  optionFor(ref: string): ChatModelOption | null {
    return this.modelOptions.find((option) => option.ref === ref) ?? null;
  }

  async refresh(): Promise<void> {
    const sequence = ++this.#refreshSequence;
    try {
      const [providers, keyStore, modelOptions, router] = await Promise.all([
        this.#api.listProviders({}),
        this.#api.getKeyStoreInfo({}),
        this.#api.listChatModels({}),
        this.#api.getRouterSettings({})
      ]);
      if (sequence !== this.#refreshSequence) return;
      this.providers = providers;
      this.keyStore = keyStore;
      this.modelOptions = modelOptions;
      this.router = router;
      const names = new Set(providers.map((provider) => provider.name));
      if (Object.keys(this.testResults).some((name) => !names.has(name)))
        this.testResults = Object.fromEntries(Object.entries(this.testResults).filter(([name]) => names.has(name)));
      this.loadError = null;
      this.hasLoaded = true;
    } catch (error) {
      if (sequence === this.#refreshSequence) this.loadError = toUserFacingError(error);
    }
  }

  async addProvider(provider: NewProvider): Promise<ProviderInfo> {
    const added = await this.#api.addProvider(provider);
    await this.refresh();
    return added;
  }

  /** Removes the provider and its key from the key store. */
  async removeProvider(name: string): Promise<void> {
    await this.#api.removeProvider({ name });
    await this.refresh();
  }

  /** Hands the key to main, which stores it in the key store; only its status comes back. */
  async setKey(name: string, key: string): Promise<void> {
    await this.#api.setProviderKey({ name, key });
    this.#forgetTest(name);
    await this.refresh();
  }

  async deleteKey(name: string): Promise<void> {
    await this.#api.deleteProviderKey({ name });
    this.#forgetTest(name);
    await this.refresh();
  }

  /** A cheap authenticated call (the model list); a failure comes back as a result, not an error. */
  async test(name: string): Promise<ProviderTestResult> {
    this.testing = [...this.testing, name];
    try {
      const result = await this.#api.testProvider({ name });
      this.testResults = { ...this.testResults, [name]: result };
      return result;
    } finally {
      this.testing = this.testing.filter((testing) => testing !== name);
      await this.refresh();
    }
  }

  async updateRouter(patch: RouterSettingsPatch): Promise<void> {
    this.router = await this.#api.updateRouterSettings(patch);
  }

  #forgetTest(name: string): void {
    if (!(name in this.testResults)) return;
    const { [name]: _forgotten, ...rest } = this.testResults;
    this.testResults = rest;
  }
}
