import { EnclaveError } from '../EnclaveError';
import { ErrorCode } from '../shared/errorCodes';

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

export class UnknownCatalogueEntryError extends EnclaveError {
  constructor(readonly id: string) {
    super(
      ErrorCode.UnknownCatalogueEntry,
      `"${id}" is not in the model catalogue. See the catalogue (enclave models list --catalogue) for the ids.`
    );
  }
}

export class CatalogueInvalidError extends EnclaveError {
  constructor(
    readonly file: string,
    detail: string
  ) {
    super(ErrorCode.CatalogueInvalid, `The model catalogue ${file} was not used: ${detail}`);
  }
}

export class UnknownModelFileError extends EnclaveError {
  constructor(
    readonly id: string,
    readonly modelsDir: string,
    /** The id is a catalogue entry's that is not downloaded yet. */
    readonly inCatalogue: boolean
  ) {
    super(
      ErrorCode.UnknownModelFile,
      inCatalogue
        ? `"${id}" is in the catalogue but not downloaded yet: download it first (enclave models pull ${id}).`
        : `No model "${id}" in ${modelsDir}. Download one (enclave models pull), import a .gguf file (enclave models import), or give a path.`
    );
  }
}

/** A .gguf file whose header cannot be read: the file is untrusted input, so this is an answer, never a crash. */
export class InvalidModelFileError extends EnclaveError {
  constructor(
    readonly path: string,
    detail: string
  ) {
    super(ErrorCode.InvalidGguf, `${path} is not a readable GGUF model file: ${detail}`);
  }
}

export class ModelFileExistsError extends EnclaveError {
  constructor(readonly path: string) {
    super(ErrorCode.ModelFileExists, `${path} already exists in the models folder. Remove it first, or rename the file you are adding.`);
  }
}

export class ModelImportError extends EnclaveError {
  constructor(
    readonly path: string,
    cause: unknown
  ) {
    super(ErrorCode.ModelImportFailed, `Could not import ${path}: ${(cause as Error)?.message ?? cause}`, { cause });
  }
}

export class InvalidDownloadSourceError extends EnclaveError {
  constructor(
    readonly source: string,
    detail: string
  ) {
    super(
      ErrorCode.InvalidDownloadSource,
      `Cannot download "${source.slice(0, 300)}": ${detail}. Give a catalogue id, hf:user/repo/file.gguf, hf:user/repo:quant, a Hugging Face URL or an https URL.`
    );
  }
}

export class InsecureDownloadUrlError extends EnclaveError {
  constructor(readonly url: string) {
    super(
      ErrorCode.InsecureDownloadUrl,
      `Refusing to download over plain http from ${url.slice(0, 300)}: use https (plain http is allowed only to this machine).`
    );
  }
}

export class DownloadNotFoundError extends EnclaveError {
  constructor(readonly id: string) {
    super(ErrorCode.DownloadNotFound, `No download "${id}".`);
  }
}

export class DownloadStateError extends EnclaveError {
  constructor(
    readonly id: string,
    readonly status: string,
    action: string
  ) {
    super(ErrorCode.DownloadState, `The download ${id} is ${status}: it cannot be ${action}.`);
  }
}

export class DownloadHttpError extends EnclaveError {
  constructor(
    readonly url: string,
    readonly status: number,
    statusText: string
  ) {
    super(
      ErrorCode.DownloadHttpError,
      `${url.slice(0, 300)} answered ${status}${statusText ? ` ${statusText}` : ''}` +
        (status === 404
          ? ': the file is not there (check the URI).'
          : status === 401 || status === 403
            ? ': access denied (a gated model needs a token).'
            : '.')
    );
  }
}

export class DownloadInterruptedError extends EnclaveError {
  constructor(
    readonly url: string,
    readonly receivedBytes: number,
    cause: unknown
  ) {
    super(
      ErrorCode.DownloadInterrupted,
      `The connection to ${url.slice(0, 300)} was cut after ${mib(receivedBytes)} (${(cause as Error)?.message ?? cause}). ` +
        'The partial file is kept: resume the download (or run the same pull again) to continue where it stopped.',
      { cause }
    );
  }
}

export class DownloadSizeMismatchError extends EnclaveError {
  constructor(
    readonly fileName: string,
    readonly expectedBytes: number,
    readonly actualBytes: number
  ) {
    super(
      ErrorCode.DownloadSizeMismatch,
      `${fileName} should be ${expectedBytes} bytes but ${actualBytes} arrived; the partial file was removed. Download it again.`
    );
  }
}

export class DownloadChecksumMismatchError extends EnclaveError {
  constructor(
    readonly fileName: string,
    readonly expected: string,
    readonly actual: string
  ) {
    super(
      ErrorCode.DownloadChecksumMismatch,
      `${fileName} failed its sha256 check (expected ${expected}, got ${actual}); the file was removed. Download it again, from another source if it keeps failing.`
    );
  }
}

export class InsufficientDiskSpaceError extends EnclaveError {
  constructor(
    readonly dir: string,
    readonly neededBytes: number,
    readonly freeBytes: number
  ) {
    super(
      ErrorCode.InsufficientDiskSpace,
      `Not enough free disk space in ${dir}: the download needs ${gib(neededBytes)} more, ${gib(freeBytes)} is free. Free some space or choose another models folder.`
    );
  }
}
