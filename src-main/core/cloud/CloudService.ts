import type { ChatModelOption, ProviderInfo, ProviderTestResult } from '../shared/types';
import type { EnclaveEvents } from '../EnclaveEvents';
import type { EngineService } from '../engine/EngineService';
import { startOfMonth, type EgressLedger } from '../egress/EgressLedger';
import type { PrivacyService } from '../privacy/PrivacyService';
import type { EgressGate } from '../egress/EgressGate';
import type { ModelRouter } from './ModelRouter';
import type { PriceTable } from '../providers/PriceTable';
import type { ProviderHealth } from '../providers/ProviderHealth';
import type { ProviderKeys } from '../providers/ProviderKeys';
import { DEFAULT_BASE_URLS, resolveBaseUrl, type ProviderConfig } from '../providers/CloudClient';
import type { ProviderStore, StoredProvider } from '../providers/ProviderStore';

interface CloudDependencies {
  providers: ProviderStore;
  keys: ProviderKeys;
  health: ProviderHealth;
  gate: EgressGate;
  ledger: EgressLedger;
  prices: PriceTable;
  privacy: PrivacyService;
  router: ModelRouter;
  engine: EngineService;
  events: EnclaveEvents;
}

/** Providers as the user manages them: add, key, test, remove; and the model picker's entries. */
export class CloudService {
  constructor(private readonly deps: CloudDependencies) {}

  keyStoreInfo() {
    return this.deps.keys.info();
  }

  async listProviders(): Promise<ProviderInfo[]> {
    return Promise.all(this.deps.providers.list().map((provider) => this.describe(provider)));
  }

  async getProvider(name: string): Promise<ProviderInfo> {
    return this.describe(this.deps.providers.get(name));
  }

  async addProvider(config: ProviderConfig): Promise<ProviderInfo> {
    const baseUrl = config.baseUrl?.trim() || null;
    resolveBaseUrl({ ...config, baseUrl }); // refuses what no request could use, before it is saved
    const provider = this.deps.providers.add({ name: config.name, kind: config.kind, baseUrl });
    // A key left under this name (another data folder, a deleted one) must not go to this new endpoint.
    await this.deps.keys.delete(provider.name).catch(() => false);
    this.deps.events.emit('providersChanged', {});
    return this.describe(provider);
  }

  /** Removes the provider and its key. */
  async removeProvider(name: string): Promise<void> {
    this.deps.providers.get(name);
    await this.deps.keys.delete(name).catch(() => false);
    this.deps.providers.remove(name);
    this.deps.health.forget(name);
    this.deps.events.emit('providersChanged', {});
  }

  async setKey(name: string, key: string): Promise<ProviderInfo> {
    const provider = this.deps.providers.get(name);
    resolveBaseUrl(provider, { withKey: true }); // a key is never stored for a provider it could not be sent to
    await this.deps.keys.set(name, key.trim());
    this.deps.health.forget(name);
    this.deps.events.emit('providersChanged', {});
    return this.describe(provider);
  }

  async deleteKey(name: string): Promise<ProviderInfo> {
    const provider = this.deps.providers.get(name);
    await this.deps.keys.delete(name);
    this.deps.health.forget(name);
    this.deps.events.emit('providersChanged', {});
    return this.describe(provider);
  }

  /** A cheap authenticated call; on success the provider's model list is kept for the picker. */
  async test(name: string, signal?: AbortSignal): Promise<ProviderTestResult> {
    const provider = this.deps.providers.get(name);
    const started = performance.now();
    try {
      const models = await this.deps.gate.listModels(provider, this.deps.privacy.settings.mode, {
        timeoutMs: this.deps.router.settings.timeoutMs,
        signal
      });
      this.deps.providers.setModels(name, models);
      this.deps.health.succeeded(name);
      return { ok: true, models: [...models].sort(), error: null, latencyMs: performance.now() - started };
    } catch (error) {
      this.deps.health.failed(name, error);
      return { ok: false, models: [], error: (error as Error)?.message ?? String(error), latencyMs: performance.now() - started };
    } finally {
      this.deps.events.emit('providersChanged', {});
    }
  }

  async chatModels(): Promise<ChatModelOption[]> {
    const local = this.deps.engine.loadedModel;
    const options: ChatModelOption[] = [
      {
        ref: 'auto',
        label: 'Automatic',
        group: 'Automatic',
        local: false,
        available: true,
        unavailableReason: null,
        price: null
      },
      {
        ref: 'local',
        label: local ? local.id : 'Local model',
        group: 'Local',
        local: true,
        available: local !== null,
        unavailableReason: local ? null : 'No local model is loaded',
        price: null
      }
    ];
    const localOnly = this.deps.privacy.settings.mode === 'local-only';
    for (const provider of this.deps.providers.list()) {
      const info = await this.describe(provider);
      const reason = localOnly ? 'Privacy is Local only' : unavailableReason(info);
      const models = [...new Set([...provider.models, ...this.deps.prices.knownModels(provider.kind, provider.name)])].sort();
      for (const model of models)
        options.push({
          ref: `${provider.name}/${model}`,
          label: model,
          group: provider.name,
          local: false,
          available: reason === null,
          unavailableReason: reason,
          price: this.deps.prices.priceOf(provider.kind, provider.name, model)
        });
    }
    return options;
  }

  private async describe(provider: StoredProvider): Promise<ProviderInfo> {
    const key = await this.deps.keys.status(provider.name);
    const keyOptional = provider.kind === 'openai-compatible';
    return {
      name: provider.name,
      kind: provider.kind,
      baseUrl: provider.baseUrl ?? DEFAULT_BASE_URLS[provider.kind] ?? '',
      models: provider.models,
      key,
      health: this.deps.health.health(provider.name, key.set || keyOptional),
      spentThisMonthUsd: this.deps.ledger.spentUsd(startOfMonth(), provider.name)
    };
  }
}

function unavailableReason(info: ProviderInfo): string | null {
  switch (info.health.state) {
    case 'no-key':
      return 'No API key';
    case 'unauthorized':
      return 'The API key was rejected';
    case 'unreachable':
      return 'Unreachable (offline?)';
    case 'cooling-down':
      return 'Cooling down after repeated failures';
    default:
      return null;
  }
}
