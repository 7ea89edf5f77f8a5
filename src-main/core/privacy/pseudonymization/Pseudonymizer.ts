import { onlyDigits } from '../structured/checksums';
import { InvalidEntitySpanError } from '../errors';
import { PiiDetector, type DetectOptions } from '../PiiDetector';
import type { DetectedEntity, PiiType } from '../types';
import { normalizeTerm } from '../UserDictionary';
import { formatPlaceholder, isPlaceholderPrefix, maxPlaceholderLength, placeholderPattern } from './placeholders';
import { InMemoryPseudonymVault, type PseudonymVault, type PseudonymVaultEntry } from './PseudonymVault';
import { UrlContextScanner } from './UrlContextScanner';

/** A placeholder starting exactly at `lastIndex` */
const placeholderAt = new RegExp(placeholderPattern.source, 'y');

export type PseudonymizerOptions = {
  /** Where the conversation's mapping lives; defaults to memory */
  vault?: PseudonymVault;

  /** Detector used by `redact()` when no entities are given; defaults to a `PiiDetector` with default options */
  detector?: PiiDetector;
};

export type EntitySpan = Pick<DetectedEntity, 'type' | 'start' | 'end'>;

export type Replacement = {
  placeholder: string;
  type: PiiType;

  /** Span of the original value in the input text */
  start: number;
  end: number;
};

export type Redaction = {
  text: string;
  replacements: Replacement[];
};

export type StreamRestorer = {
  /** Restores a chunk; text that may be the start of a placeholder is held back until the next chunk */
  push(chunk: string): string;

  /** Returns whatever is still held back, restored */
  end(): string;
};

/**
 * Replaces personal data with typed placeholders (`[PERSON_1]`, `[EMAIL_2]`) for one conversation, and puts the
 * original values back into model output. A value maps to the same placeholder throughout the conversation,
 * compared case- and whitespace-insensitively (digits only for numbers); it is restored in its first spelling,
 * so `restore(redact(x).text) === x` whenever each value is spelled one way and none lies in a link target.
 * Text that already looks like a placeholder is itself replaced, so it can never be mistaken for one.
 */
export class Pseudonymizer {
  private readonly _vault: PseudonymVault;
  private _detector?: PiiDetector;
  private readonly _placeholderByKey = new Map<string, string>();
  private readonly _valueByPlaceholder = new Map<string, string>();
  private readonly _lastIndexByType = new Map<PiiType, number>();
  private readonly _entries: PseudonymVaultEntry[] = [];

  public constructor({ vault = new InMemoryPseudonymVault(), detector }: PseudonymizerOptions = {}) {
    this._vault = vault;
    this._detector = detector;
    for (const entry of vault.load()) this._remember(entry);
  }

  /** Detects personal data in `text` and replaces it. */
  public async redact(text: string, options?: DetectOptions): Promise<Redaction> {
    this._detector ??= new PiiDetector();
    return this.redactEntities(text, await this._detector.detect(text, options));
  }

  /** Replaces the given non-overlapping entities of `text`. */
  public redactEntities(text: string, entities: readonly EntitySpan[]): Redaction {
    const spans = withLiteralPlaceholders(text, validateSpans(text, entities));
    const newEntries: PseudonymVaultEntry[] = [];
    const pendingPlaceholders = new Map<string, PseudonymVaultEntry>();
    const lastIndexByType = new Map<PiiType, number>();
    const replacements: Replacement[] = [];
    let redacted = '';
    let index = 0;

    for (const span of spans) {
      const value = text.slice(span.start, span.end);
      const key = keyOf(span.type, value);
      let placeholder = this._placeholderByKey.get(key) ?? pendingPlaceholders.get(key)?.placeholder;
      if (placeholder == null) {
        const placeholderIndex = (lastIndexByType.get(span.type) ?? this._lastIndexByType.get(span.type) ?? 0) + 1;
        lastIndexByType.set(span.type, placeholderIndex);
        placeholder = formatPlaceholder(span.type, placeholderIndex);
        const entry = { placeholder, type: span.type, value };
        newEntries.push(entry);
        pendingPlaceholders.set(key, entry);
      }

      redacted += text.slice(index, span.start) + placeholder;
      replacements.push({ placeholder, type: span.type, start: span.start, end: span.end });
      index = span.end;
    }

    // Persist before remembering, so a failing vault leaves this pseudonymizer unchanged
    if (newEntries.length > 0) {
      this._vault.save(newEntries);
      for (const entry of newEntries) this._remember(entry);
    }

    return { text: redacted + text.slice(index), replacements };
  }

  /**
   * Puts original values back into text the user reads; placeholders this conversation never issued, and those
   * inside link targets (see UrlContextScanner), are left as they are.
   */
  public restore(text: string) {
    const restorer = this.createStreamRestorer();
    return restorer.push(text) + restorer.end();
  }

  /** Restores streamed model output whose placeholders may be split across chunks. */
  public createStreamRestorer(): StreamRestorer {
    // The scanner reads the output as restored so far: that is the text the Markdown renderer will parse.
    const scanner = new UrlContextScanner();
    const emit = (text: string) => {
      scanner.feed(text);
      return text;
    };
    let pending = '';

    const drain = (final: boolean) => {
      let output = '';
      let index = 0;
      while (index < pending.length) {
        const bracket = pending.indexOf('[', index);
        if (bracket === -1) {
          output += emit(pending.slice(index));
          index = pending.length;
          break;
        }
        output += emit(pending.slice(index, bracket));
        index = bracket;

        placeholderAt.lastIndex = bracket;
        const placeholder = placeholderAt.exec(pending)?.[0];
        if (placeholder != null) {
          output += emit((scanner.inUrl ? undefined : this._valueByPlaceholder.get(placeholder)) ?? placeholder);
          index += placeholder.length;
        } else if (!final && pending.length - bracket <= maxPlaceholderLength && isPlaceholderPrefix(pending.slice(bracket))) {
          break; // held back until the next chunk
        } else {
          output += emit('[');
          index++;
        }
      }
      pending = pending.slice(index);
      return output;
    };

    return {
      push: (chunk) => {
        pending += chunk;
        return drain(false);
      },
      end: () => drain(true)
    };
  }

  /** The conversation's mapping, oldest first */
  public get entries(): readonly PseudonymVaultEntry[] {
    return [...this._entries];
  }

  private _remember(entry: PseudonymVaultEntry) {
    this._entries.push(entry);
    this._placeholderByKey.set(keyOf(entry.type, entry.value), entry.placeholder);
    this._valueByPlaceholder.set(entry.placeholder, entry.value);
    const index = Number(entry.placeholder.slice(entry.placeholder.lastIndexOf('_') + 1, -1));
    this._lastIndexByType.set(entry.type, Math.max(this._lastIndexByType.get(entry.type) ?? 0, index));
  }
}

/** Identity of a value for placeholder reuse: numbers by their digits, everything else by case-folded words. */
function keyOf(type: PiiType, value: string) {
  const numericTypes: readonly PiiType[] = ['PHONE', 'CREDIT_CARD', 'NATIONAL_ID', 'ACCOUNT_NUMBER'];
  if (numericTypes.includes(type) && /\d/.test(value))
    return `${type}:${onlyDigits(value)}:${value.replace(/[\d\s().+-]/g, '').toUpperCase()}`;

  if (type === 'IBAN') return `${type}:${value.replace(/\s/g, '').toUpperCase()}`;

  return `${type}:${normalizeTerm(value)}`;
}

function validateSpans(text: string, entities: readonly EntitySpan[]) {
  const sorted = [...entities].sort((a, b) => a.start - b.start);
  sorted.forEach((entity, index) => {
    if (
      !Number.isInteger(entity.start) ||
      !Number.isInteger(entity.end) ||
      entity.start < 0 ||
      entity.end > text.length ||
      entity.start >= entity.end
    )
      throw new InvalidEntitySpanError(entity, `it is not a non-empty span of the ${text.length}-character text`);

    const previous = sorted[index - 1];
    if (previous != null && previous.end > entity.start)
      throw new InvalidEntitySpanError(entity, `it overlaps the entity at ${previous.start}-${previous.end}`);
  });

  return sorted;
}

/** Adds placeholder-shaped text outside the entities as CUSTOM spans, so it round-trips instead of being restored. */
function withLiteralPlaceholders(text: string, spans: readonly EntitySpan[]) {
  if (!text.includes('[')) return spans;

  const literals = [...text.matchAll(placeholderPattern)]
    .map((match): EntitySpan => ({ type: 'CUSTOM', start: match.index, end: match.index + match[0].length }))
    .filter((literal) => !spans.some((span) => span.start < literal.end && literal.start < span.end));

  return literals.length === 0 ? spans : [...spans, ...literals].sort((a, b) => a.start - b.start);
}
