import type { DocumentFormat } from '../../shared/types';
import { decodeText } from './decodeText';
import type { ParsedDocument, ParseLimits, ParseProgress } from './ParsedDocument';
import { parseCsv } from './parseCsv';
import { parseDocx } from './parseDocx';
import { parseHtml } from './parseHtml';
import { parseMarkdown } from './parseMarkdown';
import { parsePdf } from './parsePdf';
import { parseText } from './parseText';

/** Reads a document of a sniffed format into blocks. Runs in the parse worker. */
export async function parseDocument(
  bytes: Uint8Array,
  format: DocumentFormat,
  limits: ParseLimits,
  onProgress: ParseProgress
): Promise<ParsedDocument> {
  switch (format) {
    case 'pdf':
      return parsePdf(bytes, limits, onProgress);
    case 'docx':
      return parseDocx(bytes, limits);
    case 'markdown':
      return parseMarkdown(decodeText(bytes), limits);
    case 'text':
      return parseText(decodeText(bytes), limits);
    case 'html':
      return parseHtml(decodeText(bytes), limits);
    case 'csv':
      return parseCsv(decodeText(bytes), limits);
  }
}
