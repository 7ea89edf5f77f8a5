import { describe, expect, it } from 'vitest';
import { DEFAULT_DOCUMENT_LIMITS } from '../../src-main/core/documents/DocumentLimits';
import { DocumentParseError } from '../../src-main/core/documents/errors';
import type { ParseLimits } from '../../src-main/core/documents/parsers/ParsedDocument';
import { parseDocument } from '../../src-main/core/documents/parsers/parseDocument';
import { sniffFormat } from '../../src-main/core/documents/sniffFormat';
import type { DocumentFormat } from '../../src-main/core/shared/types';
import { makeDocx, makeEncryptedPdf, makeImageOnlyPdf, makePdf, makeZipBombDocx } from './documentFixtures';

const limits: ParseLimits = DEFAULT_DOCUMENT_LIMITS;
const utf8 = (text: string) => new TextEncoder().encode(text);
const parse = (bytes: Uint8Array, format: DocumentFormat, overrides: Partial<ParseLimits> = {}) =>
  parseDocument(bytes, format, { ...limits, ...overrides }, () => {});

async function parseFailure(promise: Promise<unknown>): Promise<DocumentParseError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(DocumentParseError);
  return error as DocumentParseError;
}

describe('PDF', () => {
  it('reads the text layer page by page, with 1-based page numbers', async () => {
    const bytes = await makePdf([['First page, first line', 'first page, second line'], ['Second page text'], ['Third page text']]);
    const progress: number[] = [];
    const parsed = await parseDocument(bytes, 'pdf', limits, (fraction) => progress.push(fraction));
    expect(parsed.pages).toBe(3);
    expect(parsed.blocks.map((block) => block.page)).toEqual([1, 2, 3]);
    expect(parsed.blocks[0]!.text).toBe('First page, first line\nfirst page, second line');
    expect(parsed.blocks[2]!.text).toBe('Third page text');
    expect(progress.at(-1)).toBe(1);
  });

  it('says "no text layer" for an image-only PDF', async () => {
    const error = await parseFailure(parse(await makeImageOnlyPdf(2), 'pdf'));
    expect(error.reason).toBe('no-text');
    expect(error.message).toMatch(/No text layer: none of the 2 pages/);
  });

  it('says an encrypted PDF needs its password removed', async () => {
    const error = await parseFailure(parse(await makeEncryptedPdf(), 'pdf'));
    expect(error.reason).toBe('encrypted');
    expect(error.message).toMatch(/encrypted \(password-protected\)/);
  });

  it('says a corrupt PDF is damaged', async () => {
    const junk = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    const error = await parseFailure(parse(new Uint8Array([...utf8('%PDF-1.7\n'), ...junk]), 'pdf'));
    expect(error.reason).toBe('corrupt');
    expect(error.message).toMatch(/damaged or not a PDF/);
  });
});

describe('DOCX', () => {
  it('keeps headings as the heading path and table rows as rows', async () => {
    const bytes = await makeDocx([
      { heading: 1, text: 'Annual report' },
      { paragraph: 'The year in brief.' },
      { heading: 2, text: 'Costs' },
      {
        table: [
          ['Item', 'Amount'],
          ['Rent', '1200']
        ]
      }
    ]);
    const { blocks, pages } = await parse(bytes, 'docx');
    expect(pages).toBeNull();
    expect(blocks.map((block) => [block.kind, block.text, block.headingPath])).toEqual([
      ['heading', '# Annual report', ['Annual report']],
      ['paragraph', 'The year in brief.', ['Annual report']],
      ['heading', '## Costs', ['Annual report', 'Costs']],
      ['row', '| Item | Amount |', ['Annual report', 'Costs']],
      ['row', '| Rent | 1200 |', ['Annual report', 'Costs']]
    ]);
  });

  it('refuses a zip bomb from its directory, before inflating it', async () => {
    const bomb = await makeZipBombDocx(8 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(100_000);
    const error = await parseFailure(parse(bomb, 'docx', { maxUnzippedBytes: 1024 * 1024 }));
    expect(error.reason).toBe('too-large');
    expect(error.message).toMatch(/unpacks to 8,3\d\d,\d\d\d bytes.*zip bomb/);
  });

  it('refuses a ZIP that is not a Word document, and a truncated one', async () => {
    const { default: JSZip } = await import('jszip');
    const zip = new JSZip();
    zip.file('hello.txt', 'hi');
    const notDocx = await zip.generateAsync({ type: 'uint8array' });
    expect((await parseFailure(parse(notDocx, 'docx'))).reason).toBe('unsupported-format');
    const truncated = (await makeDocx([{ paragraph: 'text' }])).subarray(0, 200);
    expect((await parseFailure(parse(truncated, 'docx'))).reason).toBe('corrupt');
  });
});

describe('Markdown, text, HTML and CSV', () => {
  it('Markdown: ATX headings nest, a # in a code fence is not a heading, table rows are rows', async () => {
    const source =
      '# Guide\n\nIntro.\n\n## Install\n\n```sh\n# not a heading\nnpm i\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n# Other\n\nEnd.';
    const { blocks } = await parse(utf8(source), 'markdown');
    expect(blocks.map((block) => [block.kind, block.headingPath.join(' > ')])).toEqual([
      ['heading', 'Guide'],
      ['paragraph', 'Guide'],
      ['heading', 'Guide > Install'],
      ['paragraph', 'Guide > Install'],
      ['row', 'Guide > Install'],
      ['row', 'Guide > Install'],
      ['heading', 'Other'],
      ['paragraph', 'Other']
    ]);
    expect(blocks[3]!.text).toBe('```sh\n# not a heading\nnpm i\n```');
  });

  it('text: paragraphs between blank lines; CRLF and a UTF-8 BOM are normalised', async () => {
    const { blocks } = await parse(utf8('\uFEFFOne\r\nstill one\r\n\r\n\r\nTwo'), 'text');
    expect(blocks.map((block) => block.text)).toEqual(['One\nstill one', 'Two']);
  });

  it('HTML: the main content, without navigation and footer, headings kept', async () => {
    const html =
      '<!doctype html><html><head><title>t</title><style>p{}</style></head><body><nav>Home | About</nav>' +
      '<main><h1>Article</h1><p>Body <b>text</b> &amp; more.</p><h2>Part</h2><p>Detail.</p></main><footer>© site</footer></body></html>';
    const { blocks } = await parse(utf8(html), 'html');
    expect(blocks.map((block) => [block.text, block.headingPath.join(' > ')])).toEqual([
      ['# Article', 'Article'],
      ['Body text & more.', 'Article'],
      ['## Part', 'Article > Part'],
      ['Detail.', 'Article > Part']
    ]);
  });

  it('HTML nested 100,000 levels deep is read to the depth limit, not followed down', async () => {
    const html = `<p>Top text</p>${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}`;
    const { blocks } = await parse(utf8(html), 'html');
    expect(blocks.map((block) => block.text)).toEqual(['Top text']);
  });

  it('CSV: one row block per record, each value named by its column', async () => {
    const { blocks } = await parse(utf8('name,city\n"Doe, Jane",Berlin\nBob,"Paris"\n'), 'csv');
    expect(blocks.map((block) => [block.kind, block.text])).toEqual([
      ['row', 'name; city'],
      ['row', 'name: Doe, Jane; city: Berlin'],
      ['row', 'name: Bob; city: Paris']
    ]);
  });

  it('CSV with a million columns fails with a clear reason', async () => {
    const header = Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',');
    const error = await parseFailure(parse(utf8(`${header}\n1,2,3\n`), 'csv'));
    expect(error.reason).toBe('too-complex');
    expect(error.message).toMatch(/row of the CSV is longer than/);
    const wide = await parseFailure(parse(utf8(`${'a,'.repeat(20_000)}a\n`), 'csv'));
    expect(wide.message).toMatch(/has 20001 columns; at most 10000/);
  });

  it('stops at the text limit', async () => {
    const error = await parseFailure(parse(utf8('word '.repeat(1000)), 'text', { maxTextChars: 100 }));
    expect(error.reason).toBe('too-large');
  });
});

describe('sniffFormat', () => {
  it('content wins over a wrong or missing extension', async () => {
    expect(sniffFormat(await makePdf([['x']]), 'report.txt')).toEqual({ format: 'pdf' });
    expect(sniffFormat(await makeDocx([{ paragraph: 'x' }]), 'letter.pdf')).toEqual({ format: 'docx' });
    expect(sniffFormat(utf8('<!DOCTYPE html><html><body><p>x</p></body></html>'), 'page')).toEqual({ format: 'html' });
    expect(sniffFormat(utf8('# Title\n\ntext'), 'README')).toEqual({ format: 'markdown' });
    expect(sniffFormat(utf8('a,b\n1,2\n3,4\n'), 'export')).toEqual({ format: 'csv' });
    expect(sniffFormat(utf8('just words'), 'notes')).toEqual({ format: 'text' });
    expect(sniffFormat(utf8('# not markdown here'), 'notes.txt')).toEqual({ format: 'text' });
  });

  it('refuses binary files whatever their name', () => {
    const png = sniffFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]), 'photo.pdf');
    expect(png).toEqual({ format: null, reason: 'The file is a PNG image, not a document.' });
    const junk = sniffFormat(
      new Uint8Array(256).map((_, i) => (i * 31) % 256),
      'data.txt'
    );
    expect(junk.format).toBeNull();
    // Invalid UTF-8 without NUL bytes is binary too.
    expect(sniffFormat(new Uint8Array([0x41, 0xff, 0xfe, 0x41, 0xc3, 0x28]), 'x.md').format).toBeNull();
  });
});
