import {
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  Metadata,
  parsePhoneNumberFromString,
  type CountryCode,
  type PhoneNumber
} from 'libphonenumber-js/max';
import type { EntityCandidate } from '../types';
import { onlyDigits } from './checksums';
import { TableHeaders } from './tableHeaders';

/** An area code may end in a slash, as in German numbers: "030/2345 6789" */
const phoneCandidatePattern = /(?<![\w+@./#-])(?:\+ ?|00)?(?:\(\d{1,5}\) ?|0\d{1,5}\/ ?)?\d[\d ().-]{4,22}\d(?![\w@/]|[.-]\d)/g;
const phoneCuePattern =
  /(?:phone|\btel\b|mobile|\bmob\b|cell|call|fax|whats ?app|contact|number|\breach\b|\bring\b|\btext\b|\bsms\b|\bdial|landline|hotline|n[uú]mero|m[oó]vil|portable|handy|telefon|t[ée]l[ée]phone|\b[mtpf]\s{0,3}:|☎|📞)/gi;
const nonPhoneCuePattern =
  /(?:order|invoice|account|acct|policy|member|tracking|reference|\bref\b|ticket|case|serial|sort code|routing|ssn|\bsin\b|nhs|passport|\bid\b|student|employee|batch|\blot\b|sku|\bjob\b|\bbuild\b)(?:\s{0,3}(?:number|no\b|nr\b))?/gi;
/** A date, alone or before a time; not the first groups of a longer number ("06-12-34-76-04") */
const datePrefixPattern = /^(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))(?![\d./-])/;
const dottedNumberPattern = /^\d{1,3}(?:\.\d{1,4}){2,}$/;
/** Dotted shapes that are phone numbers, not versions: US "415.555.0132", trunk-prefixed "06.45.21.87.39", "070.103.36.32" */
const dottedPhonePattern = /^(?:\d{3}\.\d{3}\.\d{4}|0\d{1,4}(?:\.\d{2,5}){2,4})$/;
const ssnShapePattern = /^\d{3}-\d{2}-\d{4}$/;
const spelledOutPattern = /^\d(?: \d){6,14}$/;
/** Amounts written with thousands separators ("€ 1 234 567", "12 500 000 zł") are not numbers to call */
const currencyBeforePattern = /[$€£¥₹₩₽]\s?$|\b(?:USD|EUR|GBP|CHF|INR|PLN|SEK|NOK|DKK|CZK)\s?$/;
const currencyAfterPattern = /^\s?(?:[$€£¥₹₩₽]|(?:USD|EUR|GBP|CHF|INR|PLN|SEK|NOK|DKK|CZK|zł|kr|Kč|Ft|euros?|dollars?)\b)/i;

/** Regions tried for national-format numbers when the text implies no region or the implied ones do not fit. */
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
  'CA',
  'PT',
  'CZ',
  'SK',
  'HR',
  'FI',
  'GH',
  'SN',
  'GR',
  'HU',
  'RO',
  'NZ',
  'SG'
];

/** Words before a candidate: phone words within 16 characters ("call me on"), further on the line, or other ids' words */
type PhoneCue = 'adjacentPhoneWords' | 'phoneWords' | 'otherWords';

export type PhoneDetectionOptions = {
  defaultRegion: CountryCode;
};

/** The regions a text's numbers are read in: the default first, then those the text implies, then the common ones */
type RegionPlan = {
  defaultRegion: CountryCode;
  implied: readonly CountryCode[];
  others: readonly CountryCode[];
};

/**
 * Finds phone numbers with a linear candidate scan and validates each candidate with libphonenumber.
 * Numbers without a country code are read in the default region, in the regions the text implies (a country named,
 * an email's country domain, another number's country code) and in common regions; unformatted digit runs, which are
 * usually order or account numbers, need phone words nearby or a region the text implies.
 */
export function detectPhones(text: string, { defaultRegion }: PhoneDetectionOptions): EntityCandidate[] {
  const candidates = [...text.matchAll(phoneCandidatePattern)].filter((match) => hasPhoneShape(match[0]) && !isAmount(text, match));
  if (candidates.length === 0) return [];

  const implied = impliedRegions(text, candidates).filter((region) => region !== defaultRegion);
  const plan: RegionPlan = {
    defaultRegion,
    implied,
    others: fallbackRegions.filter((region) => region !== defaultRegion && !implied.includes(region))
  };

  const tables = new TableHeaders(text);
  const entities: EntityCandidate[] = [];
  for (const match of candidates) {
    const cue = nearestCue(text, match.index) ?? columnCue(tables, match.index);
    if (cue === 'otherWords') continue;

    const score = scorePhoneCandidate(match[0], plan, cue);
    if (score == null) continue;

    entities.push({
      type: 'PHONE',
      start: match.index,
      end: match.index + match[0].length,
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
  if (digitCount < 7 || digitCount > 15 || datePrefixPattern.test(candidate)) return false;
  if (dottedPhonePattern.test(candidate)) return true;

  if (dottedNumberPattern.test(candidate) || ssnShapePattern.test(candidate) || (candidate.startsWith('00') && digitCount < 11))
    return false;

  const singleDigitGroups = candidate.split(/[ ().-]+/).filter((group) => group.length === 1).length;
  return singleDigitGroups <= 2 || spelledOutPattern.test(candidate);
}

function isAmount(text: string, match: RegExpExecArray | RegExpMatchArray) {
  const index = match.index!;
  return (
    currencyBeforePattern.test(text.slice(Math.max(0, index - 5), index)) ||
    currencyAfterPattern.test(text.slice(index + match[0].length, index + match[0].length + 8))
  );
}

function scorePhoneCandidate(candidate: string, plan: RegionPlan, cue: PhoneCue | undefined) {
  const isInternational = candidate.startsWith('+') || candidate.startsWith('00');
  if (isInternational) return parseValid(candidate.replace(/^00/, '+'), plan.defaultRegion) != null ? 0.95 : undefined;

  const digitCount = onlyDigits(candidate).length;
  const fitting = (regions: readonly CountryCode[]) => regions.filter((region) => fitsNationalLength(digitCount, region));
  const [home, implied, others] = [fitting([plan.defaultRegion]), fitting(plan.implied), fitting(plan.others)];
  const isTrunkPrefixed = /^\(?0/.test(candidate);
  const hasCue = cue != null;

  // Digits read out one by one ("0 7 4 0 0 …") are a digit run too, but only phone words make them a number
  const isSpelledOut = spelledOutPattern.test(candidate);
  if (!/[ ()./-]/.test(candidate) || isSpelledOut) {
    if (hasCue) {
      if (home.some((region) => parseValid(candidate, region) != null)) return 0.85;
      // A digit run of a region the text does not imply also needs the trunk prefix or phone words right before it
      const regions = isTrunkPrefixed || cue === 'adjacentPhoneWords' ? [...implied, ...others] : implied;
      if (regions.some((region) => parseValid(candidate, region) != null)) return 0.8;
    }

    // A trunk-prefixed mobile number ("07700900123") in a region the text names is a phone number without phone words
    return !isSpelledOut && isTrunkPrefixed && implied.some((region) => parseValid(candidate, region)?.getType() === 'MOBILE')
      ? 0.75
      : undefined;
  }

  // A formatted number counts when it is written as its country writes numbers; phone words nearby vouch for any layout
  if (home.some((region) => isWrittenAsNationalNumber(candidate, region))) return 0.9;
  if (implied.some((region) => isWrittenAsNationalNumber(candidate, region))) return 0.85;
  if (hasCue && [...home, ...implied, ...others].some((region) => parseValid(candidate, region) != null)) return 0.8;

  // In a region the text does not imply, the trunk prefix ("07894 843895", "030/2345 6789") vouches for the reading
  return isTrunkPrefixed && others.some((region) => isWrittenAsNationalNumber(candidate, region)) ? 0.7 : undefined;
}

function parseValid(candidate: string, region: CountryCode) {
  const number = parsePhoneNumberFromString(candidate, { defaultCountry: region, extract: false });
  return number?.isValid() === true ? number : undefined;
}

function isWrittenAsNationalNumber(candidate: string, region: CountryCode) {
  const number = parseValid(candidate, region);
  return number != null && fitsNumberLayout(candidate, number);
}

/**
 * Whether the candidate groups its digits as the country does ("020 7946 0958", "06 12 34 56 78"), merging groups or
 * splitting one into parts of three or more digits ("07894 843 895"). Digit runs that happen to be valid numbers
 * ("2012-270408", "66 02 06 12 62") break groups elsewhere.
 */
function fitsNumberLayout(candidate: string, number: PhoneNumber) {
  const nationalNumber = number.nationalNumber;
  // Where the country writes a trunk prefix ("030 …" in Germany), numbers written without it are something else
  if (onlyDigits(candidate).length < onlyDigits(number.formatNational()).length) return false;

  const formatBoundaries = new Set([
    ...groupBoundaries(number.formatNational(), nationalNumber),
    ...groupBoundaries(number.formatInternational(), nationalNumber)
  ]);
  const formatGroupStarts = [0, ...[...formatBoundaries].sort((a, b) => a - b), nationalNumber.length];
  const candidateBoundaries = groupBoundaries(candidate, nationalNumber);
  // An area code closed by a slash or parenthesis ("089/12 34 56 7", "(0161) 4960 732") frees the grouping after it
  const areaCodeEnd = /^\(?\d{2,6}[)/]/.test(candidate) ? candidateBoundaries[0] : undefined;
  if (areaCodeEnd != null && !formatBoundaries.has(areaCodeEnd)) return false;

  return candidateBoundaries.every((boundary) => {
    if (formatBoundaries.has(boundary) || (areaCodeEnd != null && boundary > areaCodeEnd)) return true;

    const groupEnd = formatGroupStarts.findIndex((start) => start > boundary);
    return boundary - formatGroupStarts[groupEnd - 1]! >= 3 && formatGroupStarts[groupEnd]! - boundary >= 3;
  });
}

/** Where a written number's digit groups break, counted in digits of its national number (prefixes left out) */
function groupBoundaries(written: string, nationalNumber: string) {
  const groups = written.split(/\D+/).filter((group) => group.length > 0);
  const prefixLength = groups.join('').length - nationalNumber.length;
  const boundaries: number[] = [];
  let position = -prefixLength;
  for (const group of groups.slice(0, -1)) {
    position += group.length;
    if (position > 0) boundaries.push(position);
  }

  return boundaries;
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

/**
 * The label nearest before a candidate on its line: phone words ("call", "mobile") within 32 characters or other
 * identifiers' words ("order", "tracking") within 24. "Order 5512, call 06 12 34 56 78" is a phone number.
 */
function nearestCue(text: string, index: number): PhoneCue | undefined {
  const before = text.slice(Math.max(0, index - 48), index);
  const line = before.slice(before.lastIndexOf('\n') + 1);
  const phoneCueEnd = lastMatchEnd(phoneCuePattern, line);
  const otherCueEnd = lastMatchEnd(nonPhoneCuePattern, line);
  if (otherCueEnd != null && line.length - otherCueEnd <= 24 && (phoneCueEnd == null || otherCueEnd >= phoneCueEnd)) return 'otherWords';
  if (phoneCueEnd == null || line.length - phoneCueEnd > 32) return undefined;

  return line.length - phoneCueEnd <= 16 ? 'adjacentPhoneWords' : 'phoneWords';
}

/** In a table, the column's header labels the cell ("tel", "telefon", "order_no") */
function columnCue(tables: TableHeaders, index: number): PhoneCue | undefined {
  const header = tables.columnHeaderAt(index);
  if (header == null) return undefined;

  if (lastMatchEnd(nonPhoneCuePattern, header) != null) return 'otherWords';

  return lastMatchEnd(phoneCuePattern, header) != null ? 'adjacentPhoneWords' : undefined;
}

function lastMatchEnd(pattern: RegExp, text: string) {
  let end: number | undefined;
  for (const match of text.matchAll(pattern)) end = match.index + match[0].length;

  return end;
}

const countryDomainPattern = /(?:@|\bwww\.|:\/\/)[\w.-]*\.([a-z]{2})(?![\w.-]*\w)/gi;
const capitalisedWordStartPattern = /(?<![\p{L}\p{M}])\p{Lu}/gu;
/** Up to four words from a capital letter on, tried wherever a capitalised word starts */
const placeWordsPattern = /\p{Lu}[\p{L}\p{M}]+(?:[ -][\p{L}\p{M}]+){0,3}/uy;

/**
 * Regions the text points to: the country codes of its international numbers, the country domains of its email and
 * web addresses, and the countries and languages it names ("Germany", "Deutschland", "French").
 */
function impliedRegions(text: string, candidates: readonly RegExpExecArray[]) {
  const regions = new Set<CountryCode>();
  for (const [candidate] of candidates) {
    if (!/^(?:\+|00)/.test(candidate)) continue;

    const country = parsePhoneNumberFromString(candidate.replace(/^00/, '+'))?.country;
    if (country != null) regions.add(country);
  }

  for (const [, domain] of text.matchAll(countryDomainPattern)) {
    const region = domain!.toUpperCase() === 'UK' ? 'GB' : domain!.toUpperCase();
    if (isSupportedCountry(region)) regions.add(region);
  }

  const names = regionsByName();
  for (const start of text.matchAll(capitalisedWordStartPattern)) {
    placeWordsPattern.lastIndex = start.index;
    const words = placeWordsPattern.exec(text)?.[0].split(/(?=[ -])/) ?? [];
    // The longest run of words that names a region: "South Africa" before "South"
    for (let count = words.length; count > 0; count--) {
      const region = names.get(words.slice(0, count).join(''));
      if (region == null) continue;

      regions.add(region);
      break;
    }
  }

  return [...regions];
}

/** Languages whose names for countries and for languages are looked for; English covers demonym-like "French" */
const regionNameLocales = ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'pl', 'sv', 'da', 'nb', 'fi', 'cs', 'hr', 'tr'];
let regionNameMap: Map<string, CountryCode> | undefined;

/** Country and language names (from ICU's display names) and the region each one points to, built on first use */
function regionsByName() {
  if (regionNameMap != null) return regionNameMap;

  regionNameMap = new Map();
  for (const locale of regionNameLocales) {
    const regionNames = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    const languageNames = new Intl.DisplayNames([locale], { type: 'language', fallback: 'none' });
    for (const region of getCountries()) {
      const name = regionNames.of(region);
      if (name != null && !regionNameMap.has(name)) regionNameMap.set(name, region);

      // A language names the region it is mostly spoken in ("Polish" → PL, not "Portuguese" → PT, which is BR's)
      const language = new Intl.Locale(`und-${region}`).maximize().language;
      const languageName = languageNames.of(language)?.replace(/^\p{Ll}/u, (first) => first.toUpperCase());
      if (languageName != null && new Intl.Locale(language).maximize().region === region && !regionNameMap.has(languageName))
        regionNameMap.set(languageName, region);
    }
  }

  return regionNameMap;
}
