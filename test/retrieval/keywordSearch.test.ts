import { join } from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type EnclaveDb } from '../../src-main/core/db/openDatabase';
import { DocumentIndex } from '../../src-main/core/documents/retrieval/DocumentIndex';
import { HybridSearch } from '../../src-main/core/documents/retrieval/HybridSearch';
import { toDocumentFtsQuery } from '../../src-main/core/documents/retrieval/toDocumentFtsQuery';
import { useTempDir } from '../support/tempDir';
import { insertDocument } from './insertDocument';

const tempDir = useTempDir('enclave-retrieval-');

describe('keyword retrieval (FTS5 bm25, real SQLite)', () => {
  let db: EnclaveDb;
  let search: HybridSearch;
  let index: DocumentIndex;
  const names = async (query: string, k = 3) => (await search.search({ query, k })).hits.map((hit) => hit.name);

  beforeEach(() => {
    db = openDatabase({ file: join(tempDir(), 'enclave.db') });
    index = new DocumentIndex(db);
    search = new HybridSearch(index, () => null);
    insertDocument(db.$client, {
      name: 'tar.txt',
      chunks: [
        { text: 'To create an archive, run tar with the -c option and name the archive file with -f.', headingPath: ['Creating archives'] },
        { text: 'Extraction restores the files an archive holds: use -x. Existing files are overwritten.', headingPath: ['Extracting'] }
      ]
    });
    insertDocument(db.$client, {
      name: 'cafe-menu.txt',
      chunks: [{ text: 'Our café serves crème brûlée and espresso every morning.', page: 2 }]
    });
    insertDocument(db.$client, {
      name: 'garden.txt',
      chunks: [
        { text: 'Water the tomatoes in the morning; watering at night invites mildew. Archive photos of each bed.' },
        { text: 'Compost heaps need air: turn them every week so the archive of leaves rots evenly.' }
      ]
    });
  });

  it('stems words (installing ~ installation, extract ~ extraction)', async () => {
    expect((await names('extract files'))[0]).toBe('tar.txt');
    const [hit] = (await search.search({ query: 'extract files', k: 1 })).hits;
    expect(hit!.headingPath).toEqual(['Extracting']);
  });

  it('folds diacritics: "cafe creme brulee" finds "café crème brûlée", with its page', async () => {
    const [hit] = (await search.search({ query: 'cafe creme brulee', k: 1 })).hits;
    expect(hit).toMatchObject({ name: 'cafe-menu.txt', page: 2 });
  });

  it('answers a natural question by its content words, not its stop words', async () => {
    const { hits } = await search.search({ query: 'How do I create an archive with tar?', k: 3 });
    expect(hits[0]).toMatchObject({ name: 'tar.txt', headingPath: ['Creating archives'] });
    expect(hits[0]!.relevance).toBeGreaterThan(0.9);
  });

  it('weighs headings and document names above body text', async () => {
    insertDocument(db.$client, {
      name: 'notes.txt',
      chunks: [{ text: 'Mildew grows on leaves.' }, { text: 'Nothing here.', headingPath: ['Mildew'] }]
    });
    // Both chunks hold "mildew" once; the one whose heading is "Mildew" ranks above the one that only mentions it.
    const { hits } = await search.search({ query: 'mildew', k: 5 });
    expect(hits[0]!.headingPath).toEqual(['Mildew']);
  });

  it('boosts passages where the query words stand together (phrase and NEAR)', async () => {
    insertDocument(db.$client, {
      name: 'a.txt',
      chunks: [
        { text: 'The block size is set per device. Many other settings follow here, and the size of the block cache is separate.' },
        { text: 'Tape drives read one record at a time; the default block size is 10240 bytes.' }
      ]
    });
    const { hits } = await search.search({ query: 'default block size', k: 2 });
    expect(hits[0]!.text).toContain('default block size is 10240');
  });

  it('filters by collection', async () => {
    insertDocument(db.$client, { collection: 'Work', name: 'work.txt', chunks: [{ text: 'The archive of quarterly reports.' }] });
    const collectionId = db.$client.prepare("SELECT id FROM collections WHERE name = 'Work'").pluck().get() as string;
    const { hits } = await search.search({ query: 'archive', k: 10, scope: { collectionIds: [collectionId] } });
    expect(hits.map((hit) => hit.name)).toEqual(['work.txt']);
  });

  it('skips documents that are still being parsed or failed', async () => {
    insertDocument(db.$client, { name: 'half.txt', status: 'parsing', chunks: [{ text: 'zeppelin hangar' }] });
    insertDocument(db.$client, { name: 'bad.txt', status: 'failed', chunks: [{ text: 'zeppelin hangar' }] });
    expect(await names('zeppelin')).toEqual([]);
  });

  it('rates a question the documents do not answer low, and one they answer high', async () => {
    const answered = (await search.search({ query: 'When should I water the tomatoes?', k: 1 })).hits[0]!;
    const unanswered = (await search.search({ query: 'How do I pair a bluetooth headset with my phone?', k: 1 })).hits[0];
    expect(answered.name).toBe('garden.txt');
    expect(answered.relevance).toBeGreaterThan(0.8);
    expect(unanswered?.relevance ?? 0).toBeLessThan(0.3);
  });

  it('forgets a deleted document and a renamed document is found by its new name', async () => {
    db.$client.prepare("UPDATE documents SET name = 'pottery-glazes.txt' WHERE name = 'garden.txt'").run();
    expect(await names('pottery glazes')).toEqual(['pottery-glazes.txt', 'pottery-glazes.txt']);
    db.$client.prepare("DELETE FROM documents WHERE name = 'pottery-glazes.txt'").run();
    expect(await names('pottery compost tomatoes')).toEqual([]);
  });

  it('no input breaks the MATCH expression: hostile strings search or return nothing, never throw', async () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc
        .array(
          fc.constantFrom(
            '"',
            "'",
            '*',
            '^',
            '(',
            ')',
            ':',
            '-',
            '+',
            'NEAR',
            'AND',
            'OR',
            'NOT',
            'title:',
            '{body}',
            'NEAR(a b, 2)',
            '\\',
            '\u0000',
            'archive',
            ' ',
            '"tar',
            'é'
          ),
          { maxLength: 12 }
        )
        .map((parts) => parts.join(''))
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (query) => {
        const fts = toDocumentFtsQuery(query);
        if (fts)
          expect(() =>
            db.$client.prepare('SELECT count(*) FROM document_chunks_fts WHERE document_chunks_fts MATCH ?').get(fts.match)
          ).not.toThrow();
        const { hits } = await search.search({ query, k: 5 });
        expect(Array.isArray(hits)).toBe(true);
      }),
      { numRuns: 400 }
    );
    // FTS5 syntax in the input is read as words.
    expect((await search.search({ query: 'NOT archive', k: 1 })).hits[0]?.text).toContain('archive');
    expect((await search.search({ query: 'body:tomatoes', k: 1 })).hits[0]?.name).toBe('garden.txt');
  });
});

describe('toDocumentFtsQuery', () => {
  it('keeps content words, quotes every token, adds adjacent-word phrases and a NEAR group', () => {
    expect(toDocumentFtsQuery('What is the default block size of tar?')).toEqual({
      match: '"default" OR "block" OR "size" OR "tar" OR "default block" OR "block size" OR NEAR("default" "block" "size" "tar", 10)',
      terms: ['default', 'block', 'size', 'tar']
    });
  });

  it('searches a query of stop words only as written, and none for no words', () => {
    expect(toDocumentFtsQuery('to be or not to be')?.terms).toEqual(['to', 'be', 'or', 'not']);
    expect(toDocumentFtsQuery('?!* "" ()')).toBeNull();
  });
});
