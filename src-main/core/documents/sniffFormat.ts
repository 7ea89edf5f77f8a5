import { extname } from 'node:path';
import type { DocumentFormat } from '../shared/types';

export const MIME_TYPES: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  markdown: 'text/markdown',
  text: 'text/plain',
  html: 'text/html',
  csv: 'text/csv'
};

const TEXT_EXTENSIONS: Record<string, DocumentFormat> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.csv': 'csv',
  '.tsv': 'csv'
};

/** The extensions a folder walk picks up. */
export const KNOWN_EXTENSIONS = new Set(['.pdf', '.docx', ...Object.keys(TEXT_EXTENSIONS)]);

/** Signatures of common binary files that are not documents we read (images, archives, executables). */
const BINARY_MAGIC: [string, number[]][] = [
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['gzip archive', [0x1f, 0x8b]],
  ['executable', [0x7f, 0x45, 0x4c, 0x46]],
  ['7-Zip archive', [0x37, 0x7a, 0xbc, 0xaf]],
  ['legacy Office file (.doc/.xls); save it as .docx', [0xd0, 0xcf, 0x11, 0xe0]]
];

export type SniffResult = { format: DocumentFormat } | { format: null; reason: string };

/**
 * Which parser reads a file, from its content first: the magic bytes of a PDF or ZIP win over the
 * extension, binary content is refused whatever its name, and a text file's extension chooses among
 * the text formats (the content decides when the extension is missing or unknown).
 */
export function sniffFormat(head: Uint8Array, fileName: string): SniffResult {
  const startsWith = (magic: number[]) => magic.every((byte, i) => head[i] === byte);
  // A PDF's header may follow some junk; readers look in the first 1024 bytes.
  if (Buffer.from(head.subarray(0, 1024)).includes('%PDF-')) return { format: 'pdf' };
  if (startsWith([0x50, 0x4b, 0x03, 0x04])) return { format: 'docx' };
  for (const [what, magic] of BINARY_MAGIC)
    if (startsWith(magic)) return { format: null, reason: `The file is a ${what}, not a document.` };
  if (!looksLikeText(head))
    return { format: null, reason: 'The file is binary data, not a document (PDF, DOCX, Markdown, text, HTML or CSV).' };
  const byExtension = TEXT_EXTENSIONS[extname(fileName).toLowerCase()];
  return { format: byExtension ?? guessTextFormat(new TextDecoder().decode(head)) };
}

/** UTF-16 with a BOM, or UTF-8 without NUL bytes (the last sequence may be cut by the sample's end). */
function looksLikeText(head: Uint8Array): boolean {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return true;
  if (head.includes(0)) return false;
  let end = head.length;
  // Drop a multi-byte sequence the sample cut in half.
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = head[end - back]!;
    if ((byte & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((byte & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

function guessTextFormat(sample: string): DocumentFormat {
  const start = sample.trimStart().slice(0, 512).toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html') || /<(body|head|p|div|h1)[\s>]/.test(start)) return 'html';
  if (/^ {0,3}#{1,6} \S/m.test(sample) || /^ {0,3}```/m.test(sample)) return 'markdown';
  const lines = sample
    .split('\n')
    .filter((line) => line.trim())
    .slice(0, 10);
  if (lines.length >= 2) {
    const commas = lines.map((line) => line.split(',').length - 1);
    if (commas[0]! > 0 && commas.every((n) => n === commas[0])) return 'csv';
  }
  return 'text';
}
