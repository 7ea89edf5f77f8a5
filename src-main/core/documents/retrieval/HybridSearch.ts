import type { DocumentSearchHit } from '../../shared/types';
import type { DocumentIndex, QueryTerm, SearchScope } from './DocumentIndex';
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

/** Each list contributes this many candidates to the fusion (or k, if larger); keyword search alone needs only k. */
const KEYWORD_CANDIDATES = 20;
const VECTOR_CANDIDATES = 10;
/**
 * A query word in more than this share of the chunks (and more than COMMON_MIN_CHUNKS of them) is left out
 * of the keyword match: its IDF is small, so it barely moves the ranking, but scoring its long posting list
 * is most of a search's time. It still counts in the relevance. Small libraries keep every word.
 */
const COMMON_SHARE = 0.05;
const COMMON_MIN_CHUNKS = 2000;

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
    const words = toDocumentFtsQuery(query);
    const queryTerms = this.index.queryTerms(words?.terms ?? []);
    const fts = words && toDocumentFtsQuery(query, commonTerms(queryTerms.terms, queryTerms.total));
    const embed = keywordOnly || this.index.vectorDimensions === null ? null : this.embedder();
    const keyword = fts ? this.index.keywordSearch(fts.match, scope, embed ? Math.max(k, KEYWORD_CANDIDATES) : k) : [];
    const vector = embed && query.trim() ? this.index.vectorSearch(await embed(query, signal), scope, Math.max(k, VECTOR_CANDIDATES)) : [];
    const lists = embed ? [keyword, vector] : [keyword];
    const fused = reciprocalRankFusion(lists.map((list) => list.map((hit) => hit.seq))).slice(0, k);
    const scores = new Map(fused.map((entry) => [entry.item, entry.score]));
    // chunks() keeps the order it is given and skips a chunk deleted since.
    const rows = this.index.chunks(fused.map((entry) => entry.item));
    const relevance = this.index.relevance(queryTerms, rows);
    // The best possible fused score (first in every list) maps to 1.
    const best = lists.length / (RRF_K + 1);
    const hits = rows.map(({ seq, ...row }, i) => ({ ...row, score: scores.get(seq)! / best, relevance: relevance[i]! }));
    return { hits, mode: embed ? 'hybrid' : 'keyword' };
  }
}

/** The words to leave out of the match; never all of them (the rarest stays). */
function commonTerms(terms: readonly QueryTerm[], total: number): Set<string> {
  const limit = Math.max(COMMON_MIN_CHUNKS, total * COMMON_SHARE);
  const common = terms.filter((term) => term.documents > limit);
  if (common.length === terms.length) common.sort((a, b) => a.documents - b.documents).shift();
  return new Set(common.map((term) => term.term));
}
