import type { EnclaveApi } from '../../src-preload/contract';
import type { CollectionInfo, DocumentInfo, EmbeddingStatus, IngestFileResult, LocalModelFile } from '../../src-main/core/shared/types';
import { coalesce } from '../lib/coalesce';
import { toUserFacingError } from '../lib/errors';
import { uploadBatches, uploadRefusal, walkFolder, type DroppedItems } from '../lib/documentFiles';

/** The collection the library creates on first use; drops go there until another is picked. */
export const DEFAULT_COLLECTION = 'Default';

/** Another full view (ledger, Models, dashboard) that the Documents view gives way to. */
interface OtherView {
  readonly isOpen: boolean;
  close(): void;
}

/** The last batch of files added: what became documents, what was a duplicate, and what was refused and why. */
export interface IngestBatch {
  collection: string;
  /** The conversation the files were dropped on (and attached to); null: added in the Documents view. */
  conversationId: string | null;
  results: IngestFileResult[];
}

/**
 * The Documents view and the library behind it: collections (the current one receives drops and picks),
 * documents with their live status and progress, adding files (paths where the platform gives them, bytes
 * otherwise), deleting, and the embedding model setting with its progress.
 */
export class DocumentsState {
  readonly #api: EnclaveApi;
  readonly #others: OtherView[];
  isOpen = $state(false);
  collections = $state.raw<CollectionInfo[]>([]);
  documents = $state.raw<DocumentInfo[]>([]);
  /** The current collection's name. */
  collection = $state(DEFAULT_COLLECTION);
  hasLoaded = $state(false);
  error = $state<string | null>(null);
  /** Files are being read or sent; the core answers once each is copied and queued. */
  adding = $state(false);
  lastBatch = $state.raw<IngestBatch | null>(null);
  embedding = $state.raw<EmbeddingStatus | null>(null);
  embeddingBusy = $state(false);
  embeddingError = $state<string | null>(null);
  /** The models folder's files, for the embedding model choice. */
  modelFiles = $state.raw<LocalModelFile[]>([]);

  shownDocuments = $derived(this.documents.filter((document) => document.collection === this.collection));
  readyDocuments = $derived(this.documents.filter((document) => document.status === 'ready'));
  refusedFiles = $derived(this.lastBatch?.results.filter((result) => result.error !== null) ?? []);

  constructor(api: EnclaveApi, others: OtherView[]) {
    this.#api = api;
    this.#others = others;
  }

  /** Shown in place of the chat pane: open, and no other full view in front of it. */
  get isShown(): boolean {
    return this.isOpen && !this.#others.some((view) => view.isOpen);
  }

  connect(): () => void {
    void this.refresh();
    void this.refreshEmbedding();
    const offChanged = this.#api.onDocumentsChanged(() => {
      void this.refresh();
      void this.refreshEmbedding();
    });
    const offProgress = this.#api.onDocumentProgress(({ documentId, status, progress, error }) => {
      this.documents = this.documents.map((document) => (document.id === documentId ? { ...document, status, progress, error } : document));
      if (status === 'embedding' || status === 'ready') void this.refreshEmbedding();
    });
    return () => {
      offChanged();
      offProgress();
    };
  }

  open(): void {
    for (const view of this.#others) view.close();
    this.isOpen = true;
    void this.refreshModelFiles();
  }

  close(): void {
    this.isOpen = false;
  }

  toggle(): void {
    if (this.isShown) this.close();
    else this.open();
  }

  /** Re-reads collections and documents; calls during a refresh fold into one more. */
  readonly refresh = coalesce(async () => {
    try {
      const [collections, documents] = await Promise.all([this.#api.listCollections({}), this.#api.listDocuments({})]);
      this.collections = collections;
      this.documents = documents;
      this.error = null;
      if (!collections.some((collection) => collection.name === this.collection)) this.collection = DEFAULT_COLLECTION;
    } catch (error) {
      this.error = toUserFacingError(error).message;
    }
    this.hasLoaded = true;
  });

  selectCollection(name: string): void {
    this.collection = name;
  }

  async createCollection(name: string): Promise<boolean> {
    try {
      const created = await this.#api.createCollection({ name });
      this.collection = created.name;
      await this.refresh();
      return true;
    } catch (error) {
      this.error = toUserFacingError(error).message;
      return false;
    }
  }

  async deleteDocument(id: string): Promise<void> {
    try {
      await this.#api.deleteDocument({ id });
      this.documents = this.documents.filter((document) => document.id !== id);
    } catch (error) {
      this.error = toUserFacingError(error).message;
    }
  }

  /** The native picker (several files), added to the current collection. */
  async chooseFiles(): Promise<IngestFileResult[]> {
    try {
      const paths = await this.#api.chooseDocumentFiles({});
      if (paths.length === 0) return [];
      return await this.#ingest(null, async () => this.#api.ingestFiles({ paths, collection: this.collection }));
    } catch (error) {
      this.error = toUserFacingError(error).message;
      return [];
    }
  }

  /**
   * Adds dropped or picked files and folders to the current collection: by path where the platform gives
   * one (Electron; the core walks folders), as bytes otherwise (folders walked here). Every file gets a
   * result, refused ones with their reason; one bad file never stops the others.
   */
  addDropped(items: DroppedItems, conversationId: string | null = null): Promise<IngestFileResult[]> {
    return this.#ingest(conversationId, async () => {
      const paths: string[] = [];
      const uploads: File[] = [];
      for (const file of items.files) {
        const path = this.#api.pathForFile(file);
        if (path === null) uploads.push(file);
        else paths.push(path);
      }
      for (const folder of items.folders) {
        const path = folder.file ? this.#api.pathForFile(folder.file) : null;
        if (path === null) uploads.push(...(await walkFolder(folder.entry)));
        else paths.push(path);
      }
      const collection = this.collection;
      const results: IngestFileResult[] = paths.length ? await this.#api.ingestFiles({ paths, collection }) : [];
      return [...results, ...(await this.#upload(uploads, collection))];
    });
  }

  async #upload(files: File[], collection: string): Promise<IngestFileResult[]> {
    const results: IngestFileResult[] = [];
    const refused = (source: string, error: string): IngestFileResult => ({ source, document: null, duplicate: false, error });
    const sendable: File[] = [];
    for (const file of files) {
      const refusal = uploadRefusal(file);
      if (refusal) results.push(refused(file.name, refusal));
      else sendable.push(file);
    }
    for (const batch of uploadBatches(sendable)) {
      const read: { name: string; bytes: Uint8Array<ArrayBuffer> }[] = [];
      for (const file of batch) {
        try {
          read.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
        } catch (error) {
          results.push(refused(file.name, `${file.name} cannot be read: ${toUserFacingError(error).message}`));
        }
      }
      if (read.length) results.push(...(await this.#api.uploadDocuments({ files: read, collection })));
    }
    return results;
  }

  async #ingest(conversationId: string | null, run: () => Promise<IngestFileResult[]>): Promise<IngestFileResult[]> {
    this.adding = true;
    this.error = null;
    const collection = this.collection;
    try {
      const results = await run();
      this.lastBatch = { collection, conversationId, results };
      await this.refresh();
      return results;
    } catch (error) {
      this.error = toUserFacingError(error).message;
      return [];
    } finally {
      this.adding = false;
    }
  }

  dismissBatch(): void {
    this.lastBatch = null;
  }

  // --- the embedding model ---

  readonly refreshEmbedding = coalesce(async () => {
    try {
      this.embedding = await this.#api.getEmbeddingStatus({});
    } catch (error) {
      this.embeddingError = toUserFacingError(error).message;
    }
  });

  async refreshModelFiles(): Promise<void> {
    try {
      this.modelFiles = await this.#api.listModelFiles({});
    } catch (error) {
      this.embeddingError = toUserFacingError(error).message;
    }
  }

  /** Sets (a GGUF's absolute path) or clears (null) the embedding model; existing documents embed in the background. */
  async setEmbeddingModel(modelPath: string | null): Promise<void> {
    this.embeddingBusy = true;
    this.embeddingError = null;
    try {
      this.embedding = await this.#api.setEmbeddingModel({ modelPath });
    } catch (error) {
      this.embeddingError = toUserFacingError(error).message;
    } finally {
      this.embeddingBusy = false;
    }
  }

  async chooseEmbeddingModel(): Promise<void> {
    try {
      const path = await this.#api.chooseModelFile({});
      if (path !== null) await this.setEmbeddingModel(path);
    } catch (error) {
      this.embeddingError = toUserFacingError(error).message;
    }
  }
}
