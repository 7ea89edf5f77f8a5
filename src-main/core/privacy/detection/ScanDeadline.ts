import { DetectionAbortedError, DetectionTimeoutError } from '../errors';

/** How long synchronous work may run before the async driver yields to the event loop */
const yieldIntervalMs = 8;

/** Enforces a detection call's time budget and abort signal between units of work. */
export class ScanDeadline {
  private readonly _startedAt = performance.now();
  private _lastYieldAt = this._startedAt;

  public constructor(
    private readonly _totalChars: number,
    private readonly _budgetMs?: number,
    private readonly _signal?: AbortSignal
  ) {}

  /** Throws a typed error when the budget is spent or the signal has fired. */
  public check(processedChars: number) {
    if (this._signal?.aborted) throw new DetectionAbortedError(this._signal.reason);

    if (this._budgetMs == null) return;

    const elapsedMs = performance.now() - this._startedAt;
    if (elapsedMs > this._budgetMs)
      throw new DetectionTimeoutError({
        budgetMs: this._budgetMs,
        elapsedMs,
        processedChars,
        totalChars: this._totalChars
      });
  }

  public shouldYield() {
    const now = performance.now();
    if (now - this._lastYieldAt < yieldIntervalMs) return false;

    this._lastYieldAt = now;
    return true;
  }
}
