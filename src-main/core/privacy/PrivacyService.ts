import { PiiDetector } from './PiiDetector';
import { Pseudonymizer } from './pseudonymization/Pseudonymizer';
import type { PiiType } from './types';

export interface RedactedText {
  /** The input with each entity replaced by a typed placeholder ([PERSON_1], [EMAIL_1]…). */
  text: string;
  /** Spans in the input (JavaScript string indices, end exclusive). */
  entities: { type: PiiType; start: number; end: number; score: number }[];
}

/** Detection bound for one request: past it the caller gets an error, never unredacted text. */
export const DEFAULT_REDACT_BUDGET_MS = 10_000;

/** The core's privacy entry point, shared by the CLI (`enclave redact`) and the HTTP API. */
export class PrivacyService {
  private readonly detector = new PiiDetector();

  async redact(
    text: string,
    { signal, timeBudgetMs = DEFAULT_REDACT_BUDGET_MS }: { signal?: AbortSignal; timeBudgetMs?: number } = {}
  ): Promise<RedactedText> {
    const entities = await this.detector.detect(text, { signal, timeBudgetMs });
    // A fresh pseudonymizer per call: placeholders are numbered within this text only.
    const redaction = new Pseudonymizer({ detector: this.detector }).redactEntities(text, entities);
    return { text: redaction.text, entities: entities.map(({ type, start, end, score }) => ({ type, start, end, score })) };
  }
}
