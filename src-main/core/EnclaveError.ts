import { ErrorCode } from './shared/errorCodes';

/**
 * Base of every error the core raises on purpose. `code` is stable and machine-readable;
 * `message` says what happened and what the user can do about it. Adapters turn these
 * into a UI message, an HTTP error or an exit code.
 */
export class EnclaveError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export class InvalidArgumentsError extends EnclaveError {
  constructor(
    readonly operation: string,
    readonly issues: string[]
  ) {
    super(ErrorCode.InvalidArguments, `Invalid arguments for ${operation}: ${issues.join('; ')}`);
  }
}
