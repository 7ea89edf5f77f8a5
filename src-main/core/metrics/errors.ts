import { EnclaveError } from '../EnclaveError';
import { ErrorCode } from '../shared/errorCodes';

export class InvalidTimeZoneError extends EnclaveError {
  constructor(readonly timeZone: string) {
    super(
      ErrorCode.InvalidStatsQuery,
      `"${timeZone.slice(0, 100)}" is not a time zone: use an IANA name such as Europe/Berlin, or a UTC offset such as +02:00.`
    );
  }
}

export class InvalidStatsRangeError extends EnclaveError {
  constructor(detail: string) {
    super(ErrorCode.InvalidStatsQuery, `${detail} Dates are local days written yyyy-mm-dd (e.g. 2026-03-01).`);
  }
}

export class UnknownSavingsModelError extends EnclaveError {
  constructor(readonly ref: string) {
    super(
      ErrorCode.InvalidStatsQuery,
      `"${ref.slice(0, 300)}" has no price in the price table: pick a priced cloud model such as openai/gpt-4.1-mini (see resources/prices.json, or add one to prices.json in the data folder).`
    );
  }
}
