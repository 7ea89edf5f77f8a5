import { EnclaveError } from '../EnclaveError';
import { ErrorCode } from '../shared/errorCodes';

/** A contract call whose core half is still being built. */
export class NotImplementedError extends EnclaveError {
  constructor(readonly operation: string) {
    super(ErrorCode.NotImplemented, `${operation} is not implemented yet.`);
  }
}
