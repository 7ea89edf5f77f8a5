import { EnclaveError } from '../../EnclaveError';
import { ErrorCode } from '../../shared/errorCodes';

export class DocumentTaskCancelledError extends EnclaveError {
  constructor(readonly taskId: string | null) {
    super(ErrorCode.DocumentTaskCancelled, 'The document task was cancelled.');
  }
}

/** Tools read a document's chunks, which exist once it is ready. */
export class DocumentNotReadyError extends EnclaveError {
  constructor(
    readonly documentId: string,
    readonly documentName: string,
    readonly status: string
  ) {
    super(
      ErrorCode.DocumentNotReady,
      status === 'failed'
        ? `"${documentName}" could not be read, so there is nothing to work from. Remove it and add it again, or try another file.`
        : `"${documentName}" is still being read (${status}). Try again once it shows Ready.`
    );
  }
}

export class DocumentTaskExistsError extends EnclaveError {
  constructor(readonly taskId: string) {
    super(ErrorCode.DocumentTaskExists, `A document task with id ${taskId} is already running.`);
  }
}

/** The model's output was not the JSON the schema asks for (cut off by the token limit, or not parseable). */
export class ExtractionFailedError extends EnclaveError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.ExtractionFailed, message, options);
  }
}
