import { EnclaveError } from '../EnclaveError';
import { ErrorCode } from '../shared/errorCodes';

export class DocumentNotFoundError extends EnclaveError {
  constructor(readonly documentId: string) {
    super(ErrorCode.DocumentNotFound, `Document ${documentId} does not exist (it may have been deleted).`);
  }
}

/** A document asked for by name when several documents have that name: their ids tell them apart. */
export class DocumentNameAmbiguousError extends EnclaveError {
  constructor(
    readonly documentName: string,
    readonly documentIds: string[]
  ) {
    super(
      ErrorCode.DocumentNameAmbiguous,
      `${documentIds.length} documents are named "${documentName}"; use one of their ids: ${documentIds.join(', ')}.`
    );
  }
}

export class CollectionNotFoundError extends EnclaveError {
  constructor(readonly collection: string) {
    super(ErrorCode.CollectionNotFound, `Collection "${collection}" does not exist.`);
  }
}

export class CollectionExistsError extends EnclaveError {
  constructor(readonly collection: string) {
    super(ErrorCode.CollectionExists, `A collection named "${collection}" already exists.`);
  }
}

/** A file refused before it became a document: missing, empty, too large, not a file. */
export class DocumentRefusedError extends EnclaveError {
  constructor(
    readonly source: string,
    readonly reason: 'unreadable' | 'empty' | 'too-large' | 'not-a-file',
    message: string
  ) {
    super(ErrorCode.DocumentRefused, message);
  }
}

/** Why a parse failed: the document is marked failed with this message. */
export type ParseFailureReason =
  'unsupported-format' | 'encrypted' | 'corrupt' | 'no-text' | 'too-large' | 'too-complex' | 'timeout' | 'out-of-memory' | 'crashed';

export class DocumentParseError extends EnclaveError {
  constructor(
    readonly reason: ParseFailureReason,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(ErrorCode.DocumentParseFailed, message, options);
  }
}
