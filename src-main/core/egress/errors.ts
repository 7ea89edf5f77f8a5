import { EnclaveError } from '../EnclaveError';
import { ErrorCode } from '../shared/errorCodes';

export class EgressBlockedError extends EnclaveError {
  constructor(
    readonly reason: 'local-only' | 'detection-failed',
    message: string,
    options?: { cause?: unknown }
  ) {
    super(ErrorCode.EgressBlocked, message, options);
  }
}
