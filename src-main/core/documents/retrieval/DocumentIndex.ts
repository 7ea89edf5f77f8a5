import type Database from 'better-sqlite3';
import type { EnclaveDb } from '../../db/openDatabase';
import { loadSqliteVec } from './loadSqliteVec';

/** Which documents a search looks in; both empty or absent: every document. */
export interface SearchScope {
  collectionIds?: readonly string[];
  documentIds?: readonly string[];
}

export interface RankedChunk {
  /** document_chunks.seq */
  seq: number;
  /** bm25 (lower is better) or cosine distance: only the order within one list counts. */
  distance: number;
}

export interface ChunkRow {
  seq: number;
  chunkId: string;
  documentId: string;
  collectionId: string;
  name: string;
  page: number | null;
  headingPath: string[];
  text: string;
  charStart: number;
  charEnd: number;
}

export interface PendingChunk {
  seq: number;
  text: string;
  headingPath: string[];
}

/** A query word, stemmed as the index stems it, and how many chunks hold it. */
export interface QueryTerm {
  term: string;
  stem: string;
  documents: number;
}

/** bm25 column weights (title, heading, body): a heading or file name that names the topic outweighs a mention. Set a priori: the eval set (scripts/evalDocs.ts) has no headings, and 1/1/1 … 10/5/1 score the same on its dev questions. */
export const BM25_WEIGHTS = [4, 2, 1] as const;
const BM25_RANK = `bm25(${BM25_WEIGHTS.join(', ')})`;
/**
 * The bm25 top list is taken from FTS5 alone (its rank column, ORDER BY rank LIMIT), this many times the
 * chunks wanted, and only then joined to the chunks' documents for the status and scope filters; a filter
 * that leaves too few falls back to filtering every match.
 */
const KEYWORD_OVERFETCH = 4;
const MIN_KEYWORD_FETCH = 50;
/** Coarse (binary) vector candidates re-scored with the full vectors: sign bits alone misorder close neighbours. */
const COARSE_FACTOR = 3;
const MIN_COARSE = 30;
/** Statuses whose chunks may be searched: the chunks are all written. */
const SEARCHABLE = `('embedding', 'ready')`;
const TOKENIZER = `tokenize='porter unicode61 remove_diacritics 2'`;

/**
 * The SQL side of document retrieval: the FTS5 index (kept by triggers from document_chunks), the chunk
 * embeddings (document_embeddings) and the sqlite-vec index over them. The vec0 table has the embedding
 * model's dimension, so it is created at run time (configureVectors), and it is kept in step with
 * document_embeddings by a TEMP trigger: a persistent one would make every connection without sqlite-vec
 * loaded fail to delete a document.
 */
export class DocumentIndex {
  private readonly client: Database.Database;
  /** Prepared once: preparing is a measurable part of a search that takes a few milliseconds. */
  private readonly statements = new Map<string, Database.Statement>();
  /** Why sqlite-vec could not be loaded; null when it is. */
  readonly vectorUnavailable: string | null;
  private dimensions: number | null = null;

  constructor(db: EnclaveDb) {
    this.client = db.$client;
    this.vectorUnavailable = tryLoad(this.client);
    if (!this.vectorUnavailable && this.client.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'document_vectors'`).get())
      this.keepVectorsInStep();
    // A scratch FTS5 table with the index's tokenizer: stems query words and candidate passages the same way.
    this.client.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.retrieval_tokens USING fts5(text, ${TOKENIZER});
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.retrieval_token_list USING fts5vocab(temp, retrieval_tokens, instance);`);
  }

  get vectorDimensions(): number | null {
    return this.dimensions;
  }

  /** The best `limit` chunks for an FTS5 MATCH expression, by weighted bm25. */
  keywordSearch(match: string, scope: SearchScope, limit: number): RankedChunk[] {
    const filter = scopeFilter(scope);
    const filtered = `JOIN document_chunks c ON c.seq = f.seq JOIN documents d ON d.id = c.document_id
          WHERE d.status IN ${SEARCHABLE} ${filter.sql} ORDER BY f.distance LIMIT ?`;
    const fetch = Math.max(limit * KEYWORD_OVERFETCH, MIN_KEYWORD_FETCH);
    const top = this.statement(
      `SELECT f.seq, f.distance FROM (
         SELECT rowid AS seq, rank AS distance FROM document_chunks_fts
          WHERE document_chunks_fts MATCH ? AND rank MATCH '${BM25_RANK}' ORDER BY rank LIMIT ?) f ${filtered}`
    ).all(match, fetch, ...filter.params, limit) as RankedChunk[];
    if (top.length === limit) return top;
    // Fewer than asked: either that is all there is, or the filters dropped most of the top list.
    const matches = this.statement(`SELECT COUNT(*) FROM (SELECT rowid FROM document_chunks_fts WHERE document_chunks_fts MATCH ? LIMIT ?)`)
      .pluck()
      .get(match, fetch + 1) as number;
    if (matches <= fetch) return top;
    return this.statement(
      `SELECT f.seq, f.distance FROM (
         SELECT rowid AS seq, rank AS distance FROM document_chunks_fts
          WHERE document_chunks_fts MATCH ? AND rank MATCH '${BM25_RANK}') f ${filtered}`
    ).all(match, ...filter.params, limit) as RankedChunk[];
  }

  /**
   * The `limit` chunks nearest to `vector` by cosine distance. Candidates come from the vec0 index
   * (binary-quantized: a Hamming scan of D/8 bytes a chunk), partitioned by collection, and are
   * re-scored exactly with the stored float vectors. A search limited to documents scans their vectors exactly.
   */
  vectorSearch(vector: Float32Array, scope: SearchScope, limit: number): RankedChunk[] {
    if (this.dimensions === null || vector.length !== this.dimensions) return [];
    const query = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
    if (scope.documentIds?.length) {
      const filter = scopeFilter(scope);
      return this.statement(
        `SELECT e.chunk_seq AS seq, vec_distance_cosine(e.vector, ?) AS distance
             FROM document_embeddings e JOIN document_chunks c ON c.seq = e.chunk_seq JOIN documents d ON d.id = c.document_id
            WHERE d.status IN ${SEARCHABLE} ${filter.sql} ORDER BY distance LIMIT ?`
      ).all(query, ...filter.params, limit) as RankedChunk[];
    }
    const coarse = Math.max(limit * COARSE_FACTOR, MIN_COARSE);
    const partitions: (string | null)[] = scope.collectionIds?.length ? [...scope.collectionIds] : [null];
    const quantize = this.quantized ? 'vec_quantize_binary(?)' : '?';
    const hits = partitions.flatMap(
      (collectionId) =>
        this.statement(
          `WITH coarse AS (
               SELECT rowid FROM document_vectors WHERE embedding MATCH ${quantize} AND k = ? ${collectionId === null ? '' : 'AND collection_id = ?'})
             SELECT e.chunk_seq AS seq, vec_distance_cosine(e.vector, ?) AS distance
               FROM coarse JOIN document_embeddings e ON e.chunk_seq = coarse.rowid
               JOIN document_chunks c ON c.seq = e.chunk_seq JOIN documents d ON d.id = c.document_id
              WHERE d.status IN ${SEARCHABLE}
              ORDER BY distance LIMIT ?`
        ).all(query, coarse, ...(collectionId === null ? [] : [collectionId]), query, limit) as RankedChunk[]
    );
    return hits.sort((a, b) => a.distance - b.distance).slice(0, limit);
  }

  chunks(seqs: readonly number[]): ChunkRow[] {
    if (!seqs.length) return [];
    const rows = this.statement(
      `SELECT c.seq, c.id AS chunkId, c.document_id AS documentId, d.collection_id AS collectionId, d.name, c.page,
                c.heading_path AS headingPath, c.text, c.char_start AS charStart, c.char_end AS charEnd
           FROM document_chunks c JOIN documents d ON d.id = c.document_id
          WHERE c.seq IN (SELECT value FROM json_each(?))`
    ).all(JSON.stringify(seqs)) as (Omit<ChunkRow, 'headingPath'> & { headingPath: string })[];
    const bySeq = new Map(rows.map((row) => [row.seq, { ...row, headingPath: JSON.parse(row.headingPath) as string[] }]));
    return seqs.flatMap((seq) => bySeq.get(seq) ?? []);
  }

  /**
   * The query's content words with their stems (the index's tokenizer, through a scratch FTS5 table) and
   * how many chunks hold each stem, from the index's vocabulary; and how many chunks there are.
   */
  queryTerms(terms: readonly string[]): { terms: QueryTerm[]; total: number } {
    const total = this.statement('SELECT count(*) FROM document_chunks_fts_docsize').pluck().get() as number;
    if (!terms.length) return { terms: [], total };
    const insert = this.statement('INSERT INTO temp.retrieval_tokens(rowid, text) VALUES (?, ?)');
    const stems = this.client.transaction(() => {
      terms.forEach((term, i) => insert.run(i + 1, term));
      const rows = this.statement('SELECT doc, term FROM temp.retrieval_token_list').all() as { doc: number; term: string }[];
      this.statement('DELETE FROM temp.retrieval_tokens').run();
      return rows;
    })();
    const documents = this.statement('SELECT doc FROM document_chunks_fts_terms WHERE term = ?').pluck();
    return {
      terms: stems.map(({ doc, term: stem }) => ({
        term: terms[doc - 1]!,
        stem,
        documents: (documents.get(stem) as number | undefined) ?? 0
      })),
      total
    };
  }

  /**
   * How much of the query each passage covers: the IDF-weighted share of the query's content words
   * (stemmed as the index stems them) found in the passage, its headings or its document's name, 0..1.
   * Unlike bm25 it does not depend on the other passages or the query's length, so one threshold can say
   * "nothing relevant" for any query. A word the documents never use weighs the most. Which passages hold
   * a word is asked of the index itself (the passage's name, heading and body columns), a lookup per word.
   */
  relevance(query: { terms: readonly QueryTerm[]; total: number }, passages: readonly ChunkRow[]): number[] {
    if (!query.terms.length || !passages.length) return passages.map(() => 0);
    const seqs = JSON.stringify(passages.map((p) => p.seq));
    const holding = this.statement(
      `SELECT rowid FROM document_chunks_fts WHERE document_chunks_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))`
    ).pluck();
    const seen = new Set<string>();
    const found = query.terms.flatMap(({ term, stem, documents }) => {
      if (seen.has(stem)) return [];
      seen.add(stem);
      // No match for a word no chunk holds: its weight counts against every passage.
      const seqsWith = documents === 0 ? new Set<number>() : new Set(holding.all(`"${term}"`, seqs) as number[]);
      return [{ weight: idf(query.total, documents), seqsWith }];
    });
    const sum = found.reduce((acc, { weight }) => acc + weight, 0);
    return passages.map((p) => {
      const covered = found.reduce((acc, { weight, seqsWith }) => acc + (seqsWith.has(p.seq) ? weight : 0), 0);
      return sum > 0 ? covered / sum : 0;
    });
  }

  // --- Embeddings ---

  /**
   * Makes the vec0 index hold vectors of `dimensions` (the embedding model's): an index of another size is
   * dropped with every stored embedding, since those came from another model. Returns whether it was reset.
   */
  configureVectors(dimensions: number, { reset = false }: { reset?: boolean } = {}): boolean {
    if (this.vectorUnavailable) return false;
    const existing = this.client.prepare(`SELECT sql FROM sqlite_master WHERE name = 'document_vectors'`).pluck().get() as
      string | undefined;
    const column = vectorColumn(dimensions);
    const mismatch = existing !== undefined && !existing.includes(column);
    if (reset || mismatch || existing === undefined) {
      this.client.transaction(() => {
        // The trigger goes first: it would fire on the embeddings deleted below, into a dropped table.
        this.client.exec('DROP TRIGGER IF EXISTS temp.document_vectors_delete');
        this.client.exec('DROP TABLE IF EXISTS document_vectors');
        if (reset || mismatch) this.client.exec('DELETE FROM document_embeddings');
        this.client.exec(`CREATE VIRTUAL TABLE document_vectors USING vec0(collection_id text partition key, ${column})`);
        // Embeddings kept from before the index existed (or a crash between the two writes) are indexed again.
        this.client.exec(
          `INSERT INTO document_vectors(rowid, collection_id, embedding)
             SELECT e.chunk_seq, d.collection_id, ${dimensions % 8 === 0 ? 'vec_quantize_binary(e.vector)' : 'e.vector'}
               FROM document_embeddings e JOIN document_chunks c ON c.seq = e.chunk_seq JOIN documents d ON d.id = c.document_id
              WHERE vec_length(e.vector) = ${dimensions}`
        );
      })();
    }
    this.keepVectorsInStep();
    this.dimensions = dimensions;
    return reset || mismatch;
  }

  /** Ready documents (all chunks written, not being ingested) with chunks not embedded, oldest first. */
  documentsToEmbed(): { id: string; chunks: number; embedded: number }[] {
    return this.client
      .prepare(
        `SELECT d.id, count(c.seq) AS chunks, count(e.chunk_seq) AS embedded
           FROM documents d JOIN document_chunks c ON c.document_id = d.id LEFT JOIN document_embeddings e ON e.chunk_seq = c.seq
          WHERE d.status = 'ready'
          GROUP BY d.id HAVING count(e.chunk_seq) < count(c.seq) ORDER BY d.seq`
      )
      .all() as { id: string; chunks: number; embedded: number }[];
  }

  chunksToEmbed(documentId: string, limit: number): PendingChunk[] {
    const rows = this.client
      .prepare(
        `SELECT c.seq, c.text, c.heading_path AS headingPath FROM document_chunks c
           LEFT JOIN document_embeddings e ON e.chunk_seq = c.seq
          WHERE c.document_id = ? AND e.chunk_seq IS NULL ORDER BY c.ordinal LIMIT ?`
      )
      .all(documentId, limit) as { seq: number; text: string; headingPath: string }[];
    return rows.map((row) => ({ ...row, headingPath: JSON.parse(row.headingPath) as string[] }));
  }

  storeEmbeddings(rows: readonly { seq: number; vector: Float32Array }[]): void {
    if (this.dimensions === null) throw new Error('configureVectors() first');
    const dimensions = this.dimensions;
    const insertVector = this.client.prepare(
      `INSERT INTO document_vectors(rowid, collection_id, embedding)
         SELECT ?, d.collection_id, ${dimensions % 8 === 0 ? 'vec_quantize_binary(?)' : '?'}
           FROM document_chunks c JOIN documents d ON d.id = c.document_id WHERE c.seq = ?`
    );
    const insertEmbedding = this.client.prepare('INSERT OR REPLACE INTO document_embeddings(chunk_seq, vector) VALUES (?, ?)');
    const exists = this.client.prepare('SELECT 1 FROM document_chunks WHERE seq = ?');
    const deleteVector = this.client.prepare('DELETE FROM document_vectors WHERE rowid = ?');
    this.client.transaction(() => {
      for (const { seq, vector } of rows) {
        if (vector.length !== dimensions) throw new Error(`embedding of ${vector.length} dimensions, the index has ${dimensions}`);
        // A chunk deleted while it was being embedded is skipped.
        if (!exists.get(seq)) continue;
        const blob = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
        insertEmbedding.run(seq, blob);
        // vec0 takes integer rowids only, and better-sqlite3 binds a number as a float.
        deleteVector.run(BigInt(seq));
        insertVector.run(BigInt(seq), blob, seq);
      }
    })();
  }

  setStatus(documentId: string, status: 'embedding' | 'ready', progress: number): boolean {
    return (
      this.client
        .prepare(`UPDATE documents SET status = ?, progress = ?, updated_at = ? WHERE id = ? AND status IN ${SEARCHABLE}`)
        .run(status, progress, Date.now(), documentId).changes > 0
    );
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.client.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Deleting a chunk (and so its embedding) deletes its vector: from now on, on this connection. */
  private keepVectorsInStep(): void {
    this.client.exec(`
      CREATE TEMP TRIGGER IF NOT EXISTS document_vectors_delete AFTER DELETE ON main.document_embeddings BEGIN
        DELETE FROM document_vectors WHERE rowid = old.chunk_seq;
      END;`);
  }

  private get quantized(): boolean {
    return this.dimensions !== null && this.dimensions % 8 === 0;
  }
}

/** Sign bits (D/8 bytes) when the dimension allows it, else full floats with cosine distance. */
function vectorColumn(dimensions: number): string {
  return dimensions % 8 === 0 ? `embedding bit[${dimensions}]` : `embedding float[${dimensions}] distance_metric=cosine`;
}

function scopeFilter(scope: SearchScope): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  if (scope.collectionIds?.length) {
    parts.push('d.collection_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(scope.collectionIds));
  }
  if (scope.documentIds?.length) {
    parts.push('d.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(scope.documentIds));
  }
  // A conversation may attach collections and single documents: a chunk in either is in scope.
  return parts.length ? { sql: `AND (${parts.join(' OR ')})`, params } : { sql: '', params };
}

function idf(total: number, documentFrequency: number): number {
  return Math.log(1 + (Math.max(total, documentFrequency) - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

function tryLoad(client: Database.Database): string | null {
  try {
    loadSqliteVec(client);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
