import { getCountrySpecifications, isValidIBAN } from 'ibantools';
import type { EntityCandidate } from '../types';

const ibanStartPattern = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?= ?[A-Za-z0-9])/g;
const ibanLengthByCountry = new Map(
  Object.entries(getCountrySpecifications())
    .filter(([, specification]) => specification.chars != null)
    .map(([countryCode, specification]) => [countryCode, specification.chars!])
);

/**
 * Finds IBANs written compactly or in groups separated by single spaces.
 * The country's IBAN length decides where the number ends, so trailing words are never swallowed.
 */
export function detectIbans(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(ibanStartPattern)) {
    const expectedLength = ibanLengthByCountry.get(match[0].slice(0, 2).toUpperCase());
    if (expectedLength == null) continue;

    const end = findIbanEnd(text, match.index, expectedLength);
    if (end == null) continue;

    const compact = text.slice(match.index, end).replace(/ /g, '').toUpperCase();
    if (!isValidIBAN(compact)) continue;

    entities.push({ type: 'IBAN', start: match.index, end, score: 0.98, detector: 'iban' });
  }

  return entities;
}

function findIbanEnd(text: string, start: number, expectedLength: number) {
  let count = 0;
  let index = start;
  while (count < expectedLength && index < text.length) {
    if (isAlphanumeric(text.charCodeAt(index))) count++;
    else if (text[index] !== ' ' || text[index - 1] === ' ') return undefined;

    index++;
  }

  if (count < expectedLength || isAlphanumeric(text.charCodeAt(index))) return undefined;

  return index;
}

function isAlphanumeric(code: number) {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
