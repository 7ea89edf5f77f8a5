import type { ProviderHealth as Health } from '../shared/types';
import { ProviderAuthError, ProviderError, ProviderNetworkError } from './errors';

export interface ProviderHealthOptions {
  /** Consecutive retryable failures that put a provider in cooldown. */
  failuresBeforeCooldown?: number;
  cooldownMs?: number;
  now?: () => number;
}

interface State {
  consecutiveFailures: number;
  coolingUntil: number | null;
  last: { state: Health['state']; detail: string | null } | null;
}

/** In-memory health per provider: what the picker shows, and the cooldown the router honours. */
export class ProviderHealth {
  private readonly states = new Map<string, State>();
  private readonly failuresBeforeCooldown: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor({ failuresBeforeCooldown = 3, cooldownMs = 60_000, now = Date.now }: ProviderHealthOptions = {}) {
    this.failuresBeforeCooldown = failuresBeforeCooldown;
    this.cooldownMs = cooldownMs;
    this.now = now;
  }

  succeeded(provider: string): void {
    this.states.set(provider, { consecutiveFailures: 0, coolingUntil: null, last: { state: 'ok', detail: null } });
  }

  failed(provider: string, error: unknown): void {
    const state = this.state(provider);
    if (error instanceof ProviderAuthError) state.last = { state: 'unauthorized', detail: error.message };
    else if (error instanceof ProviderNetworkError) state.last = { state: 'unreachable', detail: error.message };
    else state.last = { state: state.last?.state ?? 'untested', detail: (error as Error)?.message ?? String(error) };
    if (error instanceof ProviderError && error.retryable) {
      state.consecutiveFailures += 1;
      if (state.consecutiveFailures >= this.failuresBeforeCooldown) {
        state.coolingUntil = this.now() + this.cooldownMs;
        state.consecutiveFailures = 0;
      }
    }
  }

  /** Until when the provider is skipped; null when it may be tried. */
  coolingUntil(provider: string): number | null {
    const until = this.states.get(provider)?.coolingUntil ?? null;
    return until !== null && until > this.now() ? until : null;
  }

  health(provider: string, hasKey: boolean): Health {
    const until = this.coolingUntil(provider);
    const last = this.states.get(provider)?.last;
    if (until !== null) return { state: 'cooling-down', detail: last?.detail ?? null, until };
    if (!hasKey) return { state: 'no-key', detail: null, until: null };
    return { state: last?.state ?? 'untested', detail: last?.detail ?? null, until: null };
  }

  forget(provider: string): void {
    this.states.delete(provider);
  }

  private state(provider: string): State {
    let state = this.states.get(provider);
    if (!state) this.states.set(provider, (state = { consecutiveFailures: 0, coolingUntil: null, last: null }));
    return state;
  }
}
