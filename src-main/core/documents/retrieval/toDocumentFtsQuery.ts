import { STOP_WORDS } from './stopWords';

/** A keyword query for document_chunks_fts: the MATCH expression and the content words it was built from. */
export interface DocumentFtsQuery {
  /** An FTS5 MATCH expression built only from quoted word tokens: no user input reaches it as syntax. */
  match: string;
  /** The query's content words, lower-cased, in order, without repeats. */
  terms: string[];
}

/** More terms add little to ranking and make every query slower. */
export const MAX_QUERY_TERMS = 12;
/** Tokens apart that still count as "near" for the proximity boost. */
const NEAR_DISTANCE = 10;
/** Longer input is cut: a search box query, not a document. */
const MAX_INPUT_CHARS = 2000;

// The characters FTS5's unicode61 tokenizer keeps in a token (letters, numbers, private use); anything else
// separates tokens, so splitting here on the same classes yields exactly the tokens FTS5 would see.
const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;

/**
 * Turns what a user typed (keywords or a natural question) into a ranked-recall FTS5 query:
 * - every content word (stop and question words dropped) as a quoted term, OR-ed, so a question
 *   whose words are not all in one passage still finds it, and bm25 favours passages with more of them;
 * - each pair of content words adjacent in the query as a phrase, and all of them NEAR each other: both
 *   only add to the bm25 score of the passages where they match (bm25 sums over the query's phrases).
 * Each token is wrapped in double quotes and contains no quote, so FTS5 reads it as a plain string: operators
 * (AND, NOT, NEAR), column filters, `*`, `^`, parentheses and quotes in the input are just text.
 * Words in `leaveOut` (ones so common that they rank little and cost much) stay in `terms` but out of the match.
 * Returns null when the input has no word at all.
 */
export function toDocumentFtsQuery(input: string, leaveOut: ReadonlySet<string> = new Set()): DocumentFtsQuery | null {
  const tokens = input.slice(0, MAX_INPUT_CHARS).normalize('NFKC').toLowerCase().match(TOKEN) ?? [];
  const isContent = (token: string) => !STOP_WORDS.has(token);
  // A query of stop words only ("the who", "to be or not to be") is searched as written.
  const keep = tokens.some(isContent) ? isContent : () => true;
  const terms = [...new Set(tokens.filter(keep))].slice(0, MAX_QUERY_TERMS);
  if (!terms.length) return null;
  const matched = terms.filter((term) => !leaveOut.has(term));
  const quote = (term: string) => `"${term}"`;
  const parts = matched.map(quote);
  const kept = new Set(matched);
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [a, b] = [tokens[i]!, tokens[i + 1]!];
    if (kept.has(a) && kept.has(b) && a !== b) parts.push(`"${a} ${b}"`);
  }
  if (matched.length > 1) parts.push(`NEAR(${matched.map(quote).join(' ')}, ${NEAR_DISTANCE})`);
  if (!parts.length) return null;
  return { match: [...new Set(parts)].join(' OR '), terms };
}
