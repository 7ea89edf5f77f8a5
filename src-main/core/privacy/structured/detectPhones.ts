import { getCountryCallingCode, Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { EntityCandidate } from '../types';
import { onlyDigits } from './checksums';

/** An area code may end in a slash, as in German numbers: "030/2345 6789" */
const phoneCandidatePattern = /(?<![\w+@./#-])(?:\+ ?|00)?(?:\(\d{1,5}\) ?|0\d{1,5}\/ ?)?\d[\d ().-]{4,22}\d(?![\w@/]|[.-]\d)/g;
const phoneCuePattern =
  /(?:phone|\btel\b|mobile|\bmob\b|cell|call|fax|whats ?app|contact|number|n[uú]mero|m[oó]vil|portable|handy|telefon|t[ée]l[ée]phone|\b[mtpf]\s{0,3}:|☎|📞)[^\n]{0,32}$/i;
const nonPhoneCuePattern =
  /(?:order|invoice|account|acct|policy|member|tracking|reference|\bref\b|ticket|case|serial|sort code|routing|ssn|\bsin\b|nhs|passport|\bid\b|student|employee)[^\n]{0,16}$/i;
const datePrefixPattern = /^(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?!\d))/;
const dottedNumberPattern = /^\d{1,3}(?:\.\d{1,4}){2,}$/;
/** Dotted shapes that are phone numbers, not versions: US "415.555.0132" and French pairs "06.45.21.87.39" */
const dottedPhonePattern = /^(?:\d{3}\.\d{3}\.\d{4}|0\d(?:\.\d{2}){4})$/;
const ssnShapePattern = /^\d{3}-\d{2}-\d{4}$/;

/** Regions tried for national-format numbers when phone words are nearby. */
const fallbackRegions: readonly CountryCode[] = [
  'GB',
  'DE',
  'FR',
  'IN',
  'NG',
  'AU',
  'ES',
  'IT',
  'NL',
  'BR',
  'JP',
  'CN',
  'VN',
  'MX',
  'ZA',
  'KE',
  'IE',
  'AT',
  'CH',
  'BE',
  'SE',
  'NO',
  'DK',
  'PL',
  'TR',
  'AE',
  'SA',
  'EG',
  'PK',
  'PH',
  'ID',
  'KR',
  'CA'
];

export type PhoneDetectionOptions = {
  defaultRegion: CountryCode;
};

/**
 * Finds phone numbers with a linear candidate scan and validates each candidate with libphonenumber.
 * Unformatted digit runs, which are usually order or account numbers, only count next to phone words.
 */
export function detectPhones(text: string, { defaultRegion }: PhoneDetectionOptions): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(phoneCandidatePattern)) {
    const candidate = match[0];
    if (!hasPhoneShape(candidate)) continue;

    const score = scorePhoneCandidate(candidate, () => hasPhoneCue(text, match.index), defaultRegion);
    if (score == null) continue;

    entities.push({
      type: 'PHONE',
      start: match.index,
      end: match.index + candidate.length,
      score,
      detector: 'phone'
    });
  }

  return entities;
}

/**
 * Cheap checks before libphonenumber: digit count, not a date, dotted version or SSN, a "00" prefix followed by
 * a full international number, and no runs of one-digit groups.
 */
function hasPhoneShape(candidate: string) {
  const digitCount = onlyDigits(candidate).length;
  if (dottedPhonePattern.test(candidate)) return true;

  if (
    digitCount < 7 ||
    digitCount > 15 ||
    datePrefixPattern.test(candidate) ||
    dottedNumberPattern.test(candidate) ||
    ssnShapePattern.test(candidate) ||
    (candidate.startsWith('00') && digitCount < 11)
  )
    return false;

  const singleDigitGroups = candidate.split(/[ ().-]+/).filter((group) => group.length === 1).length;
  return singleDigitGroups <= 2;
}

function scorePhoneCandidate(candidate: string, hasCue: () => boolean, defaultRegion: CountryCode) {
  const isInternational = candidate.startsWith('+') || candidate.startsWith('00');
  if (isInternational) return isValidNumber(candidate.replace(/^00/, '+'), defaultRegion) ? 0.95 : undefined;

  const isFormatted = /[ ().-]/.test(candidate);
  if (!isFormatted && !hasCue()) return undefined;

  if (fitsNationalLength(onlyDigits(candidate).length, defaultRegion) && isValidNumber(candidate, defaultRegion))
    return isFormatted ? 0.9 : 0.85;

  if (!isFormatted) return undefined;

  const digitCount = onlyDigits(candidate).length;
  const otherRegions = fallbackRegions.filter((region) => region !== defaultRegion && fitsNationalLength(digitCount, region));
  if (otherRegions.length === 0) return undefined;

  if (hasCue() && otherRegions.some((region) => isValidNumber(candidate, region))) return 0.8;

  // A trunk-prefixed mobile number ("07894 843895") is distinctive enough without phone words, and so is a
  // trunk-prefixed number in a national layout (French pairs, a German area code with a slash, UK "0161 496 0732")
  if (/^\(?0/.test(candidate)) {
    if (otherRegions.some((region) => isMobileNumber(candidate, region))) return 0.7;

    if (hasNationalLayout(candidate) && otherRegions.some((region) => isValidNumber(candidate, region))) return 0.7;
  }

  return undefined;
}

const nationalLengthsByRegion = new Map<CountryCode, { lengths: ReadonlySet<number>; callingCodeLength: number }>();

/**
 * Whether a number of this many digits can be national in the region, allowing for a trunk prefix or a country code
 * written without "+". A cheap filter that spares most libphonenumber parses (about 30 µs each).
 */
function fitsNationalLength(digitCount: number, region: CountryCode) {
  let plan = nationalLengthsByRegion.get(region);
  if (plan == null) {
    const metadata = new Metadata();
    metadata.selectNumberingPlan(region);
    plan = {
      lengths: new Set(metadata.numberingPlan?.possibleLengths() ?? []),
      callingCodeLength: getCountryCallingCode(region).length
    };
    nationalLengthsByRegion.set(region, plan);
  }

  return plan.lengths.has(digitCount) || plan.lengths.has(digitCount - 1) || plan.lengths.has(digitCount - plan.callingCodeLength);
}

const nationalLayoutPattern = /^(?:0\d(?:[ .]\d{2}){4}|0\d{1,5}\/ ?\d[\d ]{3,10}|\(?0\d{2,4}\)? \d{3,4} \d{3,4})$/;

function hasNationalLayout(candidate: string) {
  return nationalLayoutPattern.test(candidate);
}

function isMobileNumber(candidate: string, region: CountryCode) {
  const number = parsePhoneNumberFromString(candidate, { defaultCountry: region, extract: false });
  return number?.isValid() === true && number.getType() === 'MOBILE';
}

function hasPhoneCue(text: string, index: number) {
  const before = text.slice(Math.max(0, index - 48), index);
  return phoneCuePattern.test(before) && !nonPhoneCuePattern.test(before);
}

function isValidNumber(candidate: string, region: CountryCode) {
  return parsePhoneNumberFromString(candidate, { defaultCountry: region, extract: false })?.isValid() === true;
}
