import type { DocumentSearchHit } from '../../shared/types';
import type { DocumentIndex, SearchScope } from './DocumentIndex';
import { reciprocalRankFusion, RRF_K } from './reciprocalRankFusion';
import { toDocumentFtsQuery } from './toDocumentFtsQuery';

/** Embeds a query with the embedding model; null when no embedding model is set (keyword search only). */
export type QueryEmbedder = (text: string, signal?: AbortSignal) => Promise<Float32Array>;

export interface HybridQuery {
  query: string;
  k: number;
  scope?: SearchScope;
  /** Search the keyword index only, even when vectors exist (the evaluation's baseline). */
  keywordOnly?: boolean;
  signal?: AbortSignal;
}

export interface HybridResult {
  hits: DocumentSearchHit[];
  /** 'hybrid' when the vector list took part. */
  mode: 'keyword' | 'hybrid';
}

/** Each list contributes this many candidates to the fusion (or k, if larger). */
const KEYWORD_CANDIDATES = 40;
const VECTOR_CANDIDATES = 20;

/**
 * Keyword (bm25 over FTS5) and vector (sqlite-vec, cosine) retrieval fused by reciprocal rank. Without an
 * embedding model, or before any chunk is embedded, it is the keyword ranking alone.
 */
export class HybridSearch {
  constructor(
    private readonly index: DocumentIndex,
    private readonly embedder: () => QueryEmbedder | null
  ) {}

  async search({ query, k, scope = {}, keywordOnly = false, signal }: HybridQuery): Promise<HybridResult> {
    const fts = toDocumentFtsQuery(query);
    const keyword = fts ? this.index.keywordSearch(fts.match, scope, Math.max(k, KEYWORD_CANDIDATES)) : [];
    const embed = keywordOnly || this.index.vectorDimensions === null ? null : this.embedder();
    const vector = embed && query.trim() ? this.index.vectorSearch(await embed(query, signal), scope, Math.max(k, VECTOR_CANDIDATES)) : [];
    const lists = embed ? [keyword, vector] : [keyword];
    const fused = reciprocalRankFusion(lists.map((list) => list.map((hit) => hit.seq))).slice(0, k);
    const scores = new Map(fused.map((entry) => [entry.item, entry.score]));
    // chunks() keeps the order it is given and skips a chunk deleted since.
    const rows = this.index.chunks(fused.map((entry) => entry.item));
    const relevance = this.index.relevance(fts?.terms ?? [], rows);
    // The best possible fused score (first in every list) maps to 1.
    const best = lists.length / (RRF_K + 1);
    const hits = rows.map(({ seq, ...row }, i) => ({ ...row, score: scores.get(seq)! / best, relevance: relevance[i]! }));
    return { hits, mode: embed ? 'hybrid' : 'keyword' };
  }
}
