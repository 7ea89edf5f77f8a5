import { EnclaveError } from '../EnclaveError';
import { ErrorCode } from '../shared/errorCodes';

export class DatabaseCorruptError extends EnclaveError {
  constructor(
    readonly file: string,
    cause: unknown
  ) {
    super(
      ErrorCode.DatabaseCorrupt,
      `The database ${file} is damaged or is not an Enclave database (${(cause as Error)?.message ?? cause}). ` +
        'Nothing was changed. Move the file aside to start fresh, or restore it from a backup.',
      { cause }
    );
  }
}

export class DatabaseLockedError extends EnclaveError {
  constructor(
    readonly file: string,
    cause: unknown
  ) {
    super(
      ErrorCode.DatabaseLocked,
      `The database ${file} is locked by another process. Close the other Enclave window or command and try again.`,
      { cause }
    );
  }
}

export class DatabaseOpenError extends EnclaveError {
  constructor(
    readonly file: string,
    cause: unknown
  ) {
    super(ErrorCode.DatabaseOpenFailed, `Could not open the database ${file}: ${(cause as Error)?.message ?? cause}`, {
      cause
    });
  }
}
