import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { EnclaveDb } from '../db/openDatabase';
import { collections, conversationSources, documentChunks, documents } from '../db/schema';
import type { CollectionInfo, ConversationSource, DocumentFormat, DocumentInfo, DocumentStatus } from '../shared/types';
import type { DocumentChunk } from './chunking/chunkDocument';
import { CollectionExistsError } from './errors';

export type DocumentRow = typeof documents.$inferSelect;

export interface NewDocument {
  id: string;
  collectionId: string;
  name: string;
  mime: string;
  format: DocumentFormat;
  bytes: number;
  sha256: string;
  storedPath: string;
}

/** A chunk as stored, with its document's name: what retrieval and citations read. */
export interface StoredChunk extends DocumentChunk {
  id: string;
  seq: number;
  documentId: string;
}

export const UNFINISHED_STATUSES: DocumentStatus[] = ['queued', 'parsing', 'embedding'];

/** The SQL of the documents domain: collections, documents, their chunks and the sources of conversations. */
export class DocumentStore {
  constructor(private readonly db: EnclaveDb) {}

  // --- collections ---

  findCollection(idOrName: string): CollectionInfo | undefined {
    const row = this.db
      .select()
      .from(collections)
      .where(sql`${collections.id} = ${idOrName} OR ${collections.name} = ${idOrName}`)
      .orderBy(sql`${collections.id} = ${idOrName} DESC`)
      .get();
    return row && { id: row.id, name: row.name, createdAt: row.createdAt, documentCount: this.countDocuments(row.id) };
  }

  createCollection(name: string): CollectionInfo {
    const row = this.db
      .insert(collections)
      .values({ id: randomUUID(), name, createdAt: Date.now() })
      .onConflictDoNothing()
      .returning()
      .get();
    if (!row) throw new CollectionExistsError(name);
    return { id: row.id, name: row.name, createdAt: row.createdAt, documentCount: 0 };
  }

  /** The collection with this name, created if there is none. */
  ensureCollection(name: string): CollectionInfo {
    this.db.insert(collections).values({ id: randomUUID(), name, createdAt: Date.now() }).onConflictDoNothing().run();
    return this.findCollection(name)!;
  }

  listCollections(): CollectionInfo[] {
    return this.db
      .select({
        id: collections.id,
        name: collections.name,
        createdAt: collections.createdAt,
        // Spelled out: drizzle leaves columns unqualified in a select without joins, which the subquery would misread.
        documentCount: sql<number>`(SELECT count(*) FROM documents d WHERE d.collection_id = collections.id)`
      })
      .from(collections)
      .orderBy(asc(collections.name))
      .all();
  }

  private countDocuments(collectionId: string): number {
    return this.db.select({ n: count() }).from(documents).where(eq(documents.collectionId, collectionId)).get()!.n;
  }

  // --- documents ---

  insertDocument(values: NewDocument): DocumentInfo {
    const now = Date.now();
    this.db
      .insert(documents)
      .values({ ...values, status: 'queued', progress: 0, createdAt: now, updatedAt: now })
      .run();
    return this.getDocument(values.id)!;
  }

  findDuplicate(collectionId: string, sha256: string): DocumentInfo | undefined {
    const row = this.db
      .select({ id: documents.id })
      .from(documents)
      .where(and(eq(documents.collectionId, collectionId), eq(documents.sha256, sha256)))
      .get();
    return row && this.getDocument(row.id);
  }

  getRow(id: string): DocumentRow | undefined {
    return this.db.select().from(documents).where(eq(documents.id, id)).get();
  }

  getDocument(id: string): DocumentInfo | undefined {
    return this.selectInfo(eq(documents.id, id))[0];
  }

  listDocuments(filter: { collectionId?: string } = {}): DocumentInfo[] {
    return this.selectInfo(filter.collectionId ? eq(documents.collectionId, filter.collectionId) : undefined);
  }

  private selectInfo(where: ReturnType<typeof eq> | undefined): DocumentInfo[] {
    return this.db
      .select({
        id: documents.id,
        collectionId: documents.collectionId,
        collection: collections.name,
        name: documents.name,
        mime: documents.mime,
        format: documents.format,
        bytes: documents.bytes,
        sha256: documents.sha256,
        status: documents.status,
        error: documents.error,
        pages: documents.pages,
        progress: documents.progress,
        chunkCount: sql<number>`(SELECT count(*) FROM document_chunks c WHERE c.document_id = documents.id)`,
        createdAt: documents.createdAt,
        updatedAt: documents.updatedAt
      })
      .from(documents)
      .innerJoin(collections, eq(collections.id, documents.collectionId))
      .where(where)
      .orderBy(desc(documents.createdAt), desc(documents.seq))
      .all()
      .map((row) => ({ ...row, format: row.format as DocumentFormat }));
  }

  /** Moves a document to a status; false when it no longer exists (deleted meanwhile). */
  setStatus(id: string, status: DocumentStatus, fields: { progress?: number; error?: string | null } = {}): boolean {
    const result = this.db
      .update(documents)
      .set({ status, progress: fields.progress ?? 0, error: fields.error ?? null, updatedAt: Date.now() })
      .where(eq(documents.id, id))
      .run();
    return result.changes > 0;
  }

  setProgress(id: string, progress: number): void {
    this.db.update(documents).set({ progress, updatedAt: Date.now() }).where(eq(documents.id, id)).run();
  }

  /**
   * The parse result, in one transaction: the document's chunks replace any it had (a resumed parse)
   * and it moves to `status`. False when the document was deleted meanwhile (nothing is written).
   */
  writeChunks(id: string, chunks: DocumentChunk[], pages: number | null, status: DocumentStatus): boolean {
    const insert = this.db.$client.prepare(
      `INSERT INTO document_chunks (id, document_id, ordinal, page, heading_path, text, char_start, char_end)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
    );
    return this.db.$client.transaction(() => {
      const updated = this.db
        .update(documents)
        .set({ status, progress: status === 'ready' ? 1 : 0, error: null, pages, updatedAt: Date.now() })
        .where(eq(documents.id, id))
        .run();
      if (updated.changes === 0) return false;
      this.db.delete(documentChunks).where(eq(documentChunks.documentId, id)).run();
      for (const chunk of chunks)
        insert.run(
          randomUUID(),
          id,
          chunk.ordinal,
          chunk.page,
          JSON.stringify(chunk.headingPath),
          chunk.text,
          chunk.charStart,
          chunk.charEnd
        );
      return true;
    })();
  }

  listChunks(documentId: string): StoredChunk[] {
    return this.db
      .select()
      .from(documentChunks)
      .where(eq(documentChunks.documentId, documentId))
      .orderBy(asc(documentChunks.ordinal))
      .all()
      .map((row) => ({
        id: row.id,
        seq: row.seq,
        documentId: row.documentId,
        ordinal: row.ordinal,
        page: row.page,
        headingPath: JSON.parse(row.headingPath) as string[],
        text: row.text,
        charStart: row.charStart,
        charEnd: row.charEnd
      }));
  }

  /** Deletes the document with its chunks and sources (ON DELETE CASCADE), after `beforeDelete` in the same transaction. */
  deleteDocument(id: string, beforeDelete: () => void): DocumentRow | undefined {
    return this.db.$client.transaction(() => {
      const row = this.getRow(id);
      if (!row) return undefined;
      beforeDelete();
      this.db.delete(documents).where(eq(documents.id, id)).run();
      return row;
    })();
  }

  unfinished(): DocumentRow[] {
    return this.db.select().from(documents).where(inArray(documents.status, UNFINISHED_STATUSES)).orderBy(asc(documents.seq)).all();
  }

  storedPaths(): Set<string> {
    return new Set(
      this.db
        .select({ path: documents.storedPath })
        .from(documents)
        .all()
        .map((row) => row.path)
    );
  }

  // --- the sources a conversation answers from ---

  /** Adds sources to a conversation (those it has stay); a missing conversation fails the foreign key. */
  attachSources(conversationId: string, sources: { collectionIds: string[]; documentIds: string[] }): void {
    const now = Date.now();
    this.db.$client.transaction(() => {
      for (const collectionId of sources.collectionIds)
        this.db.insert(conversationSources).values({ conversationId, collectionId, createdAt: now }).onConflictDoNothing().run();
      for (const documentId of sources.documentIds)
        this.db.insert(conversationSources).values({ conversationId, documentId, createdAt: now }).onConflictDoNothing().run();
    })();
  }

  detachSource(conversationId: string, source: { kind: 'collection' | 'document'; id: string }): void {
    const column = source.kind === 'collection' ? conversationSources.collectionId : conversationSources.documentId;
    this.db
      .delete(conversationSources)
      .where(and(eq(conversationSources.conversationId, conversationId), eq(column, source.id)))
      .run();
  }

  listSources(conversationId: string): ConversationSource[] {
    return this.db
      .select({
        collectionId: conversationSources.collectionId,
        documentId: conversationSources.documentId,
        collectionName: collections.name,
        documentName: documents.name
      })
      .from(conversationSources)
      .leftJoin(collections, eq(collections.id, conversationSources.collectionId))
      .leftJoin(documents, eq(documents.id, conversationSources.documentId))
      .where(eq(conversationSources.conversationId, conversationId))
      .orderBy(asc(conversationSources.seq))
      .all()
      .map((row) =>
        row.collectionId
          ? { kind: 'collection' as const, id: row.collectionId, name: row.collectionName ?? '' }
          : { kind: 'document' as const, id: row.documentId!, name: row.documentName ?? '' }
      );
  }

  /** The ready documents a conversation answers from: its single documents and those of its collections. */
  sourceDocumentIds(conversationId: string): string[] {
    return this.db.$client
      .prepare(
        `SELECT d.id FROM documents d
         WHERE d.status = 'ready' AND (
           d.id IN (SELECT document_id FROM conversation_sources WHERE conversation_id = ? AND document_id IS NOT NULL)
           OR d.collection_id IN (SELECT collection_id FROM conversation_sources WHERE conversation_id = ? AND collection_id IS NOT NULL))
         ORDER BY d.seq`
      )
      .pluck()
      .all(conversationId, conversationId) as string[];
  }
}
