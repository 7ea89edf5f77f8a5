import { DocumentParseError } from '../errors';

export interface ZipEntrySummary {
  name: string;
  uncompressedBytes: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
/** The end record is 22 bytes plus a comment of at most 65535. */
const END_SEARCH_BYTES = 22 + 0xffff;
const MAX_ENTRIES = 10_000;

/**
 * The entries a ZIP's central directory declares, read without inflating anything: what a DOCX
 * holds and how large it says it unpacks to, checked before any parser inflates it.
 */
export function readZipDirectory(bytes: Uint8Array): ZipEntrySummary[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (why: string) => new DocumentParseError('corrupt', `The file is not a readable ZIP archive (${why}).`);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - END_SEARCH_BYTES); i--) {
    if (view.getUint32(i, true) === END_OF_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw corrupt('no central directory');
  const count = view.getUint16(end + 10, true);
  const offset = view.getUint32(end + 16, true);
  if (count === 0xffff || offset === 0xffffffff)
    throw new DocumentParseError('too-complex', 'The archive is a ZIP64 archive, which no DOCX needs to be.');
  if (count > MAX_ENTRIES)
    throw new DocumentParseError('too-complex', `The archive has ${count} entries; at most ${MAX_ENTRIES} are read.`);
  const entries: ZipEntrySummary[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== DIRECTORY_ENTRY) throw corrupt('a broken directory entry');
    const uncompressedBytes = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    if (at + 46 + nameLength > bytes.length) throw corrupt('a truncated entry name');
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    entries.push({ name, uncompressedBytes });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
