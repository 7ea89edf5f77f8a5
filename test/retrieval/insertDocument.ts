import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';

export interface TestChunk {
  text: string;
  page?: number | null;
  headingPath?: string[];
}

/**
 * Writes a parsed document straight into the documents tables, as ingestion leaves it: the retrieval
 * tests need exact passages, not a parser's. Returns the document id.
 */
export function insertDocument(
  client: Database.Database,
  { collection = 'Default', name, chunks, status = 'ready' }: { collection?: string; name: string; chunks: TestChunk[]; status?: string }
): string {
  const now = Date.now();
  let collectionId = client.prepare('SELECT id FROM collections WHERE name = ?').pluck().get(collection) as string | undefined;
  if (!collectionId) {
    collectionId = randomUUID();
    client.prepare('INSERT INTO collections(id, name, created_at) VALUES (?, ?, ?)').run(collectionId, collection, now);
  }
  const documentId = randomUUID();
  client
    .prepare(
      `INSERT INTO documents(id, collection_id, name, mime, format, bytes, sha256, status, stored_path, progress, created_at, updated_at)
       VALUES (?, ?, ?, 'text/plain', 'text', 1, ?, ?, '', 1, ?, ?)`
    )
    .run(documentId, collectionId, name, randomUUID(), status, now, now);
  const insert = client.prepare(
    `INSERT INTO document_chunks(id, document_id, ordinal, page, heading_path, text, char_start, char_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
  );
  let offset = 0;
  chunks.forEach((chunk, ordinal) => {
    insert.run(
      randomUUID(),
      documentId,
      ordinal,
      chunk.page ?? null,
      JSON.stringify(chunk.headingPath ?? []),
      chunk.text,
      offset,
      offset + chunk.text.length
    );
    offset += chunk.text.length;
  });
  return documentId;
}
