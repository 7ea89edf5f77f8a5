import type { EntityCandidate } from '../types';
import { passesLuhn } from './checksums';

const digitWords: Readonly<Record<string, string>> = {
  zero: '0',
  oh: '0',
  nought: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9'
};
const digitWord = String.raw`(?:(?:double|triple)[ \t]{1,4})?(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine)`;
const digitToken = String.raw`(?:${digitWord}|\d)`;
const tokenSeparator = String.raw`(?:[ \t]{0,4}[,;.-][ \t]{0,4}|[ \t]{1,4}(?:dash[ \t]{1,4})?)`;
/** Digits read one by one in a transcript: "zero two zero, seven nine four six, one three eight two" */
const spokenDigitsPattern = new RegExp(
  String.raw`(?<![\p{L}\p{N}])${digitWord}(?:${tokenSeparator}${digitToken}){6,24}(?![\p{L}\p{N}])`,
  'iuy'
);
const tokenPattern = new RegExp(digitToken, 'giu');
/** Where a run can start: two digit words in a row; the full pattern is tried (sticky) only there */
const spokenDigitsHint =
  /(?:(?:double|triple)[ \t]{1,4})?(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine)[ \t,.;-]{1,6}(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine|double|triple)(?![\p{L}])/giu;
/** A cheap whole-text test that skips the email scan */
const spokenDotHint = /[ \t]dot[ \t]/i;

const phoneCuePattern = /\b(?:phone|mobile|cell|number|contact|call(?:back)?|reach|landline|tel|whats ?app)\b/i;
const nationalIdCuePattern = /\b(?:ssn|social security|national insurance|national id|aadhaa?r|tax (?:id|number)|personal number)\b/i;
const accountCuePattern = /\b(?:account|member(?:ship)?|policy|customer|patient|employee|staff|card holder|loyalty|frequent flyer)\b/i;
const negativeCuePattern = /\b(?:order|invoice|ticket|tracking|reference|ref|confirmation|booking|case)\b/i;

/** "kofi dot mensah at gmail dot com": found from its " at <domain> dot <tld>", the local part read backwards */
const spokenDomainPattern =
  /[ \t]at[ \t]{1,4}(?:[\p{L}\p{N}-]{1,40}[ \t]{1,4}dot[ \t]{1,4}){1,3}(?:com|org|net|edu|gov|io|co|uk|de|fr|es|it|nl|pl|cz|sk|se|no|dk|fi|in|ng|gh|jp|cn|kr|vn|au|ca|br|ie|ch|at|be|pt|info|biz|me)(?![\p{L}\p{N}])/giu;
const spokenLocalPartPattern =
  /(?<![\p{L}\p{N}'’])[\p{L}\p{N}]{1,40}(?:[ \t]{1,4}(?:dot|underscore|dash|hyphen)[ \t]{1,4}[\p{L}\p{N}]{1,40}){0,4}$/u;
const emailCuePattern = /\b(?:e-?mail|mail|address)\b/i;

/**
 * Values read aloud in call and meeting transcripts: digits spoken one by one (a card number passing Luhn, a phone
 * number, an id after its question) and email addresses spelled with "dot" and "at". The question may stand on the
 * line before the answer, as it does when an agent asks and a caller replies.
 */
export function detectSpokenValues(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  spokenDigitsHint.lastIndex = 0;
  for (let hint = spokenDigitsHint.exec(text); hint != null; hint = spokenDigitsHint.exec(text)) {
    spokenDigitsPattern.lastIndex = hint.index;
    const match = spokenDigitsPattern.exec(text);
    // The hint's second word may still start a run ("someone two three …")
    if (match == null) {
      spokenDigitsHint.lastIndex = hint.index + 1;
      continue;
    }

    spokenDigitsHint.lastIndex = match.index + match[0].length;
    const digits = readDigits(match[0]);
    const type = typeOf(digits, lineAndPrevious(text, match.index));
    if (type != null)
      entities.push({ type, start: match.index, end: match.index + match[0].length, score: 0.85, detector: 'spoken:digits' });
  }

  for (const domain of spokenDotHint.test(text) ? text.matchAll(spokenDomainPattern) : []) {
    const local = spokenLocalPartPattern.exec(text.slice(Math.max(0, domain.index - 240), domain.index))?.[0];
    if (local == null) continue;
    if (
      !/[ \t](?:dot|underscore|dash|hyphen)[ \t]/i.test(local) &&
      !emailCuePattern.test(lineAndPrevious(text, domain.index - local.length))
    )
      continue;

    const start = domain.index - local.length;
    entities.push({ type: 'EMAIL', start, end: domain.index + domain[0].length, score: 0.85, detector: 'spoken:email' });
  }

  return entities;
}

function typeOf(digits: string, context: string): EntityCandidate['type'] | undefined {
  if (digits.length >= 13 && digits.length <= 19 && /^[2-6]/.test(digits) && passesLuhn(digits)) return 'CREDIT_CARD';
  if (negativeCuePattern.test(context)) return undefined;
  if (nationalIdCuePattern.test(context)) return 'NATIONAL_ID';
  if (accountCuePattern.test(context)) return 'ACCOUNT_NUMBER';
  if (digits.length >= 7 && digits.length <= 15 && phoneCuePattern.test(context)) return 'PHONE';
  return undefined;
}

function readDigits(spoken: string) {
  let digits = '';
  for (const [token] of spoken.matchAll(tokenPattern)) {
    const words = token.toLowerCase().split(/[ \t]+/);
    const digit = digitWords[words.at(-1)!] ?? words.at(-1)!;
    digits += digit.repeat(words[0] === 'double' ? 2 : words[0] === 'triple' ? 3 : 1);
  }

  return digits;
}

/** The answer's line up to the value, and the whole line before it (where a question is asked) */
function lineAndPrevious(text: string, index: number) {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  const previousStart = lineStart === 0 ? 0 : text.lastIndexOf('\n', lineStart - 2) + 1;
  return text.slice(Math.max(previousStart, index - 240), index);
}
