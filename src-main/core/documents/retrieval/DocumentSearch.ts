import type { EnclaveDb } from '../../db/openDatabase';
import type { EnclaveEvents } from '../../EnclaveEvents';
import { InvalidArgumentsError } from '../../EnclaveError';
import type { EngineService } from '../../engine/EngineService';
import type { LocalModel } from '../../engine/LocalModel';
import { defaultThreadCount } from '../../engine/threads';
import type { SettingsStore } from '../../settings/SettingsStore';
import type { DocumentSearchResult, EmbeddingSettings, EmbeddingStatus } from '../../shared/types';
import { CollectionNotFoundError } from '../errors';
import { DocumentIndex, type SearchScope } from './DocumentIndex';
import type { DocumentIndexer } from '../DocumentIngestion';
import { embedDocument, EmbeddingJob } from './EmbeddingJob';
import { HybridSearch } from './HybridSearch';

const SETTINGS_KEY = 'documents.embedding';
const DEFAULT_SETTINGS: EmbeddingSettings = { modelPath: null };
/** Passages are a few hundred tokens; the context is clamped to what the model was trained for. */
const EMBEDDING_CONTEXT = 2048;
export const MAX_K = 50;
/**
 * Below this top relevance, nothing relevant was found. Chosen on the dev half of scripts/evalDocs.ts's
 * questions (keyword search): on the test half it recognises 80% of unanswerable questions and keeps 94% of
 * answerable ones.
 */
export const MIN_RELEVANCE = 0.2;

export interface SearchRequest {
  query: string;
  /** Results wanted, 1..MAX_K (default 5). */
  k?: number;
  /** Where to look: collection ids or names, document ids; none: everywhere. */
  collections?: readonly string[];
  documentIds?: readonly string[];
  keywordOnly?: boolean;
  signal?: AbortSignal;
}

/**
 * Document retrieval: hybrid search over every searchable chunk, and the embedding model that makes it
 * hybrid. The embedding model is a GGUF of its own (loaded beside the chat model, on first need); setting
 * one embeds the existing documents in the background, and switching to another re-embeds them.
 */
export class DocumentSearch implements DocumentIndexer {
  readonly index: DocumentIndex;
  private readonly hybrid: HybridSearch;
  private model: Promise<LocalModel> | null = null;
  private loaded: LocalModel | null = null;
  private job: EmbeddingJob | null = null;
  private rerun = false;

  constructor(
    private readonly db: EnclaveDb,
    private readonly settings: SettingsStore,
    private readonly engine: EngineService,
    private readonly events: EnclaveEvents,
    /** Told whether new documents need embedding: ingestion sends them through 'embedding' only then. */
    private readonly onIndexerChange: (indexer: DocumentIndexer | null) => void = () => {}
  ) {
    this.index = new DocumentIndex(db);
    this.hybrid = new HybridSearch(this.index, () => (this.loaded ? (text, signal) => this.embedQuery(text, signal) : null));
    this.announceIndexer();
  }

  /** DocumentIndexer: embeds a newly ingested document (while ingestion holds it in 'embedding'). */
  async indexDocument(
    documentId: string,
    { signal, onProgress }: { signal: AbortSignal; onProgress: (fraction: number) => void }
  ): Promise<void> {
    const model = await this.ensureModel();
    if (model) await embedDocument(this.index, model, documentId, signal, onProgress);
  }

  getEmbeddingSettings(): EmbeddingSettings {
    return this.settings.read(SETTINGS_KEY, DEFAULT_SETTINGS);
  }

  /**
   * Sets (or, with null, clears) the embedding model and starts embedding the documents with it. The
   * model is loaded first, so a file that is not a loadable GGUF is refused and the old setting stays.
   */
  async setEmbeddingModel(modelPath: string | null): Promise<EmbeddingStatus> {
    const previous = this.getEmbeddingSettings().modelPath;
    await this.unloadModel();
    if (modelPath === null) {
      this.settings.write(SETTINGS_KEY, { modelPath: null });
      this.announceIndexer();
      return this.embeddingStatus();
    }
    this.model = this.loadModel(modelPath);
    const model = await this.model.catch((error: unknown) => {
      this.model = null;
      throw error;
    });
    // Vectors from another model are not comparable with this one's: all are recomputed.
    this.index.configureVectors(model.embeddingDimensions, { reset: previous !== modelPath });
    this.settings.write(SETTINGS_KEY, { modelPath });
    this.announceIndexer();
    this.startEmbedding();
    return this.embeddingStatus();
  }

  embeddingStatus(): EmbeddingStatus {
    const counts = this.db.$client
      .prepare(
        `SELECT count(c.seq) AS total, count(e.chunk_seq) AS embedded FROM document_chunks c
           JOIN documents d ON d.id = c.document_id LEFT JOIN document_embeddings e ON e.chunk_seq = c.seq
          WHERE d.status IN ('embedding', 'ready')`
      )
      .get() as { total: number; embedded: number };
    return {
      ...this.getEmbeddingSettings(),
      dimensions: this.index.vectorDimensions,
      vectorUnavailable: this.index.vectorUnavailable,
      embeddedChunks: counts.embedded,
      totalChunks: counts.total,
      embedding: this.job !== null
    };
  }

  /**
   * Embeds, in the background, whatever is not embedded yet (ingestion calls this once a document's
   * chunks are written). Returns the running job, or null without an embedding model or sqlite-vec.
   */
  startEmbedding(signal?: AbortSignal): EmbeddingJob | null {
    if (this.job) {
      // It may be past its last look for work: it runs once more when it ends.
      this.rerun = true;
      return this.job;
    }
    const { modelPath } = this.getEmbeddingSettings();
    if (!modelPath || this.index.vectorUnavailable) return null;
    const job = new EmbeddingJob({ index: this.index, model: this.ensureModel(), events: this.events, signal }, () => {
      this.job = null;
      if (this.rerun && !job.cancelled) this.startEmbedding(signal);
      this.rerun = false;
    });
    this.job = job;
    return job;
  }

  /** Passages for a query, best first: hybrid when an embedding model is set, else keyword only. */
  async search(request: SearchRequest): Promise<DocumentSearchResult> {
    const k = request.k ?? 5;
    if (!Number.isInteger(k) || k < 1 || k > MAX_K)
      throw new InvalidArgumentsError('searchDocuments', [`k must be a whole number from 1 to ${MAX_K}`]);
    const scope: SearchScope = { collectionIds: this.resolveCollections(request.collections ?? []), documentIds: request.documentIds };
    if (!request.keywordOnly) await this.ensureModel().catch(() => null);
    const { hits, mode } = await this.hybrid.search({
      query: request.query,
      k,
      scope,
      keywordOnly: request.keywordOnly,
      signal: request.signal
    });
    return { results: hits, mode };
  }

  async dispose(): Promise<void> {
    await this.unloadModel();
  }

  /** The embedding model, loaded, with the vector index sized for it. */
  private async ensureModel(): Promise<LocalModel | null> {
    const { modelPath } = this.getEmbeddingSettings();
    if (!modelPath || this.index.vectorUnavailable) return null;
    this.model ??= this.loadModel(modelPath).then((model) => {
      this.index.configureVectors(model.embeddingDimensions);
      return model;
    });
    try {
      return await this.model;
    } catch (error) {
      this.model = null;
      throw error;
    }
  }

  private announceIndexer(): void {
    const { modelPath } = this.getEmbeddingSettings();
    this.onIndexerChange(modelPath && !this.index.vectorUnavailable ? this : null);
  }

  private async loadModel(path: string): Promise<LocalModel> {
    const engine = await this.engine.engine();
    const model = await engine.loadModel({ path, contextSize: EMBEDDING_CONTEXT, threads: defaultThreadCount(engine.cpuCount) });
    this.loaded = model;
    return model;
  }

  private async unloadModel(): Promise<void> {
    const job = this.job;
    job?.cancel();
    await job?.done.catch(() => null);
    const model = await this.model?.catch(() => null);
    this.model = null;
    this.loaded = null;
    await model?.dispose();
  }

  private async embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array> {
    const model = this.loaded!;
    return Float32Array.from((await model.embed([text], { signal })).embeddings[0]!);
  }

  /** Collection ids or names to ids; an unknown one is an error, not an empty search. */
  private resolveCollections(collections: readonly string[]): string[] {
    return collections.map((wanted) => {
      const row = this.db.$client.prepare('SELECT id FROM collections WHERE id = ? OR name = ?').pluck().get(wanted, wanted) as
        string | undefined;
      if (row === undefined) throw new CollectionNotFoundError(wanted);
      return row;
    });
  }
}
