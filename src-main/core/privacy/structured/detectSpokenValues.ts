import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
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
/** Two digits read as one number, as French and many others read phone numbers in pairs: "zero six, twelve, thirty-four" */
const teenWords: Readonly<Record<string, string>> = {
  ten: '10',
  eleven: '11',
  twelve: '12',
  thirteen: '13',
  fourteen: '14',
  fifteen: '15',
  sixteen: '16',
  seventeen: '17',
  eighteen: '18',
  nineteen: '19'
};
const tensWords: Readonly<Record<string, string>> = {
  twenty: '2',
  thirty: '3',
  forty: '4',
  fifty: '5',
  sixty: '6',
  seventy: '7',
  eighty: '8',
  ninety: '9'
};
const digitWordAlternatives = Object.keys(digitWords).join('|');
const digitWord = String.raw`(?:(?:double|triple)[ \t]{1,4})?(?:${digitWordAlternatives})`;
const unitWords = 'one|two|three|four|five|six|seven|eight|nine';
const teenWordAlternatives = Object.keys(teenWords).join('|');
const tensWordAlternatives = Object.keys(tensWords).join('|');
const pairWord = String.raw`(?:${teenWordAlternatives}|(?:${tensWordAlternatives})(?:[ -](?:${unitWords}))?)`;
/** "seven hundred": a digit and two zeros, as "oh seven seven hundred, nine hundred…" reads a number */
const digitToken = String.raw`(?:${pairWord}|${digitWord}(?:[ \t]{1,4}hundred)?|\d)`;
const tokenSeparator = String.raw`(?:[ \t]{0,4}[,;.-][ \t]{0,4}|[ \t]{1,4}(?:dash[ \t]{1,4})?)`;
/** Digits read one by one in a transcript: "zero two zero, seven nine four six, one three eight two" */
const spokenDigitsPattern = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:plus[ \t]{1,4})?(?:${digitWord}|\d)(?:${tokenSeparator}${digitToken}){3,24}(?![\p{L}\p{N}])`,
  'iuy'
);
const tokenPattern = new RegExp(digitToken, 'giu');
/** Where a run can start: two digit words in a row; the full pattern is tried (sticky) only there */
const spokenDigitsHint = new RegExp(
  String.raw`\d(?:[ \t]{1,2}\d){5}|(?:plus[ \t]{1,4})?(?:(?:double|triple)[ \t]{1,4})?(?:${digitWordAlternatives})[ \t,.;-]{1,6}(?:${digitWordAlternatives}|double|triple|${teenWordAlternatives}|${tensWordAlternatives})(?![\p{L}])`,
  'giu'
);
/** An id spelled out character by character: "A B C P D 1 2 3 4 E", "Q Q 1 2 3 4 5 6 C" */
const spelledCharactersPattern = /(?<![\p{L}\p{N}])(?:[A-Z0-9][ \t]{1,3}){6,20}[A-Z0-9](?![\p{L}\p{N}])/gu;
/**
 * Where a spoken run of ten to thirteen digits with no cue is tried as a phone number: the countries of the names the
 * detectors meet most. Digits read one by one at such length are rarely anything else in a conversation.
 */
const spokenPhoneRegions: readonly CountryCode[] = [
  'US',
  'GB',
  'IN',
  'NG',
  'GH',
  'SN',
  'FR',
  'DE',
  'ES',
  'IT',
  'PL',
  'CZ',
  'SE',
  'NO',
  'DK',
  'FI',
  'VN',
  'JP',
  'KR',
  'CN',
  'BR'
];

/** A cheap whole-text test that skips the email scan */
const spokenDotHint = /[ \t]dot[ \t]/i;

const phoneCuePattern = /\b(?:phone|mobile|cell|number|contact|call(?:back)?|reach|landline|tel|whats ?app)\b/i;
const nationalIdCuePattern =
  /\b(?:ssn|social (?:security|insurance)|(?:my|your|his|her) social|national insurance|ni number|national id(?:entity)?|identity (?:number|card)|id (?:number|card)|personal (?:identity |id(?:entification)? )?(?:number|code)|aadh?aa?r|pan(?: card| number)?|tax (?:id|number|code|file)|sin|pps|bsn|pesel|personnummer|birth number|rodn[ée] [čc][ií]slo|f[øo]dselsnummer|henkil[öo]tunnus|hetu|cpf|cpr|dni|nie|nif|codice fiscale|steuer(?:-?id|nummer)|nir|nhs(?: number)?)\b/i;
/** A keypad code asked for or stated: "and the PIN?", "my passcode is…" */
const keypadCodeCuePattern = /\b(?:pin|passcode|pass code|security code|access code|door code|one-time code|verification code)\b/i;
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
    const end = match.index + match[0].length;
    const type = typeOf(digits, contextAround(text, match.index, end), isSpokenTurn(text, match.index));
    if (type != null) entities.push({ type, start: match.index, end, score: 0.85, detector: 'spoken:digits' });
  }

  for (const match of text.matchAll(spelledCharactersPattern)) {
    const characters = match[0].replace(/[ \t]/g, '');
    const context = contextAround(text, match.index, match.index + match[0].length);
    if (!/\d/.test(characters) || !/[A-Z]/.test(characters) || negativeCuePattern.test(context)) continue;

    const type = nationalIdCuePattern.test(context) ? 'NATIONAL_ID' : accountCuePattern.test(context) ? 'ACCOUNT_NUMBER' : undefined;
    if (type != null)
      entities.push({ type, start: match.index, end: match.index + match[0].length, score: 0.85, detector: 'spoken:spelled' });
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

/** A speaker's turn in a transcript: the line starts with a label, maybe after a time ("[00:01:02] Kwame Mensah: …") */
function isSpokenTurn(text: string, index: number) {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  return /^[ \t]*(?:[[(]?(?:\d{1,2}:)?\d{1,2}:\d{2}[\])]?[ \t]+(?:[-–—][ \t]+)?)?[^:\n]{1,40}:[ \t]/.test(text.slice(lineStart, index));
}

/** "one two three four five six seven eight nine": someone counting, not reading a number */
function isCounting(digits: string) {
  return '01234567890'.includes(digits.slice(0, 6)) || '98765432109'.includes(digits.slice(0, 6));
}

function typeOf(digits: string, context: string, isTurn: boolean): EntityCandidate['type'] | undefined {
  // A run shorter than any phone or id number is a code typed on a keypad, or nothing
  if (digits.length < 7) return digits.length >= 4 && keypadCodeCuePattern.test(context) ? 'SECRET' : undefined;
  if (digits.length >= 13 && digits.length <= 19 && /^[2-6]/.test(digits) && passesLuhn(digits)) return 'CREDIT_CARD';
  if (negativeCuePattern.test(context)) return undefined;
  if (nationalIdCuePattern.test(context)) return 'NATIONAL_ID';
  if (accountCuePattern.test(context)) return 'ACCOUNT_NUMBER';
  if (digits.length >= 7 && digits.length <= 15 && phoneCuePattern.test(context)) return 'PHONE';
  if (isTurn && digits.length >= 10 && digits.length <= 13 && !isCounting(digits) && isPhoneNumberSomewhere(digits)) return 'PHONE';
  return undefined;
}

function isPhoneNumberSomewhere(digits: string) {
  return digits.startsWith('+')
    ? parsePhoneNumberFromString(digits)?.isValid() === true
    : spokenPhoneRegions.some((region) => parsePhoneNumberFromString(digits, region)?.isValid() === true);
}

function readDigits(spoken: string) {
  let digits = spoken.toLowerCase().startsWith('plus') ? '+' : '';
  for (const [token] of spoken.matchAll(tokenPattern)) {
    const words = token.toLowerCase().split(/[ \t-]+/);
    const first = words[0]!;
    if (teenWords[first] != null) digits += teenWords[first];
    else if (tensWords[first] != null) digits += tensWords[first] + (digitWords[words[1] ?? ''] ?? '0');
    else {
      const hundreds = words.at(-1) === 'hundred';
      const unit = hundreds ? words.at(-2)! : words.at(-1)!;
      const digit = digitWords[unit] ?? unit;
      digits += digit.repeat(first === 'double' ? 2 : first === 'triple' ? 3 : 1) + (hundreds ? '00' : '');
    }
  }

  return digits;
}

/** The words that may say what a value is: before it on its line and the line above, and after it on its line ("…, that's my mobile") */
function contextAround(text: string, start: number, end: number) {
  const lineEnd = text.indexOf('\n', end);
  return `${lineAndPrevious(text, start)} ${text.slice(end, Math.min(lineEnd === -1 ? text.length : lineEnd, end + 60))}`;
}

/** The answer's line up to the value, and the whole line before it (where a question is asked) */
function lineAndPrevious(text: string, index: number) {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  const previousStart = lineStart === 0 ? 0 : text.lastIndexOf('\n', lineStart - 2) + 1;
  return text.slice(Math.max(previousStart, index - 240), index);
}
