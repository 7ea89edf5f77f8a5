import type { EntityCandidate } from '../types';
import { passesLuhn } from './checksums';

const cardCandidatePattern = /(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w-]|\.\d)/g;
/** A number read out in groups, as in call transcripts: "4532, 0151, 1283, 0366", "4532 0151 then 1283 0366" */
const spokenGroupSeparator = String.raw`(?:[ \t]{0,4}[,;.][ \t]{0,4}|[ \t]{1,4}(?:then|and|dash|hyphen|space|next)[ \t]{1,4}|[ \t]{0,4}[–—/][ \t]{0,4}|[ \t]{1,4})`;
const spokenCardPattern = new RegExp(
  String.raw`(?<![\w.,-])(?:\d{4}(?:${spokenGroupSeparator}\d{4}){3}(?:${spokenGroupSeparator}\d{3})?|\d{4}${spokenGroupSeparator}\d{6}${spokenGroupSeparator}\d{4,5})(?![\w]|[.,-]\d)`,
  'g'
);
/** Major industry identifiers of payment cards: 2 (Mastercard, Mir), 3 (Amex, JCB, Diners), 4 (Visa), 5 and 6 (Mastercard, Maestro, Discover, UnionPay, RuPay) */
const issuerPrefixPattern = /^[2-6]/;

/** Groupings of numbers written with separators: fours with a shorter last group (13–19 digits), Amex 4-6-5, Diners 4-6-4. */
const separatedGroupingPattern = /^(?:4-){3}[1-4]$|^(?:4-){4}[1-3]$|^4-6-[45]$|^4-4-5$/;

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

  for (const match of text.matchAll(spokenCardPattern)) {
    const digits = match[0].replace(/\D/g, '');
    // Plainly separated numbers were judged above
    if (/^[\d -]+$/.test(match[0]) || !issuerPrefixPattern.test(digits) || !passesLuhn(digits)) continue;

    entities.push({
      type: 'CREDIT_CARD',
      start: match.index,
      end: match.index + match[0].length,
      score: 0.95,
      detector: 'creditCard:spoken'
    });
  }

  return entities;
}

function hasCardGrouping(candidate: string) {
  const groups = candidate.split(/[ -]/);
  if (groups.length === 1) return true;

  const separators = new Set(candidate.match(/[ -]/g));
  return separators.size === 1 && separatedGroupingPattern.test(groups.map((group) => group.length).join('-'));
}
