import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkDocument, type ChunkOptions } from '../../src-main/core/documents/chunking/chunkDocument';
import type { ParsedDocument, TextBlock } from '../../src-main/core/documents/parsers/ParsedDocument';

/** Words, sentences, line breaks and the odd surrogate pair: what cut points have to respect. */
const word = fc.oneof(fc.stringMatching(/^[a-z]{1,12}$/), fc.constantFrom('end.', 'stop!', '😀', 'é', '\n', '\n\n', 'x'.repeat(40)));
const blockText = fc
  .array(word, { minLength: 1, maxLength: 80 })
  .map((words) => words.join(' ').trim())
  .filter((text) => text.length > 0);
const block = fc.record({
  kind: fc.constantFrom<TextBlock['kind']>('heading', 'paragraph', 'row'),
  text: blockText,
  headingPath: fc.array(fc.constantFrom('A', 'B', 'C'), { maxLength: 3 })
});

/** Blocks in reading order: with pages (non-decreasing, some pages skipped) or without. */
const documentArb: fc.Arbitrary<ParsedDocument> = fc
  .tuple(fc.array(fc.tuple(block, fc.nat(2)), { minLength: 1, maxLength: 40 }), fc.boolean())
  .map(([entries, paged]) => {
    let page = 1;
    const blocks = entries.map(([b, step]) => {
      page += step === 2 ? 1 : 0;
      return { ...b, page: paged ? page : null };
    });
    return { blocks, pages: paged ? page : null };
  });
const optionsArb: fc.Arbitrary<ChunkOptions> = fc
  .tuple(fc.integer({ min: 16, max: 400 }), fc.integer({ min: 0, max: 399 }))
  .map(([maxChars, overlap]) => ({ maxChars, overlapChars: overlap % maxChars }));

describe('chunkDocument', () => {
  it('covers every character of the text, and each chunk is exactly its slice', () => {
    fc.assert(
      fc.property(documentArb, optionsArb, (document, options) => {
        const { text, chunks } = chunkDocument(document, options);
        const covered = new Uint8Array(text.length);
        for (const chunk of chunks) {
          expect(chunk.text).toBe(text.slice(chunk.charStart, chunk.charEnd));
          expect(chunk.charEnd).toBeGreaterThan(chunk.charStart);
          covered.fill(1, chunk.charStart, chunk.charEnd);
        }
        expect(covered.indexOf(0)).toBe(-1);
        expect(chunks.map((chunk) => chunk.ordinal)).toEqual(chunks.map((_, i) => i));
      }),
      { numRuns: 300 }
    );
  });

  it('never mixes pages: each chunk lies inside the text of its one page', () => {
    fc.assert(
      fc.property(documentArb, optionsArb, (document, options) => {
        const { chunks } = chunkDocument(document, options);
        const pageOf = pageSpans(document);
        for (const chunk of chunks) {
          const span = pageOf.get(chunk.page)!;
          expect(chunk.charStart).toBeGreaterThanOrEqual(span[0]);
          expect(chunk.charEnd).toBeLessThanOrEqual(span[1]);
        }
      }),
      { numRuns: 300 }
    );
  });

  it('keeps chunks within maxChars plus the overlap, and never splits a surrogate pair', () => {
    fc.assert(
      fc.property(documentArb, optionsArb, (document, options) => {
        for (const chunk of chunkDocument(document, options).chunks) {
          expect(chunk.text.length).toBeLessThanOrEqual(options.maxChars + options.overlapChars);
          expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(chunk.text)).toBe(false);
        }
      }),
      { numRuns: 300 }
    );
  });

  it('starts a chunk at each heading that follows body text, with the heading path', () => {
    const document: ParsedDocument = {
      pages: null,
      blocks: [
        { kind: 'heading', text: '# Intro', headingPath: ['Intro'], page: null },
        { kind: 'paragraph', text: 'Short intro.', headingPath: ['Intro'], page: null },
        { kind: 'heading', text: '## Details', headingPath: ['Intro', 'Details'], page: null },
        { kind: 'paragraph', text: 'Detail text.', headingPath: ['Intro', 'Details'], page: null }
      ]
    };
    const { chunks } = chunkDocument(document, { maxChars: 1000, overlapChars: 0 });
    expect(chunks.map((chunk) => [chunk.text, chunk.headingPath])).toEqual([
      ['# Intro\n\nShort intro.\n\n', ['Intro']],
      ['## Details\n\nDetail text.', ['Intro', 'Details']]
    ]);
  });

  it('keeps table rows whole and cuts a long paragraph at a sentence', () => {
    const rows: TextBlock[] = ['| a | 1 |', '| b | 2 |', '| c | 3 |'].map((text) => ({ kind: 'row', text, headingPath: [], page: null }));
    expect(chunkDocument({ pages: null, blocks: rows }, { maxChars: 20, overlapChars: 0 }).chunks.map((c) => c.text)).toEqual([
      '| a | 1 |\n| b | 2 |\n',
      '| c | 3 |'
    ]);
    const paragraph = 'First sentence is here. Second sentence follows it. Third one ends.';
    const { chunks } = chunkDocument(
      { pages: null, blocks: [{ kind: 'paragraph', text: paragraph, headingPath: [], page: null }] },
      { maxChars: 40, overlapChars: 0 }
    );
    expect(chunks.map((c) => c.text)).toEqual(['First sentence is here. ', 'Second sentence follows it. ', 'Third one ends.']);
  });
});

/** The text span of each page: its blocks and their separators, as chunkDocument joins them. */
function pageSpans(document: ParsedDocument): Map<number | null, [number, number]> {
  const spans = new Map<number | null, [number, number]>();
  let at = 0;
  document.blocks.forEach((b, i) => {
    const next = document.blocks[i + 1];
    const separator = !next ? 0 : b.kind === 'row' && next.kind === 'row' ? 1 : 2;
    const end = at + b.text.length + separator;
    const span = spans.get(b.page);
    spans.set(b.page, span ? [span[0], end] : [at, end]);
    at = end;
  });
  return spans;
}
