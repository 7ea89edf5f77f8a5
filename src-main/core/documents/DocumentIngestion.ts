import type { EnclaveEvents } from '../EnclaveEvents';
import type { DocumentFormat, DocumentStatus } from '../shared/types';
import type { ChunkOptions } from './chunking/chunkDocument';
import type { DocumentLimits } from './DocumentLimits';
import type { DocumentStore } from './DocumentStore';
import { DocumentParseError } from './errors';
import { runParseWorker } from './runParseWorker';

/**
 * What retrieval plugs in: embeddings and index rows for a document whose chunks are written.
 * `indexDocument` runs while the document is 'embedding' and must be idempotent (a crash re-parses
 * the document, which replaces its chunks, and calls it again).
 */
export interface DocumentIndexer {
  indexDocument(documentId: string, options: { signal: AbortSignal; onProgress: (fraction: number) => void }): Promise<void>;
  /** Called in the transaction that deletes the document, before its chunk rows go. */
  removeDocument?(documentId: string): void;
}

export interface DocumentIngestionDeps {
  store: DocumentStore;
  events: EnclaveEvents;
  limits: DocumentLimits;
  chunking: ChunkOptions;
  resolveStoredPath(storedPath: string): string;
}

/** Progress is reported (and stored) in steps of at least this much. */
const PROGRESS_STEP = 0.02;

/**
 * The ingestion queue: one document at a time goes queued → parsing (in a worker thread) → embedding
 * (when an indexer is set) → ready, or failed with its reason. Stopping (dispose, delete) leaves a
 * document where it was, so the next start resumes it.
 */
export class DocumentIngestion {
  indexer: DocumentIndexer | null = null;
  private readonly queue: string[] = [];
  private current: { id: string; controller: AbortController; done: Promise<void> } | null = null;
  private disposed = false;

  constructor(private readonly deps: DocumentIngestionDeps) {}

  enqueue(id: string): void {
    if (this.disposed || this.queue.includes(id) || this.current?.id === id) return;
    this.queue.push(id);
    if (!this.current) void this.drain();
  }

  /** Stops a document's ingestion (queued or running) and waits until it has stopped. */
  async cancel(id: string): Promise<void> {
    const queued = this.queue.indexOf(id);
    if (queued >= 0) this.queue.splice(queued, 1);
    if (this.current?.id === id) {
      this.current.controller.abort(new Error('cancelled'));
      await this.current.done;
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.queue.length = 0;
    if (this.current) {
      this.current.controller.abort(new Error('disposed'));
      await this.current.done;
    }
  }

  private async drain(): Promise<void> {
    while (!this.disposed && !this.current && this.queue.length) {
      const id = this.queue.shift()!;
      const controller = new AbortController();
      const done = this.process(id, controller.signal).catch((error: unknown) => {
        // A bug, not a bad file: the document says so rather than staying "parsing" forever.
        if (!controller.signal.aborted) this.fail(id, `Ingestion failed unexpectedly: ${(error as Error)?.message ?? error}`);
      });
      this.current = { id, controller, done };
      await done;
      this.current = null;
    }
  }

  private async process(id: string, signal: AbortSignal): Promise<void> {
    const row = this.deps.store.getRow(id);
    if (!row || row.status !== 'queued') return;
    if (!this.moveTo(id, 'parsing')) return;
    let parsed;
    try {
      parsed = await runParseWorker(
        {
          path: this.deps.resolveStoredPath(row.storedPath),
          format: row.format as DocumentFormat,
          limits: this.deps.limits,
          chunking: this.deps.chunking
        },
        {
          signal,
          timeoutMs: this.deps.limits.parseTimeoutMs,
          maxHeapMb: this.deps.limits.maxWorkerHeapMb,
          onProgress: this.progressReporter(id, 'parsing')
        }
      );
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof DocumentParseError) return this.fail(id, error.message);
      throw error;
    }
    if (!parsed.chunks.length) return this.fail(id, 'The document has no text.');
    const indexer = this.indexer;
    const next: DocumentStatus = indexer ? 'embedding' : 'ready';
    if (!this.deps.store.writeChunks(id, parsed.chunks, parsed.pages, next)) return;
    this.emit(id, next, next === 'ready' ? 1 : 0, null);
    if (!indexer) return;
    try {
      await indexer.indexDocument(id, { signal, onProgress: this.progressReporter(id, 'embedding') });
    } catch (error) {
      if (signal.aborted) return;
      return this.fail(id, `Indexing the document failed: ${(error as Error)?.message ?? error}`);
    }
    if (!signal.aborted) this.moveTo(id, 'ready', 1);
  }

  private progressReporter(id: string, status: DocumentStatus): (fraction: number) => void {
    let reported = 0;
    return (fraction) => {
      if (fraction - reported < PROGRESS_STEP && fraction < 1) return;
      reported = fraction;
      this.deps.store.setProgress(id, fraction);
      this.emit(id, status, fraction, null);
    };
  }

  private moveTo(id: string, status: DocumentStatus, progress = 0): boolean {
    if (!this.deps.store.setStatus(id, status, { progress })) return false;
    this.emit(id, status, progress, null);
    return true;
  }

  private fail(id: string, error: string): void {
    if (this.deps.store.setStatus(id, 'failed', { error })) this.emit(id, 'failed', 0, error);
  }

  private emit(documentId: string, status: DocumentStatus, progress: number, error: string | null): void {
    this.deps.events.emit('documentProgress', { documentId, status, progress, error });
    if (status !== 'parsing' || progress === 0) this.deps.events.emit('documentsChanged', {});
  }
}
