import type { EntityCandidate } from '../types';
import { passesLuhn } from './checksums';

const cardCandidatePattern = /(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w-]|\.\d)/g;
const issuerPrefixPattern = /^(?:4|5[1-5]|2[2-7]|3[47]|3[0689]|6[0245]|35)/;

/** Accepted digit groupings when a number is written with separators (Visa/MC, Amex, Diners, 19-digit). */
const separatedGroupings = new Set(['4-4-4-4', '4-6-5', '4-6-4', '4-4-4-4-3', '4-4-4-1', '4-4-5']);

export function detectCreditCards(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(cardCandidatePattern)) {
    const candidate = match[0];
    const digits = candidate.replace(/[ -]/g, '');
    if (!issuerPrefixPattern.test(digits) || !hasCardGrouping(candidate) || !passesLuhn(digits)) continue;

    entities.push({
      type: 'CREDIT_CARD',
      start: match.index,
      end: match.index + candidate.length,
      score: 0.97,
      detector: 'creditCard'
    });
  }

  return entities;
}

function hasCardGrouping(candidate: string) {
  const groups = candidate.split(/[ -]/);
  if (groups.length === 1) return true;

  const separators = new Set(candidate.match(/[ -]/g));
  return separators.size === 1 && separatedGroupings.has(groups.map((group) => group.length).join('-'));
}
