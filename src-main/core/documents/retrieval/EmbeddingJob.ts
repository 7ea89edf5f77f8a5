import type { EnclaveEvents } from '../../EnclaveEvents';
import { ContextLengthExceededError, GenerationAbortedError } from '../../engine/errors';
import type { LocalModel } from '../../engine/LocalModel';
import type { DocumentIndex, PendingChunk } from './DocumentIndex';

/** Chunks per embed() call: small, so a query embedding waits behind at most one batch in the model's queue. */
const BATCH = 8;

export interface EmbeddingJobResult {
  documents: number;
  chunks: number;
  /** Cancelled (the signal fired, or cancel()) before every document was embedded. */
  cancelled: boolean;
}

/**
 * Embeds, in the background, every searchable document that has chunks without an embedding: each goes
 * 'embedding' (with progress events) and back to 'ready'. Documents added while it runs are picked up
 * before it ends. Cancelling leaves what was embedded; a later job resumes from there.
 */
export class EmbeddingJob {
  readonly done: Promise<EmbeddingJobResult>;
  private readonly controller = new AbortController();

  constructor(
    private readonly deps: { index: DocumentIndex; model: Promise<LocalModel | null>; events: EnclaveEvents; signal?: AbortSignal },
    onEnd: () => void
  ) {
    const signal = deps.signal ? AbortSignal.any([deps.signal, this.controller.signal]) : this.controller.signal;
    this.done = this.run(signal).finally(onEnd);
  }

  cancel(): void {
    this.controller.abort();
  }

  get cancelled(): boolean {
    return this.controller.signal.aborted || (this.deps.signal?.aborted ?? false);
  }

  private async run(signal: AbortSignal): Promise<EmbeddingJobResult> {
    const { index, events } = this.deps;
    const result = { documents: 0, chunks: 0, cancelled: false };
    const model = await this.deps.model;
    if (!model) return result;
    for (let pending = index.documentsToEmbed(); pending.length; pending = index.documentsToEmbed()) {
      for (const document of pending) {
        const report = (status: 'embedding' | 'ready', progress: number) => {
          if (index.setStatus(document.id, status, progress))
            events.emit('documentProgress', { documentId: document.id, status, progress, error: null });
        };
        report('embedding', document.embedded / document.chunks);
        try {
          result.chunks += await embedDocument(index, model, document.id, signal, (fraction) => report('embedding', fraction));
        } catch (error) {
          if (!signal.aborted) throw error;
          result.cancelled = true;
        }
        // Searchable by keyword either way; a cancelled document's remaining chunks wait for the next job.
        report('ready', 1);
        events.emit('documentsChanged', {});
        if (result.cancelled) return result;
        result.documents += 1;
      }
    }
    return result;
  }
}

/**
 * Embeds the chunks of one document that have no embedding yet, a batch at a time; returns how many.
 * Idempotent: a second run finds nothing left to do.
 */
export async function embedDocument(
  index: DocumentIndex,
  model: LocalModel,
  documentId: string,
  signal: AbortSignal,
  onProgress: (fraction: number) => void
): Promise<number> {
  let done = 0;
  const remaining = index.chunksToEmbed(documentId, Number.MAX_SAFE_INTEGER).length;
  for (let batch = index.chunksToEmbed(documentId, BATCH); batch.length; batch = index.chunksToEmbed(documentId, BATCH)) {
    if (signal.aborted) throw new GenerationAbortedError();
    const vectors = await embedAll(model, batch, signal);
    index.storeEmbeddings(batch.map((chunk, i) => ({ seq: chunk.seq, vector: vectors[i]! })));
    done += batch.length;
    onProgress(Math.min(1, done / remaining));
  }
  return done;
}

/** A passage longer than the model's context is embedded by its beginning (halved until it fits). */
async function embedAll(model: LocalModel, chunks: readonly PendingChunk[], signal: AbortSignal): Promise<Float32Array[]> {
  const texts = chunks.map(embeddingText);
  try {
    return (await model.embed(texts, { signal })).embeddings.map((v) => Float32Array.from(v));
  } catch (error) {
    if (!(error instanceof ContextLengthExceededError)) throw error;
  }
  const vectors: Float32Array[] = [];
  for (let text of texts) {
    for (;;) {
      try {
        vectors.push(Float32Array.from((await model.embed([text], { signal })).embeddings[0]!));
        break;
      } catch (error) {
        if (!(error instanceof ContextLengthExceededError) || text.length < 2) throw error;
        text = text.slice(0, Math.floor(text.length / 2));
      }
    }
  }
  return vectors;
}

/** The headings go with the text: they often name the topic the passage itself only implies. */
export function embeddingText(chunk: { text: string; headingPath: readonly string[] }): string {
  return chunk.headingPath.length ? `${chunk.headingPath.join(' › ')}\n${chunk.text}` : chunk.text;
}
