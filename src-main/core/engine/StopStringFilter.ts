/**
 * Watches streamed text for stop strings. Text passes through unchanged, except that a tail that
 * could still become a stop string is held back until it is decided; when a stop string appears,
 * the text before its first occurrence is released and nothing after it.
 *
 * node-llama-cpp's own stop triggers are not used for this: they detokenize held-back tokens on
 * their own, which can drop or change characters (a SentencePiece token's leading space).
 */
export class StopStringFilter {
  private readonly stops: string[];
  private pending = '';
  private released = '';
  private isStopped = false;

  /** `onText` receives each piece of released text, in order; empty stop strings are ignored. */
  constructor(
    stops: readonly string[] | undefined,
    private readonly onText?: (text: string) => void
  ) {
    this.stops = (stops ?? []).filter((stop) => stop.length > 0);
  }

  /** True once a stop string was seen: the generation should end. */
  get stopped(): boolean {
    return this.isStopped;
  }

  /** All text released so far (after end(), the whole reply). */
  get text(): string {
    return this.released;
  }

  push(chunk: string): void {
    if (this.stopped || !chunk) return;
    this.pending += chunk;
    this.drain(false);
  }

  /** The generation is over: what is still held back cannot become a stop string any more. */
  end(): void {
    if (!this.stopped) this.drain(true);
  }

  /**
   * Releases the pending text up to the first place a stop string may still start; stops at the
   * first complete occurrence once no earlier one is possible.
   */
  private drain(final: boolean): void {
    const text = this.pending;
    let undecided = text.length;
    for (let start = 0; start < text.length; start++) {
      let complete = false;
      let possible = false;
      for (const stop of this.stops) {
        if (text.startsWith(stop, start)) complete = true;
        else if (!final && text.length - start < stop.length && stop.startsWith(text.slice(start))) possible = true;
      }
      if (complete) {
        this.release(text.slice(0, start));
        this.pending = '';
        this.isStopped = true;
        return;
      }
      if (possible) {
        undecided = start;
        break;
      }
    }
    this.release(text.slice(0, undecided));
    this.pending = text.slice(undecided);
  }

  private release(text: string): void {
    if (!text) return;
    this.released += text;
    this.onText?.(text);
  }
}
