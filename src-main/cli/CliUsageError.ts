import { EnclaveError } from '../core/EnclaveError';
import { ErrorCode } from '../core/shared/errorCodes';

/** Wrong flags or arguments: printed with the command's usage, exit code 2. */
export class CliUsageError extends EnclaveError {
  constructor(
    message: string,
    readonly usage: string
  ) {
    super(ErrorCode.Usage, message);
  }
}
