// The shortcuts that keep search fast on a large library must not change what it finds: the bm25 top list
// taken before the status and scope filters falls back when the filters empty it, and a word too common to
// match on still counts in the relevance.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type EnclaveDb } from '../../src-main/core/db/openDatabase';
import { DocumentIndex } from '../../src-main/core/documents/retrieval/DocumentIndex';
import { HybridSearch } from '../../src-main/core/documents/retrieval/HybridSearch';
import { toDocumentFtsQuery } from '../../src-main/core/documents/retrieval/toDocumentFtsQuery';
import { useTempDir } from '../support/tempDir';
import { insertDocument } from './insertDocument';

const tempDir = useTempDir('enclave-fast-');

describe('search fast paths (real SQLite)', () => {
  let db: EnclaveDb;
  let search: HybridSearch;

  beforeEach(() => {
    db = openDatabase({ file: join(tempDir(), 'enclave.db') });
    search = new HybridSearch(new DocumentIndex(db), () => null);
  });
  afterEach(() => db.$client.close());

  it('finds the one weak match in scope, or in a ready document, below a hundred better ones that are filtered out', async () => {
    // Strong matches: in another collection, and in a document still being parsed.
    const strong = Array.from({ length: 60 }, () => ({ text: 'lighthouse lighthouse lighthouse keeper' }));
    insertDocument(db.$client, { collection: 'Other', name: 'other.txt', chunks: strong });
    insertDocument(db.$client, { name: 'parsing.txt', chunks: strong, status: 'parsing' });
    insertDocument(db.$client, {
      collection: 'Mine',
      name: 'mine.txt',
      chunks: [{ text: 'A long walk along the coast passed an old lighthouse, then a harbour with fishing boats and a café.' }]
    });
    const mine = db.$client.prepare(`SELECT id FROM collections WHERE name = 'Mine'`).pluck().get() as string;
    const scoped = await search.search({ query: 'lighthouse', k: 3, scope: { collectionIds: [mine] } });
    expect(scoped.hits.map((hit) => hit.name)).toEqual(['mine.txt']);
    const everywhere = await search.search({ query: 'lighthouse', k: 100 });
    expect(everywhere.hits).toHaveLength(61);
    expect(everywhere.hits.some((hit) => hit.name === 'parsing.txt')).toBe(false);
  });

  it('leaves a word most chunks hold out of the match, but not out of the relevance', async () => {
    // 'report' is in every one of 2,100 chunks; 'zeppelin' in two.
    insertDocument(db.$client, {
      name: 'reports.txt',
      chunks: Array.from({ length: 2100 }, (_, i) => ({ text: `report number ${i} on the weekly figures` }))
    });
    insertDocument(db.$client, {
      name: 'zeppelin.txt',
      chunks: [{ text: 'The zeppelin report: the airship landed at noon.' }, { text: 'A zeppelin was seen over the lake.' }]
    });
    const { hits } = await search.search({ query: 'zeppelin report', k: 3 });
    // Matched on 'zeppelin' alone: the chunks with only 'report' are not candidates.
    expect(hits.map((hit) => hit.name)).toEqual(['zeppelin.txt', 'zeppelin.txt']);
    const both = hits.find((hit) => hit.text.includes('report'))!;
    const one = hits.find((hit) => !hit.text.includes('report'))!;
    expect(both.relevance).toBeCloseTo(1, 5);
    expect(one.relevance).toBeLessThan(1);
    expect(one.relevance).toBeGreaterThan(0.5);
    // A query of common words only keeps its rarest in the match.
    expect((await search.search({ query: 'report', k: 1 })).hits).toHaveLength(1);
  });

  it('toDocumentFtsQuery leaves words out of the match, phrases and NEAR included, and keeps them in terms', () => {
    expect(toDocumentFtsQuery('zeppelin weekly report', new Set(['report']))).toEqual({
      match: '"zeppelin" OR "weekly" OR "zeppelin weekly" OR NEAR("zeppelin" "weekly", 10)',
      terms: ['zeppelin', 'weekly', 'report']
    });
    expect(toDocumentFtsQuery('report', new Set(['report']))).toBeNull();
  });
});
