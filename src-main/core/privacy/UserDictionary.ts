import { InvalidUserDictionaryTermError } from './errors';
import type { EntityCandidate, PiiType } from './types';

export type UserDictionaryTerm = string | { term: string; type?: PiiType };

export type UserDictionaryOptions = {
  /** Terms always redacted wherever they appear as whole words, e.g. client names or project code names */
  alwaysRedact?: readonly UserDictionaryTerm[];

  /** Terms never redacted: an entity equal to one of them, or lying inside one, is dropped */
  neverRedact?: readonly string[];
};

const maxTermLength = 256;

/** Case- and whitespace-insensitive form of a term or entity text. */
export function normalizeTerm(term: string) {
  return term.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

export class UserDictionary {
  private readonly _typeByTerm = new Map<string, PiiType>();
  private readonly _neverRedacted: ReadonlySet<string>;
  private readonly _alwaysPattern?: RegExp;
  private readonly _neverPattern?: RegExp;

  public constructor({ alwaysRedact = [], neverRedact = [] }: UserDictionaryOptions = {}) {
    for (const entry of alwaysRedact) {
      const { term, type = 'CUSTOM' } = typeof entry === 'string' ? { term: entry } : entry;
      this._typeByTerm.set(validateTerm(term), type);
    }

    this._neverRedacted = new Set(neverRedact.map(validateTerm));
    this._alwaysPattern = buildTermPattern([...this._typeByTerm.keys()]);
    this._neverPattern = buildTermPattern([...this._neverRedacted]);
  }

  public get isEmpty() {
    return this._alwaysPattern == null && this._neverPattern == null;
  }

  public findAlwaysRedacted(text: string): EntityCandidate[] {
    if (this._alwaysPattern == null) return [];

    return [...text.matchAll(this._alwaysPattern)].map((match) => ({
      type: this._typeByTerm.get(normalizeTerm(match[0])) ?? 'CUSTOM',
      start: match.index,
      end: match.index + match[0].length,
      score: 1,
      detector: 'userDictionary'
    }));
  }

  /** Returns a predicate telling whether an entity of `text` is exempt from redaction. */
  public createExemptionCheck(text: string) {
    if (this._neverPattern == null) return () => false;

    const exemptRanges = [...text.matchAll(this._neverPattern)].map((match) => ({
      start: match.index,
      end: match.index + match[0].length
    }));

    return (entity: { start: number; end: number }) =>
      this._neverRedacted.has(normalizeTerm(text.slice(entity.start, entity.end))) ||
      exemptRanges.some((range) => range.start <= entity.start && entity.end <= range.end);
  }
}

function validateTerm(term: string) {
  const normalized = normalizeTerm(term);
  if (normalized.length === 0) throw new InvalidUserDictionaryTermError(term, 'it is empty');
  if (normalized.length > maxTermLength) throw new InvalidUserDictionaryTermError(term, `it is longer than ${maxTermLength} characters`);

  return normalized;
}

function buildTermPattern(terms: string[]) {
  if (terms.length === 0) return undefined;

  const alternatives = terms
    .sort((a, b) => b.length - a.length)
    .map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));

  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
}
