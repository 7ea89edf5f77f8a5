import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EnclaveDb } from '../db/openDatabase';
import { ConversationNotFoundError } from '../chat/errors';
import { InvalidArgumentsError } from '../EnclaveError';
import type { EnclaveEvents } from '../EnclaveEvents';
import type { CollectionInfo, ConversationSource, DocumentInfo, IngestFileResult } from '../shared/types';
import { DEFAULT_CHUNK_OPTIONS, type ChunkOptions } from './chunking/chunkDocument';
import { DocumentIngestion, type DocumentIndexer } from './DocumentIngestion';
import { DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from './DocumentLimits';
import { DocumentStore, type StoredChunk } from './DocumentStore';
import { CollectionNotFoundError, DocumentNotFoundError, DocumentRefusedError } from './errors';
import { KNOWN_EXTENSIONS, MIME_TYPES, sniffFormat } from './sniffFormat';

export const DEFAULT_COLLECTION = 'Default';
const DOCUMENTS_FOLDER = 'documents';
/** Owner only, like the data folder: the copies are the user's documents. */
const DOCUMENTS_DIR_MODE = 0o700;
const STORED_FILE_MODE = 0o600;
const INCOMING_PREFIX = '.incoming-';
const SNIFF_BYTES = 64 * 1024;

export interface DocumentLibraryOptions {
  db: EnclaveDb;
  dataDir: string;
  events: EnclaveEvents;
  limits?: Partial<DocumentLimits>;
  chunking?: Partial<ChunkOptions>;
}

/**
 * The documents domain: files come in (from paths, folders or an upload stream), are copied into
 * `<dataDir>/documents/<id>`, deduplicated by content hash within their collection and queued for
 * parsing and chunking; collections group them; conversations attach collections or documents.
 */
export class DocumentLibrary {
  readonly limits: DocumentLimits;
  readonly dir: string;
  private readonly store: DocumentStore;
  private readonly ingestion: DocumentIngestion;
  private readonly openedAt = Date.now();

  constructor(private readonly options: DocumentLibraryOptions) {
    this.limits = { ...DEFAULT_DOCUMENT_LIMITS, ...options.limits };
    this.dir = join(options.dataDir, DOCUMENTS_FOLDER);
    this.store = new DocumentStore(options.db);
    this.ingestion = new DocumentIngestion({
      store: this.store,
      events: options.events,
      limits: this.limits,
      chunking: { ...DEFAULT_CHUNK_OPTIONS, ...options.chunking },
      resolveStoredPath: (storedPath) => this.resolveStoredPath(storedPath)
    });
  }

  /** Where a document's copy is on disk (rows keep it relative to the data folder). */
  resolveStoredPath(storedPath: string): string {
    return join(this.options.dataDir, storedPath);
  }

  /** Retrieval's embeddings and index rows; documents go through 'embedding' only while one is set. */
  setIndexer(indexer: DocumentIndexer | null): void {
    this.ingestion.indexer = indexer;
  }

  // --- intake ---

  /**
   * Takes files and folders (absolute paths; folders are walked for known document extensions).
   * Returns once each file is copied and queued, or refused with its reason; parsing goes on in the
   * background (documentProgress events; waitUntilSettled).
   */
  async ingestFiles({ paths, collection }: { paths: string[]; collection?: string }): Promise<IngestFileResult[]> {
    const relative = paths.filter((path) => !isAbsolute(path));
    if (relative.length)
      throw new InvalidArgumentsError(
        'ingestFiles',
        relative.map((path) => `${path} is not an absolute path`)
      );
    const target = this.store.ensureCollection(collection ?? DEFAULT_COLLECTION);
    const results: IngestFileResult[] = [];
    for (const path of paths) {
      for (const file of await this.expand(path, results)) results.push(await this.ingestPath(file, target));
    }
    this.options.events.emit('documentsChanged', {});
    return results;
  }

  /** One upload: the stream is copied (and counted: past the size limit it is refused) as it arrives. */
  async ingestStream(stream: Readable, fileName: string, collection?: string): Promise<IngestFileResult> {
    const result = await this.intake(stream, fileName, fileName, this.store.ensureCollection(collection ?? DEFAULT_COLLECTION));
    this.options.events.emit('documentsChanged', {});
    return result;
  }

  /** Resolves with the documents once none of them is queued, parsing or embedding any more. */
  waitUntilSettled(ids: string[], signal?: AbortSignal): Promise<DocumentInfo[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const docs = ids.map((id) => this.store.getDocument(id));
        if (docs.some((doc) => doc && (doc.status === 'queued' || doc.status === 'parsing' || doc.status === 'embedding'))) return;
        off();
        signal?.removeEventListener('abort', onAbort);
        resolve(docs.filter((doc): doc is DocumentInfo => doc !== undefined));
      };
      const onAbort = () => {
        off();
        reject(signal!.reason);
      };
      const off = this.options.events.on('documentProgress', ({ documentId }) => {
        if (ids.includes(documentId)) check();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      check();
    });
  }

  private async expand(path: string, results: IngestFileResult[]): Promise<string[]> {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      results.push(refused(path, `${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`));
      return [];
    }
    if (!info.isDirectory()) return [path];
    const entries = await readdir(path, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && KNOWN_EXTENSIONS.has(extname(entry.name).toLowerCase()))
      .map((entry) => join(entry.parentPath, entry.name))
      .filter(
        (file) =>
          !file
            .slice(path.length)
            .split(/[\\/]/)
            .some((part) => part.startsWith('.'))
      )
      .sort();
  }

  private async ingestPath(path: string, collection: CollectionInfo): Promise<IngestFileResult> {
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new DocumentRefusedError(path, 'not-a-file', `${path} is not a file.`);
      if (info.size > this.limits.maxFileBytes) throw this.tooLarge(path);
      return await this.intake(createReadStream(path), basename(path), path, collection);
    } catch (error) {
      if (error instanceof DocumentRefusedError) return refused(path, error.message);
      return refused(path, `${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }

  private tooLarge(source: string): DocumentRefusedError {
    return new DocumentRefusedError(
      source,
      'too-large',
      `${source} is larger than the ${formatSize(this.limits.maxFileBytes)} limit for a document.`
    );
  }

  /** Copies the bytes in (hashing and counting them), then refuses, deduplicates or queues the document. */
  private async intake(stream: Readable, fileName: string, source: string, collection: CollectionInfo): Promise<IngestFileResult> {
    await this.ensureDir();
    const incoming = join(this.dir, `${INCOMING_PREFIX}${randomUUID()}`);
    const hash = createHash('sha256');
    let bytes = 0;
    let head = Buffer.alloc(0);
    const maxBytes = this.limits.maxFileBytes;
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        bytes += chunk.length;
        if (bytes > maxBytes) return callback(this.tooLarge(source));
        if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
        hash.update(chunk);
        callback(null, chunk);
      }
    });
    try {
      await pipeline(stream, counter, createWriteStream(incoming, { flags: 'wx', mode: STORED_FILE_MODE }));
      if (bytes === 0) throw new DocumentRefusedError(source, 'empty', `${source} is empty (0 bytes).`);
      const sniffed = sniffFormat(head, fileName);
      if (sniffed.format === null) throw new DocumentRefusedError(source, 'unreadable', `${source}: ${sniffed.reason}`);
      const sha256 = hash.digest('hex');
      const existing = this.store.findDuplicate(collection.id, sha256);
      if (existing) return { source, document: existing, duplicate: true, error: null };
      const id = randomUUID();
      // The copy is in place before its row exists: a crash between the two leaves an orphan file, which start-up removes.
      await rename(incoming, join(this.dir, id));
      const document = this.store.insertDocument({
        id,
        collectionId: collection.id,
        name: fileName,
        mime: MIME_TYPES[sniffed.format],
        format: sniffed.format,
        bytes,
        sha256,
        // Relative to the data folder, so that a moved data folder keeps its documents.
        storedPath: `${DOCUMENTS_FOLDER}/${id}`
      });
      this.ingestion.enqueue(id);
      return { source, document, duplicate: false, error: null };
    } finally {
      await rm(incoming, { force: true });
    }
  }

  private async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: DOCUMENTS_DIR_MODE });
    if (process.platform !== 'win32') await chmod(this.dir, DOCUMENTS_DIR_MODE);
  }

  // --- queries ---

  listDocuments(filter: { collection?: string } = {}): DocumentInfo[] {
    if (filter.collection === undefined) return this.store.listDocuments();
    return this.store.listDocuments({ collectionId: this.requireCollection(filter.collection).id });
  }

  getDocument(id: string): DocumentInfo {
    const document = this.store.getDocument(id);
    if (!document) throw new DocumentNotFoundError(id);
    return document;
  }

  /** A document's chunks in reading order (retrieval indexes them, citations quote them). */
  listChunks(documentId: string): StoredChunk[] {
    this.getDocument(documentId);
    return this.store.listChunks(documentId);
  }

  /** Deletes a document: its row, chunks, sources and index rows (one transaction), then its stored copy. */
  async deleteDocument(id: string): Promise<void> {
    await this.ingestion.cancel(id);
    const row = this.store.deleteDocument(id, () => this.ingestion.indexer?.removeDocument?.(id));
    if (!row) throw new DocumentNotFoundError(id);
    await rm(this.resolveStoredPath(row.storedPath), { force: true });
    this.options.events.emit('documentsChanged', {});
  }

  listCollections(): CollectionInfo[] {
    this.store.ensureCollection(DEFAULT_COLLECTION);
    return this.store.listCollections();
  }

  createCollection(name: string): CollectionInfo {
    const collection = this.store.createCollection(name);
    this.options.events.emit('documentsChanged', {});
    return collection;
  }

  private requireCollection(idOrName: string): CollectionInfo {
    const collection = this.store.findCollection(idOrName);
    if (!collection) throw new CollectionNotFoundError(idOrName);
    return collection;
  }

  // --- the sources of a conversation ---

  /** Adds collections and documents (by id) to what a conversation answers from. */
  attachSources(conversationId: string, sources: { collectionIds?: string[]; documentIds?: string[] }): ConversationSource[] {
    const collectionIds = sources.collectionIds ?? [];
    const documentIds = sources.documentIds ?? [];
    for (const id of collectionIds) if (!this.store.findCollection(id)) throw new CollectionNotFoundError(id);
    for (const id of documentIds) this.getDocument(id);
    try {
      this.store.attachSources(conversationId, { collectionIds, documentIds });
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new ConversationNotFoundError(conversationId);
      throw error;
    }
    return this.store.listSources(conversationId);
  }

  detachSource(conversationId: string, source: { kind: 'collection' | 'document'; id: string }): ConversationSource[] {
    this.store.detachSource(conversationId, source);
    return this.store.listSources(conversationId);
  }

  listSources(conversationId: string): ConversationSource[] {
    return this.store.listSources(conversationId);
  }

  /** The ready documents a conversation answers from (its documents and those of its collections). */
  sourceDocumentIds(conversationId: string): string[] {
    return this.store.sourceDocumentIds(conversationId);
  }

  // --- start-up and shutdown ---

  /**
   * After a crash: documents left queued, parsing or embedding are parsed again from their stored copy
   * (or fail when the copy is gone), and copies without a row (a crash mid-intake) are removed.
   */
  async recoverInterrupted(): Promise<{ resumed: number; failed: number }> {
    let resumed = 0;
    let failed = 0;
    for (const row of this.store.unfinished()) {
      const present = await stat(this.resolveStoredPath(row.storedPath)).then(
        (info) => info.isFile(),
        () => false
      );
      if (!present) {
        this.store.setStatus(row.id, 'failed', { error: 'The stored copy of the file is missing; add the file again.' });
        failed++;
        continue;
      }
      this.store.setStatus(row.id, 'queued');
      this.ingestion.enqueue(row.id);
      resumed++;
    }
    await this.removeOrphans();
    if (resumed || failed) this.options.events.emit('documentsChanged', {});
    return { resumed, failed };
  }

  /** Files of the documents folder that no row names, left before this library opened (so never an upload in progress). */
  private async removeOrphans(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    const stored = this.store.storedPaths();
    for (const name of names) {
      if (stored.has(`${DOCUMENTS_FOLDER}/${name}`)) continue;
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => null);
      if (info?.isFile() && info.mtimeMs < this.openedAt) await rm(path, { force: true });
    }
  }

  /** Stops the running parse; the document stays where it was and resumes at the next start. */
  dispose(): Promise<void> {
    return this.ingestion.dispose();
  }
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`;
}

function refused(source: string, error: string): IngestFileResult {
  return { source, document: null, duplicate: false, error };
}
