import mammoth from 'mammoth';
import { DocumentParseError } from '../errors';
import type { ParsedDocument, ParseLimits } from './ParsedDocument';
import { parseHtml } from './parseHtml';
import { readZipDirectory } from './readZipDirectory';

/**
 * A Word document through mammoth's HTML (headings stay headings, tables stay rows), after its ZIP
 * directory is checked: an archive declaring more than the limit unpacked (a zip bomb) is refused
 * before anything is inflated.
 */
export async function parseDocx(
  bytes: Uint8Array,
  limits: Pick<ParseLimits, 'maxTextChars' | 'maxHtmlDepth' | 'maxUnzippedBytes'>
): Promise<ParsedDocument> {
  const entries = readZipDirectory(bytes);
  if (!entries.some((entry) => entry.name === 'word/document.xml'))
    throw new DocumentParseError('unsupported-format', 'The file is a ZIP archive but not a Word document (no word/document.xml).');
  const unpacked = entries.reduce((sum, entry) => sum + entry.uncompressedBytes, 0);
  if (unpacked > limits.maxUnzippedBytes)
    throw new DocumentParseError(
      'too-large',
      `The Word document unpacks to ${unpacked.toLocaleString('en-US')} bytes, more than the ${limits.maxUnzippedBytes.toLocaleString('en-US')} allowed (a damaged file or a zip bomb).`
    );
  let html: string;
  try {
    ({ value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }));
  } catch (error) {
    throw new DocumentParseError('corrupt', `The Word document could not be read: ${(error as Error).message}`, { cause: error });
  }
  return parseHtml(html, limits);
}
