import PQueue from 'p-queue';
import { GenerationAbortedError, ModelUnloadedError, QueueFullError } from './errors';

/**
 * Runs a model's jobs one at a time in arrival order (FIFO: nobody waits behind a later request).
 * A job's signal cancels its wait; a full queue refuses new jobs; closing refuses the waiting ones.
 */
export class GenerationQueue {
  private readonly queue = new PQueue({ concurrency: 1 });
  /** Wait cancellers of the jobs not yet started. */
  private readonly waiting = new Set<AbortController>();
  private closing = false;

  constructor(
    /** The model's file name, for ModelUnloadedError. */
    private readonly modelName: string,
    private readonly maxLength: number
  ) {}

  /** Jobs waiting plus the one running. */
  get length(): number {
    return this.queue.size + this.queue.pending;
  }

  enqueue<T>(signal: AbortSignal | undefined, job: () => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(new GenerationAbortedError());
    if (this.closing) return Promise.reject(new ModelUnloadedError(this.modelName));
    if (this.queue.size >= this.maxLength) return Promise.reject(new QueueFullError(this.maxLength, 2));
    // p-queue races a running job against its signal and would start the next job while this one
    // still holds the sequence; so its signal only cancels the wait, and the job handles the rest.
    const waiting = new AbortController();
    let started = false;
    const cancelWait = () => !started && waiting.abort();
    signal?.addEventListener('abort', cancelWait, { once: true });
    this.waiting.add(waiting);
    return this.queue
      .add(
        () => {
          started = true;
          this.waiting.delete(waiting);
          return job();
        },
        { signal: waiting.signal }
      )
      .catch((error: unknown) => {
        if (!waiting.signal.aborted) throw error;
        throw signal?.aborted || !this.closing ? new GenerationAbortedError() : new ModelUnloadedError(this.modelName);
      })
      .finally(() => {
        this.waiting.delete(waiting);
        signal?.removeEventListener('abort', cancelWait);
      });
  }

  /** Refuses (ModelUnloadedError) the jobs still waiting and any new one, then waits for the running job. */
  async close(): Promise<void> {
    this.closing = true;
    for (const waiting of this.waiting) waiting.abort();
    this.queue.clear();
    await this.queue.onIdle();
  }
}
