import { EnclaveError } from '../EnclaveError';
import { ErrorCode } from '../shared/errorCodes';

export class DetectionTimeoutError extends Error {
  public readonly budgetMs: number;
  public readonly elapsedMs: number;
  public readonly processedChars: number;
  public readonly totalChars: number;

  public constructor({
    budgetMs,
    elapsedMs,
    processedChars,
    totalChars
  }: {
    budgetMs: number;
    elapsedMs: number;
    processedChars: number;
    totalChars: number;
  }) {
    super(
      `PII detection exceeded its time budget of ${budgetMs}ms after ${Math.round(elapsedMs)}ms ` +
        `(${processedChars} of ${totalChars} characters scanned)`
    );
    this.name = 'DetectionTimeoutError';
    this.budgetMs = budgetMs;
    this.elapsedMs = elapsedMs;
    this.processedChars = processedChars;
    this.totalChars = totalChars;
  }
}

export class DetectionAbortedError extends Error {
  public constructor(reason: unknown) {
    super('PII detection was aborted', { cause: reason });
    this.name = 'DetectionAbortedError';
  }
}

export class InvalidUserDictionaryTermError extends Error {
  public readonly term: string;

  public constructor(term: string, problem: string) {
    super(`Invalid user dictionary term ${JSON.stringify(term)}: ${problem}`);
    this.name = 'InvalidUserDictionaryTermError';
    this.term = term;
  }
}

export class InvalidEntitySpanError extends Error {
  public readonly entity: { start: number; end: number };

  public constructor(entity: { start: number; end: number }, problem: string) {
    super(`Cannot redact the entity at ${entity.start}-${entity.end}: ${problem}`);
    this.name = 'InvalidEntitySpanError';
    this.entity = entity;
  }
}

export class PrivacyOffNotConfirmedError extends EnclaveError {
  constructor() {
    super(
      ErrorCode.PrivacyOffNotConfirmed,
      'Turning privacy Off sends raw text, personal data included, to cloud providers. Confirm it explicitly to continue.'
    );
  }
}
