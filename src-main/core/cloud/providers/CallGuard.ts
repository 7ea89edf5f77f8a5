import {
  ProviderAbortedError,
  ProviderAuthError,
  ProviderError,
  ProviderHttpError,
  ProviderNetworkError,
  ProviderStreamError,
  ProviderTimeoutError
} from '../errors';
import { cleanDetail, connectionDetail, describeError, type Classified } from './failures';

/**
 * One call's abort signal for the SDK: it fires when the caller's signal fires, or when nothing
 * arrived for `timeoutMs` (the response did not start, or the stream went quiet). The SDKs' own
 * timeouts only cover the wait for response headers, so the idle gap between chunks is bounded here.
 */
export class CallGuard {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reason: 'timeout' | 'aborted' | null = null;
  private readonly onCallerAbort = () => this.stop('aborted');

  constructor(
    private readonly provider: string,
    readonly timeoutMs: number,
    private readonly callerSignal?: AbortSignal
  ) {
    if (callerSignal?.aborted) this.stop('aborted');
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.arm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.reason !== null;
  }

  /** Restarts the idle timer: call on every sign of progress. */
  arm(): void {
    if (this.reason) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.stop('timeout'), this.timeoutMs);
  }

  /** The error for a call this guard stopped, or null while it has not. */
  stopError(partialText: string): ProviderError | null {
    if (this.reason === 'aborted') return new ProviderAbortedError(this.provider, partialText);
    if (this.reason === 'timeout') return new ProviderTimeoutError(this.provider, this.timeoutMs);
    return null;
  }

  /** Ends the call: no timer left, the request (if still open) torn down. */
  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    this.controller.abort();
  }

  private stop(reason: 'timeout' | 'aborted'): void {
    if (this.reason) return;
    this.reason = reason;
    clearTimeout(this.timer);
    this.controller.abort();
  }
}

export interface GuardedCallSpec {
  provider: string;
  apiKey: string | null;
  timeoutMs: number;
  signal?: AbortSignal;
  onTextChunk?: (text: string) => void;
  /** Reads what it can from an error thrown by the client's SDK. */
  classify(error: unknown): Classified;
}

export interface CallProgress {
  readonly guard: CallGuard;
  /** Text streamed so far. */
  readonly text: string;
  /** The response has started (its status was OK): later failures are stream failures. */
  started(): void;
  /** Records a piece of streamed text and passes it to the caller. */
  emit(piece: string): void;
}

/**
 * Runs one provider call under a CallGuard and turns whatever it throws into a ProviderError
 * whose message never contains the API key. An exception thrown by the caller's onTextChunk is
 * rethrown as it is.
 */
export async function guardedCall<T>(spec: GuardedCallSpec, body: (call: CallProgress) => Promise<T>): Promise<T> {
  const guard = new CallGuard(spec.provider, spec.timeoutMs, spec.signal);
  let text = '';
  let hasStarted = false;
  // An exception from the caller's onTextChunk is theirs, not the provider's.
  const callback = { failed: false, error: undefined as unknown };
  const progress: CallProgress = {
    guard,
    get text() {
      return text;
    },
    started() {
      hasStarted = true;
      guard.arm();
    },
    emit(piece) {
      text += piece;
      try {
        spec.onTextChunk?.(piece);
      } catch (error) {
        callback.failed = true;
        callback.error = error;
        throw error;
      }
    }
  };
  try {
    const stopped = guard.stopError('');
    if (stopped) throw stopped;
    // The SDKs end a stream quietly when its signal is aborted, so a body checks that the reply
    // is complete (a finish marker arrived) and throws otherwise; the stop is then reported.
    return await body(progress);
  } catch (error) {
    if (callback.failed && callback.error === error) throw error;
    throw toProviderError(error, spec, guard, text, hasStarted);
  } finally {
    guard.dispose();
  }
}

function toProviderError(error: unknown, spec: GuardedCallSpec, guard: CallGuard, partialText: string, started: boolean): ProviderError {
  const stopped = guard.stopError(partialText);
  if (stopped) return stopped;
  if (error instanceof ProviderError) return error;
  const { provider, apiKey } = spec;
  let classified: Classified = null;
  try {
    classified = spec.classify(error);
  } catch {
    classified = null;
  }
  if (started) {
    const detail = !classified
      ? describeError(error)
      : classified.kind === 'http'
        ? `the provider reported an error (${classified.status}): ${classified.detail}`
        : classified.detail;
    return new ProviderStreamError(provider, cleanDetail(detail, apiKey), partialText, { cause: error });
  }
  if (classified?.kind === 'http') {
    const detail = cleanDetail(classified.detail, apiKey);
    if (classified.auth || classified.status === 401 || classified.status === 403)
      return new ProviderAuthError(provider, classified.status, detail);
    return new ProviderHttpError(provider, classified.status, detail, classified.retryAfterMs);
  }
  const network = classified?.kind === 'network' ? classified.detail : connectionDetail(error);
  if (network !== null) return new ProviderNetworkError(provider, cleanDetail(network, apiKey), { cause: error });
  return new ProviderError('PROVIDER_FAILED', provider, `${provider} failed: ${cleanDetail(describeError(error), apiKey)}`, false, {
    cause: error
  });
}
