import type { DocumentInfo } from '../shared/types';
import { DocumentNameAmbiguousError, DocumentNotFoundError } from './errors';

/** A document by its id or, failing that, its file name (the CLI's DOC argument; the API's ids). */
export function findDocument(
  library: { getDocument(id: string): DocumentInfo; listDocuments(): DocumentInfo[] },
  idOrName: string
): DocumentInfo {
  try {
    return library.getDocument(idOrName);
  } catch (error) {
    if (!(error instanceof DocumentNotFoundError)) throw error;
  }
  const named = library.listDocuments().filter((document) => document.name === idOrName);
  if (named.length === 1) return named[0]!;
  if (named.length > 1)
    throw new DocumentNameAmbiguousError(
      idOrName,
      named.map((document) => document.id)
    );
  throw new DocumentNotFoundError(idOrName);
}
