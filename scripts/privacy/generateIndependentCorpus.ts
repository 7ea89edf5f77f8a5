/**
 * Generates resources/privacy/corpus/independent.txt, an evaluation corpus written independently of
 * the detectors (project issue #12): its author never read src-main/ nor dev.txt / holdout.txt.
 * Names, companies and streets come from @faker-js/faker (many locales); identifiers are synthetic
 * but valid (Luhn, mod-97 and national IBAN checks, NHS mod-11, Aadhaar Verhoeff, SSN ranges, CPF,
 * SIN, DNI, NIR, Steuer-ID, PPS, PESEL, personnummer, HETU, rodné číslo; phone numbers checked with
 * libphonenumber-js/max). Every template was written from scratch for this file.
 *
 * How it was made: written in a separate folder by an engineer who never saw the detectors' code or
 * the other corpus files; 14 domains (genres) with 8 to 11 hand-written templates each, drawn in a
 * shuffled round-robin, 40 documents per domain. Labels follow resources/privacy/corpus/README.md.
 *
 * The detectors must NEVER be tuned on this corpus: only its aggregate scores may be looked at.
 *
 * Run: npx tsx scripts/privacy/generateIndependentCorpus.ts [output path]
 * Needs @faker-js/faker 10.6.0 (Node ^20.19 or >= 22.13) and libphonenumber-js 1.13.16. The output is
 * reproducible with those versions: every random choice comes from seeded faker instances (another
 * faker or phone-metadata version changes the drawn values).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allFakers, type Faker } from '@faker-js/faker';
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

const SEED = 120_2024;
const rng: Faker = allFakers.en;
rng.seed(SEED);

// ---------------------------------------------------------------------------------------------
// Random helpers (all drawn from the seeded faker instance)

const pick = <T>(items: readonly T[]): T => rng.helpers.arrayElement(items);
const int = (min: number, max: number) => rng.number.int({ min, max });
const chance = (probability: number) => rng.datatype.boolean({ probability });
const digits = (length: number) => rng.string.numeric({ length, allowLeadingZeros: true });
const pad = (value: number, length = 2) => String(value).padStart(length, '0');
const alnum = (length: number, casing: 'upper' | 'lower' | 'mixed' = 'mixed') => rng.string.alphanumeric({ length, casing });
const hex = (length: number) => rng.string.hexadecimal({ length, casing: 'lower', prefix: '' });
const fromChars = (chars: string, length: number) => Array.from({ length }, () => chars[int(0, chars.length - 1)]).join('');
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const oneOf = <T>(...fns: Array<() => T>): T => pick(fns)();

function fail(message: string): never {
  throw new Error(message);
}

// ---------------------------------------------------------------------------------------------
// Markers

type PiiType =
  | 'PERSON'
  | 'ORGANIZATION'
  | 'LOCATION'
  | 'ADDRESS'
  | 'EMAIL'
  | 'PHONE'
  | 'CREDIT_CARD'
  | 'IBAN'
  | 'IP_ADDRESS'
  | 'MAC_ADDRESS'
  | 'URL'
  | 'NATIONAL_ID'
  | 'SECRET'
  | 'DATE_OF_BIRTH'
  | 'ACCOUNT_NUMBER';

function mark(type: PiiType, surface: string) {
  if (surface.length === 0 || /[⟦⟧]/.test(surface) || surface !== surface.trim()) fail(`bad ${type} surface ${JSON.stringify(surface)}`);
  return `⟦${type}|${surface}⟧`;
}
const P = (s: string) => mark('PERSON', s);
const O = (s: string) => mark('ORGANIZATION', s);
const L = (s: string) => mark('LOCATION', s);
const A = (s: string) => mark('ADDRESS', s);
const E = (s: string) => mark('EMAIL', s);
const PH = (s: string) => mark('PHONE', s);
const CC = (s: string) => mark('CREDIT_CARD', s);
const IB = (s: string) => mark('IBAN', s);
const IP = (s: string) => mark('IP_ADDRESS', s);
const MAC = (s: string) => mark('MAC_ADDRESS', s);
const U = (s: string) => mark('URL', s);
const NID = (s: string) => mark('NATIONAL_ID', s);
const S = (s: string) => mark('SECRET', s);
const DOB = (s: string) => mark('DATE_OF_BIRTH', s);
const ACC = (s: string) => mark('ACCOUNT_NUMBER', s);

// ---------------------------------------------------------------------------------------------
// Spoken forms (transcripts)

const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const ORDINALS = [
  '',
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
  'twentieth',
  'twenty-first',
  'twenty-second',
  'twenty-third',
  'twenty-fourth',
  'twenty-fifth',
  'twenty-sixth',
  'twenty-seventh',
  'twenty-eighth',
  'twenty-ninth',
  'thirtieth',
  'thirty-first'
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
function twoDigitWords(n: number) {
  if (n < 10) return DIGIT_WORDS[n]!;
  if (n < 20) return TEENS[n - 10]!;
  return TENS[Math.floor(n / 10)]! + (n % 10 === 0 ? '' : `-${DIGIT_WORDS[n % 10]}`);
}
function spokenYear(year: number) {
  if (year >= 2000 && year < 2010) return `two thousand and ${DIGIT_WORDS[year - 2000]}`;
  if (year >= 2000) return `twenty ${twoDigitWords(year - 2000)}`;
  const rest = year % 100;
  return `${twoDigitWords(Math.floor(year / 100))} ${rest < 10 ? `oh ${DIGIT_WORDS[rest]}` : twoDigitWords(rest)}`;
}
/** Reads a digit string aloud; groups are separated by commas, "0" may be "oh", pairs may be "double". */
function spokenDigits(groups: string[], options: { oh?: boolean; doubles?: boolean } = {}) {
  return groups
    .map((group) => {
      const words: string[] = [];
      for (let i = 0; i < group.length; i++) {
        const word = group[i] === '0' && options.oh ? 'oh' : DIGIT_WORDS[Number(group[i])]!;
        if (options.doubles && group[i] === group[i + 1] && group[i] !== group[i + 2]) {
          words.push(`double ${word}`);
          i++;
        } else words.push(word);
      }
      return words.join(' ');
    })
    .join(', ');
}

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
];
const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const MONTHS_DE = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];
type Ymd = { y: number; m: number; d: number };
function birthDate(minYear = 1946, maxYear = 2004): Ymd {
  const y = int(minYear, maxYear);
  const m = int(1, 12);
  const d = int(1, new Date(Date.UTC(y, m, 0)).getUTCDate());
  return { y, m, d };
}
function eventDate(minYear = 2021, maxYear = 2025): Ymd {
  return birthDate(minYear, maxYear);
}
type DateStyle = 'dmy' | 'mdy' | 'iso' | 'dot' | 'long' | 'us' | 'short' | 'dash' | 'spoken' | 'ja' | 'fr' | 'de' | 'compact';
function fmtDate({ y, m, d }: Ymd, style: DateStyle): string {
  switch (style) {
    case 'dmy':
      return `${pad(d)}/${pad(m)}/${y}`;
    case 'mdy':
      return `${pad(m)}/${pad(d)}/${y}`;
    case 'iso':
      return `${y}-${pad(m)}-${pad(d)}`;
    case 'dot':
      return `${pad(d)}.${pad(m)}.${y}`;
    case 'long':
      return `${d} ${MONTHS_EN[m - 1]} ${y}`;
    case 'us':
      return `${MONTHS_EN[m - 1]} ${d}, ${y}`;
    case 'short':
      return `${d} ${MONTHS_EN[m - 1]!.slice(0, 3)} ${y}`;
    case 'dash':
      return `${pad(d)}-${pad(m)}-${y}`;
    case 'spoken':
      return `the ${ORDINALS[d]} of ${MONTHS_EN[m - 1]}, ${spokenYear(y)}`;
    case 'ja':
      return `${y}年${m}月${d}日`;
    case 'fr':
      return `${d === 1 ? '1er' : d} ${MONTHS_FR[m - 1]} ${y}`;
    case 'de':
      return `${d}. ${MONTHS_DE[m - 1]} ${y}`;
    case 'compact':
      return `${y}${pad(m)}${pad(d)}`;
  }
}
const anyDateStyle = (): DateStyle => pick(['dmy', 'mdy', 'iso', 'dot', 'long', 'us', 'short', 'dash'] as const);

// ---------------------------------------------------------------------------------------------
// Check-digit algorithms

function luhnCheckDigit(partial: string) {
  let sum = 0;
  for (let i = 0; i < partial.length; i++) {
    let d = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
function luhnValid(number: string) {
  return luhnCheckDigit(number.slice(0, -1)) === number.slice(-1);
}
const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]
];
const VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];
function verhoeffCheckDigit(partial: string) {
  let c = 0;
  const reversed = partial.split('').reverse();
  reversed.forEach((digit, i) => (c = VERHOEFF_D[c]![VERHOEFF_P[(i + 1) % 8]![Number(digit)]!]!));
  return String(VERHOEFF_INV[c]);
}
function verhoeffValid(number: string) {
  let c = 0;
  number
    .split('')
    .reverse()
    .forEach((digit, i) => (c = VERHOEFF_D[c]![VERHOEFF_P[i % 8]![Number(digit)]!]!));
  return c === 0;
}
function mod97(numeric: string) {
  let remainder = 0;
  for (const ch of numeric) remainder = (remainder * 10 + Number(ch)) % 97;
  return remainder;
}
const lettersToDigits = (s: string) => s.replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
/** ISO 7064 MOD 11,10 (Croatian accounts, German tax ID). */
function mod1110CheckDigit(partial: string) {
  let p = 10;
  for (const ch of partial) {
    let s = (Number(ch) + p) % 10;
    if (s === 0) s = 10;
    p = (2 * s) % 11;
  }
  return String((11 - p) % 10);
}
function weightedSum(value: string, weights: number[]) {
  return value.split('').reduce((sum, ch, i) => sum + Number(ch) * weights[i]!, 0);
}

// ---------------------------------------------------------------------------------------------
// Payment cards

type CardBrand = 'visa' | 'mastercard' | 'mastercard2' | 'amex' | 'discover' | 'jcb' | 'diners' | 'unionpay' | 'maestro' | 'rupay';
function cardNumber(brand: CardBrand): string {
  const [prefix, length] = ((): [string, number] => {
    switch (brand) {
      case 'visa':
        return ['4' + digits(5), pick([16, 16, 16, 13])];
      case 'mastercard':
        return [String(int(51, 55)) + digits(4), 16];
      case 'mastercard2':
        return [String(int(2221, 2720)) + digits(2), 16];
      case 'amex':
        return [pick(['34', '37']) + digits(4), 15];
      case 'discover':
        return [pick(['6011', '65' + digits(2), '644' + digits(1)]) + digits(2), 16];
      case 'jcb':
        return [String(int(3528, 3589)) + digits(2), 16];
      case 'diners':
        return [pick(['36', '38', '300', '305']) + digits(3), 14];
      case 'unionpay':
        return ['62' + String(int(2126, 2925)), pick([16, 19])];
      case 'maestro':
        return [pick(['6759', '6761', '5018', '5020']) + digits(2), pick([16, 19])];
      case 'rupay':
        return [pick(['60', '65', '81', '82']) + digits(4), 16];
    }
  })();
  const body = prefix + digits(length - prefix.length - 1);
  const number = body + luhnCheckDigit(body);
  if (!luhnValid(number) || number.length !== length) fail('card');
  return number;
}
function cardGroups(number: string): string[] {
  if (number.length === 15) return [number.slice(0, 4), number.slice(4, 10), number.slice(10)];
  if (number.length === 14) return [number.slice(0, 4), number.slice(4, 10), number.slice(10)];
  return number.match(/.{1,4}/g)!;
}
type CardStyle = 'space' | 'dash' | 'plain' | 'comma' | 'spoken' | 'dot';
function fmtCard(number: string, style: CardStyle) {
  const groups = cardGroups(number);
  switch (style) {
    case 'space':
      return groups.join(' ');
    case 'dash':
      return groups.join('-');
    case 'plain':
      return number;
    case 'comma':
      return groups.join(', ');
    case 'dot':
      return groups.join('.');
    case 'spoken':
      return spokenDigits(groups, { oh: chance(0.4), doubles: chance(0.3) });
  }
}
const anyBrand = (): CardBrand =>
  pick(['visa', 'visa', 'mastercard', 'mastercard2', 'amex', 'discover', 'jcb', 'diners', 'unionpay', 'maestro', 'rupay']);
const card = (style: CardStyle = pick(['space', 'space', 'dash', 'plain']), brand = anyBrand()) => fmtCard(cardNumber(brand), style);
const BRAND_NAMES: Record<CardBrand, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  mastercard2: 'Mastercard',
  amex: 'Amex',
  discover: 'Discover',
  jcb: 'JCB',
  diners: 'Diners',
  unionpay: 'UnionPay',
  maestro: 'Maestro',
  rupay: 'RuPay'
};
function cardWithBrand(style?: CardStyle) {
  const brand = anyBrand();
  const number = card(style, brand);
  return { brand: BRAND_NAMES[brand], number, last4: number.replace(/\D/g, '').slice(-4) };
}
const expiry = () => `${pad(int(1, 12))}/${int(26, 31)}`;

// ---------------------------------------------------------------------------------------------
// IBANs with national check digits where the country has them

function ibanFromBban(country: string, bban: string) {
  const check = 98 - mod97(lettersToDigits(bban + country + '00'));
  const iban = country + pad(check) + bban;
  if (mod97(lettersToDigits(iban.slice(4) + iban.slice(0, 4))) !== 1) fail('iban');
  return iban;
}
function retry<T>(make: () => T | undefined): T {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const value = make();
    if (value !== undefined) return value;
  }
  return fail('retry exhausted');
}
const BBAN: Record<string, () => string> = {
  DE: () => pick(['10010010', '20050550', '37040044', '50010517', '70150000', '86055592', '12030000']) + digits(10),
  GB: () => pick(['NWBK', 'BARC', 'LOYD', 'HBUK', 'MIDL', 'NAIA', 'MONZ']) + digits(6) + digits(8),
  IE: () => pick(['AIBK', 'BOFI', 'IPBS']) + digits(6) + digits(8),
  FR: () => {
    const bank = digits(5);
    const branch = digits(5);
    const account = digits(11);
    const key = 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * Number(account)) % 97);
    return bank + branch + account + pad(key);
  },
  ES: () => {
    const weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
    const control = (value: string) => {
      const r = 11 - (weightedSum(value, weights) % 11);
      return String(r === 11 ? 0 : r === 10 ? 1 : r);
    };
    const bank = pick(['0049', '0081', '2100', '0182', '2038', '0128']);
    const branch = digits(4);
    const account = digits(10);
    return bank + branch + control('00' + bank + branch) + control(account) + account;
  },
  IT: () => {
    const odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
    const abi = pick(['03069', '02008', '05034', '03062', '01030']);
    const cab = digits(5);
    const account = digits(12);
    const value = abi + cab + account;
    const sum = value.split('').reduce((s, ch, i) => s + (i % 2 === 0 ? odd[Number(ch)]! : Number(ch)), 0);
    return UPPER[sum % 26] + value;
  },
  NL: () =>
    pick(['ABNA', 'INGB', 'RABO', 'TRIO', 'SNSB', 'KNAB']) +
    retry(() => {
      const account = digits(10);
      return weightedSum(account, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]) % 11 === 0 && account[0] !== '0' ? account : undefined;
    }),
  BE: () => {
    const first = digits(10);
    const check = Number(BigInt(first) % 97n) || 97;
    return first + pad(check);
  },
  NO: () =>
    retry(() => {
      const base = digits(10);
      const r = 11 - (weightedSum(base, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11);
      if (r === 10) return undefined;
      return base + (r === 11 ? '0' : String(r));
    }),
  FI: () => {
    const base = pick(['1', '2', '3', '4', '5', '6', '8']) + digits(12);
    return base + luhnCheckDigit(base);
  },
  CZ: () => {
    const bank = pick(['0800', '0100', '0300', '2010', '0600', '5500']);
    const account = retry(() => {
      const a = digits(10);
      return weightedSum(a, [6, 3, 7, 9, 10, 5, 8, 4, 2, 1]) % 11 === 0 && a.slice(0, 4) !== '0000' ? a : undefined;
    });
    return bank + '000000' + account;
  },
  SK: () => {
    const bank = pick(['0900', '1100', '0200', '7500', '8330']);
    const account = retry(() => {
      const a = digits(10);
      return weightedSum(a, [6, 3, 7, 9, 10, 5, 8, 4, 2, 1]) % 11 === 0 && a.slice(0, 4) !== '0000' ? a : undefined;
    });
    return bank + '000000' + account;
  },
  HR: () => {
    const bank = pick(['234000', '236000', '248400', '240201', '239000']);
    const account = digits(9);
    return bank + mod1110CheckDigit(bank) + account + mod1110CheckDigit(account);
  },
  PL: () => {
    const branch = pick(['1020', '1090', '1140', '1240', '1050']) + digits(3);
    const check = (10 - (weightedSum(branch, [3, 9, 7, 1, 3, 9, 7]) % 10)) % 10;
    return branch + check + digits(16);
  },
  CH: () => pick(['00762', '00230', '00700', '80808']) + digits(12),
  AT: () => pick(['12000', '20111', '32000', '14000']) + digits(11),
  SE: () => pick(['500', '800', '300', '600']) + digits(17),
  DK: () => pick(['0040', '3000', '5301', '2000']) + digits(10),
  PT: () => {
    const base = pick(['0002', '0007', '0033', '0035']) + digits(4) + digits(11);
    const check = 98 - mod97(base + '00');
    return base + pad(check);
  },
  BR: () => digits(8) + digits(5) + digits(10) + pick(['C', 'P']) + '1'
};
type IbanStyle = 'print' | 'compact' | 'lower';
function iban(country = pick(Object.keys(BBAN)), style: IbanStyle = chance(0.6) ? 'print' : 'compact') {
  const value = ibanFromBban(country, BBAN[country]!());
  if (style === 'compact') return value;
  const printed = value.match(/.{1,4}/g)!.join(' ');
  return style === 'lower' ? printed.toLowerCase() : printed;
}

// ---------------------------------------------------------------------------------------------
// National identifiers

function ssn(style: 'dash' | 'space' | 'plain' = pick(['dash', 'dash', 'space', 'plain'])) {
  const area = retry(() => {
    const a = int(1, 899);
    return a === 666 ? undefined : pad(a, 3);
  });
  const value = [area, pad(int(1, 99)), pad(int(1, 9999), 4)];
  return value.join(style === 'dash' ? '-' : style === 'space' ? ' ' : '');
}
function nino(spaced = chance(0.6)) {
  const prefix = retry(() => {
    const first = pick('ABCEGHJKLMNOPRSTWXYZ'.split(''));
    const second = pick('ABCEGHJKLMNPRSTWXYZ'.split(''));
    const pair = first + second;
    return ['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ'].includes(pair) ? undefined : pair;
  });
  const body = digits(6);
  const suffix = pick(['A', 'B', 'C', 'D']);
  return spaced ? `${prefix} ${body.slice(0, 2)} ${body.slice(2, 4)} ${body.slice(4)} ${suffix}` : prefix + body + suffix;
}
function nhsNumber(style: 'space' | 'plain' | 'dash' = pick(['space', 'space', 'plain', 'dash'])) {
  const value = retry(() => {
    const base = pick(['4', '6', '9']) + digits(8);
    const r = 11 - (weightedSum(base, [10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11);
    if (r === 10) return undefined;
    return base + (r === 11 ? '0' : String(r));
  });
  if (style === 'plain') return value;
  const sep = style === 'space' ? ' ' : '-';
  return [value.slice(0, 3), value.slice(3, 6), value.slice(6)].join(sep);
}
function aadhaar(style: 'space' | 'plain' | 'dash' = pick(['space', 'space', 'plain', 'dash'])) {
  const base = String(int(2, 9)) + digits(10);
  const value = base + verhoeffCheckDigit(base);
  if (!verhoeffValid(value)) fail('aadhaar');
  if (style === 'plain') return value;
  return value.match(/.{4}/g)!.join(style === 'space' ? ' ' : '-');
}
function pan(surname: string, holder: 'P' | 'C' | 'F' | 'H' = 'P') {
  const initial = surname
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .charAt(0)
    .toUpperCase();
  return fromChars(UPPER, 3) + holder + (initial || 'K') + digits(4) + pick(UPPER.split(''));
}
function steuerId() {
  return retry(() => {
    const pool = '0123456789'.split('');
    const missing = pick(pool);
    const used = pool.filter((d) => d !== missing);
    const doubled = pick(used);
    const ten = rng.helpers.shuffle([...used, doubled]);
    if (ten[0] === '0') return undefined;
    const base = ten.join('');
    return base + mod1110CheckDigit(base);
  });
}
function frenchNir(sex: 'female' | 'male', dob: Ymd) {
  const base = `${sex === 'male' ? 1 : 2}${pad(dob.y % 100)}${pad(dob.m)}${pad(int(1, 95))}${pad(int(1, 990), 3)}${pad(int(1, 999), 3)}`;
  const key = 97 - Number(BigInt(base) % 97n);
  const full = base + pad(key);
  return chance(0.5)
    ? full
    : `${full[0]} ${full.slice(1, 3)} ${full.slice(3, 5)} ${full.slice(5, 7)} ${full.slice(7, 10)} ${full.slice(10, 13)} ${full.slice(13)}`;
}
function dni() {
  const n = int(10_000_000, 99_999_999);
  return `${n}${'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}`;
}
function nie() {
  const prefix = pick(['X', 'Y', 'Z']);
  const n = digits(7);
  const value = Number(String('XYZ'.indexOf(prefix)) + n);
  return `${prefix}${n}${'TRWAGMYFPDXBNJZSQVHLCKE'[value % 23]}`;
}
function cpf(formatted = chance(0.7)) {
  const base = retry(() => {
    const b = digits(9);
    return /^(\d)\1+$/.test(b) ? undefined : b;
  });
  const check = (value: string) => {
    const sum = value.split('').reduce((s, ch, i) => s + Number(ch) * (value.length + 1 - i), 0);
    const r = sum % 11;
    return String(r < 2 ? 0 : 11 - r);
  };
  const d1 = check(base);
  const d2 = check(base + d1);
  const v = base + d1 + d2;
  return formatted ? `${v.slice(0, 3)}.${v.slice(3, 6)}.${v.slice(6, 9)}-${v.slice(9)}` : v;
}
function sin() {
  const base = pick(['1', '2', '3', '4', '5', '6', '7', '9']) + digits(7);
  const v = base + luhnCheckDigit(base);
  return chance(0.6) ? `${v.slice(0, 3)} ${v.slice(3, 6)} ${v.slice(6)}` : `${v.slice(0, 3)}-${v.slice(3, 6)}-${v.slice(6)}`;
}
function pps() {
  const base = digits(7);
  const second = chance(0.4) ? 'A' : '';
  const sum = weightedSum(base, [8, 7, 6, 5, 4, 3, 2]) + (second ? 9 : 0);
  return base + 'WABCDEFGHIJKLMNOPQRSTUV'[sum % 23] + second;
}
function pesel(dob: Ymd, sex: 'female' | 'male') {
  const month = dob.m + (dob.y >= 2000 ? 20 : 0);
  const serial = digits(3) + String(sex === 'male' ? pick([1, 3, 5, 7, 9]) : pick([0, 2, 4, 6, 8]));
  const base = pad(dob.y % 100) + pad(month) + pad(dob.d) + serial;
  const check = (10 - (weightedSum(base, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]) % 10)) % 10;
  return base + check;
}
function personnummer(dob: Ymd) {
  const base = pad(dob.y % 100) + pad(dob.m) + pad(dob.d) + digits(3);
  const v = base + luhnCheckDigit(base);
  return chance(0.5) ? `${v.slice(0, 6)}-${v.slice(6)}` : `${dob.y}${pad(dob.m)}${pad(dob.d)}-${v.slice(6)}`;
}
function hetu(dob: Ymd) {
  const individual = pad(int(2, 899), 3);
  const n = Number(pad(dob.d) + pad(dob.m) + pad(dob.y % 100) + individual);
  const sep = dob.y >= 2000 ? 'A' : '-';
  return `${pad(dob.d)}${pad(dob.m)}${pad(dob.y % 100)}${sep}${individual}${'0123456789ABCDEFHJKLMNPRSTUVWXY'[n % 31]}`;
}
function fodselsnummer(dob: Ymd) {
  return retry(() => {
    const base = pad(dob.d) + pad(dob.m) + pad(dob.y % 100) + pad(int(0, 499), 3);
    const check = (value: string, weights: number[]) => {
      const r = 11 - (weightedSum(value, weights) % 11);
      return r === 11 ? '0' : r === 10 ? undefined : String(r);
    };
    const k1 = check(base, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
    if (k1 === undefined) return undefined;
    const k2 = check(base + k1, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
    return k2 === undefined ? undefined : base + k1 + k2;
  });
}
/** Danish CPR numbers no longer carry a mod-11 check; the first six digits are the birth date. */
function cprNumber(dob: Ymd) {
  return `${pad(dob.d)}${pad(dob.m)}${pad(dob.y % 100)}-${digits(4)}`;
}
function rodneCislo(dob: Ymd, sex: 'female' | 'male') {
  const month = dob.m + (sex === 'female' ? 50 : 0);
  const head = pad(dob.y % 100) + pad(month) + pad(dob.d);
  const tail = retry(() => {
    const t = digits(4);
    return BigInt(head + t) % 11n === 0n ? t : undefined;
  });
  return `${head}/${tail}`;
}

// ---------------------------------------------------------------------------------------------
// Network identifiers

function ipv4(kind: 'public' | 'private' | 'any' = 'any') {
  const isPrivate = kind === 'private' || (kind === 'any' && chance(0.3));
  if (isPrivate)
    return pick([
      () => `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
      () => `192.168.${int(0, 255)}.${int(1, 254)}`,
      () => `172.${int(16, 31)}.${int(0, 255)}.${int(1, 254)}`
    ])();
  const first = pick([
    23, 31, 37, 45, 51, 62, 77, 81, 85, 91, 94, 103, 109, 141, 146, 151, 176, 178, 185, 188, 193, 195, 203, 212, 213, 217
  ]);
  return `${first}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
}
function ipv6() {
  const groups = [pick(['2a01', '2a02', '2001', '2600', '2a00', '2604', '2406', '2c0f']), hex(4), hex(int(1, 4)), hex(int(1, 4))];
  const strip = (g: string) => g.replace(/^0+(?=.)/, '');
  return chance(0.6)
    ? `${groups.map(strip).join(':')}::${strip(hex(int(1, 4)))}`
    : [...groups, hex(4), hex(4), hex(4), hex(4)].map(strip).join(':');
}
function mac(style: 'colon' | 'dash' | 'cisco' | 'upper' = pick(['colon', 'colon', 'dash', 'cisco', 'upper'])) {
  const bytes = Array.from({ length: 6 }, () => hex(2));
  switch (style) {
    case 'colon':
      return bytes.join(':');
    case 'upper':
      return bytes.join(':').toUpperCase();
    case 'dash':
      return bytes.join('-').toUpperCase();
    case 'cisco':
      return [bytes[0]! + bytes[1], bytes[2]! + bytes[3], bytes[4]! + bytes[5]].join('.');
  }
}

// ---------------------------------------------------------------------------------------------
// Secrets in providers' formats (random)

const secret = {
  awsKeyId: () => 'AKIA' + fromChars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16),
  awsSecret: () => fromChars(B64, 40),
  github: () => 'ghp_' + alnum(36),
  githubOauth: () => 'gho_' + alnum(36),
  githubFine: () => 'github_pat_' + alnum(22) + '_' + alnum(59),
  gitlab: () => 'glpat-' + fromChars(B64URL, 20),
  slackBot: () => `xoxb-${digits(12)}-${digits(13)}-${alnum(24)}`,
  slackUser: () => `xoxp-${digits(12)}-${digits(12)}-${digits(13)}-${hex(32)}`,
  slackWebhook: () => `https://hooks.slack.com/services/T${alnum(10, 'upper')}/B${alnum(10, 'upper')}/${alnum(24)}`,
  discordWebhook: () => `https://discord.com/api/webhooks/${digits(19)}/${fromChars(B64URL, 68)}`,
  stripe: () => 'sk_live_' + alnum(int(24, 99)),
  stripeRestricted: () => 'rk_live_' + alnum(int(24, 99)),
  stripeWebhook: () => 'whsec_' + alnum(32),
  openai: () => 'sk-proj-' + fromChars(B64URL, int(80, 120)),
  anthropic: () => 'sk-ant-api03-' + fromChars(B64URL, 93) + 'AA',
  google: () => 'AIza' + fromChars(B64URL, 35),
  sendgrid: () => `SG.${fromChars(B64URL, 22)}.${fromChars(B64URL, 43)}`,
  twilio: () => hex(32),
  npm: () => 'npm_' + alnum(36),
  huggingface: () => 'hf_' + rng.string.alpha({ length: 34 }),
  mailgun: () => 'key-' + hex(32),
  shopify: () => 'shpat_' + hex(32),
  digitalocean: () => 'dop_v1_' + hex(64),
  azureKey: () => fromChars(B64, 86) + '==',
  jwt: () => {
    const b64url = (s: string) => Buffer.from(s).toString('base64url');
    const header = b64url(JSON.stringify({ alg: pick(['HS256', 'RS256']), typ: 'JWT' }));
    const payload = b64url(
      JSON.stringify({ sub: rng.string.uuid(), iat: int(1_700_000_000, 1_760_000_000), scope: pick(['read', 'admin', 'user']) })
    );
    return `${header}.${payload}.${fromChars(B64URL, 43)}`;
  },
  hexToken: () => hex(pick([32, 40, 64]))
};
const anyApiKey = () =>
  pick([
    secret.awsSecret,
    secret.github,
    secret.githubFine,
    secret.gitlab,
    secret.slackBot,
    secret.stripe,
    secret.openai,
    secret.anthropic,
    secret.google,
    secret.sendgrid,
    secret.npm,
    secret.huggingface,
    secret.shopify,
    secret.digitalocean
  ])();
/** Human-chosen passwords, passphrases and generated ones. */
function password(): string {
  return oneOf(
    () => `${cap(rng.word.noun())}${pick(['#', '!', '@', '$', '%', '&', '*', '.'])}${int(10, 2025)}`,
    () => `${rng.word.adjective()}-${rng.word.noun()}-${rng.word.noun()}-${int(1, 99)}`,
    () => rng.internet.password({ length: int(10, 18) }) + pick(['!', '9', '#', 'x']),
    () => `${cap(rng.word.noun())}${cap(rng.word.verb())}${int(1, 9)}${pick(['!', '?', '+'])}`,
    () => fromChars('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#%^&*', int(12, 20)),
    () =>
      `${rng.word.noun().slice(0, 4)}${pick(['_', '.', ''])}${digits(4)}${pick(['!', '$', 'Z', 'q'])}`.replace(/^./, (c) => c.toUpperCase())
  );
}
function pemBody(lines = int(4, 9)) {
  const rows = Array.from({ length: lines }, () => fromChars(B64, 64));
  rows.push(fromChars(B64, int(8, 60)) + pick(['', '=', '==']));
  return rows.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Phone numbers (validated against libphonenumber's full metadata)

const NSN_PATTERNS: Partial<Record<CountryCode, Array<() => string>>> = {
  GB: [
    () => '7' + pick(['4', '5', '7', '8', '9']) + digits(8),
    () => '1' + pick(['13', '17', '21', '61', '31', '41', '51', '223', '392', '603', '865']) + digits(6),
    () => '20' + pick(['3', '7', '8']) + digits(7)
  ],
  US: [
    () =>
      pick(['212', '312', '415', '503', '512', '617', '704', '720', '919', '971', '208', '402', '608']) +
      String(int(2, 9)) +
      digits(2) +
      digits(4)
  ],
  CA: [() => pick(['416', '604', '514', '403', '902', '204', '613']) + String(int(2, 9)) + digits(6)],
  FR: [() => pick(['6', '7']) + digits(8), () => pick(['1', '2', '3', '4', '5', '9']) + digits(8)],
  DE: [
    () => '30' + String(int(2, 9)) + digits(int(6, 7)),
    () => '89' + String(int(2, 9)) + digits(6),
    () => '40' + String(int(2, 9)) + digits(6),
    () => '15' + pick(['1', '2', '7', '9']) + digits(8),
    () => '17' + pick(['0', '1', '2', '5', '6', '8']) + digits(7),
    () => '341' + String(int(2, 9)) + digits(6)
  ],
  AT: [() => '6' + pick(['64', '60', '76', '99']) + digits(7), () => '1' + String(int(2, 9)) + digits(6)],
  CH: [() => '7' + pick(['6', '7', '8', '9']) + digits(7), () => '44' + String(int(2, 9)) + digits(6)],
  IN: [() => pick(['6', '7', '8', '9']) + digits(9)],
  JP: [() => pick(['90', '80', '70']) + digits(8), () => '3' + String(int(3, 6)) + digits(7), () => '6' + String(int(6, 7)) + digits(7)],
  KR: [() => '10' + String(int(2, 9)) + digits(7)],
  CN: [() => '1' + pick(['3', '5', '8']) + digits(9)],
  VN: [() => '9' + pick(['0', '1', '3', '4', '6', '7', '8']) + digits(7), () => '3' + pick(['2', '3', '5', '7', '8']) + digits(7)],
  CZ: [() => pick(['6', '7']) + pick(['0', '2', '3', '7', '9']) + digits(7), () => '2' + digits(8)],
  SK: [() => '9' + pick(['0', '1', '4', '5', '8']) + digits(7)],
  PL: [() => pick(['5', '6', '7', '8']) + pick(['0', '1', '3', '7', '8']) + digits(7)],
  HR: [() => '9' + pick(['1', '2', '5', '7', '8', '9']) + digits(7), () => '1' + String(int(2, 9)) + digits(6)],
  NO: [() => pick(['4', '9']) + digits(7)],
  SE: [() => '7' + pick(['0', '2', '3', '6']) + digits(7), () => '8' + String(int(5, 7)) + digits(6)],
  FI: [() => '4' + pick(['0', '1', '4', '5', '6']) + digits(7), () => '50' + digits(7)],
  DK: [() => pick(['2', '3', '4', '5', '6', '7', '8']) + digits(7)],
  NL: [() => '6' + digits(8), () => '20' + String(int(2, 9)) + digits(6)],
  BE: [() => '4' + pick(['7', '8', '9']) + digits(7)],
  ES: [() => pick(['6', '7']) + digits(8), () => '9' + pick(['1', '3', '5', '6']) + digits(7)],
  IT: [() => '3' + pick(['3', '4', '2', '9', '8']) + digits(8), () => '06' + digits(8)],
  PT: [() => '9' + pick(['1', '2', '3', '6']) + digits(7)],
  BR: [
    () => pick(['11', '21', '31', '41', '51', '61', '71', '81', '85']) + '9' + pick(['6', '7', '8', '9']) + digits(7),
    () => pick(['11', '21', '31', '41']) + String(int(2, 5)) + digits(7)
  ],
  NG: [() => pick(['803', '806', '813', '816', '703', '706', '802', '808', '805', '807', '905']) + digits(7)],
  GH: [() => pick(['24', '54', '55', '20', '50', '26']) + digits(7)],
  SN: [() => pick(['70', '76', '77', '78']) + digits(7)],
  IE: [() => '8' + pick(['3', '5', '6', '7', '9']) + digits(7), () => '1' + String(int(2, 9)) + digits(6)]
};
function phoneNumber(country: CountryCode): PhoneNumber {
  const patterns = NSN_PATTERNS[country] ?? fail(`no phone pattern for ${country}`);
  return retry(() => {
    const candidate = parsePhoneNumberFromString(pick(patterns)(), country);
    return candidate?.isValid() && candidate.country === country ? candidate : undefined;
  });
}
type PhoneStyle = 'intl' | 'e164' | 'national' | 'dots' | 'slash' | 'intl00' | 'compact' | 'dashes' | 'paren0' | 'spoken';
function fmtPhone(phone: PhoneNumber, style: PhoneStyle): string {
  const national = phone.formatNational();
  const nationalDigits = national.replace(/\D/g, '');
  switch (style) {
    case 'intl':
      return phone.formatInternational();
    case 'e164':
      return phone.number;
    case 'national':
      return national;
    case 'compact':
      return nationalDigits;
    case 'intl00':
      return phone.formatInternational().replace('+', '00');
    case 'paren0':
      return `+${phone.countryCallingCode} (0)${national.replace(/^0/, '')}`;
    case 'dots':
      if (phone.country === 'FR') return nationalDigits.match(/.{2}/g)!.join('.');
      if (phone.country === 'US' || phone.country === 'CA')
        return `${nationalDigits.slice(0, 3)}.${nationalDigits.slice(3, 6)}.${nationalDigits.slice(6)}`;
      return national.replace(/[\s-]/g, '.').replace(/[()]/g, '');
    case 'dashes':
      if (phone.country === 'US' || phone.country === 'CA')
        return `${nationalDigits.slice(0, 3)}-${nationalDigits.slice(3, 6)}-${nationalDigits.slice(6)}`;
      return national.replace(/\s/g, '-');
    case 'slash':
      return national.replace(/[\s-]/, '/').replace(/[\s-]/g, '');
    case 'spoken': {
      const groups = national.replace(/[()]/g, '').split(/[\s-]+/);
      return spokenDigits(groups, { oh: true, doubles: chance(0.5) });
    }
  }
}
const PHONE_STYLES_BY_COUNTRY: Partial<Record<CountryCode, PhoneStyle[]>> = {
  FR: ['national', 'dots', 'intl', 'e164', 'dots', 'compact'],
  DE: ['slash', 'national', 'intl', 'paren0', 'e164', 'slash'],
  US: ['dots', 'national', 'dashes', 'intl', 'e164'],
  CA: ['national', 'dashes', 'dots', 'intl'],
  GB: ['national', 'intl', 'compact', 'paren0', 'e164'],
  JP: ['national', 'intl', 'compact', 'e164'],
  IN: ['intl', 'compact', 'e164', 'national']
};
function phone(country: CountryCode, style?: PhoneStyle) {
  const number = phoneNumber(country);
  return fmtPhone(number, style ?? pick(PHONE_STYLES_BY_COUNTRY[country] ?? ['intl', 'national', 'e164', 'intl', 'intl00']));
}

// ---------------------------------------------------------------------------------------------
// People, places and organisations

type Sex = 'female' | 'male';
type Person = {
  first: string;
  last: string;
  full: string;
  sex: Sex;
  asciiFirst: string;
  asciiLast: string;
  region: Region;
  native?: boolean;
};

function ascii(s: string) {
  return s
    .replace(/ø/g, 'o')
    .replace(/Ø/g, 'O')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'Ae')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[^A-Za-z0-9 .'-]/g, '');
}
const slug = (s: string) =>
  ascii(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 18);

// Romanised East Asian names (the faker locales give native script only)
const ROMAN: Record<'jp' | 'cn' | 'kr', { given: Record<Sex, string[]>; family: string[] }> = {
  jp: {
    given: {
      female: ['Yui', 'Aoi', 'Mio', 'Hinata', 'Nanami', 'Ayaka', 'Misaki', 'Hikari', 'Kanon', 'Shiori', 'Mei', 'Chihiro'],
      male: ['Haruto', 'Sota', 'Riku', 'Kaito', 'Ren', 'Tsubasa', 'Kohei', 'Shun', 'Daichi', 'Yamato', 'Itsuki', 'Takumi']
    },
    family: [
      'Takahashi',
      'Watanabe',
      'Nakamura',
      'Kobayashi',
      'Yoshida',
      'Yamaguchi',
      'Matsumoto',
      'Inoue',
      'Kimura',
      'Hayashi',
      'Shimizu',
      'Ishikawa',
      'Ogawa',
      'Fujita',
      'Okada',
      'Morimoto',
      'Sakaguchi',
      'Uchida'
    ]
  },
  cn: {
    given: {
      female: ['Xinyi', 'Jiayi', 'Ruoxi', 'Yutong', 'Shuang', 'Meiling', 'Xiaoyan', 'Lijuan', 'Wanting', 'Yiran'],
      male: ['Haoran', 'Zihan', 'Yichen', 'Zhiwei', 'Mingyu', 'Junjie', 'Tianyu', 'Jianguo', 'Bowen', 'Zeyu']
    },
    family: [
      'Zhang',
      'Liu',
      'Chen',
      'Yang',
      'Zhao',
      'Huang',
      'Zhou',
      'Xu',
      'Sun',
      'Zhu',
      'Guo',
      'Luo',
      'Gao',
      'Zheng',
      'Tang',
      'Feng',
      'Deng',
      'Cao'
    ]
  },
  kr: {
    given: {
      female: ['Seo-yeon', 'Ha-eun', 'Su-bin', 'Ye-jin', 'Eun-ji', 'Ji-min', 'Da-eun', 'Min-seo'],
      male: ['Min-jun', 'Do-yun', 'Jae-hyun', 'Hyun-woo', 'Seung-ho', 'Ji-hoon', 'Tae-yang', 'Woo-jin']
    },
    family: ['Kim', 'Park', 'Choi', 'Jung', 'Kang', 'Cho', 'Yoon', 'Jang', 'Lim', 'Han', 'Seo', 'Shin', 'Kwon', 'Hwang', 'Baek']
  }
};

type Region =
  | 'cz'
  | 'sk'
  | 'pl'
  | 'hr'
  | 'no'
  | 'se'
  | 'fi'
  | 'dk'
  | 'de'
  | 'at'
  | 'ch'
  | 'fr'
  | 'be'
  | 'nl'
  | 'es'
  | 'it'
  | 'pt'
  | 'br'
  | 'gb'
  | 'ie'
  | 'us'
  | 'ca'
  | 'in'
  | 'ng'
  | 'yo'
  | 'gh'
  | 'sn'
  | 'vi'
  | 'jp'
  | 'kr'
  | 'cn';
type RegionInfo = {
  faker: Faker;
  phone: CountryCode;
  iban?: string;
  mail: string[];
  tld: string;
  cities: string[];
  country: string;
  orgSuffixes: string[];
  sectors: string[];
};
function seeded(locale: keyof typeof allFakers, seed: number) {
  const instance = allFakers[locale];
  instance.seed(seed);
  return instance;
}
const REGIONS: Record<Region, RegionInfo> = {
  cz: {
    faker: seeded('cs_CZ', 11),
    phone: 'CZ',
    iban: 'CZ',
    mail: ['seznam.cz', 'email.cz', 'centrum.cz', 'gmail.com'],
    tld: 'cz',
    cities: ['Brno', 'Ostrava', 'Olomouc', 'Plzeň', 'Liberec', 'České Budějovice', 'Hradec Králové', 'Zlín'],
    country: 'Czechia',
    orgSuffixes: ['s.r.o.', 'a.s.'],
    sectors: ['Stavby', 'Logistika', 'Strojírny', 'Software', 'Obchod']
  },
  sk: {
    faker: seeded('sk', 12),
    phone: 'SK',
    iban: 'SK',
    mail: ['centrum.sk', 'azet.sk', 'zoznam.sk', 'gmail.com'],
    tld: 'sk',
    cities: ['Košice', 'Žilina', 'Banská Bystrica', 'Nitra', 'Prešov', 'Trnava', 'Trenčín'],
    country: 'Slovakia',
    orgSuffixes: ['s.r.o.', 'a.s.'],
    sectors: ['Stavebníctvo', 'Doprava', 'Energetika', 'Systémy']
  },
  pl: {
    faker: seeded('pl', 13),
    phone: 'PL',
    iban: 'PL',
    mail: ['wp.pl', 'o2.pl', 'onet.pl', 'interia.pl', 'gmail.com'],
    tld: 'pl',
    cities: ['Kraków', 'Wrocław', 'Gdańsk', 'Łódź', 'Poznań', 'Lublin', 'Szczecin', 'Białystok'],
    country: 'Poland',
    orgSuffixes: ['Sp. z o.o.', 'S.A.', 'sp.j.'],
    sectors: ['Budownictwo', 'Transport', 'Meble', 'Systemy IT']
  },
  hr: {
    faker: seeded('hr', 14),
    phone: 'HR',
    iban: 'HR',
    mail: ['net.hr', 'gmail.com', 't-com.hr'],
    tld: 'hr',
    cities: ['Zagreb', 'Split', 'Rijeka', 'Osijek', 'Zadar', 'Pula', 'Dubrovnik', 'Varaždin'],
    country: 'Croatia',
    orgSuffixes: ['d.o.o.', 'd.d.'],
    sectors: ['Graditeljstvo', 'Turizam', 'Informatika', 'Trgovina']
  },
  no: {
    faker: seeded('nb_NO', 15),
    phone: 'NO',
    iban: 'NO',
    mail: ['online.no', 'gmail.com', 'hotmail.no'],
    tld: 'no',
    cities: ['Bergen', 'Trondheim', 'Tromsø', 'Stavanger', 'Kristiansand', 'Drammen', 'Bodø'],
    country: 'Norway',
    orgSuffixes: ['AS', 'ASA'],
    sectors: ['Bygg', 'Havbruk', 'Energi', 'Eiendom']
  },
  se: {
    faker: seeded('sv', 16),
    phone: 'SE',
    iban: 'SE',
    mail: ['telia.com', 'gmail.com', 'bredband.net'],
    tld: 'se',
    cities: ['Göteborg', 'Malmö', 'Uppsala', 'Umeå', 'Linköping', 'Örebro', 'Västerås'],
    country: 'Sweden',
    orgSuffixes: ['AB', 'HB'],
    sectors: ['Bygg', 'Konsult', 'Teknik', 'Fastigheter']
  },
  fi: {
    faker: seeded('fi', 17),
    phone: 'FI',
    iban: 'FI',
    mail: ['luukku.com', 'gmail.com', 'elisanet.fi'],
    tld: 'fi',
    cities: ['Tampere', 'Oulu', 'Turku', 'Jyväskylä', 'Kuopio', 'Lahti', 'Vaasa'],
    country: 'Finland',
    orgSuffixes: ['Oy', 'Oyj', 'Ky'],
    sectors: ['Rakennus', 'Metsä', 'Ohjelmistot', 'Kuljetus']
  },
  dk: {
    faker: seeded('da', 18),
    phone: 'DK',
    iban: 'DK',
    mail: ['mail.dk', 'gmail.com', 'jubii.dk'],
    tld: 'dk',
    cities: ['Aarhus', 'Odense', 'Aalborg', 'Esbjerg', 'Roskilde', 'Vejle'],
    country: 'Denmark',
    orgSuffixes: ['ApS', 'A/S'],
    sectors: ['Byg', 'Rådgivning', 'Transport', 'Design']
  },
  de: {
    faker: seeded('de', 19),
    phone: 'DE',
    iban: 'DE',
    mail: ['web.de', 'gmx.de', 't-online.de', 'posteo.de', 'gmail.com'],
    tld: 'de',
    cities: ['Leipzig', 'Dresden', 'Freiburg', 'Nürnberg', 'Bremen', 'Münster', 'Kiel', 'Heidelberg', 'Regensburg', 'Bonn'],
    country: 'Germany',
    orgSuffixes: ['GmbH', 'AG', 'GmbH & Co. KG', 'KG', 'e.K.'],
    sectors: ['Maschinenbau', 'Logistik', 'Medizintechnik', 'Software', 'Immobilien', 'Verpackung']
  },
  at: {
    faker: seeded('de_AT', 20),
    phone: 'AT',
    iban: 'AT',
    mail: ['gmx.at', 'aon.at', 'gmail.com'],
    tld: 'at',
    cities: ['Graz', 'Linz', 'Salzburg', 'Innsbruck', 'Klagenfurt'],
    country: 'Austria',
    orgSuffixes: ['GmbH', 'AG', 'OG'],
    sectors: ['Bau', 'Holz', 'Tourismus', 'Technik']
  },
  ch: {
    faker: seeded('de_CH', 21),
    phone: 'CH',
    iban: 'CH',
    mail: ['bluewin.ch', 'gmail.com', 'sunrise.ch'],
    tld: 'ch',
    cities: ['Basel', 'Bern', 'Lausanne', 'Winterthur', 'Luzern', 'St. Gallen'],
    country: 'Switzerland',
    orgSuffixes: ['AG', 'GmbH', 'SA', 'Sàrl'],
    sectors: ['Treuhand', 'Uhren', 'Pharma', 'Informatik']
  },
  fr: {
    faker: seeded('fr', 22),
    phone: 'FR',
    iban: 'FR',
    mail: ['orange.fr', 'free.fr', 'laposte.net', 'sfr.fr', 'gmail.com'],
    tld: 'fr',
    cities: ['Lyon', 'Nantes', 'Toulouse', 'Lille', 'Rennes', 'Montpellier', 'Grenoble', 'Bordeaux', 'Dijon'],
    country: 'France',
    orgSuffixes: ['SAS', 'S.A.', 'SARL', 'SASU'],
    sectors: ['Conseil', 'Distribution', 'Industries', 'Transports', 'Bâtiment']
  },
  be: {
    faker: seeded('fr_BE', 23),
    phone: 'BE',
    iban: 'BE',
    mail: ['skynet.be', 'telenet.be', 'gmail.com'],
    tld: 'be',
    cities: ['Gent', 'Liège', 'Namur', 'Leuven', 'Brugge'],
    country: 'Belgium',
    orgSuffixes: ['SRL', 'BV', 'NV', 'SA'],
    sectors: ['Services', 'Logistique', 'Chocolaterie']
  },
  nl: {
    faker: seeded('nl', 24),
    phone: 'NL',
    iban: 'NL',
    mail: ['ziggo.nl', 'kpnmail.nl', 'xs4all.nl', 'gmail.com'],
    tld: 'nl',
    cities: ['Utrecht', 'Groningen', 'Eindhoven', 'Leiden', 'Haarlem', 'Nijmegen', 'Tilburg'],
    country: 'the Netherlands',
    orgSuffixes: ['B.V.', 'N.V.', 'V.O.F.'],
    sectors: ['Installatietechniek', 'Logistiek', 'Advies', 'Bouw']
  },
  es: {
    faker: seeded('es', 25),
    phone: 'ES',
    iban: 'ES',
    mail: ['telefonica.net', 'gmail.com', 'hotmail.es', 'yahoo.es'],
    tld: 'es',
    cities: ['Valencia', 'Bilbao', 'Sevilla', 'Zaragoza', 'Málaga', 'Granada', 'Salamanca'],
    country: 'Spain',
    orgSuffixes: ['S.L.', 'S.A.', 'S.L.U.'],
    sectors: ['Construcciones', 'Distribuciones', 'Consultores', 'Transportes']
  },
  it: {
    faker: seeded('it', 26),
    phone: 'IT',
    iban: 'IT',
    mail: ['libero.it', 'virgilio.it', 'tiscali.it', 'gmail.com'],
    tld: 'it',
    cities: ['Bologna', 'Torino', 'Genova', 'Padova', 'Bari', 'Verona', 'Trieste'],
    country: 'Italy',
    orgSuffixes: ['S.r.l.', 'S.p.A.', 'S.n.c.'],
    sectors: ['Costruzioni', 'Impianti', 'Servizi', 'Meccanica']
  },
  pt: {
    faker: seeded('pt_PT', 27),
    phone: 'PT',
    iban: 'PT',
    mail: ['sapo.pt', 'gmail.com', 'clix.pt'],
    tld: 'pt',
    cities: ['Porto', 'Coimbra', 'Braga', 'Aveiro', 'Faro'],
    country: 'Portugal',
    orgSuffixes: ['Lda.', 'S.A.'],
    sectors: ['Construções', 'Comércio', 'Serviços']
  },
  br: {
    faker: seeded('pt_BR', 28),
    phone: 'BR',
    iban: 'BR',
    mail: ['uol.com.br', 'bol.com.br', 'terra.com.br', 'gmail.com'],
    tld: 'com.br',
    cities: ['Curitiba', 'Recife', 'Fortaleza', 'Belo Horizonte', 'Porto Alegre', 'Salvador', 'Campinas'],
    country: 'Brazil',
    orgSuffixes: ['Ltda.', 'S.A.', 'ME', 'EIRELI'],
    sectors: ['Comércio', 'Engenharia', 'Tecnologia', 'Alimentos']
  },
  gb: {
    faker: seeded('en_GB', 29),
    phone: 'GB',
    iban: 'GB',
    mail: ['btinternet.com', 'sky.com', 'outlook.com', 'gmail.com', 'yahoo.co.uk'],
    tld: 'co.uk',
    cities: ['Leeds', 'Bristol', 'Cardiff', 'Aberdeen', 'Norwich', 'Leicester', 'Sheffield', 'Exeter', 'Dundee', 'York'],
    country: 'the UK',
    orgSuffixes: ['Ltd', 'Limited', 'plc', 'LLP'],
    sectors: ['Joinery', 'Logistics', 'Lettings', 'Engineering', 'Consulting']
  },
  ie: {
    faker: seeded('en_IE', 30),
    phone: 'IE',
    iban: 'IE',
    mail: ['eircom.net', 'gmail.com'],
    tld: 'ie',
    cities: ['Cork', 'Galway', 'Limerick', 'Waterford', 'Kilkenny'],
    country: 'Ireland',
    orgSuffixes: ['Ltd', 'DAC', 'Teoranta'],
    sectors: ['Agri', 'Software', 'Freight']
  },
  us: {
    faker: seeded('en_US', 31),
    phone: 'US',
    mail: ['gmail.com', 'yahoo.com', 'aol.com', 'comcast.net', 'icloud.com'],
    tld: 'com',
    cities: ['Portland', 'Tucson', 'Omaha', 'Raleigh', 'Boise', 'Madison', 'Albany', 'Spokane', 'Savannah', 'Provo'],
    country: 'the US',
    orgSuffixes: ['LLC', 'Inc.', 'Corp.', 'LP'],
    sectors: ['Analytics', 'Roofing', 'Dental Group', 'Logistics', 'Partners']
  },
  ca: {
    faker: seeded('en_CA', 32),
    phone: 'CA',
    mail: ['sympatico.ca', 'shaw.ca', 'gmail.com'],
    tld: 'ca',
    cities: ['Halifax', 'Winnipeg', 'Calgary', 'Victoria', 'Kingston', 'Saskatoon'],
    country: 'Canada',
    orgSuffixes: ['Inc.', 'Ltd.', 'Corp.'],
    sectors: ['Forestry', 'Software', 'Outfitters']
  },
  in: {
    faker: seeded('en_IN', 33),
    phone: 'IN',
    mail: ['gmail.com', 'rediffmail.com', 'yahoo.co.in', 'outlook.com'],
    tld: 'in',
    cities: ['Pune', 'Kochi', 'Jaipur', 'Lucknow', 'Coimbatore', 'Indore', 'Nagpur', 'Surat', 'Mysuru', 'Bhubaneswar'],
    country: 'India',
    orgSuffixes: ['Pvt. Ltd.', 'Private Limited', 'LLP', 'Ltd.'],
    sectors: ['Infotech', 'Textiles', 'Agro Foods', 'Logistics', 'Pharma']
  },
  ng: {
    faker: seeded('en_NG', 34),
    phone: 'NG',
    mail: ['gmail.com', 'yahoo.com', 'hotmail.com'],
    tld: 'com.ng',
    cities: ['Lagos', 'Ibadan', 'Abuja', 'Kano', 'Enugu', 'Port Harcourt', 'Abeokuta'],
    country: 'Nigeria',
    orgSuffixes: ['Nigeria Limited', 'Ltd', 'Plc', 'Enterprises'],
    sectors: ['Agro-Allied', 'Logistics', 'Microfinance', 'Oil Services']
  },
  yo: {
    faker: seeded('yo_NG', 35),
    phone: 'NG',
    mail: ['gmail.com', 'yahoo.com'],
    tld: 'com.ng',
    cities: ['Ibadan', 'Oyo', 'Osogbo', 'Ilorin', 'Akure', 'Ogbomoso'],
    country: 'Nigeria',
    orgSuffixes: ['Ltd', 'Ventures', 'Nigeria Limited'],
    sectors: ['Textiles', 'Foods', 'Printing']
  },
  gh: {
    faker: seeded('en_GH', 36),
    phone: 'GH',
    mail: ['gmail.com', 'yahoo.com'],
    tld: 'com.gh',
    cities: ['Accra', 'Kumasi', 'Tamale', 'Takoradi', 'Cape Coast'],
    country: 'Ghana',
    orgSuffixes: ['Ltd', 'Limited', 'Company Ltd'],
    sectors: ['Cocoa Traders', 'Logistics', 'Solar']
  },
  sn: {
    faker: seeded('fr_SN', 37),
    phone: 'SN',
    mail: ['orange.sn', 'gmail.com', 'yahoo.fr'],
    tld: 'sn',
    cities: ['Dakar', 'Thiès', 'Saint-Louis', 'Ziguinchor', 'Kaolack'],
    country: 'Senegal',
    orgSuffixes: ['SARL', 'SA', 'SUARL'],
    sectors: ['Transit', 'Pêche', 'Services']
  },
  vi: {
    faker: seeded('vi', 38),
    phone: 'VN',
    mail: ['gmail.com', 'yahoo.com.vn', 'fpt.vn'],
    tld: 'vn',
    cities: ['Hà Nội', 'Đà Nẵng', 'Huế', 'Hải Phòng', 'Cần Thơ', 'Nha Trang'],
    country: 'Vietnam',
    orgSuffixes: ['JSC', 'Co., Ltd'],
    sectors: ['Trading', 'Garment', 'Software']
  },
  jp: {
    faker: seeded('ja', 39),
    phone: 'JP',
    mail: ['docomo.ne.jp', 'yahoo.co.jp', 'gmail.com', 'nifty.com'],
    tld: 'co.jp',
    cities: ['Sapporo', 'Sendai', 'Nagoya', 'Fukuoka', 'Kobe', 'Hiroshima', 'Kanazawa', 'Okayama'],
    country: 'Japan',
    orgSuffixes: ['K.K.', 'Co., Ltd.', 'G.K.'],
    sectors: ['Seiki', 'Shoji', 'Denki', 'Kogyo', 'Pharma', 'Trading']
  },
  kr: {
    faker: seeded('ko', 40),
    phone: 'KR',
    mail: ['naver.com', 'daum.net', 'gmail.com'],
    tld: 'co.kr',
    cities: ['Busan', 'Incheon', 'Daegu', 'Daejeon', 'Gwangju', 'Suwon'],
    country: 'South Korea',
    orgSuffixes: ['Co., Ltd.', 'Inc.'],
    sectors: ['Electronics', 'Logistics', 'Bio']
  },
  cn: {
    faker: seeded('zh_CN', 41),
    phone: 'CN',
    mail: ['qq.com', '163.com', '126.com', 'gmail.com'],
    tld: 'cn',
    cities: ['Chengdu', 'Hangzhou', 'Wuhan', 'Shenzhen', 'Xiamen', 'Nanjing', "Xi'an"],
    country: 'China',
    orgSuffixes: ['Co., Ltd.', 'Group Co., Ltd.'],
    sectors: ['Precision', 'Trading', 'Electronics', 'Textile']
  }
};
const ALL_REGIONS = Object.keys(REGIONS) as Region[];
// West African, South and East Asian and Central European regions are drawn more often on purpose
const REGION_WEIGHTS: Array<[Region, number]> = ALL_REGIONS.map((r) => [
  r,
  ['ng', 'yo', 'gh', 'sn', 'in', 'jp', 'kr', 'cn', 'vi', 'cz', 'sk', 'pl', 'hr'].includes(r) ? 3 : 2
]);
const anyRegion = (): Region => rng.helpers.weightedArrayElement(REGION_WEIGHTS.map(([value, weight]) => ({ value, weight })));
const EUROPE: Region[] = ['cz', 'sk', 'pl', 'hr', 'no', 'se', 'fi', 'dk', 'de', 'at', 'ch', 'fr', 'be', 'nl', 'es', 'it', 'pt', 'gb', 'ie'];
const IBAN_REGIONS = ALL_REGIONS.filter((r) => REGIONS[r].iban != null);

function person(region: Region = anyRegion(), native = false): Person {
  const sex: Sex = chance(0.5) ? 'female' : 'male';
  if ((region === 'jp' || region === 'kr' || region === 'cn') && !native) {
    const names = ROMAN[region];
    const first = pick(names.given[sex]);
    const last = pick(names.family);
    return { first, last, full: `${first} ${last}`, sex, asciiFirst: first.replace('-', ''), asciiLast: last, region };
  }
  const f = REGIONS[region].faker;
  let first = f.person.firstName(sex);
  let last = f.person.lastName(sex);
  if (region === 'jp' || region === 'kr' || region === 'cn') {
    const full = region === 'kr' ? `${last}${first}` : `${last}${first}`;
    return {
      first,
      last,
      full,
      sex,
      asciiFirst: pick(ROMAN[region].given[sex]),
      asciiLast: pick(ROMAN[region].family),
      region,
      native: true
    };
  }
  // Vietnamese names are written family name first
  const full = region === 'vi' ? `${last} ${first}` : `${first} ${last}`;
  return { first, last, full, sex, asciiFirst: ascii(first).replace(/[ '.]/g, ''), asciiLast: ascii(last).replace(/[ '.]/g, ''), region };
}
function emailOf(p: Person, domain = pick(REGIONS[p.region].mail)) {
  const f = p.asciiFirst.toLowerCase();
  const l = p.asciiLast.toLowerCase();
  const local = pick([
    `${f}.${l}`,
    `${f}${l}`,
    `${f[0]}${l}`,
    `${f}_${l}${int(1, 99)}`,
    `${l}.${f}`,
    `${f}${int(70, 99)}`,
    `${f[0]}.${l}`,
    `${l}${f[0]}`
  ]);
  return `${local}@${domain}`;
}
function workEmail(p: Person, org: string) {
  return `${pick([`${p.asciiFirst}.${p.asciiLast}`, `${p.asciiFirst[0]}${p.asciiLast}`, p.asciiFirst]).toLowerCase()}@${orgDomain(org)}`;
}
function orgDomain(org: string) {
  const core = ascii(org)
    .replace(
      /\b(GmbH|AG|KG|Co|Ltd|Limited|LLC|Inc|Corp|plc|LLP|SAS|SARL|SASU|SA|SRL|Sp|z|o|s\.r\.o|a\.s|d\.o\.o|d\.d|AS|ASA|AB|HB|Oy|Oyj|Ky|ApS|A\/S|BV|NV|B\.V|N\.V|Pvt|Private|Plc|Nigeria|Enterprises|K\.K|G\.K|JSC|S\.L|S\.A|S\.r\.l|S\.p\.A|Lda|Ltda|ME|EIRELI|DAC|OG)\b\.?/gi,
      ' '
    )
    .trim();
  return `${slug(core) || 'mail'}.${pick(['com', 'eu', 'net', 'io', 'co'])}`;
}

// Names in table cells and references: surname alone, initials, "Surname, Given"
const surnameFirst = (p: Person) => P(`${p.last}, ${p.first}`);
const title = (p: Person) =>
  p.sex === 'female' ? pick(['Ms', 'Mrs', 'Ms.', 'Dr', 'Dr.', 'Prof.']) : pick(['Mr', 'Mr.', 'Dr', 'Dr.', 'Prof.']);

function company(region: Region = anyRegion()): string {
  const info = REGIONS[region];
  const f = info.faker;
  const family = () =>
    region === 'jp'
      ? pick(ROMAN.jp.family)
      : region === 'kr'
        ? pick(ROMAN.kr.family)
        : region === 'cn'
          ? pick(ROMAN.cn.family)
          : f.person.lastName().split(' ')[0]!;
  const suffix = pick(info.orgSuffixes);
  return oneOf(
    () => `${family()} ${pick(info.sectors)} ${suffix}`,
    () => `${family()} & ${family()} ${suffix}`,
    () =>
      `${pick(['North', 'Silver', 'Blue', 'Green', 'Oak', 'Pine', 'Sun', 'Star', 'River', 'Iron', 'Cedar', 'Lake'])}${pick(['field', 'stone', 'bridge', 'wave', 'point', 'line', 'gate'])} ${pick(info.sectors)} ${suffix}`,
    () => `${pick(info.cities)} ${pick(info.sectors)} ${suffix}`
  );
}
function clinic(region: Region = anyRegion()): string {
  const f = REGIONS[region].faker;
  const city = pick(REGIONS[region].cities);
  return oneOf(
    () =>
      `${city} ${pick(['Family Practice', 'Medical Centre', 'Dental Clinic', 'Physiotherapy Clinic', 'Eye Clinic', 'Fertility Centre'])}`,
    () =>
      `${pick(['St.', 'Saint'])} ${pick(['Aldhelm', 'Brigid', 'Oswin', 'Cuthbert', 'Ninian', 'Winifred', 'Kenelm'])}'s ${pick(['Hospital', 'Clinic', 'Hospice'])}`,
    () =>
      `${f.person.lastName().split(' ')[0]} ${pick(['Orthopaedics', 'Dermatology', 'Paediatrics'])} ${pick(['LLC', 'Ltd', 'GmbH', 'S.L.'])}`,
    () => `${city} ${pick(['General Hospital', 'University Hospital', 'Children’s Hospital', 'Women’s Clinic'])}`,
    () => `${pick(['Praxis', 'Klinik', 'Clinique', 'Clínica', 'Klinika', 'Poliklinika'])} ${f.person.lastName().split(' ')[0]}`
  );
}
function insurer(): string {
  return `${pick(['Northgate', 'Harbourside', 'Everwell', 'Bluecrest', 'Lindenhof', 'Kestrel', 'Meridia', 'Solvia', 'Aurelia', 'Fjordline', 'Vltava', 'Baltica'])} ${pick(['Health Insurance Ltd', 'Mutual', 'Assurance S.A.', 'Versicherung AG', 'Life plc', 'pojišťovna a.s.', 'Forsikring ASA', 'Insurance Co., Ltd.'])}`;
}
function bank(region: Region = anyRegion()): string {
  const info = REGIONS[region];
  return oneOf(
    () => `${pick(info.cities)} ${pick(['Savings Bank', 'Cooperative Bank', 'Sparkasse', 'Credit Union'])}`,
    () => `${pick(['Banca', 'Banco', 'Banque', 'Bank'])} ${info.faker.person.lastName().split(' ')[0]}`,
    () =>
      `${pick(['Northern', 'Coastal', 'Alpine', 'United', 'Heritage', 'Pioneer'])} ${pick(['Trust Bank', 'Microfinance Bank', 'Building Society', 'Bank plc', 'Bank AG'])}`
  );
}
const city = (region: Region = anyRegion()) => pick(REGIONS[region].cities);
const country = (region: Region = anyRegion()) => REGIONS[region].country;

// ---------------------------------------------------------------------------------------------
// Addresses

const UK_TOWNS: Array<[string, string]> = [
  ['Ashby-de-la-Zouch', 'LE65'],
  ['Harrogate', 'HG2'],
  ['Kendal', 'LA9'],
  ['Truro', 'TR1'],
  ['Ludlow', 'SY8'],
  ['Whitby', 'YO21'],
  ['Frome', 'BA11'],
  ['Hexham', 'NE46'],
  ['Malvern', 'WR14'],
  ['Penrith', 'CA11'],
  ['Stroud', 'GL5'],
  ['Bakewell', 'DE45'],
  ['Tenby', 'SA70'],
  ['Oban', 'PA34'],
  ['Dorking', 'RH4'],
  ['Ely', 'CB7'],
  ['Alnwick', 'NE66'],
  ['Leeds', 'LS6'],
  ['Bristol', 'BS7'],
  ['Norwich', 'NR2']
];
const UK_HOUSES = [
  'Rose Cottage',
  'The Old Rectory',
  'Willow Barn',
  'Orchard House',
  'Ivy Lodge',
  'Fern Bank',
  'The Granary',
  'Holly House',
  'Meadow View',
  'The Coach House',
  'Keeper’s Cottage',
  'Brook Farm'
];
const UK_STREETS = [
  'Mill Lane',
  'Church Street',
  'Station Road',
  'High Street',
  'Back Lane',
  'Chapel Row',
  'Bridge End',
  'Kiln Lane',
  'Orchard Way',
  'Victoria Terrace',
  'Sheep Street',
  'Priory Close',
  'Albert Road',
  'Green Lane'
];
const ukInward = () => `${int(1, 9)}${fromChars('ABDEFGHJLNPQRSTUWXYZ', 2)}`;
function ukAddress(style = int(0, 3)) {
  const [town, outward] = pick(UK_TOWNS);
  const street = chance(0.5)
    ? pick(UK_STREETS)
    : `${REGIONS.gb.faker.person.lastName()} ${pick(['Road', 'Close', 'Avenue', 'Gardens', 'Drive'])}`;
  const postcode = `${outward} ${ukInward()}`;
  if (style === 0) return `${pick(UK_HOUSES)}, ${street}, ${town} ${postcode}`;
  if (style === 1) return `${int(1, 220)} ${street}, ${town}, ${postcode}`;
  if (style === 2) return `Flat ${int(1, 30)}, ${int(2, 90)} ${street}, ${town} ${postcode}`;
  return `${int(1, 99)}${pick(['', 'a', 'b'])} ${street}\n${town}\n${postcode}`;
}
const US_CITIES: Array<[string, string, string]> = [
  ['Portland', 'OR', '972'],
  ['Tucson', 'AZ', '857'],
  ['Omaha', 'NE', '681'],
  ['Raleigh', 'NC', '276'],
  ['Boise', 'ID', '837'],
  ['Madison', 'WI', '537'],
  ['Albany', 'NY', '122'],
  ['Columbus', 'OH', '432'],
  ['Savannah', 'GA', '314'],
  ['Spokane', 'WA', '992'],
  ['Ann Arbor', 'MI', '481'],
  ['Provo', 'UT', '846'],
  ['Burlington', 'VT', '054'],
  ['Santa Fe', 'NM', '875']
];
function usAddress() {
  const [town, state, zip] = pick(US_CITIES);
  const f = REGIONS.us.faker;
  const unit = chance(0.3) ? ` ${pick(['Apt', 'Unit', 'Suite', '#'])} ${int(1, 40)}${pick(['', 'B', 'C'])}` : '';
  return `${f.location.streetAddress()}${unit}, ${town}, ${state} ${zip}${digits(2)}`;
}
const IN_CITIES: Array<[string, string, string, string[]]> = [
  ['Bengaluru', 'Karnataka', '560', ['Koramangala', 'Indiranagar', 'HSR Layout', 'Jayanagar 4th Block', 'Whitefield', 'Malleshwaram']],
  ['Pune', 'Maharashtra', '411', ['Kothrud', 'Baner', 'Aundh', 'Viman Nagar', 'Hadapsar']],
  ['Chennai', 'Tamil Nadu', '600', ['Adyar', 'T. Nagar', 'Velachery', 'Anna Nagar', 'Mylapore']],
  ['Hyderabad', 'Telangana', '500', ['Madhapur', 'Banjara Hills', 'Kondapur', 'Gachibowli']],
  ['Kochi', 'Kerala', '682', ['Kakkanad', 'Edappally', 'Panampilly Nagar', 'Kaloor']],
  ['Jaipur', 'Rajasthan', '302', ['Malviya Nagar', 'Vaishali Nagar', 'C-Scheme', 'Mansarovar']],
  ['Kolkata', 'West Bengal', '700', ['Ballygunge', 'New Town', 'Salt Lake', 'Behala']],
  ['Ahmedabad', 'Gujarat', '380', ['Navrangpura', 'Satellite', 'Bodakdev', 'Maninagar']]
];
const IN_BUILDINGS = [
  'Sai Krupa',
  'Shanti Niketan',
  'Green Valley',
  'Lotus',
  'Sunrise',
  'Kaveri',
  'Ganga',
  'Shree Ganesh',
  'Brindavan',
  'Nandanvan',
  'Silver Oak',
  'Tulsi'
];
const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;
function indiaAddress(style = int(0, 4)) {
  const [town, state, pin, areas] = pick(IN_CITIES);
  const area = pick(areas);
  const code = `${pin}${pad(int(1, 99), 3)}`;
  const building = `${pick(IN_BUILDINGS)} ${pick(['Apartments', 'Residency', 'Enclave', 'Heights', 'Towers', 'CHS'])}`;
  switch (style) {
    case 0:
      return `Flat ${int(1, 14)}0${int(1, 6)}, ${building}, ${ordinal(int(1, 20))} Main Road, ${area}, ${town}, ${state} ${code}`;
    case 1:
      return `#${int(1, 400)}, ${ordinal(int(1, 12))} Cross, ${ordinal(int(1, 9))} Main, ${area}, ${town} - ${code}`;
    case 2:
      return `${pick(['A', 'B', 'C', 'D'])}-${int(1, 18)}0${int(1, 4)}, ${building}, ${area} Road, ${area}, ${town} ${code}, ${state}`;
    case 3:
      return `H.No. ${int(1, 12)}-${int(1, 9)}-${int(10, 400)}/${pick(['A', 'B', '1'])}, Road No. ${int(1, 45)}, ${area}, ${town}, ${state} - ${code}`;
    default:
      return `Door No. ${int(1, 60)}/${int(1, 20)}, ${REGIONS.in.faker.person.lastName()} Street, ${area}, ${town} ${code}`;
  }
}
const JP_PLACES: Array<{
  city: string;
  pref: string;
  kanji: string;
  ward: string;
  wardKanji: string;
  town: string;
  townKanji: string;
  zip: string;
}> = [
  { city: 'Tokyo', pref: 'Tokyo', kanji: '東京都', ward: 'Bunkyo', wardKanji: '文京区', town: 'Sendagi', townKanji: '千駄木', zip: '113' },
  {
    city: 'Tokyo',
    pref: 'Tokyo',
    kanji: '東京都',
    ward: 'Setagaya',
    wardKanji: '世田谷区',
    town: 'Sangenjaya',
    townKanji: '三軒茶屋',
    zip: '154'
  },
  {
    city: 'Tokyo',
    pref: 'Tokyo',
    kanji: '東京都',
    ward: 'Meguro',
    wardKanji: '目黒区',
    town: 'Nakameguro',
    townKanji: '中目黒',
    zip: '153'
  },
  {
    city: 'Tokyo',
    pref: 'Tokyo',
    kanji: '東京都',
    ward: 'Suginami',
    wardKanji: '杉並区',
    town: 'Asagaya-minami',
    townKanji: '阿佐谷南',
    zip: '166'
  },
  { city: 'Tokyo', pref: 'Tokyo', kanji: '東京都', ward: 'Koto', wardKanji: '江東区', town: 'Kiyosumi', townKanji: '清澄', zip: '135' },
  { city: 'Osaka', pref: 'Osaka', kanji: '大阪府大阪市', ward: 'Kita', wardKanji: '北区', town: 'Tenma', townKanji: '天満', zip: '530' },
  {
    city: 'Osaka',
    pref: 'Osaka',
    kanji: '大阪府大阪市',
    ward: 'Nishi',
    wardKanji: '西区',
    town: 'Kitahorie',
    townKanji: '北堀江',
    zip: '550'
  },
  {
    city: 'Kyoto',
    pref: 'Kyoto',
    kanji: '京都府京都市',
    ward: 'Sakyo',
    wardKanji: '左京区',
    town: 'Shimogamo',
    townKanji: '下鴨',
    zip: '606'
  },
  {
    city: 'Fukuoka',
    pref: 'Fukuoka',
    kanji: '福岡県福岡市',
    ward: 'Chuo',
    wardKanji: '中央区',
    town: 'Daimyo',
    townKanji: '大名',
    zip: '810'
  },
  {
    city: 'Yokohama',
    pref: 'Kanagawa',
    kanji: '神奈川県横浜市',
    ward: 'Naka',
    wardKanji: '中区',
    town: 'Motomachi',
    townKanji: '元町',
    zip: '231'
  },
  {
    city: 'Sapporo',
    pref: 'Hokkaido',
    kanji: '北海道札幌市',
    ward: 'Chuo',
    wardKanji: '中央区',
    town: 'Maruyama-nishimachi',
    townKanji: '円山西町',
    zip: '064'
  }
];
function japanAddress(style = int(0, 3)) {
  const place = pick(JP_PLACES);
  const zip = `${place.zip}-${digits(4)}`;
  const [chome, ban, go] = [int(1, 6), int(1, 30), int(1, 20)];
  const building = chance(0.5)
    ? pick(['Maison Sakura', 'Sunny Heights', 'Grand Forest', 'Villa Kaede', 'Park Side']) + ` ${int(1, 9)}0${int(1, 9)}`
    : '';
  switch (style) {
    case 0:
      return `${building ? building + ', ' : ''}${chome}-${ban}-${go} ${place.town}, ${place.ward}-ku, ${place.city}${place.city === place.pref ? '' : `, ${place.pref}`} ${zip}`;
    case 1:
      return `${zip} ${place.kanji}${place.wardKanji}${place.townKanji}${chome}-${ban}-${go}`;
    case 2:
      return `${place.kanji}${place.wardKanji}${place.townKanji}${chome}丁目${ban}番${go}号${chance(0.5) ? ` ${pick(['メゾン桜', 'グランフォレスト', 'サニーハイツ'])}${int(1, 9)}0${int(1, 9)}号室` : ''}`;
    default:
      return `${chome}-${ban}-${go} ${place.town}, ${place.ward}-ku, ${place.city}-shi, ${place.pref}${place.pref === 'Hokkaido' ? '' : place.pref === 'Tokyo' ? '-to' : place.pref === 'Osaka' || place.pref === 'Kyoto' ? '-fu' : '-ken'} ${zip}`;
  }
}
/** Japanese addresses written in kanji carry the 〒 postal mark outside the span. */
const jpAddressMarked = () => {
  const style = int(0, 3);
  const value = japanAddress(style);
  return style === 1 ? `〒${A(value)}` : A(value);
};
function africaAddress(region: 'ng' | 'yo' | 'gh' | 'sn') {
  const f = REGIONS[region].faker;
  if (region === 'gh')
    return `House No. ${int(1, 80)}, ${f.person.lastName()} ${pick(['Street', 'Close', 'Avenue'])}, ${pick(['East Legon', 'Osu', 'Airport Residential Area', 'Dansoman', 'Adum'])}, ${pick(['Accra', 'Kumasi'])}`;
  if (region === 'sn')
    return `${pick(['Villa', 'Lot'])} ${int(1, 300)}, ${pick(['Cité Keur Gorgui', 'Sacré-Cœur 3', 'Mermoz', 'Ouakam', 'Point E'])}, Dakar`;
  return oneOf(
    () =>
      `${int(1, 60)} ${f.person.lastName()} ${pick(['Street', 'Close', 'Crescent', 'Way'])}, ${pick(['Ikeja GRA', 'Surulere', 'Yaba', 'Lekki Phase 1', 'Victoria Island', 'Magodo'])}, Lagos${chance(0.5) ? ` ${pick(['100001', '101233', '105102', '101241'])}` : ''}`,
    () =>
      `Plot ${int(1, 900)}, ${f.person.lastName()} ${pick(['Street', 'Avenue'])}, ${pick(['Wuse II', 'Garki Area 11', 'Maitama', 'Gwarinpa'])}, Abuja`,
    () => `${int(1, 40)}, ${f.person.lastName()} Road, ${pick(['Bodija', 'Jericho', 'Oluyole Estate'])}, Ibadan, Oyo State`
  );
}
function localAddress(region: Region): string {
  const info = REGIONS[region];
  const f = info.faker;
  const town = pick(info.cities);
  switch (region) {
    case 'gb':
      return ukAddress();
    case 'us':
      return usAddress();
    case 'in':
      return indiaAddress();
    case 'jp':
      return japanAddress(pick([0, 3]));
    case 'ng':
    case 'yo':
    case 'gh':
    case 'sn':
      return africaAddress(region);
    case 'cz':
    case 'sk':
      return `${f.location.street()} ${int(1, 2800)}${chance(0.5) ? `/${int(1, 60)}` : ''}, ${int(100, 799)} ${digits(2)} ${town}`;
    case 'pl':
      return `ul. ${f.location.street().replace(/^(ul\.|al\.|pl\.|rondo|bulw\.|skwer) /, '')} ${int(1, 140)}${chance(0.4) ? `/${int(1, 60)}` : ''}, ${digits(2)}-${digits(3)} ${town}`;
    case 'hr':
      return `${f.location.street()} ${int(1, 120)}, ${pick(['1', '2', '3', '5'])}${digits(4)} ${town}`;
    case 'no':
    case 'dk':
      return `${f.location.street()} ${int(1, 90)}${pick(['', 'A', 'B'])}, ${digits(4)} ${town}`;
    case 'se':
      return `${f.location.street()} ${int(1, 90)}, ${digits(3)} ${digits(2)} ${town}`;
    case 'fi':
      return `${f.location.street()} ${int(1, 60)} ${pick(['A', 'B', 'C'])} ${int(1, 30)}, ${digits(5)} ${town}`;
    case 'de':
    case 'at':
    case 'ch':
      return `${f.location.street()} ${int(1, 160)}${pick(['', '', 'a', 'b'])}, ${region === 'de' ? String(int(10000, 99999)) : String(int(1000, 9999))} ${town}`;
    case 'fr':
    case 'be':
      return `${int(1, 140)}${pick(['', '', ' bis'])} ${f.location.street()}, ${region === 'fr' ? String(int(10000, 95999)) : String(int(1000, 9999))} ${town}`;
    case 'nl':
      return `${f.location.street()} ${int(1, 300)}, ${int(1000, 9999)} ${fromChars('ABCDEGHJKLMNPRSTVWXZ', 2)} ${town}`;
    case 'es':
      return `Calle ${f.person.lastName()} ${int(1, 120)}, ${int(1, 8)}º ${pick(['A', 'B', 'C', 'D'])}, ${digits(5)} ${town}`;
    case 'it':
      return `Via ${f.person.lastName()} ${int(1, 200)}, ${digits(5)} ${town}`;
    case 'pt':
      return `Rua ${f.person.lastName()} ${int(1, 300)}, ${int(1, 5)}º Esq., ${digits(4)}-${digits(3)} ${town}`;
    case 'br':
      return `${pick(['Rua', 'Avenida', 'Travessa', 'Alameda'])} ${f.person.lastName()} ${f.person.lastName()}, ${int(10, 3000)}${chance(0.5) ? `, apto ${int(11, 190)}` : ''} - ${pick(['Batel', 'Boa Viagem', 'Meireles', 'Savassi', 'Moinhos de Vento', 'Pituba'])}, ${town} - ${pick(['PR', 'PE', 'CE', 'MG', 'RS', 'BA', 'SP'])}, ${digits(5)}-${digits(3)}`;
    case 'ie':
      return `${int(1, 80)} ${f.location.street()}, ${town}, ${pick(['T12', 'H91', 'V94', 'X91', 'R95'])} ${fromChars('ACDEFHKNPRTVWXY0123456789', 4)}`;
    case 'ca':
      return `${f.location.streetAddress()}, ${town}, ${pick(['NS', 'MB', 'AB', 'BC', 'ON', 'SK'])} ${fromChars('ABCEGHJKLMNPRSTVXY', 1)}${int(0, 9)}${fromChars('ABCEGHJKLMNPRSTVWXYZ', 1)} ${int(0, 9)}${fromChars('ABCEGHJKLMNPRSTVWXYZ', 1)}${int(0, 9)}`;
    case 'kr':
      return `${int(1, 30)}${chance(0.5) ? `-${int(1, 9)}` : ''} ${pick(['Teheran-ro', 'Hannam-daero', 'Haeundae-ro', 'Jungang-daero'])} ${int(1, 60)}-gil, ${pick(['Gangnam-gu', 'Yongsan-gu', 'Haeundae-gu', 'Jung-gu'])}, ${pick(['Seoul', 'Busan'])} ${digits(5)}`;
    case 'cn':
      return `Room ${int(1, 30)}0${int(1, 9)}, No. ${int(1, 800)} ${pick(['Tianfu Avenue', 'Wensan Road', 'Zhongshan Road', 'Huaihai Road'])}, ${pick(['Wuhou District', 'Xihu District', 'Jiangan District'])}, ${town} ${digits(6)}`;
    case 'vi':
      return `Số ${int(1, 200)} ${pick(['Lê Lợi', 'Nguyễn Huệ', 'Trần Phú', 'Hai Bà Trưng', 'Lý Thường Kiệt', 'Điện Biên Phủ'])}, ${pick(['Phường 4', 'Phường Bến Nghé', 'Phường Hải Châu I'])}, ${town}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Negatives placed inside documents (never labelled)

const neg = {
  order: () => pick([`ORD-${int(2021, 2025)}-${digits(6)}`, `#${int(100000, 999999)}`, `SO${digits(8)}`, `PO-${digits(5)}`]),
  invoice: () => pick([`INV-${digits(5)}`, `INV/${int(2022, 2025)}/${digits(4)}`, `FV ${digits(4)}/${int(2022, 2025)}`]),
  ticket: () =>
    pick([`INC${digits(7)}`, `TKT-${digits(5)}`, `SR-${digits(6)}`, `${pick(['OPS', 'PAY', 'WEB', 'CORE'])}-${int(100, 9999)}`]),
  tracking: () => pick([`1Z${alnum(6, 'upper')}${digits(10)}`, `JJD${digits(18)}`, `${fromChars(UPPER, 2)}${digits(9)}GB`]),
  version: () =>
    pick([
      `v${int(1, 9)}.${int(0, 30)}.${int(0, 20)}`,
      `${int(1, 4)}.${int(0, 12)}.${int(0, 9)}-rc.${int(1, 4)}`,
      `build ${int(2022, 2025)}.${pad(int(1, 12))}.${pad(int(1, 28))}`
    ]),
  commit: () => (chance(0.5) ? hex(40) : hex(7)),
  uuid: () => rng.string.uuid(),
  reqId: () => `req_${alnum(20, 'lower')}`,
  date: () => fmtDate(eventDate(), anyDateStyle()),
  time: () => `${pad(int(7, 19))}:${pad(pick([0, 15, 30, 45]))}`,
  amount: () => `${pick(['€', '£', '$', 'USD ', 'EUR ', 'CHF ', 'INR ', '¥'])}${int(5, 9000)}.${pad(int(0, 99))}`,
  sku: () => `${fromChars(UPPER, 3)}-${digits(4)}-${fromChars(UPPER, 1)}`
};

// ---------------------------------------------------------------------------------------------
// Templates. Every value drawn above goes through a marker; words around it are hand-written.

type Template = () => string;
const lower = (s: string) => s.toLowerCase();
const firstLower = (p: Person) => P(lower(p.first));
const maybeTypo = (s: string) =>
  chance(0.15)
    ? s.replace(
        /\b(the|your|address|receive|definitely|tomorrow|separate|because)\b/,
        (w) =>
          ({
            the: 'teh',
            your: 'ur',
            address: 'adress',
            receive: 'recieve',
            definitely: 'definately',
            tomorrow: 'tmrw',
            separate: 'seperate',
            because: 'bc'
          })[w] ?? w
      )
    : s;
const lines = (...rows: Array<string | false | undefined>) =>
  rows
    .filter((r): r is string => typeof r === 'string')
    .map(maybeTypo)
    .join('\n');
const hhmm = () => `${pad(int(0, 23))}:${pad(int(0, 59))}`;
const stamp = () => `${fmtDate(eventDate(2024, 2025), 'iso')}T${hhmm()}:${pad(int(0, 59))}.${digits(3)}Z`;

const chat: Template[] = [
  () => {
    const [a, b, c] = [person(), person(), person()];
    const org = company();
    return lines(
      `[${hhmm()}] ${firstLower(a)}: morning all. did anyone get the invite from ${O(org)}?`,
      `[${hhmm()}] ${firstLower(b)}: yep. ask ${firstLower(c)}, ${c.sex === 'female' ? 'she' : 'he'} set up the shared login`,
      `[${hhmm()}] ${firstLower(c)}: user is ${E(workEmail(c, org))} and pw ${S(password())}`,
      `[${hhmm()}] ${firstLower(a)}: ty ${firstLower(c)}!! will change it after the call`,
      `[${hhmm()}] ${firstLower(b)}: pls dont paste passwords here lol`
    );
  },
  () => {
    const [a, b] = [person('fr'), person(pick(['sn', 'fr', 'be']))];
    const day = eventDate(2023, 2025);
    const d = `${pad(day.d)}/${pad(day.m)}/${pad(day.y % 100)}`;
    return lines(
      `${d}, 21:04 - ${P(a.first)}: coucou, tu as reçu le virement ?`,
      `${d}, 21:06 - ${P(b.first)}: pas encore. tu l'as envoyé sur ${IB(iban('FR'))} ?`,
      `${d}, 21:06 - ${P(a.first)}: oui, au nom de ${P(b.full)}. sinon appelle-moi au ${PH(phone('FR', 'dots'))}`,
      `${d}, 21:09 - ${P(b.first)}: ok trouvé, merci ! thanks, ${P(a.first)} 🙏`,
      `${d}, 21:10 - ${P(a.first)}: de rien. on se voit à ${L(city('fr'))} samedi ?`
    );
  },
  () => {
    const [a, b, c] = [person('ng'), person('yo'), person('gh')];
    const host = ipv4('private');
    return lines(
      `#ops-alerts`,
      `${P(lower(a.first))}  ${hhmm()}`,
      `@${P(lower(b.first))} staging is down again, can you check ${IP(host)}?`,
      `${P(lower(b.first))}  ${hhmm()}`,
      `on it. looks like the cert expired on ${neg.date()}, redeploying ${neg.version()}`,
      `${P(lower(c.first))}  ${hhmm()}`,
      `fyi the box also answers on ${IP(ipv6())}. if it's the db again ping ${P(c.first)} ${P(c.last)}'s team, not me 😅`
    );
  },
  () => {
    const mum = person(pick(['gb', 'ie', 'in']));
    const kid = person(mum.region);
    const c = cardWithBrand('space');
    return lines(
      `Mum: can u order the tickets for sat, use my card`,
      `Mum: ${CC(c.number)} exp ${expiry()} cvv is on the back, ill send a pic`,
      `${P(kid.first)}: mum NO dont send the cvv in chat 🤦`,
      `Mum: oh. ok. its for ${P(kid.first)} and ${P(person(mum.region).first)} so 2 tickets`,
      `${P(kid.first)}: done, confirmation ${neg.order()} sent to ${E(emailOf(mum))}`
    );
  },
  () => {
    const [a, b] = [person(pick(['cz', 'sk', 'pl'])), person(pick(['hr', 'no', 'se', 'fi']))];
    return lines(
      `${firstLower(a)} ▸ hey!! still on for dinner?`,
      `${firstLower(b)} ▸ yes! i moved tho, new place is ${A(localAddress(b.region))}`,
      `${firstLower(a)} ▸ omg nice. buzzer?`,
      `${firstLower(b)} ▸ just call me when ur outside ${PH(phone(REGIONS[b.region].phone))}`,
      `${firstLower(a)} ▸ 👍 will bring wine. is ${P(pick([person(a.region).first, person(b.region).first]))} coming?`
    );
  },
  () => {
    const gamer = person();
    const [h1, h2] = [
      `${pick(['frost', 'pixel', 'night', 'turbo', 'lazy'])}${pick(['byte', 'owl', 'fox', 'panda'])}${int(10, 99)}`,
      `xX_${pick(['shadow', 'sniper', 'noob', 'tank'])}_Xx`
    ];
    return lines(
      `<${h1}> anyone else lagging on the EU server?`,
      `<${h2}> ya ping is 300 for me`,
      `<${h1}> lol my router says my public ip is ${IP(ipv4('public'))}, is that bad to share`,
      `<${h2}> bro yes. also stop posting ur email (${E(emailOf(gamer))}) in general chat`,
      `<${h1}> relax its a throwaway. irl name is ${P(gamer.first)} anyway, good luck finding me`,
      `<mod_bot> reminder: patch ${neg.version()} lands on ${neg.date()}. may the odds etc.`
    );
  },
  () => {
    const flat = [person('de'), person('pl'), person('in')];
    const landlord = person('de');
    return lines(
      `WG Hauptstraße 🏠`,
      `${P(flat[0]!.first)}: rent reminder! ${neg.amount()} each by the 1st to ${P(landlord.full)}`,
      `${P(flat[0]!.first)}: ${IB(iban('DE'))} (Verwendungszweck: Miete + your room number)`,
      `${P(flat[1]!.first)}: can i pay late? bill from the dentist wiped me out`,
      `${P(flat[2]!.first)}: i'll cover you ${P(lower(flat[1]!.first))}, pay me back whenever`,
      `${P(flat[0]!.first)}: also the landlord's new number ${PH(phone('DE', 'slash'))}, old one is dead`
    );
  },
  () => {
    const agent = person('in');
    const user = person();
    const acct = `${pick(['CUST', 'CID', 'ACC'])}-${digits(7)}`;
    return lines(
      `Chat started ${neg.date()} ${neg.time()}`,
      `Bot: Hi! I'm the virtual assistant. What's your customer number?`,
      `You: ${ACC(acct)}`,
      `Bot: Thanks. Connecting you to an agent…`,
      `${P(agent.first)} (agent): Hello ${P(user.first)}, I can see your ticket ${neg.ticket()}. Can you confirm your date of birth?`,
      `You: ${DOB(fmtDate(birthDate(), pick(['dmy', 'long', 'iso'])))}`,
      `${P(agent.first)} (agent): Perfect. And the postcode on the account?`,
      `You: ${A(pick([`${pick(UK_TOWNS)[1]} ${ukInward()}`, `${int(10000, 99999)}`, `${int(100, 799)} ${digits(2)}`]))}`,
      `${P(agent.first)} (agent): Verified, thank you.`
    );
  },
  () => {
    const a = person();
    const b = person();
    return lines(
      `${firstLower(a)}: will do, may be 10 min late`,
      `${firstLower(b)}: np. did u see the bill for the cabin? split 4 ways its not bad`,
      `${firstLower(a)}: ya. who's driving, ${firstLower(person(a.region))} or ${firstLower(person(b.region))}?`,
      `${firstLower(b)}: idk. grace period on the booking ends in may so we have time`,
      `${firstLower(a)}: mark my words we'll forget. booking ref ${neg.order()}`
    );
  },
  () => {
    const a = person(pick(['jp', 'kr', 'cn', 'vi']));
    const b = person(pick(['us', 'ca', 'gb']));
    return lines(
      `${P(b.first)} → ${P(a.first)}: hey, what's the wifi at the office? guest net is ${pick(['Office-Guest', 'HQ-5G', 'GUEST'])}`,
      `${P(a.first)} → ${P(b.first)}: password: ${S(password())}`,
      `${P(b.first)} → ${P(a.first)}: thx! also can you send me ${P(a.last)}'s number... wait that's you lol. send me your number`,
      `${P(a.first)} → ${P(b.first)}: haha ${PH(phone(REGIONS[a.region].phone))} — ok see you in ${L(city(a.region))}`
    );
  }
];

const transcript: Template[] = [
  () => {
    const caller = person(pick(['gb', 'us', 'ie', 'in']));
    const agent = person('gb');
    const number = cardNumber(anyBrand());
    return lines(
      `[Call recording — ${neg.date()} ${neg.time()}]`,
      `AGENT (${P(agent.first)}): Thanks for calling, you're through to ${P(agent.first)}. Who am I speaking with?`,
      `CALLER: Hi, it's ${P(caller.full)}.`,
      `AGENT: Thanks ${P(caller.first)}. For security, can you give me your date of birth?`,
      `CALLER: Yeah, I was born on ${DOB(fmtDate(birthDate(), 'spoken'))}.`,
      `AGENT: Lovely. And the long card number, please.`,
      `CALLER: It's ${CC(fmtCard(number, 'spoken'))}.`,
      `AGENT: And the first line of the address?`,
      `CALLER: ${A(ukAddress(pick([0, 1])))}.`,
      `AGENT: Perfect, that's all matched up. I'll raise reference ${neg.ticket()} for the dispute.`
    );
  },
  () => {
    const people = [person('cz'), person('sk'), person('pl'), person('hr')];
    const org = company('cz');
    return lines(
      `Meeting transcript — weekly sync (auto-generated)`,
      `SPEAKER 1 (${P(people[0]!.full)}): Okay, let's start. ${P(people[1]!.first)}, the contract with ${O(org)}?`,
      `SPEAKER 2 (${P(people[1]!.full)}): Signed on ${neg.date()}. Their contact is ${P(people[2]!.full)}, she's in ${L(city('pl'))} this week.`,
      `SPEAKER 3 (${P(people[3]!.full)}): Can someone send me her number?`,
      `SPEAKER 2 (${P(people[1]!.full)}): Sure, I'll just paste it: ${PH(phone('PL', 'intl'))}.`,
      `SPEAKER 1 (${P(people[0]!.full)}): Great. Action item for ${P(people[3]!.first)}: follow up before the release of ${neg.version()}.`
    );
  },
  () => {
    const host = person(pick(['gh', 'ng', 'sn']));
    const guest = person(pick(['in', 'gb', 'de']));
    const user = `${lower(guest.asciiFirst)}`;
    const domain = pick(['gmail', 'outlook', 'yahoo']);
    return lines(
      `00:00:04 ${P(host.full)}: Welcome everyone. Today we have ${P(guest.full)} with us from ${L(city(guest.region))}.`,
      `00:00:11 ${P(guest.full)}: Thanks ${P(host.first)}, happy to be here.`,
      `00:14:52 ${P(host.full)}: If people want to reach you after the session?`,
      `00:14:58 ${P(guest.full)}: Email is ${E(`${user} dot ${lower(guest.asciiLast)} at ${domain} dot com`)}, surname spelled ${P(guest.asciiLast.toUpperCase().split('').join('-'))}.`,
      `00:15:09 ${P(host.full)}: And your office line?`,
      `00:15:12 ${P(guest.full)}: ${PH(fmtPhone(phoneNumber(REGIONS[guest.region].phone), 'spoken'))}.`,
      `00:15:20 ${P(host.full)}: Brilliant. Slides are version ${neg.version()}, we'll share after.`
    );
  },
  () => {
    const customer = person('gb');
    const acct = digits(8);
    const sort = `${digits(2)}-${digits(2)}-${digits(2)}`;
    return lines(
      `Transcript: telephone banking, ${neg.date()}`,
      `Advisor: Can I take your account number and sort code?`,
      `Customer: Account is ${ACC(spokenDigits([acct.slice(0, 4), acct.slice(4)], { oh: true, doubles: true }))}, sort code ${sort}.`,
      `Advisor: And your full name as it appears on the account?`,
      `Customer: ${title(customer)} ${P(customer.full)}.`,
      `Advisor: Date of birth?`,
      `Customer: ${DOB(fmtDate(birthDate(), 'spoken').replace(/^the /, ''))}.`,
      `Advisor: Thank you. I'm also going to need the last three digits of your security number... no sorry, the passcode.`,
      `Customer: It's ${S(password())}. Should I be saying that out loud?`,
      `Advisor: Fair point. I'll note it and you should change it afterwards.`
    );
  },
  () => {
    const candidate = person(pick(['in', 'ng', 'cn', 'kr', 'vi']));
    const [i1, i2] = [person('us'), person('ca')];
    const prev = company(candidate.region);
    return lines(
      `INTERVIEW — Senior Data Engineer`,
      `Panel: ${P(i1.full)}, ${P(i2.full)}`,
      `Candidate: ${P(candidate.full)}`,
      ``,
      `${P(i1.last)}: Tell us about your time at ${O(prev)}.`,
      `${P(candidate.last)}: I led the migration of the billing pipeline, about four hundred jobs, version two to version three.`,
      `${P(i2.last)}: And you'd relocate to ${L(city('ca'))}?`,
      `${P(candidate.last)}: Yes, from ${L(city(candidate.region))}. My references are on the form — ${P(person(candidate.region).full)} at ${PH(phone(REGIONS[candidate.region].phone))}.`,
      `${P(i1.last)}: Great. We'll get back to you by ${neg.date()}.`
    );
  },
  () => {
    const patient = person(pick(['gb', 'ie']));
    const doctor = person('gb');
    return lines(
      `Dictation — ${title(doctor)} ${P(doctor.last)}, ${neg.date()}`,
      `"Patient is ${P(patient.full)}, date of birth ${DOB(fmtDate(birthDate(), pick(['spoken', 'long'])))}, NHS number ${NID(spokenDigits(nhsNumber('space').split(' ')))}.`,
      `She attended with her partner ${P(person('gb').first)}. Complains of knee pain since the May bank holiday.`,
      `Plan: physio referral to ${O(clinic('gb'))}, review in six weeks. Full stop. New paragraph.`,
      `Copy to GP at ${A(ukAddress(1))}."`
    );
  },
  () => {
    const hostP = person('us');
    const guests = [person('jp'), person('no')];
    return lines(
      `EPISODE 112 — raw transcript`,
      `${P(hostP.first.toUpperCase())}: So you two met in ${L(city('jp'))}?`,
      `${P(guests[0]!.first.toUpperCase())}: Yes, at the robotics fair. ${P(guests[1]!.first)} was presenting.`,
      `${P(guests[1]!.first.toUpperCase())}: And then I moved to ${L(city('no'))}, and ${P(guests[0]!.first)} followed a year later.`,
      `${P(hostP.first.toUpperCase())}: Listeners can find you where?`,
      `${P(guests[1]!.first.toUpperCase())}: ${U(`https://www.${lower(guests[1]!.asciiLast)}${pick(['-studio', 'design', 'labs'])}.${pick(['no', 'com', 'io'])}`)} — and we'll be in ${L(country('ca'))} in the spring.`
    );
  },
  () => {
    const claimant = person(pick(['us', 'ca']));
    const policy = `${fromChars(UPPER, 2)}-${digits(8)}`;
    return lines(
      `CLAIMS LINE — call summary with verbatim excerpts`,
      `Rep: Policy number please?`,
      `Caller: ${ACC(policy)}. Policy holder is me, ${P(claimant.full)}.`,
      `Rep: And the address of the property?`,
      `Caller: ${A(claimant.region === 'us' ? usAddress() : localAddress('ca'))}.`,
      `Rep: Best callback number?`,
      `Caller: ${PH(fmtPhone(phoneNumber(claimant.region === 'us' ? 'US' : 'CA'), 'spoken'))}.`,
      `Rep: Social security number for the identity check — just the full number.`,
      `Caller: ${NID(claimant.region === 'us' ? ssn(pick(['dash', 'space'])) : sin())}.`,
      `Rep: Thanks. Your claim is ${neg.ticket()}; an adjuster named ${P(person('us').full)} will call.`
    );
  },
  () => {
    const caller = person(pick(['de', 'at', 'ch', 'nl', 'dk']));
    const org = company(caller.region);
    return lines(
      `Voicemail (transcribed automatically, may contain errors):`,
      `"Hi, this is ${P(caller.first)} ${P(caller.last)} from ${O(org)}, calling about the quote you sent on ${neg.date()}.`,
      `Could you call me back on ${PH(phone(REGIONS[caller.region].phone, pick(['national', 'intl', 'slash'])))}?`,
      `Or email ${E(workEmail(caller, org))}. Bill me for the setup too, that's fine. Okay, bye."`,
      `— received ${neg.time()}, duration 0:${pad(int(10, 59))}`
    );
  },
  () => {
    const a = person('in');
    const b = person('in');
    const aad = aadhaar('space');
    return lines(
      `Call transcript (KYC verification)`,
      `Executive ${P(b.first)}: Sir, please read your Aadhaar number.`,
      `${P(a.first)}: ${NID(spokenDigits(aad.split(' '), { doubles: true }))}.`,
      `Executive ${P(b.first)}: And PAN?`,
      `${P(a.first)}: ${NID(pan(a.last).split('').join(' '))}.`,
      `Executive ${P(b.first)}: Registered mobile?`,
      `${P(a.first)}: ${PH(fmtPhone(phoneNumber('IN'), 'spoken'))}. Date of birth is ${DOB(fmtDate(birthDate(), 'spoken'))}.`,
      `Executive ${P(b.first)}: Thank you ${P(a.first)} ji, verification done.`
    );
  }
];

const exportDomain: Template[] = [
  () => {
    const rows = Array.from({ length: int(5, 9) }, () => person());
    return lines(
      `customer_id,name,email,phone,date_of_birth,city`,
      ...rows.map(
        (p) =>
          `${ACC(`CUST-${digits(6)}`)},"${surnameFirst(p)}",${E(emailOf(p))},${PH(phone(REGIONS[p.region].phone, 'e164'))},${DOB(fmtDate(birthDate(), 'iso'))},${L(city(p.region))}`
      )
    );
  },
  () => {
    const rows = Array.from({ length: int(4, 8) }, () => person(pick(['de', 'at', 'nl', 'fr', 'es', 'it', 'cz', 'sk', 'pl', 'hr'])));
    return lines(
      `emp_id\tsurname\tgiven_name\tiban\tdob\tcost_centre`,
      ...rows.map(
        (p) =>
          `${ACC(`EMP-${digits(5)}`)}\t${P(p.last)}\t${P(p.first)}\t${IB(iban(REGIONS[p.region].iban, 'compact'))}\t${DOB(fmtDate(birthDate(1960, 2002), 'dot'))}\tCC-${digits(3)}`
      )
    );
  },
  () => {
    const rows = Array.from({ length: int(4, 7) }, () => person(pick(['gb', 'gb', 'in', 'ng', 'pl'])));
    return lines(
      `"NHS No","Patient","DOB","Postcode","Clinic","Appt"`,
      ...rows.map(
        (p) =>
          `"${NID(nhsNumber())}","${P(`${p.last.toUpperCase()}, ${p.first}`)}","${DOB(fmtDate(birthDate(), 'dmy'))}","${A(`${pick(UK_TOWNS)[1]} ${ukInward()}`)}","${pick(['Diabetes', 'Ortho', 'ENT', 'Derm'])}","${neg.date()} ${neg.time()}"`
      )
    );
  },
  () => {
    const rows = Array.from({ length: int(6, 10) }, () => person());
    return lines(
      `Email Address;First Name;Last Name;Country;Opt-in date;List`,
      ...rows.map(
        (p) =>
          `${E(emailOf(p))};${P(p.first)};${P(p.last)};${L(country(p.region))};${fmtDate(eventDate(), 'iso')};${pick(['newsletter', 'beta', 'events'])}`
      )
    );
  },
  () => {
    const rows = Array.from({ length: int(5, 8) }, () => person());
    return lines(
      `timestamp,src_ip,mac,user,bytes,status`,
      ...rows.map(
        (p) =>
          `${stamp()},${IP(ipv4())},${MAC(mac('colon'))},${E(emailOf(p, 'corp.example-intra.net'))},${int(200, 900000)},${pick(['ALLOW', 'DENY', 'ALLOW'])}`
      )
    );
  },
  () => {
    const rows = Array.from({ length: int(4, 7) }, () => person('in'));
    return lines(
      `Sl No | Name | PAN | Aadhaar | Mobile | Address`,
      ...rows.map(
        (p, i) =>
          `${i + 1} | ${P(p.full)} | ${NID(pan(p.last))} | ${NID(aadhaar())} | ${PH(phone('IN', pick(['compact', 'intl', 'e164'])))} | ${A(indiaAddress())}`
      )
    );
  },
  () => {
    const rows = Array.from({ length: int(4, 7) }, () => person(pick(['de', 'at', 'ch'])));
    return lines(
      `Nachname;Vorname;Geburtsdatum;Steuer-ID;Telefon;Ort`,
      ...rows.map(
        (p) =>
          `${P(p.last)};${P(p.first)};${DOB(fmtDate(birthDate(), 'dot'))};${NID(steuerId())};${PH(phone(REGIONS[p.region].phone, 'slash'))};${L(city(p.region))}`
      )
    );
  },
  () => {
    const rows = Array.from({ length: int(5, 8) }, () => person());
    return lines(
      `order_no,card_holder,card_number,amount,currency,created`,
      ...rows.map((p) => {
        const c = chance(0.6) ? CC(card(pick(['plain', 'space', 'dash']))) : `**** **** **** ${digits(4)}`;
        return `${neg.order()},"${P(p.full)}",${c},${int(5, 900)}.${pad(int(0, 99))},${pick(['EUR', 'GBP', 'USD', 'JPY'])},${fmtDate(eventDate(), 'iso')}`;
      })
    );
  },
  () => {
    const rows = Array.from({ length: int(3, 5) }, () => person());
    return rows
      .map((p) =>
        JSON.stringify({ id: 'X', name: 'N', email: 'E', ip: 'I', dob: 'D', member: 'M', sku: neg.sku() })
          .replace('"X"', `"${neg.uuid()}"`)
          .replace('"N"', `"${P(p.full)}"`)
          .replace('"E"', `"${E(emailOf(p))}"`)
          .replace('"I"', `"${IP(chance(0.7) ? ipv4() : ipv6())}"`)
          .replace('"D"', `"${DOB(fmtDate(birthDate(), 'iso'))}"`)
          .replace('"M"', `"${ACC(`MBR${digits(9)}`)}"`)
      )
      .join('\n');
  },
  () => {
    const rows = Array.from({ length: int(4, 7) }, () => person(pick(['br', 'es', 'pt'])));
    return lines(
      `nome,cpf_ou_dni,nascimento,celular,endereco`,
      ...rows.map(
        (p) =>
          `"${P(p.full)}",${NID(p.region === 'br' ? cpf() : p.region === 'es' ? pick([dni(), nie()]) : cpf())},${DOB(fmtDate(birthDate(), 'dmy'))},${PH(phone(REGIONS[p.region].phone, pick(['national', 'intl'])))},"${A(localAddress(p.region))}"`
      )
    );
  }
];

const email: Template[] = [
  () => {
    const [from, to, fwd] = [person(), person(), person()];
    const org = company(from.region);
    return lines(
      `---------- Forwarded message ---------`,
      `From: ${P(from.full)} <${E(workEmail(from, org))}>`,
      `Date: ${fmtDate(eventDate(), 'long')} at ${neg.time()}`,
      `Subject: Re: site visit`,
      `To: ${P(to.full)} <${E(emailOf(to))}>`,
      ``,
      `Hi ${P(to.first)},`,
      ``,
      `Confirming Thursday. Park at the back and ring me when you arrive.`,
      ``,
      `Best regards,`,
      `${P(from.full)}`,
      `${pick(['Project Manager', 'Head of Facilities', 'Site Lead'])} | ${O(org)}`,
      `${A(localAddress(from.region))}`,
      `T ${PH(phone(REGIONS[from.region].phone))} | M ${PH(phone(REGIONS[from.region].phone))}`,
      ``,
      `${P(fwd.first)} — fwd'ing in case you can go instead of me.`
    );
  },
  () => {
    const [a, b] = [person(), person()];
    const date = fmtDate(eventDate(), 'long');
    return lines(
      `Thanks, that works.`,
      ``,
      `${P(b.first)}`,
      ``,
      `On ${pick(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])}, ${date} at ${neg.time()}, ${P(a.full)} <${E(emailOf(a))}> wrote:`,
      `> Hi ${P(b.first)},`,
      `> I've attached the signed form. My new address is`,
      `> ${A(localAddress(a.region).replace(/\n/g, ', '))}`,
      `> and you can reach me on ${PH(phone(REGIONS[a.region].phone))} in the evenings.`,
      `> Cheers, ${P(a.first)}`
    );
  },
  () => {
    const a = person();
    const deputy = person(a.region);
    const org = company(a.region);
    return lines(
      `Automatic reply: ${neg.ticket()} — invoice query`,
      ``,
      `Thank you for your message. I am out of the office until ${neg.date()} with limited access to email.`,
      `For urgent matters please contact my colleague ${P(deputy.full)} (${E(workEmail(deputy, org))}, ${PH(phone(REGIONS[a.region].phone))}).`,
      ``,
      `${P(a.full)}`,
      `${O(org)}`
    );
  },
  () => {
    const sender = person(pick(EUROPE));
    const org = company(sender.region);
    const client = company();
    return lines(
      `Subject: Invoice ${neg.invoice()} — payment details`,
      ``,
      `Dear accounts team at ${O(client)},`,
      ``,
      `Please find attached invoice ${neg.invoice()} for ${neg.amount()}, due ${neg.date()}.`,
      `Bank: ${O(bank(sender.region))}`,
      `IBAN: ${IB(iban(REGIONS[sender.region].iban))}`,
      `BIC: ${fromChars(UPPER, 6)}${fromChars('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 2)}`,
      `Account holder: ${O(org)}`,
      ``,
      `Kind regards / Mit freundlichen Grüßen`,
      `${P(sender.full)}, Finance`,
      `${U(`https://www.${orgDomain(org)}`)}`
    );
  },
  () => {
    const recruiter = person('gb');
    const cand = person(pick(['ng', 'gh', 'in', 'pl', 'hr']));
    const org = company('gb');
    return lines(
      `Hi ${P(recruiter.first)},`,
      ``,
      `Passing on a strong profile for the ${pick(['Backend', 'QA', 'Data', 'Platform'])} role:`,
      ``,
      `Name: ${P(cand.full)}`,
      `Based in: ${L(city(cand.region))}, open to relocating to ${L(city('gb'))}`,
      `Email: ${E(emailOf(cand))}`,
      `Mobile: ${PH(phone(REGIONS[cand.region].phone, 'intl'))}`,
      `LinkedIn: ${U(`https://www.linkedin.com/in/${lower(cand.asciiFirst)}-${lower(cand.asciiLast)}-${hex(6)}`)}`,
      `Current employer: ${O(company(cand.region))}`,
      ``,
      `Cheers,`,
      `${P(person('gb').first)} @ ${O(org)}`
    );
  },
  () => {
    const tenant = person(pick(['fr', 'be', 'sn']));
    const agency = company('fr');
    return lines(
      `Objet : Votre dossier de location — ${neg.order()}`,
      ``,
      `Bonjour ${tenant.sex === 'female' ? 'Madame' : 'Monsieur'} ${P(tenant.last)},`,
      ``,
      `Nous avons bien reçu votre dossier pour l'appartement situé au ${A(localAddress('fr'))}.`,
      `Merci de nous transmettre votre RIB (${IB(iban('FR'))} ne correspond pas au nom indiqué) ainsi que votre numéro de sécurité sociale ${NID(frenchNir(tenant.sex, birthDate()))} pour l'assurance.`,
      ``,
      `Cordialement,`,
      `${P(person('fr').full)}`,
      `${O(agency)} — ${PH(phone('FR', pick(['national', 'dots'])))}`
    );
  },
  () => {
    const a = person(pick(['us', 'ca']));
    const org = company(a.region);
    return lines(
      `${P(a.first)} ${P(a.last)}`,
      `${pick(['VP Sales', 'Account Executive', 'Controller'])}, ${O(org)}`,
      `${A(a.region === 'us' ? usAddress() : localAddress('ca'))}`,
      `o: ${PH(phone(a.region === 'us' ? 'US' : 'CA', 'dots'))}  c: ${PH(phone(a.region === 'us' ? 'US' : 'CA', 'dashes'))}`,
      `${U(`https://${orgDomain(org)}/team/${lower(a.asciiFirst)}`)}`,
      ``,
      `CONFIDENTIALITY NOTICE: This e-mail and any attachments are for the sole use of the intended recipient(s). If you received this in error, please notify the sender and delete it. Will not be liable for viruses.`
    );
  },
  () => {
    const a = person(pick(['de', 'at', 'ch']));
    const b = person(a.region);
    return lines(
      `Hallo ${P(b.first)},`,
      ``,
      `anbei wie besprochen meine Daten für die Anmeldung beim Verein:`,
      `${P(a.full)}, geb. ${DOB(fmtDate(birthDate(), pick(['dot', 'de'])))}`,
      `${A(localAddress(a.region))}`,
      `Tel. ${PH(phone(REGIONS[a.region].phone, 'slash'))}`,
      `Mitgliedsnummer alt: ${ACC(`${digits(2)}-${digits(5)}`)}`,
      ``,
      `Viele Grüße`,
      `${P(a.first)}`,
      ``,
      `-- `,
      `Gesendet von unterwegs. Version ${neg.version()}.`
    );
  },
  () => {
    const a = person();
    const org = company();
    return lines(
      `From: "${P(a.full)}" <${E(emailOf(a))}>`,
      `To: ${E(`support@${orgDomain(org)}`)}`,
      `Subject: [${neg.ticket()}] cannot log in`,
      `X-Request-ID: ${neg.uuid()}`,
      `X-Originating-IP: [${IP(ipv4('public'))}]`,
      ``,
      `hello, i cant log in since the update to ${neg.version()}. my username is ${E(emailOf(a))} and i tried resetting twice.`,
      `${P(a.first)}`
    );
  }
];

const months3 = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const clf = () => `${pad(int(1, 28))}/${pick(months3)}/${int(2024, 2025)}:${hhmm()}:${pad(int(0, 59))} +0000`;

const log: Template[] = [
  () => {
    const users = [person(), person()];
    return lines(
      ...Array.from({ length: int(4, 7) }, (_, i) => {
        const u = users[i % 2]!;
        const path = pick([
          `/api/v2/users?email=${E(emailOf(u).replace('@', '%40'))}`,
          `/static/app.${hex(8)}.js`,
          `/healthz`,
          `/api/v2/orders/${neg.order().replace('#', '')}`,
          `/login`
        ]);
        return `${IP(ipv4('public'))} - - [${clf()}] "${pick(['GET', 'POST'])} ${path} HTTP/1.1" ${pick([200, 200, 302, 404, 500])} ${int(120, 90000)} "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/${int(110, 130)}.0"`;
      })
    );
  },
  () => {
    const host = pick(['bastion-01', 'web-eu-2', 'db-primary', 'ci-runner-7']);
    const ipA = ipv4('public');
    return lines(
      `${pick(months3)} ${int(1, 28)} ${hhmm()}:${pad(int(0, 59))} ${host} sshd[${int(1000, 60000)}]: Failed password for invalid user admin from ${IP(ipA)} port ${int(1024, 65000)} ssh2`,
      `${pick(months3)} ${int(1, 28)} ${hhmm()}:${pad(int(0, 59))} ${host} sshd[${int(1000, 60000)}]: Failed password for root from ${IP(ipA)} port ${int(1024, 65000)} ssh2`,
      `${pick(months3)} ${int(1, 28)} ${hhmm()}:${pad(int(0, 59))} ${host} sshd[${int(1000, 60000)}]: Accepted publickey for deploy from ${IP(ipv4('private'))} port ${int(1024, 65000)} ssh2: ED25519 SHA256:${fromChars(B64, 43)}`,
      `${pick(months3)} ${int(1, 28)} ${hhmm()}:${pad(int(0, 59))} ${host} sudo: deploy : TTY=pts/0 ; PWD=/srv/app ; USER=root ; COMMAND=/usr/bin/systemctl restart app`,
      `${pick(months3)} ${int(1, 28)} ${hhmm()}:${pad(int(0, 59))} ${host} sshd[${int(1000, 60000)}]: Connection closed by ${IP(ipv6())} port ${int(1024, 65000)} [preauth]`
    );
  },
  () => {
    const leases = Array.from({ length: int(3, 6) }, () => ({ ip: ipv4('private'), mac: mac(pick(['colon', 'upper'])) }));
    return lines(
      ...leases.flatMap((l) => [
        `dnsmasq-dhcp[${int(100, 999)}]: DHCPREQUEST(br0) ${IP(l.ip)} ${MAC(l.mac)}`,
        `dnsmasq-dhcp[${int(100, 999)}]: DHCPACK(br0) ${IP(l.ip)} ${MAC(l.mac)} ${pick(['android-tv', 'printer-2f', 'thermostat', 'laptop-07', 'iphone'])}`
      ])
    );
  },
  () => {
    const u = person();
    const token = secret.jwt();
    return lines(
      JSON.stringify({ level: 'info', ts: 'TS', msg: 'login ok', user: 'U', ip: 'I', requestId: neg.reqId() })
        .replace('"TS"', `"${stamp()}"`)
        .replace('"U"', `"${E(emailOf(u))}"`)
        .replace('"I"', `"${IP(ipv4())}"`),
      JSON.stringify({ level: 'debug', ts: 'TS', msg: 'outgoing request', headers: { Authorization: 'B' }, version: neg.version() })
        .replace('"TS"', `"${stamp()}"`)
        .replace('"B"', `"Bearer ${S(token)}"`),
      JSON.stringify({ level: 'warn', ts: 'TS', msg: 'profile update', changes: { phone: 'PH' }, commit: neg.commit() })
        .replace('"TS"', `"${stamp()}"`)
        .replace('"PH"', `"${PH(phone(REGIONS[u.region].phone, 'e164'))}"`)
    );
  },
  () => {
    const dbPass = password().replace(/[@:/?#%]/g, 'x');
    return lines(
      `+ printenv | sort`,
      `APP_ENV=production`,
      `AWS_ACCESS_KEY_ID=${S(secret.awsKeyId())}`,
      `AWS_SECRET_ACCESS_KEY=${S(secret.awsSecret())}`,
      `DATABASE_URL=${S(`postgres://app_rw:${dbPass}@${pick(['db.internal', '10.0.3.12', 'pg-main.svc.cluster.local'])}:5432/app`)}`,
      `GIT_SHA=${hex(40)}`,
      `NODE_VERSION=${int(18, 22)}.${int(0, 15)}.${int(0, 5)}`,
      `SENTRY_RELEASE=${neg.version()}`,
      `STRIPE_SECRET_KEY=${S(secret.stripe())}`
    );
  },
  () => {
    const u = person();
    const c = card('plain');
    return lines(
      `${stamp()} INFO  payments.Charge - created charge ch_${alnum(24)} amount=${int(100, 99999)} currency=eur order=${neg.order()}`,
      `${stamp()} INFO  payments.Charge - card=**** **** **** ${digits(4)} 3ds=passed`,
      `${stamp()} ERROR payments.Gateway - decline payload: {"pan":"${CC(c)}","holder":"${P(u.full.toUpperCase())}","exp":"${expiry()}"}`,
      `${stamp()} WARN  payments.Gateway - PAN logged in clear, see ${neg.ticket()}`,
      `${stamp()} INFO  payments.Charge - customer=${ACC(`cus_${alnum(14)}`)} ip=${IP(ipv4('public'))}`
    );
  },
  () =>
    lines(
      ...Array.from({ length: int(4, 6) }, () => {
        const v6 = chance(0.5);
        return `${stamp()} fw01 kernel: [UFW BLOCK] IN=eth0 OUT= MAC=${MAC(
          Array.from({ length: 14 }, () => hex(2))
            .join(':')
            .slice(0, 17)
        )} SRC=${IP(v6 ? ipv6() : ipv4('public'))} DST=${IP(v6 ? ipv6() : ipv4('private'))} LEN=${int(40, 1500)} PROTO=${pick(['TCP', 'UDP'])} SPT=${int(1024, 65535)} DPT=${pick([22, 443, 3389, 5432, 8080])}`;
      })
    ),
  () => {
    const u = person();
    const device = mac('upper');
    return lines(
      `${fmtDate(eventDate(), 'iso').slice(5)} ${hhmm()}:${pad(int(0, 59))}.${digits(3)}  ${int(1000, 9999)}  ${int(1000, 9999)} I AccountManager: addAccount type=com.google name=${E(emailOf(u, 'gmail.com'))}`,
      `${fmtDate(eventDate(), 'iso').slice(5)} ${hhmm()}:${pad(int(0, 59))}.${digits(3)}  ${int(1000, 9999)}  ${int(1000, 9999)} D WifiStateMachine: connected bssid=${MAC(mac('colon'))} ip=${IP(ipv4('private'))}`,
      `${fmtDate(eventDate(), 'iso').slice(5)} ${hhmm()}:${pad(int(0, 59))}.${digits(3)}  ${int(1000, 9999)}  ${int(1000, 9999)} I Telephony: line1Number=${PH(phone(REGIONS[u.region].phone, 'e164'))} wlan0=${MAC(device)}`,
      `${fmtDate(eventDate(), 'iso').slice(5)} ${hhmm()}:${pad(int(0, 59))}.${digits(3)}  ${int(1000, 9999)}  ${int(1000, 9999)} W Build: fingerprint=google/raven/raven:${int(12, 15)}/AP${int(1, 4)}A.${digits(6)}.${digits(3)}/${digits(8)}:user/release-keys`
    );
  },
  () => {
    const admin = person();
    const u = person(pick(EUROPE));
    return lines(
      `AUDIT ${stamp()} actor=${E(emailOf(admin, 'admin.example-corp.com'))} action=customer.update target=${ACC(`CUST-${digits(7)}`)}`,
      `  field=iban old=${IB(iban(REGIONS[u.region].iban, 'compact'))} new=${IB(iban(REGIONS[u.region].iban, 'compact'))}`,
      `  field=address old="${A(localAddress(u.region).replace(/\n/g, ', '))}" new="${A(localAddress(u.region).replace(/\n/g, ', '))}"`,
      `  field=name old="${P(u.full)}" new="${P(`${u.first} ${person(u.region).last}`)}"`,
      `  source_ip=${IP(ipv4())} user_agent="enclave-admin/${neg.version()}"`
    );
  }
];

const hr: Template[] = [
  () => {
    const e = person('gb');
    const mgr = person('gb');
    return lines(
      `EMPLOYEE RECORD`,
      `Employee ID: ${ACC(`EMP-${digits(5)}`)}`,
      `Name: ${P(e.last.toUpperCase())}, ${P(e.first)}`,
      `Date of birth: ${DOB(fmtDate(birthDate(1960, 2003), 'dmy'))}`,
      `National Insurance no.: ${NID(nino())}`,
      `Home address: ${A(ukAddress(pick([0, 1, 2])))}`,
      `Personal mobile: ${PH(phone('GB', pick(['national', 'compact'])))}`,
      `Bank: sort code ${digits(2)}-${digits(2)}-${digits(2)}, account ${ACC(digits(8))}`,
      `Line manager: ${P(mgr.full)}`,
      `Start date: ${neg.date()}   Grade: ${pick(['B2', 'C1', 'L4', 'P3'])}`
    );
  },
  () => {
    const c = person(pick(['in', 'ng', 'de', 'pl']));
    const org = company('gb');
    const signer = person('gb');
    return lines(
      `Dear ${P(c.first)},`,
      ``,
      `We are delighted to offer you the position of ${pick(['Software Engineer II', 'Finance Analyst', 'Product Designer'])} at ${O(org)}, based in our ${L(city('gb'))} office.`,
      `Your annual salary will be ${neg.amount().replace(/\.\d+$/, '')}0, paid monthly. Your start date is ${neg.date()}.`,
      `Please return the signed copy to ${E(workEmail(signer, org))} and bring a proof of right to work.`,
      ``,
      `Yours sincerely,`,
      `${P(signer.full)}`,
      `People Team`
    );
  },
  () => {
    const e = person();
    const peers = [person(e.region), person()];
    return lines(
      `Performance review — H${int(1, 2)} ${int(2023, 2025)}`,
      `Employee: ${P(e.full)} (${ACC(`EMP-${digits(6)}`)})`,
      `Reviewer: ${P(peers[0]!.full)}`,
      ``,
      `${P(e.first)} consistently exceeded targets. Feedback from ${P(peers[1]!.first)} notes strong mentoring of new starters.`,
      `Areas to develop: delegating more. Will revisit in the May check-in.`,
      `Rating: ${pick(['Exceeds', 'Meets', 'Strong'])}.`
    );
  },
  () => {
    const e = person();
    const it = person();
    return lines(
      `Onboarding checklist — ${P(e.full)}`,
      `[x] Laptop asset ${pick(['LT', 'MB', 'DL'])}-${digits(5)}, Wi-Fi MAC ${MAC(mac())}`,
      `[x] Account created: ${E(workEmail(e, 'Example Corp'))}`,
      `[x] Temporary password: ${S(password())} (must change on first login)`,
      `[ ] Badge photo`,
      `[ ] Emergency contact: ${P(person(e.region).full)}, ${PH(phone(REGIONS[e.region].phone))}`,
      `IT contact: ${P(it.first)} (ext. ${int(1000, 9999)})`
    );
  },
  () => {
    const e = person(pick(['no', 'se', 'fi', 'dk']));
    const mgr = person(e.region);
    return lines(
      `Subject: Leave request ${neg.date()} – ${neg.date()}`,
      ``,
      `Hi ${P(mgr.first)},`,
      `I'd like to request parental leave from ${neg.date()}. ${P(person(e.region).first)} will cover the on-call rota.`,
      `My employee number is ${ACC(`${pick(['EMP-', 'E', 'HR'])}${digits(6)}`)} and my personal email while away is ${E(emailOf(e))}.`,
      `Thanks,`,
      `${P(e.first)}`
    );
  },
  () => {
    const e = person(pick(EUROPE));
    return lines(
      `PAYROLL CHANGE FORM`,
      `Employee: ${P(e.full)}   ID: ${ACC(`EMP-${digits(5)}`)}`,
      `Old IBAN: ${IB(iban(REGIONS[e.region].iban))}`,
      `New IBAN: ${IB(iban(REGIONS[e.region].iban))}`,
      `Bank name: ${O(bank(e.region))}`,
      `Tax ID: ${NID(e.region === 'de' ? steuerId() : e.region === 'fr' ? frenchNir(e.sex, birthDate()) : e.region === 'es' ? dni() : e.region === 'ie' ? pps() : e.region === 'gb' ? nino() : e.region === 'pl' ? pesel(birthDate(), e.sex) : e.region === 'se' ? personnummer(birthDate()) : e.region === 'fi' ? hetu(birthDate()) : e.region === 'cz' || e.region === 'sk' ? rodneCislo(birthDate(), e.sex) : steuerId())}`,
      `Effective from payroll run ${int(2024, 2025)}-${pad(int(1, 12))}. Approved by ${P(person(e.region).full)}.`
    );
  },
  () => {
    const c = person();
    const refs = [person(), person()];
    return lines(
      `Reference check notes — candidate ${P(c.full)}`,
      ...refs.map(
        (r) =>
          `• ${P(r.full)}, ${pick(['former manager', 'team lead', 'client'])} at ${O(company(r.region))} — reached on ${PH(phone(REGIONS[r.region].phone))}. Said ${P(c.first)} was ${pick(['reliable', 'very detail oriented', 'a strong communicator'])}.`
      ),
      `Concerns: none. Bill rate agreed at ${neg.amount()}/day.`
    );
  },
  () => {
    const e = person(pick(['us', 'ca']));
    return lines(
      `CONFIDENTIAL — Separation summary`,
      `Employee: ${P(e.full)}, ${e.region === 'us' ? 'SSN' : 'SIN'} ${NID(e.region === 'us' ? ssn() : sin())}`,
      `Last day: ${neg.date()}. Final paycheck by direct deposit to account ${ACC(digits(int(9, 12)))}, routing ${digits(9)}.`,
      `Forwarding address: ${A(e.region === 'us' ? usAddress() : localAddress('ca'))}`,
      `COBRA packet mailed. Exit interview with ${P(person(e.region).full)} completed.`
    );
  },
  () => {
    const e = person(pick(['ng', 'gh', 'sn', 'yo']));
    const kin = person(e.region);
    return lines(
      `NEXT OF KIN / EMERGENCY CONTACT`,
      `Staff: ${P(e.full)}   Staff No: ${ACC(`EMP-${digits(4)}`)}`,
      `Date of birth: ${DOB(fmtDate(birthDate(), pick(['dmy', 'long'])))}`,
      `Residential address: ${A(localAddress(e.region))}`,
      `Next of kin: ${P(kin.full)} (${pick(['spouse', 'brother', 'sister', 'mother'])})`,
      `Phone: ${PH(phone(REGIONS[e.region].phone, pick(['national', 'intl'])))}`,
      `Email: ${E(emailOf(kin))}`
    );
  }
];

const support: Template[] = [
  () => {
    const cust = person();
    const ins = insurer();
    return lines(
      `Ticket ${neg.ticket()} | Priority: High | Channel: email`,
      `Customer: ${P(cust.full)} (${ACC(`CUST-${digits(6)}`)})`,
      `Insurer: ${O(ins)}, member no. ${ACC(`${fromChars(UPPER, 3)}${digits(8)}`)}`,
      `Clinic: ${O(clinic(cust.region))}`,
      ``,
      `Summary: customer says the claim for ${neg.date()} was rejected because the clinic sent the wrong member number. Asked us to call on ${PH(phone(REGIONS[cust.region].phone))}.`
    );
  },
  () => {
    const cust = person();
    const agents = [person(), person()];
    return lines(
      `CRM timeline — ${ACC(`CUST-${digits(7)}`)}`,
      `${neg.date()} ${P(agents[0]!.first)}: inbound call, ${P(cust.first)} wants to change billing email to ${E(emailOf(cust))}.`,
      `${neg.date()} ${P(agents[1]!.first)}: verified via DOB ${DOB(fmtDate(birthDate(), 'iso'))}; updated.`,
      `${neg.date()} system: invoice ${neg.invoice()} re-sent.`,
      `${neg.date()} ${P(agents[0]!.first)}: ${P(cust.first)} asked to delete old address ${A(localAddress(cust.region).replace(/\n/g, ', '))}. Done.`
    );
  },
  () => {
    const cust = person();
    const c = cardWithBrand(pick(['space', 'dash', 'plain']));
    return lines(
      `Refund request via web form`,
      `Order: ${neg.order()}    Items: ${neg.sku()} x${int(1, 3)}`,
      `Name on card: ${P(cust.full)}`,
      `Card used: ${c.brand} ${CC(c.number)}`,
      `Reason: "arrived broken, box was crushed. please refund to the same card, NOT store credit"`,
      `Contact: ${E(emailOf(cust))}`
    );
  },
  () => {
    const cust = person(pick(['gb', 'ie', 'in', 'ng']));
    return lines(
      `SIM swap request — HOLD`,
      `Account number: ${ACC(digits(10))}`,
      `Account holder: ${title(cust)} ${P(cust.full)}`,
      `DOB given: ${DOB(fmtDate(birthDate(), 'dmy'))} (matches)`,
      `Address given: ${A(localAddress(cust.region).replace(/\n/g, ', '))} (does NOT match — last digit of postcode differs)`,
      `Number to port: ${PH(phone(REGIONS[cust.region].phone))}`,
      `Action: refused, flagged for fraud review ${neg.ticket()}.`
    );
  },
  () => {
    const people = [person(), person(), person()];
    const org = company();
    return lines(
      `Escalation summary for ${O(org)}`,
      `Reporter: ${P(people[0]!.full)} <${E(workEmail(people[0]!, org))}>`,
      `Affected users: ${P(people[1]!.full)}, ${P(people[2]!.full)}`,
      `Impact: exports failing since ${neg.version()} (commit ${neg.commit()}).`,
      `Next step: ${P(people[1]!.first)} to send a HAR file; we will call ${P(people[0]!.first)} on ${PH(phone(REGIONS[people[0]!.region].phone))} at ${neg.time()}.`
    );
  },
  () => {
    const agent = person(pick(['gh', 'ng', 'in', 'vi']));
    const cust = person();
    return lines(
      `[${neg.time()}] ${P(agent.first)}: Hi, thanks for waiting! How can I help?`,
      `[${neg.time()}] ${P(cust.first)}: hi my parcel never came, tracking ${neg.tracking()}`,
      `[${neg.time()}] ${P(agent.first)}: Sorry to hear that. Can you confirm the delivery address?`,
      `[${neg.time()}] ${P(cust.first)}: ${A(localAddress(cust.region).replace(/\n/g, ', '))}`,
      `[${neg.time()}] ${P(agent.first)}: Thanks ${P(cust.first)}. I've reordered it, new order ${neg.order()}. Anything else?`,
      `[${neg.time()}] ${P(cust.first)}: no thats all, thx`
    );
  },
  () => {
    const cust = person();
    return lines(
      `Complaint — delivery`,
      `From: ${E(emailOf(cust))}`,
      `The courier left my package at ${A(localAddress(cust.region).replace(/\n/g, ', '))} which is my neighbour's, not mine. This is the third time since ${neg.date()}.`,
      `Tracking: ${neg.tracking()}. Invoice: ${neg.invoice()}.`,
      `I want a call back on ${PH(phone(REGIONS[cust.region].phone))}.`,
      `${P(cust.full)}`
    );
  },
  () => {
    const cust = person(pick(['de', 'at', 'ch', 'nl', 'fr']));
    const ins = insurer();
    return lines(
      `Claim support case`,
      `Policy holder: ${P(cust.full)}`,
      `Policy no.: ${ACC(`${pick(['KV', 'HI', 'POL'])}-${digits(9)}`)}`,
      `Insurer: ${O(ins)}`,
      `Treatment at: ${O(clinic(cust.region))} on ${neg.date()}`,
      `Reimbursement account: ${IB(iban(REGIONS[cust.region].iban))}`,
      `Note: customer also has a second policy ${ACC(`${pick(['KV', 'HI', 'POL'])}-${digits(9)}`)} which should not be charged.`
    );
  },
  () => {
    const cust = person();
    const org = company(cust.region);
    return lines(
      `Bug report from customer (${O(org)})`,
      `Reported by: ${P(cust.full)}, ${E(workEmail(cust, org))}`,
      `App version: ${neg.version()}   OS: ${pick(['Windows 11 23H2', 'macOS 14.4', 'Ubuntu 24.04'])}`,
      `Steps: open Settings > Network, enter proxy ${IP(ipv4('private'))}:${pick([3128, 8080, 8888])}, app freezes.`,
      `Log excerpt: "E ${stamp()} proxy connect failed host=${IP(ipv4('private'))} req=${neg.reqId()}"`,
      chance(0.5) && `Customer also pasted their integration key in the ticket: ${S(anyApiKey())} (asked them to rotate it).`,
      `Workaround suggested: clear cache. Will follow up.`
    );
  }
];

const medical: Template[] = [
  () => {
    const pt = person('gb');
    const gp = person('gb');
    const consultant = person('gb');
    return lines(
      `${O(clinic('gb'))}`,
      `Referral letter — ${neg.date()}`,
      ``,
      `Dear ${title(consultant)} ${P(consultant.last)},`,
      ``,
      `Re: ${P(pt.full)}   DOB ${DOB(fmtDate(birthDate(), 'dmy'))}   NHS No ${NID(nhsNumber())}`,
      `${A(ukAddress(pick([0, 1])))}`,
      ``,
      `Thank you for seeing this ${int(20, 80)}-year-old with a six-month history of exertional chest tightness. ECG attached. Current meds: ramipril 5 mg OD.`,
      ``,
      `Yours sincerely,`,
      `${title(gp)} ${P(gp.full)}`
    );
  },
  () => {
    const pt = person(pick(['us', 'ca']));
    const docs = [person('us'), person('in')];
    return lines(
      `DISCHARGE SUMMARY`,
      `Patient: ${P(pt.last.toUpperCase())}, ${P(pt.first.toUpperCase())}    MRN: ${ACC(digits(int(7, 9)))}`,
      `DOB: ${DOB(fmtDate(birthDate(), 'mdy'))}    Admit: ${neg.date()}    Discharge: ${neg.date()}`,
      `Attending: ${P(docs[0]!.full)}, MD    Resident: ${P(docs[1]!.full)}, MD`,
      `Facility: ${O(clinic(pt.region))}`,
      `Diagnosis: community-acquired pneumonia. Follow-up with PCP in 1 week. Call ${PH(phone(pt.region === 'us' ? 'US' : 'CA', 'national'))} with questions.`
    );
  },
  () => {
    const pt = person();
    const lab = `${city(pt.region)} ${pick(['Diagnostics', 'Pathology Services', 'Labor', 'Medical Laboratory'])} ${pick(REGIONS[pt.region].orgSuffixes)}`;
    return lines(
      `LABORATORY REPORT — ${O(lab)}`,
      `Patient ID: ${ACC(`PID-${digits(8)}`)}   Name: ${P(pt.full)}   Born: ${DOB(fmtDate(birthDate(), anyDateStyle()))}`,
      `Sample: ${neg.uuid().slice(0, 8)}   Collected: ${neg.date()}`,
      `HbA1c 48 mmol/mol (ref 20–41)  H`,
      `eGFR >90 mL/min/1.73m²`,
      `Validated by ${P(person(pt.region).full)}`
    );
  },
  () => {
    const pt = person(pick(['fr', 'be']));
    const doc = person('fr');
    return lines(
      `ORDONNANCE`,
      `Dr ${P(doc.full)} — Médecin généraliste`,
      `${A(localAddress('fr'))} — ${PH(phone('FR', 'dots'))}`,
      ``,
      `${L(city('fr'))}, le ${fmtDate(eventDate(), 'fr')}`,
      `${pt.sex === 'female' ? 'Mme' : 'M.'} ${P(pt.full)}, né${pt.sex === 'female' ? 'e' : ''} le ${DOB(fmtDate(birthDate(), 'fr'))}`,
      `N° sécurité sociale : ${NID(frenchNir(pt.sex, birthDate()))}`,
      `Amoxicilline 1 g : 1 cp matin et soir pendant 6 jours.`
    );
  },
  () => {
    const pts = [person(), person(), person()];
    return lines(
      `Handover — Ward ${int(3, 12)}${pick(['A', 'B'])}, night shift`,
      ...pts.map(
        (p) =>
          `Bed ${int(1, 30)}: ${P(p.first)} ${P(p.last)}, ${int(19, 95)}y, MRN ${ACC(digits(8))} — ${pick(['obs stable', 'NBM from midnight', 'falls risk', 'IV abx 8-hourly'])}. Family contact ${PH(phone(REGIONS[p.region].phone))}.`
      ),
      `Handed over by ${P(person().first)} to ${P(person().first)}.`
    );
  },
  () => {
    const pt = person('in');
    const doc = person('in');
    return lines(
      `OUT-PATIENT SLIP`,
      `${O(`${pick(['Sri', 'Apex', 'Sunshine', 'Lotus'])} ${pick(['Multispeciality Hospital', 'Nursing Home', 'Clinic'])}`)}, ${L(city('in'))}`,
      `UHID: ${ACC(`${fromChars(UPPER, 2)}${digits(8)}`)}    Date: ${neg.date()}`,
      `Patient: ${P(pt.full)}   Age/Sex: ${int(18, 80)}/${pt.sex === 'female' ? 'F' : 'M'}`,
      `Aadhaar: ${NID(aadhaar())}   Mobile: ${PH(phone('IN'))}`,
      `Address: ${A(indiaAddress())}`,
      `Consultant: Dr. ${P(doc.full)}, MBBS MD`
    );
  },
  () => {
    const pt = person('jp', true);
    const doc = person('jp', true);
    return lines(
      `診療記録`,
      `患者氏名: ${P(pt.full)} 様`,
      `生年月日: ${DOB(fmtDate(birthDate(), 'ja'))}`,
      `住所: ${jpAddressMarked()}`,
      `電話: ${PH(phone('JP', 'national'))}`,
      `保険者番号: ${digits(8)}  記号・番号: ${ACC(`${digits(4)}・${digits(3)}`)}`,
      `担当医: ${P(doc.full)}`,
      `次回予約: ${fmtDate(eventDate(), 'ja')}`
    );
  },
  () => {
    const pt = person();
    const c = clinic(pt.region);
    return lines(
      `SMS from ${O(c)}:`,
      `Hi ${P(pt.first)}, reminder of your dental check-up on ${neg.date()} at ${neg.time()} with ${title(person())} ${P(person(pt.region).last)}.`,
      `Reply Y to confirm or call ${PH(phone(REGIONS[pt.region].phone))}. Patient no. ${ACC(`${digits(6)}`)}.`
    );
  },
  () => {
    const pt = person(pick(['de', 'at']));
    return lines(
      `Impfausweis — Auszug`,
      `Name: ${P(pt.full)}`,
      `Geburtsdatum: ${DOB(fmtDate(birthDate(), 'dot'))}`,
      `Krankenversichertennummer: ${ACC(`${pick(UPPER.split(''))}${digits(9)}`)}`,
      `Krankenkasse: ${O(`${pick(['BKK', 'IKK', 'Audi BKK', 'HKK'])} ${pick(REGIONS.de.cities)}`)}`,
      `${neg.date()}  Comirnaty (Ch.-B. ${alnum(6, 'upper')})  Praxis ${P(person('de').last)}`,
      `${neg.date()}  Tetanus/Diphtherie  ${O(clinic('de'))}`
    );
  }
];

const finance: Template[] = [
  () => {
    const holder = person(pick(EUROPE));
    const cps = [company(), company(), person()];
    return lines(
      `${O(bank(holder.region))} — Account statement`,
      `Account holder: ${P(holder.full)}`,
      `${A(localAddress(holder.region).replace(/\n/g, ', '))}`,
      `IBAN: ${IB(iban(REGIONS[holder.region].iban))}`,
      `Period: ${neg.date()} – ${neg.date()}`,
      ``,
      `Date        Description                               Amount`,
      `${fmtDate(eventDate(), 'dot')}  SEPA DD ${O(cps[0] as string)}              -${int(10, 200)},${pad(int(0, 99))}`,
      `${fmtDate(eventDate(), 'dot')}  Card ${neg.order()} ${O(cps[1] as string)}  -${int(5, 90)},${pad(int(0, 99))}`,
      `${fmtDate(eventDate(), 'dot')}  Transfer from ${P((cps[2] as Person).full)} ${IB(iban(pick(IBAN_REGIONS.map((r) => REGIONS[r].iban!)), 'compact'))}  +${int(100, 900)},00`
    );
  },
  () => {
    const ben = person(pick(EUROPE));
    const payer = company();
    return lines(
      `WIRE TRANSFER INSTRUCTION`,
      `Ordering customer: ${O(payer)}`,
      `Beneficiary: ${P(ben.full)}`,
      `Beneficiary address: ${A(localAddress(ben.region).replace(/\n/g, ', '))}`,
      `Beneficiary IBAN: ${IB(iban(REGIONS[ben.region].iban, pick(['print', 'compact'])))}`,
      `Beneficiary bank: ${O(bank(ben.region))}`,
      `Amount: ${neg.amount()}   Value date: ${neg.date()}`,
      `Remittance info: ${neg.invoice()}`
    );
  },
  () => {
    const ap = person('us');
    const emp = company('us');
    return lines(
      `LOAN APPLICATION — page 1`,
      `Applicant: ${P(ap.full)}   ssn ${NID(ssn('plain'))}`,
      `Date of birth ${DOB(fmtDate(birthDate(), 'mdy'))}   Phone ${PH(phone('US', pick(['dots', 'dashes', 'national'])))}`,
      `Current address: ${A(usAddress())}   (years at address: ${int(1, 15)})`,
      `Employer: ${O(emp)}   Monthly income: ${neg.amount()}`,
      `Co-applicant: ${P(person('us').full)}, SSN ${NID(ssn())}`,
      `Checking account no. ${ACC(digits(int(9, 12)))} at ${O(bank('us'))}`
    );
  },
  () => {
    const c = cardWithBrand(pick(['space', 'dash']));
    const holder = person();
    const merchant = company();
    return lines(
      `Dear ${P(holder.first)},`,
      ``,
      `We received your dispute for the ${c.brand} card ending ${c.last4} regarding a charge of ${neg.amount()} from ${O(merchant)} on ${neg.date()}.`,
      `For our records, the full card number on file is ${CC(c.number)}. If this is not correct, call ${PH(phone(REGIONS[holder.region].phone))}.`,
      `Case reference: ${neg.ticket()}.`,
      ``,
      `Card Services`
    );
  },
  () => {
    const fr = person(pick(EUROPE));
    const client = company();
    return lines(
      `INVOICE ${neg.invoice()}`,
      `${P(fr.full)} — freelance ${pick(['translation', 'illustration', 'development', 'photography'])}`,
      `${A(localAddress(fr.region).replace(/\n/g, ', '))}`,
      `${E(emailOf(fr))} · ${PH(phone(REGIONS[fr.region].phone))}`,
      ``,
      `Bill to: ${O(client)}`,
      `${int(3, 40)} hours × ${neg.amount()}`,
      `Please pay within 30 days to ${IB(iban(REGIONS[fr.region].iban))}.`,
      `VAT reverse charge applies. Version of terms: ${neg.version()}.`
    );
  },
  () => {
    const inv = person(pick(['us', 'gb', 'jp'] as Region[]));
    return lines(
      `${O(company(inv.region))} — Quarterly brokerage statement`,
      `Account: ${ACC(`${fromChars(UPPER, 2)}${digits(7)}`)}   Account owner: ${P(inv.full)}`,
      `Joint owner: ${P(person(inv.region).full)}`,
      ``,
      `Holdings`,
      `  ${fromChars(UPPER, 4)}   ${int(10, 400)} sh   ${neg.amount()}`,
      `  ${fromChars(UPPER, 3)}    ${int(10, 400)} sh   ${neg.amount()}`,
      `Dividends reinvested on ${neg.date()}. Statement generated ${neg.date()} (build ${neg.commit().slice(0, 7)}).`
    );
  },
  () => {
    const debtor = person(pick(['de', 'at', 'nl', 'fr', 'es', 'it', 'be', 'fi']));
    const creditor = company(debtor.region);
    return lines(
      `SEPA Direct Debit Mandate`,
      `Creditor: ${O(creditor)}   Creditor ID: ${debtor.region.toUpperCase()}${digits(2)}ZZZ${digits(8)}`,
      `Mandate reference: MR-${digits(10)}`,
      `Debtor name: ${P(debtor.full)}`,
      `Debtor address: ${A(localAddress(debtor.region))}`,
      `Debtor IBAN: ${IB(iban(REGIONS[debtor.region].iban))}`,
      `Type of payment: recurrent   Signed at ${L(city(debtor.region))} on ${neg.date()}`
    );
  },
  () => {
    const tp = person(pick(['in', 'in', 'ng']));
    return tp.region === 'in'
      ? lines(
          `Form 16 — Part A (extract)`,
          `Employee: ${P(tp.full)}   PAN of employee: ${NID(pan(tp.last))}`,
          `Employer: ${O(company('in'))}   TAN: ${fromChars(UPPER, 4)}${digits(5)}${pick(UPPER.split(''))}`,
          `Assessment year: ${int(2023, 2025)}-${int(24, 26)}`,
          `Salary credited to a/c ${ACC(digits(int(11, 14)))} (IFSC ${fromChars(UPPER, 4)}0${digits(6)})`,
          `Residential address: ${A(indiaAddress())}`
        )
      : lines(
          `Tax clearance — extract`,
          `Taxpayer: ${P(tp.full)}   TIN: ${NID(`${digits(8)}-${digits(4)}`)}`,
          `Bank verification number: ${ACC(`22${digits(9)}`)}`,
          `Account: ${ACC(digits(10))} (${O(bank('ng'))})`,
          `Address: ${A(africaAddress('ng'))}`
        );
  },
  () => {
    const u = person();
    return lines(
      `Card activation`,
      `Hello ${P(u.first)}, your new card ${CC(card(pick(['space', 'plain']), pick(['visa', 'mastercard', 'amex'])))} is ready.`,
      `Expiry ${expiry()}. Your online banking login is ${E(emailOf(u))}.`,
      `Never share your PIN. We will never ask for it by phone or by email. Member since ${int(1999, 2023)}.`
    );
  }
];

const legal: Template[] = [
  () => {
    const [r1, r2] = [pick(['de', 'at', 'ch'] as Region[]), pick(['jp', 'kr', 'cn', 'in'] as Region[])];
    const [o1, o2] = [company(r1), company(r2)];
    const [s1, s2] = [person(r1), person(r2)];
    return lines(
      `SERVICE AGREEMENT`,
      ``,
      `This Agreement is made on ${fmtDate(eventDate(), 'long')} between:`,
      `(1) ${O(o1)}, registered office at ${A(localAddress(r1))}, represented by its managing director ${P(s1.full)} ("Supplier"); and`,
      `(2) ${O(o2)}, having its principal place of business at ${A(r2 === 'jp' ? japanAddress(0) : localAddress(r2))}, represented by ${P(s2.full)} ("Customer").`,
      ``,
      `1. Term. This Agreement will commence on the Effective Date and continue for 24 months.`,
      `2. Notices shall be sent to ${E(workEmail(s1, o1))} and ${E(workEmail(s2, o2))} respectively.`
    );
  },
  () => {
    const [a, b] = [person('gb'), person(pick(['ng', 'gh']))];
    const [oa, ob] = [company('gb'), company(b.region)];
    return lines(
      `MUTUAL NON-DISCLOSURE AGREEMENT`,
      `Parties: ${O(oa)} (company no. ${digits(8)}) and ${O(ob)} (RC ${digits(6)}).`,
      `Signed for ${O(oa)} by ${P(a.full)}, Director, in ${L(city('gb'))}.`,
      `Signed for ${O(ob)} by ${P(b.full)}, Chief Executive, in ${L(city(b.region))}.`,
      `Witness: ${P(person('gb').full)}, ${A(ukAddress(1))}`,
      `Clause 7 (Governing law): the laws of England and Wales. Version ${neg.version()} of the template.`
    );
  },
  () => {
    const landlord = person(pick(['pl', 'cz', 'sk', 'hr']));
    const tenant = person(pick(['in', 'vi', 'ng', 'fr']));
    const born = birthDate(1954, 1985);
    return lines(
      `RESIDENTIAL LEASE AGREEMENT`,
      `Landlord: ${P(landlord.full)}, born ${DOB(fmtDate(born, 'dot'))}, ID no. ${NID(landlord.region === 'pl' ? pesel(born, landlord.sex) : rodneCislo(born, landlord.sex))}`,
      `Tenant: ${P(tenant.full)}, e-mail ${E(emailOf(tenant))}, tel. ${PH(phone(REGIONS[tenant.region].phone, 'intl'))}`,
      `Premises: ${A(localAddress(landlord.region))}`,
      `Rent: ${neg.amount()} per month, payable by the 5th to ${IB(iban(REGIONS[landlord.region].iban))}.`,
      `Deposit: two months' rent. The lease starts on ${neg.date()} and may be terminated with three months' notice.`
    );
  },
  () => {
    const grantor = person(pick(['es', 'pt', 'br']));
    const agent = person(grantor.region);
    const notary = person(grantor.region);
    return lines(
      `PODER NOTARIAL / POWER OF ATTORNEY`,
      `I, ${P(grantor.full)}, born on ${DOB(fmtDate(birthDate(), 'dmy'))}, holder of ${grantor.region === 'es' ? 'DNI' : 'CPF'} ${NID(grantor.region === 'es' ? dni() : cpf())}, residing at ${A(localAddress(grantor.region))},`,
      `appoint ${P(agent.full)} (${grantor.region === 'es' ? 'NIE' : 'CPF'} ${NID(grantor.region === 'es' ? nie() : cpf())}) as my attorney to sell the property registered under no. ${digits(5)}/${int(2000, 2024)}.`,
      `Before me, ${P(notary.full)}, Notary of ${L(city(grantor.region))}, on ${neg.date()}.`
    );
  },
  () => {
    const claimant = person('us');
    const defendant = company('us');
    const attorney = person('us');
    return lines(
      `IN THE CIRCUIT COURT OF ${pick(['COOK', 'MULTNOMAH', 'ADA', 'DANE'])} COUNTY`,
      `${P(claimant.full.toUpperCase())}, Plaintiff,`,
      `v.`,
      `${O(defendant.toUpperCase())}, Defendant.`,
      `Case No. ${int(2023, 2025)}-CV-${digits(5)}`,
      ``,
      `COMPLAINT. Plaintiff resides at ${A(usAddress())}. On ${neg.date()}, Defendant disclosed Plaintiff's Social Security number ${NID(ssn())} in a public filing.`,
      `Respectfully submitted, ${P(attorney.full)}, Attorney for Plaintiff, ${E(workEmail(attorney, company('us')))}`
    );
  },
  () => {
    const seller = person(pick(['no', 'se', 'fi', 'dk']));
    const buyer = company(pick(['de', 'nl', 'gb']));
    const target = company(seller.region);
    return lines(
      `SHARE PURCHASE AGREEMENT (extract)`,
      `Seller: ${P(seller.full)}, personal ID ${NID(seller.region === 'se' ? personnummer(birthDate()) : seller.region === 'fi' ? hetu(birthDate()) : seller.region === 'no' ? fodselsnummer(birthDate()) : cprNumber(birthDate()))}`,
      `Buyer: ${O(buyer)}`,
      `Company: ${O(target)}, org. no. ${digits(3)} ${digits(3)} ${digits(3)}`,
      `Purchase price: ${neg.amount()} payable to the Seller's account ${IB(iban(REGIONS[seller.region].iban))} on Closing.`,
      `Closing takes place at the offices of ${O(`${REGIONS[seller.region].faker.person.lastName()} Advokatfirma ${pick(['AS', 'AB', 'Oy', 'ApS'])}`)} in ${L(city(seller.region))}.`
    );
  },
  () => {
    const emp = person();
    const org = company();
    return lines(
      `EMPLOYMENT CONTRACT — clause 3 (Remuneration) and schedule`,
      `3.1 ${O(org)} (the "Employer") shall pay ${P(emp.full)} (the "Employee") a gross salary of ${neg.amount()} per month.`,
      `3.2 Salary is paid into the account designated by the Employee: ${IB(iban(pick(IBAN_REGIONS.map((r) => REGIONS[r].iban!))))}.`,
      `3.3 The Employee's personnel number is ${ACC(`EMP-${digits(6)}`)}.`,
      `Schedule 1: Employee date of birth ${DOB(fmtDate(birthDate(1960, 2003), anyDateStyle()))}; home address ${A(localAddress(emp.region).replace(/\n/g, ', '))}.`
    );
  },
  () => {
    const dpo = person(pick(EUROPE));
    const controller = company(dpo.region);
    const processor = company(pick(['us', 'in', 'ie']));
    return lines(
      `DATA PROCESSING ADDENDUM — Annex 1`,
      `Controller: ${O(controller)}`,
      `Data protection officer: ${P(dpo.full)}, ${E(workEmail(dpo, controller))}, ${PH(phone(REGIONS[dpo.region].phone))}`,
      `Processor: ${O(processor)}`,
      `Sub-processors: listed at ${U(`https://${orgDomain(processor)}/legal/subprocessors`)}`,
      `Categories of data: names, e-mail addresses, IP addresses. Retention: 30 days after termination.`
    );
  },
  () => {
    const testator = person(pick(['gb', 'ie', 'us']));
    const exec = [person(testator.region), person(testator.region)];
    return lines(
      `LAST WILL AND TESTAMENT`,
      `This is the last Will of me, ${P(testator.full)}, of ${A(testator.region === 'us' ? usAddress() : localAddress(testator.region).replace(/\n/g, ', '))}, born ${DOB(fmtDate(birthDate(1930, 1975), 'long'))}.`,
      `1. I revoke all former wills and codicils.`,
      `2. I appoint ${P(exec[0]!.full)} and ${P(exec[1]!.full)} to be the executors of this Will.`,
      `3. I give my house and its contents to my daughter ${P(exec[0]!.first)}, and the sum of ${neg.amount()} to ${O(`${pick(['The Harbour', 'Greenway', 'Open Doors'])} ${pick(['Trust', 'Foundation', 'Charity'])}`)}.`,
      `Signed on ${neg.date()} in the presence of the witnesses below. Bill of costs to be settled by the estate.`
    );
  }
];

const travel: Template[] = [
  () => {
    const g = person('gb');
    return lines(
      `Booking confirmed ✔  Ref: ${fromChars(UPPER, 6)}`,
      `Lead guest: ${title(g)} ${P(g.full)}`,
      `Billing address: ${A(ukAddress(0))}`,
      `Phone: ${PH(phone('GB', pick(['national', 'intl', 'paren0'])))}   Email: ${E(emailOf(g))}`,
      `Stay: ${neg.date()} → ${neg.date()}, ${int(1, 9)} nights, ${L(city(pick(['fr', 'it', 'es', 'pt', 'hr'])))}`,
      `Paid with card ending ${digits(4)}. Free cancellation until ${neg.date()}.`
    );
  },
  () => {
    const g = person('jp', true);
    return lines(
      `宿泊者カード / Guest registration`,
      `氏名 Name: ${P(g.full)}`,
      `住所 Address: ${jpAddressMarked()}`,
      `電話 Tel: ${PH(phone('JP', pick(['national', 'compact'])))}`,
      `生年月日 Date of birth: ${DOB(fmtDate(birthDate(), pick(['ja', 'iso'])))}`,
      `到着 Arrival: ${fmtDate(eventDate(), 'ja')}  部屋 Room: ${int(2, 9)}0${int(1, 9)}`
    );
  },
  () => {
    const pax = [person('in'), person('in')];
    return lines(
      `E-TICKET / BOOKING CONFIRMATION`,
      `PNR: ${digits(10)}   Train: ${digits(5)} ${pick(['RAJDHANI EXP', 'SHATABDI EXP', 'DURONTO EXP'])}`,
      `From ${L(city('in'))} to ${L(city('in'))}, journey ${neg.date()}`,
      ...pax.map(
        (p, i) =>
          `Passenger ${i + 1}: ${P(p.full.toUpperCase())}  ${int(18, 70)} ${p.sex === 'female' ? 'F' : 'M'}  CNF/B${int(1, 9)}/${int(1, 72)}`
      ),
      `Contact: ${PH(phone('IN', pick(['compact', 'intl'])))}  ${E(emailOf(pax[0]!))}`,
      `Billing address: ${A(indiaAddress())}`
    );
  },
  () => {
    const host = person(pick(['hr', 'pt', 'it', 'es', 'fr']));
    const guest = person();
    return lines(
      `Message from your host ${P(host.first)}:`,
      `Hi ${P(guest.first)}! Welcome in advance 😊 The flat is at ${A(localAddress(host.region))}.`,
      `Key box code is ${digits(4)}, wifi "${pick(['Casa', 'Apt', 'Stan'])}_${digits(2)}" password ${S(password())}.`,
      `If anything goes wrong call me on ${PH(phone(REGIONS[host.region].phone, 'intl'))} — my brother ${P(person(host.region).first)} lives downstairs.`,
      `Check-out by 11:00 on ${neg.date()}.`
    );
  },
  () => {
    const d = person(pick(['us', 'ca', 'de', 'gb']));
    return lines(
      `RENTAL AGREEMENT ${fromChars(UPPER, 2)}${digits(8)}`,
      `Driver: ${P(d.full)}   Date of birth: ${DOB(fmtDate(birthDate(1950, 2003), d.region === 'us' ? 'mdy' : 'dmy'))}`,
      `Home address: ${A(localAddress(d.region).replace(/\n/g, ', '))}`,
      `Payment: ${CC(card(pick(['space', 'plain'])))} (pre-authorised ${neg.amount()})`,
      `Pick-up: ${L(city(pick(['us', 'ca', 'no', 'fi'])))} airport, ${neg.date()} ${neg.time()}`,
      `Additional driver: ${P(person(d.region).full)}`
    );
  },
  () => {
    const t = person();
    const regions = [pick(ALL_REGIONS), pick(ALL_REGIONS), pick(ALL_REGIONS)];
    return lines(
      `Itinerary for ${P(t.full)}`,
      `${neg.date()}  ${fromChars(UPPER, 2)}${int(100, 9999)}  ${L(city(regions[0]))} → ${L(city(regions[1]))}   conf. ${fromChars(UPPER, 6)}`,
      `${neg.date()}  Hotel in ${L(city(regions[1]))}, booking ${neg.order()}`,
      `${neg.date()}  Train to ${L(city(regions[2]))} (${L(country(regions[2]))}), seat ${int(1, 80)}${pick(['A', 'D'])}`,
      `Travel desk: ${E(`travel@${orgDomain(company())}`)}`
    );
  },
  () => {
    const t = person();
    const ins = insurer();
    return lines(
      `Travel insurance certificate`,
      `Insured: ${P(t.full)}, born ${DOB(fmtDate(birthDate(), anyDateStyle()))}`,
      `Policy number: ${ACC(`TRV-${digits(9)}`)}   Insurer: ${O(ins)}`,
      `Cover: worldwide excl. ${L(country(pick(ALL_REGIONS)))}, ${neg.date()} to ${neg.date()}`,
      `24h assistance: ${PH(phone(pick(['GB', 'DE', 'FR', 'CH'] as CountryCode[]), 'intl'))}`,
      `Premium paid by ${CC(card('space'))}.`
    );
  },
  () => {
    const host = person(pick(['de', 'nl', 'se', 'no']));
    const guest = person(pick(['ng', 'gh', 'in', 'vi', 'cn']));
    return lines(
      `INVITATION LETTER`,
      `I, ${P(host.full)}, residing at ${A(localAddress(host.region))}, hereby invite ${P(guest.full)}, born ${DOB(fmtDate(birthDate(), 'long'))}, a citizen of ${L(country(guest.region))}, to stay with me from ${neg.date()} to ${neg.date()}.`,
      `I will cover accommodation. You can contact me at ${E(emailOf(host))} or ${PH(phone(REGIONS[host.region].phone))}.`,
      `${L(city(host.region))}, ${neg.date()}`,
      `${P(host.full)}`
    );
  },
  () => {
    const p = person();
    return lines(
      `PROPERTY IRREGULARITY REPORT`,
      `File ref: ${fromChars(UPPER, 3)}${fromChars(UPPER, 2)}${digits(5)}   Flight: ${fromChars(UPPER, 2)}${int(10, 999)}`,
      `Passenger: ${P(p.last.toUpperCase())}/${P(p.first.toUpperCase())} ${p.sex === 'female' ? 'MS' : 'MR'}`,
      `Delivery address: ${A(localAddress(p.region).replace(/\n/g, ', '))}`,
      `Mobile: ${PH(phone(REGIONS[p.region].phone, 'e164'))}`,
      `Bag: black hard-shell, tag ${fromChars(UPPER, 2)}${digits(6)}. Frequent flyer ${ACC(`${digits(3)} ${digits(3)} ${digits(3)}`)}.`
    );
  }
];

const credentials: Template[] = [
  () => {
    const u = person();
    return lines(
      `Ticket ${neg.ticket()} — VPN not working`,
      `Requester: ${P(u.full)} <${E(emailOf(u, 'corp.example-intra.net'))}>`,
      ``,
      `Hi IT, the VPN client keeps rejecting me since this morning. my password is ${S(password())} (I know, I'll change it after). Laptop MAC is ${MAC(mac())} if that helps.`,
      `Client version ${neg.version()}.`
    );
  },
  () =>
    lines(
      `# .env.production — DO NOT COMMIT`,
      `NODE_ENV=production`,
      `PORT=8080`,
      `OPENAI_API_KEY=${S(secret.openai())}`,
      `ANTHROPIC_API_KEY=${S(secret.anthropic())}`,
      `SENDGRID_API_KEY=${S(secret.sendgrid())}`,
      `SLACK_WEBHOOK_URL=${S(secret.slackWebhook())}`,
      `REDIS_URL=redis://${chance(0.5) ? IP(ipv4('private')) : pick(['cache', 'redis.internal'])}:6379/0`,
      `LOG_LEVEL=info`,
      `FEATURE_FLAGS=beta-ui,new-billing`
    ),
  () => {
    const u = person();
    const admin = person();
    const org = company();
    return lines(
      `Welcome to ${O(org)}, ${P(u.first)}!`,
      ``,
      `Your account has been created.`,
      `  Username: ${E(workEmail(u, org))}`,
      `  Temporary password: ${S(password())}`,
      `  Sign in: ${U(`https://sso.${orgDomain(org)}/login`)}`,
      ``,
      `You will be asked to set a new password and enrol MFA. Questions? ${P(admin.first)} on the service desk, ext ${int(100, 999)}.`
    );
  },
  () => {
    const dev = person();
    return lines(
      `commit ${hex(40)}`,
      `Author: ${P(dev.full)} <${E(emailOf(dev))}>`,
      `Date:   ${pick(['Mon', 'Tue', 'Wed', 'Thu'])} ${pick(months3)} ${int(1, 28)} ${hhmm()}:${pad(int(0, 59))} ${int(2024, 2025)} +0200`,
      ``,
      `    wip: hook up deploy (bump to ${neg.version()})`,
      ``,
      `diff --git a/deploy.sh b/deploy.sh`,
      `@@ -3,4 +3,6 @@`,
      ` set -euo pipefail`,
      `+export GITHUB_TOKEN=${S(secret.github())}`,
      `+export NPM_TOKEN=${S(secret.npm())}`,
      ` ./scripts/release.sh "$@"`
    );
  },
  () => {
    const dbPass = password().replace(/[@:/?#%"'\\]/g, 'Q');
    return lines(
      `services:`,
      `  db:`,
      `    image: postgres:${int(13, 17)}`,
      `    environment:`,
      `      POSTGRES_USER: app`,
      `      POSTGRES_PASSWORD: ${S(dbPass)}`,
      `  api:`,
      `    image: registry.example.com/api:${neg.version()}`,
      `    environment:`,
      `      DATABASE_URL: ${S(`postgresql://app:${dbPass}@db:5432/app`)}`,
      `      JWT_SECRET: ${S(hex(64))}`,
      `      GOOGLE_MAPS_KEY: ${S(secret.google())}`
    );
  },
  () => {
    const a = person();
    const b = person();
    return lines(
      `${P(a.first)}: here's the deploy key for the staging box, don't lose it`,
      `-----BEGIN OPENSSH PRIVATE KEY-----`,
      `${S(pemBody())}`,
      `-----END OPENSSH PRIVATE KEY-----`,
      `${P(b.first)}: got it. host is ${IP(ipv4('public'))}, user ubuntu?`,
      `${P(a.first)}: yep`
    );
  },
  () =>
    lines(
      `Run actions/checkout@v4`,
      `Syncing repository: acme/${pick(['web', 'api', 'infra'])}`,
      `Run ./ci/publish.sh`,
      `+ echo "using token ${S(secret.gitlab())}"`,
      `using token ***`,
      `+ curl -s -X POST -H "Authorization: Bearer ${S(secret.digitalocean())}" ${U('https://api.digitalocean.com/v2/droplets')}`,
      `+ docker login -u ci -p ${S(password())} registry.internal`,
      `Login Succeeded`,
      `Published ${neg.version()} (${neg.commit()})`
    ),
  () => {
    const u = person();
    return lines(
      `name,url,username,password,note`,
      `Bank,${U(`https://online.${orgDomain(bank(u.region))}/login`)},${E(emailOf(u))},${S(password())},`,
      `Mail,${U('https://mail.proton.me')},${E(emailOf(u, 'proton.me'))},${S(password())},recovery phone ${PH(phone(REGIONS[u.region].phone, 'e164'))}`,
      `Router,${U(`http://${ipv4('private')}`)},admin,${S(password())},"MAC ${MAC(mac())}"`,
      `HuggingFace,${U('https://huggingface.co')},${lower(u.asciiFirst)}${int(1, 99)},${S(password())},token ${S(secret.huggingface())}`
    );
  },
  () =>
    lines(
      `  501  ssh deploy@${IP(ipv4('public'))}`,
      `  502  mysql -u root -p${S(password().replace(/[ '"]/g, 'x'))} shop_prod`,
      `  503  curl -H "X-API-Key: ${S(secret.shopify())}" ${U(`https://shop.example/admin/api/${int(2023, 2025)}-0${int(1, 9)}/orders.json`)}`,
      `  504  export AWS_SECRET_ACCESS_KEY=${S(secret.awsSecret())}`,
      `  505  git log --oneline | head  # ${neg.commit().slice(0, 7)} is the bad one`,
      `  506  history -c`
    ),
  () => {
    const u = person();
    return lines(
      `sticky note on monitor (photo, OCR):`,
      `"${P(u.first)} – bank pin NOT this`,
      ` email: ${E(emailOf(u))}`,
      ` pw ${S(password())}`,
      ` wifi: ${S(password())}`,
      ` call ${P(person(u.region).first)} re: server ${IP(ipv4('private'))}"`
    );
  }
];

const form: Template[] = [
  () => {
    const p = person('in');
    const father = person('in');
    return lines(
      `KYC APPLICATION FORM — INDIVIDUAL`,
      `1. Name: ${P(p.full.toUpperCase())}`,
      `2. Father's / Spouse name: ${P(`${father.first} ${p.last}`)}`,
      `3. Date of birth: ${DOB(fmtDate(birthDate(), pick(['dmy', 'dash'])))}`,
      `4. PAN: ${NID(pan(p.last))}`,
      `5. Aadhaar (last 4 only): XXXX XXXX ${digits(4)}`,
      `6. Aadhaar (full, for e-KYC consent): ${NID(aadhaar())}`,
      `7. Correspondence address: ${A(indiaAddress())}`,
      `8. Mobile: ${PH(phone('IN', pick(['compact', 'intl'])))}   Email: ${E(emailOf(p))}`
    );
  },
  () => {
    const p = person('br');
    return lines(
      `CADASTRO DE CLIENTE`,
      `Nome completo: ${P(p.full)}`,
      `CPF: ${NID(cpf())}`,
      `Data de nascimento: ${DOB(fmtDate(birthDate(), 'dmy'))}`,
      `Endereço: ${A(localAddress('br'))}`,
      `Celular: ${PH(phone('BR', pick(['national', 'intl'])))}`,
      `E-mail: ${E(emailOf(p))}`,
      `Pedido: ${neg.order()}`
    );
  },
  () => {
    const p = person('es');
    const resident = chance(0.6);
    return lines(
      `SOLICITUD DE ALTA`,
      `Apellidos y nombre: ${P(`${p.last}, ${p.first}`)}`,
      `${resident ? 'DNI' : 'NIE'}: ${NID(resident ? dni() : nie())}`,
      `Fecha de nacimiento: ${DOB(fmtDate(birthDate(), 'dmy'))}`,
      `Domicilio: ${A(localAddress('es'))}`,
      `Teléfono: ${PH(phone('ES'))}`,
      `Cuenta para domiciliación: ${IB(iban('ES'))}`
    );
  },
  () => {
    const p = person('ca');
    return lines(
      `DIRECT DEPOSIT ENROLMENT`,
      `Employee name: ${P(p.full)}`,
      `Social Insurance Number: ${NID(sin())}`,
      `Date of birth (YYYY-MM-DD): ${DOB(fmtDate(birthDate(), 'iso'))}`,
      `Address: ${A(localAddress('ca'))}`,
      `Transit no. ${digits(5)}  Institution no. ${digits(3)}  Account no. ${ACC(digits(7))}`,
      `Phone: ${PH(phone('CA', pick(['national', 'dashes'])))}`
    );
  },
  () => {
    const p = person('ie');
    return lines(
      `Application for a Public Services Card (extract)`,
      `PPS Number: ${NID(pps())}`,
      `Surname: ${P(p.last)}   Forename(s): ${P(p.first)}`,
      `Date of Birth: ${DOB(fmtDate(birthDate(), 'dmy'))}`,
      `Address: ${A(localAddress('ie'))}`,
      `Contact number: ${PH(phone('IE'))}`,
      `Mother's birth surname: ${P(REGIONS.ie.faker.person.lastName())}`
    );
  },
  () => {
    const p = person('de');
    return lines(
      `Anmeldung einer Wohnung`,
      `Familienname: ${P(p.last)}    Vorname(n): ${P(p.first)}`,
      `Geburtsdatum: ${DOB(fmtDate(birthDate(), 'dot'))}    Geburtsort: ${L(city('de'))}`,
      `Steuerliche Identifikationsnummer: ${NID(steuerId())}`,
      `Neue Wohnung: ${A(localAddress('de'))}`,
      `Bisherige Wohnung: ${A(localAddress('de'))}`,
      `Einzugsdatum: ${fmtDate(eventDate(), 'dot')}`
    );
  },
  () => {
    const p = person('fr');
    const dob = birthDate();
    return lines(
      `DOSSIER D'INSCRIPTION`,
      `Nom : ${P(p.last.toUpperCase())}   Prénom : ${P(p.first)}`,
      `Né(e) le : ${DOB(fmtDate(dob, pick(['dmy', 'fr'])))} à ${L(city('fr'))}`,
      `N° de sécurité sociale : ${NID(frenchNir(p.sex, dob))}`,
      `Adresse : ${A(localAddress('fr'))}`,
      `Tél. portable : ${PH(phone('FR', pick(['dots', 'national'])))}`,
      `Courriel : ${E(emailOf(p))}`
    );
  },
  () => {
    const region = pick(['pl', 'cz', 'sk', 'se', 'fi'] as Region[]);
    const p = person(region);
    const dob = birthDate();
    const id =
      region === 'pl' ? pesel(dob, p.sex) : region === 'se' ? personnummer(dob) : region === 'fi' ? hetu(dob) : rodneCislo(dob, p.sex);
    const label = { pl: 'PESEL', cz: 'Rodné číslo', sk: 'Rodné číslo', se: 'Personnummer', fi: 'Henkilötunnus' }[region as 'pl'];
    return lines(
      `Registration — ${L(country(region))}`,
      `Name: ${P(p.full)}`,
      `${label}: ${NID(id)}`,
      `Date of birth: ${DOB(fmtDate(dob, 'dot'))}`,
      `Address: ${A(localAddress(region))}`,
      `Phone: ${PH(phone(REGIONS[region].phone, pick(['intl', 'national'])))}`,
      `Bank account: ${IB(iban(REGIONS[region].iban))}`
    );
  },
  () => {
    const p = person('gb');
    return lines(
      `Form submission #${int(1000, 99999)} (contact-us)`,
      `first_name: ${P(p.first)}`,
      `last_name: ${P(p.last)}`,
      `email: ${E(emailOf(p))}`,
      `postcode: ${A(`${pick(UK_TOWNS)[1]} ${ukInward()}`)}`,
      `phone: ${PH(phone('GB', pick(['compact', 'national'])))}`,
      `message: Hi, can someone call me about the quote? Best after ${neg.time()}. Thanks`,
      `ip: ${IP(ipv4('public'))}`,
      `submitted: ${stamp()}`
    );
  }
];

const notes: Template[] = [
  () => {
    const bill = person('us');
    return lines(
      `TODO sat`,
      `- pay the water bill (due ${neg.date()})`,
      `- call ${P('Bill')} ${P(bill.last)} about the roof — ${PH(phone('US', 'dots'))}`,
      `- renew library card`,
      `- ${P(person().first)}'s birthday present!!`,
      `- may need to move dentist to the 14th`
    );
  },
  () => {
    const p = person();
    return lines(
      `BEGIN:VCARD`,
      `VERSION:3.0`,
      `N:${P(p.last)};${P(p.first)};;;`,
      `FN:${P(p.full)}`,
      `ORG:${O(company(p.region))}`,
      `TEL;TYPE=CELL:${PH(phone(REGIONS[p.region].phone, 'e164'))}`,
      `EMAIL;TYPE=INTERNET:${E(emailOf(p))}`,
      `ADR;TYPE=HOME:;;${A(localAddress(p.region).replace(/\n/g, ', '))};;;;`,
      `BDAY:${DOB(fmtDate(birthDate(), 'iso'))}`,
      `END:VCARD`
    );
  },
  () => {
    const me = person();
    const friend = person();
    return lines(
      `voice memo ${neg.date()}`,
      `"ok note to self. ${P(friend.first)} ${P(friend.last)} moved to ${L(city(friend.region))}, new number is ${PH(phone(REGIONS[friend.region].phone))}.`,
      `also tell ${P(person(me.region).first)} the spare key is with the neighbour. and the parking ticket, pay it by friday"`
    );
  },
  () => {
    const friends = [person(), person(), person()];
    return lines(
      `Dear diary,`,
      `Flew back from ${L(city(friends[0]!.region))} today. ${P(friends[0]!.first)} picked me up and we had dinner with ${P(friends[1]!.first)} and ${friends[1]!.sex === 'female' ? 'her' : 'his'} partner ${P(friends[2]!.first)}.`,
      `${P(friends[1]!.first)} is thinking of moving to ${L(country(friends[2]!.region))} next year. Will miss them. The weather in May should be better.`
    );
  },
  () => {
    const seller = person();
    return lines(
      `Viewing notes — ${neg.date()}`,
      `Property: ${A(localAddress(seller.region).replace(/\n/g, ', '))}`,
      `Vendor: ${P(seller.full)} (${PH(phone(REGIONS[seller.region].phone))}), wants quick sale, moving to ${L(city(pick(ALL_REGIONS)))}`,
      `3 bed, needs new boiler. Asking ${neg.amount()}. Agent ref ${neg.order()}.`
    );
  },
  () => {
    const guests = Array.from({ length: int(4, 7) }, () => person());
    return lines(
      `Wedding guest list (v${int(2, 9)})`,
      ...guests.map(
        (g, i) =>
          `${i + 1}. ${P(g.full)} + ${chance(0.5) ? P(person(g.region).first) : 'guest'} — ${pick(['confirmed', 'maybe', 'no reply'])}${chance(0.4) ? ` — ${E(emailOf(g))}` : ''}`
      ),
      `Table plan due ${neg.date()}.`
    );
  },
  () => {
    const kids = Array.from({ length: int(3, 5) }, () => person());
    return lines(
      `Class 3B — parent contacts`,
      ...kids.map((k) => {
        const parent = person(k.region);
        return `${P(k.first)} (parent: ${P(parent.full)}) ${PH(phone(REGIONS[k.region].phone))}`;
      }),
      `Trip to the science museum on ${neg.date()}; permission slips by Friday.`
    );
  },
  () => {
    const p = person();
    return lines(
      `Recipe card from ${P(p.first)}'s grandmother 🍰`,
      `(found in the box with her old letters — return address ${A(localAddress(p.region).replace(/\n/g, ', '))})`,
      `200 g flour, 3 eggs, 100 g sugar. Bake 35 min at 180 °C.`,
      `Call ${P(p.first)} on ${PH(phone(REGIONS[p.region].phone))} before giving it away!`
    );
  },
  () => {
    const p = person();
    return lines(
      `SMS ${neg.date()} ${neg.time()}`,
      `From: ${PH(phone(REGIONS[p.region].phone, 'e164'))}`,
      `"hi its ${P(p.first)}, new email is ${E(emailOf(p))}. also my bank details for the concert tickets: ${IB(iban(pick(IBAN_REGIONS.map((r) => REGIONS[r].iban!))))}"`
    );
  }
];

// Extra templates: more card read-outs, card groupings and personal links
transcript.push(() => {
  const caller = person(pick(['us', 'ca'] as Region[]));
  const rep = person('in');
  const brand = pick(['visa', 'mastercard', 'amex', 'discover'] as CardBrand[]);
  const number = cardNumber(brand);
  return lines(
    `Order line — phone order transcript (${neg.date()})`,
    `${P(rep.first)}: Thank you for holding. Can I take the card for the order?`,
    `${P(caller.first)}: Sure. ${BRAND_NAMES[brand]}. ${CC(fmtCard(number, 'comma'))}.`,
    `${P(rep.first)}: Let me read that back: ${CC(fmtCard(number, 'spoken'))}?`,
    `${P(caller.first)}: That's it. Expiry ${expiry()}.`,
    `${P(rep.first)}: And the billing zip code?`,
    `${P(caller.first)}: ${A(String(int(10000, 99999)))}.`,
    `${P(rep.first)}: Great, your order number is ${neg.order()}. It ships in May, sorry about the wait.`
  );
});
chat.push(() => {
  const a = person(pick(['gb', 'ie', 'de', 'nl']));
  const b = person(a.region);
  return lines(
    `${firstLower(a)}: can u pay the hosting bill w/ the company card? mine got blocked`,
    `${firstLower(b)}: which one`,
    `${firstLower(a)}: the ${pick(['amex', 'visa', 'mastercard'])}. ${CC(card(pick(['comma', 'dash', 'plain', 'space'])))} exp ${expiry()}`,
    `${firstLower(b)}: ok done. also delete that msg lol`,
    `${firstLower(a)}: ya ya. invoice is ${neg.invoice()} if finance asks`
  );
});
travel.push(() => {
  const g = person(pick(['jp', 'kr', 'cn', 'in', 'vi']));
  const c = cardWithBrand(pick(['space', 'dash', 'dot']));
  return lines(
    `Reservation request (phone, agent notes)`,
    `Guest: ${P(g.full)}, ${g.region === 'jp' || g.region === 'kr' ? 'arriving from' : 'travelling from'} ${L(city(g.region))}`,
    `Guarantee: ${c.brand} ${CC(c.number)}, exp ${expiry()}`,
    `Email for confirmation: ${E(emailOf(g))}`,
    `Mobile: ${PH(phone(REGIONS[g.region].phone, 'intl'))}`,
    `Notes: late arrival, will call from the airport. Rate code ${fromChars(UPPER, 3)}${int(1, 9)}.`
  );
});
support.push(() => {
  const cust = person();
  const id = `CUST-${digits(6)}`;
  const c = cardWithBrand(pick(['space', 'plain']));
  return lines(
    `Payment failed — ${neg.ticket()}`,
    `Customer ${ACC(id)} (${P(cust.full)}) tried to renew with ${c.brand} ${CC(c.number)}; the issuer declined (code 05).`,
    `Profile: ${U(`https://admin.example-shop.com/customers/${id}`)}`,
    `Customer wrote: "please just charge my other card ${CC(card('space'))}, the old one expired in May"`,
    `Replied from ${E('billing@example-shop.com')} on ${neg.date()}.`
  );
});
email.push(() => {
  const a = person();
  const org = company(a.region);
  const handle = `${lower(a.asciiFirst)}-${lower(a.asciiLast)}`;
  return lines(
    `Hi all,`,
    ``,
    `Slides from today's workshop are in the shared folder. Book a follow-up slot with me here: ${U(`https://calendly.com/${handle}/30min`)}`,
    `Code samples: ${U(`https://github.com/${lower(a.asciiFirst)}${lower(a.asciiLast).slice(0, 3)}${int(1, 99)}`)}`,
    ``,
    `${P(a.full)}`,
    `${O(org)} · ${U(`www.${orgDomain(org)}`)}`,
    `${PH(phone(REGIONS[a.region].phone))}`
  );
});
notes.push(() => {
  const p = person();
  const cards = [cardWithBrand('space'), cardWithBrand(pick(['plain', 'dash']))];
  return lines(
    `notes app › "wallet backup" (locked note, exported)`,
    ...cards.map((c) => `${c.brand}: ${CC(c.number)}  ${expiry()}  (${pick(['travel', 'groceries', 'work', 'online only'])})`),
    `library card ${ACC(digits(14))}`,
    `gym member no. ${ACC(`${fromChars(UPPER, 2)}${digits(6)}`)}`,
    `${P(p.first)}'s passport is in the blue folder`
  );
});
finance.push(() => {
  const payer = person();
  const number = cardNumber(pick(['visa', 'mastercard', 'jcb', 'unionpay', 'maestro', 'rupay'] as CardBrand[]));
  return lines(
    `RECEIPT  ${neg.invoice()}`,
    `${O(company())}`,
    `Customer: ${P(payer.full)}`,
    `Card: ${CC(fmtCard(number, pick(['space', 'plain', 'dash'])))}`,
    `Auth code ${alnum(6, 'upper')}  Terminal ${digits(8)}  ${neg.date()} ${neg.time()}`,
    `Total ${neg.amount()}  — thank you, please come again`
  );
});
// ---------------------------------------------------------------------------------------------
// Assembly

const DOMAINS: Array<[string, Template[]]> = [
  ['chat', chat],
  ['transcript', transcript],
  ['export', exportDomain],
  ['email', email],
  ['log', log],
  ['hr', hr],
  ['support', support],
  ['medical', medical],
  ['finance', finance],
  ['legal', legal],
  ['travel', travel],
  ['credentials', credentials],
  ['form', form],
  ['notes', notes]
];
const DOCUMENTS_PER_DOMAIN = 40;

function build() {
  const out: string[] = [
    '# Independent evaluation corpus (project issue #12), generated by scripts/privacy/generateIndependentCorpus.ts.',
    '# Written without access to the detectors or to dev.txt / holdout.txt. Never tune the detectors on it.',
    '# All names, addresses and identifiers are synthetic (faker data; identifiers pass their check digits).'
  ];
  for (const [genre, templates] of DOMAINS) {
    if (templates.length < 8) fail(`${genre} has only ${templates.length} templates`);
    const order = Array.from({ length: DOCUMENTS_PER_DOMAIN }, (_, i) => i % templates.length);
    rng.helpers.shuffle(order, { inplace: true });
    order.forEach((t, i) => {
      const text = templates[t]!().replace(/\n+$/, '');
      if (/^=== /m.test(text)) fail('document text contains a header line');
      out.push(`=== ind-${genre}-${pad(i + 1, 3)} ${genre}`, text, '');
    });
  }
  return out.join('\n');
}

const defaultOutput = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../resources/privacy/corpus/independent.txt');
const output = process.argv[2] ?? defaultOutput;
writeFileSync(output, build());
console.log(`wrote ${output}`);
