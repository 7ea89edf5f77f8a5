import type { RouteAttempt, RouterSettings } from '../shared/types';
import type { CloudSendOptions, EgressGate, PreparedEgress } from '../egress/EgressGate';
import type { GenerationResult } from '../engine/LocalModel';
import { ProviderError, ProviderTimeoutError } from '../providers/errors';
import type { ProviderHealth } from '../providers/ProviderHealth';
import type { StoredProvider } from '../providers/ProviderStore';

export interface RetryOptions {
  /** First retry delay; doubled per retry, plus up to 50% jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this moves on to the next model instead of waiting. */
  maxRetryAfterMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface CloudTarget {
  ref: string;
  provider: StoredProvider;
  model: string;
}

type CloudOutcome = { result: GenerationResult; attempts: RouteAttempt[] } | { error: unknown; attempts: RouteAttempt[] };

/**
 * One cloud model of the route: sends through the gate, retrying 429/5xx/network failures with exponential
 * backoff and jitter that honours Retry-After. A timeout, a cooldown or a reply that already streamed text ends it.
 */
export async function sendWithRetries(
  deps: { gate: EgressGate; health: ProviderHealth; retry: RetryOptions },
  target: CloudTarget,
  prepared: PreparedEgress,
  call: Omit<CloudSendOptions, 'timeoutMs'> & { settings: RouterSettings; hasStreamed: () => boolean }
): Promise<CloudOutcome> {
  const attempts: RouteAttempt[] = [];
  const { gate, health, retry } = deps;
  const { settings, hasStreamed, ...send } = call;
  for (let attempt = 0; ; attempt++) {
    try {
      const reply = await gate.send(prepared, target.provider, target.model, { ...send, timeoutMs: settings.timeoutMs });
      health.succeeded(target.provider.name);
      const completionTokens = reply.usage?.completionTokens ?? 0;
      const generationMs = reply.timeToFirstTokenMs === null ? 0 : reply.totalMs - reply.timeToFirstTokenMs;
      return {
        attempts,
        result: {
          text: reply.text,
          stopReason: reply.finishReason === 'length' ? 'maxTokens' : 'eos',
          metrics: {
            model: target.ref,
            backend: 'cloud',
            promptTokens: reply.usage?.promptTokens ?? 0,
            completionTokens,
            timeToFirstTokenMs: reply.timeToFirstTokenMs,
            tokensPerSecond: completionTokens > 1 && generationMs > 0 ? ((completionTokens - 1) * 1000) / generationMs : 0,
            totalMs: reply.totalMs,
            queueWaitMs: 0,
            provider: target.provider.name,
            costUsd: reply.costUsd,
            route: null
          }
        }
      };
    } catch (error) {
      if (send.signal?.aborted) throw error;
      health.failed(target.provider.name, error);
      // Part of a reply is already on screen: keep it and say why it ended, rather than start over elsewhere.
      if (hasStreamed()) throw error;
      const detail = (error as Error)?.message ?? String(error);
      // A timeout already cost the user the whole timeout: move on instead of waiting it out again.
      const retryable = error instanceof ProviderError && error.retryable && !(error instanceof ProviderTimeoutError);
      if (!retryable || attempt >= settings.maxRetries || health.coolingUntil(target.provider.name) !== null) {
        attempts.push({ target: target.ref, outcome: 'failed', detail });
        return { error, attempts };
      }
      const retryAfterMs = (error as { retryAfterMs?: number | null }).retryAfterMs ?? null;
      if (retryAfterMs !== null && retryAfterMs > retry.maxRetryAfterMs) {
        attempts.push({ target: target.ref, outcome: 'failed', detail: `${detail} (asked to wait ${Math.round(retryAfterMs / 1000)} s)` });
        return { error, attempts };
      }
      attempts.push({ target: target.ref, outcome: 'failed', detail: `${detail}; retrying` });
      await retry.sleep(Math.max(retryAfterMs ?? 0, backoff(retry, attempt)), send.signal);
    }
  }
}

function backoff(retry: RetryOptions, attempt: number): number {
  const base = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  return base + Math.random() * base * 0.5;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
