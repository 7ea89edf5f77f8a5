import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DocumentView } from '../shared/types';
import type { DocumentLibrary } from './DocumentLibrary';

/**
 * What the in-app viewer needs to open a cited passage: the PDF itself (rendered page by page in the
 * renderer) or, for other formats, the passages in reading order. The library keeps each upload's copy
 * in its folder under the document's id.
 */
export async function readDocumentView(library: DocumentLibrary, documentId: string): Promise<DocumentView> {
  const document = library.getDocument(documentId);
  const chunks = library
    .listChunks(documentId)
    .map(({ id, page, headingPath, text, charStart, charEnd }) => ({ id, page, headingPath, text, charStart, charEnd }));
  const pdf = document.format === 'pdf' ? new Uint8Array(await readFile(join(library.dir, document.id))) : null;
  return { document, pdf, chunks };
}
