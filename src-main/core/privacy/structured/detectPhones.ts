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

/** The regions a number is read in: the default first, then those the text implies near it, then the common ones */
type RegionPlan = {
  defaultRegion: CountryCode;
  implied: readonly CountryCode[];
  others: readonly CountryCode[];
  readings: PhoneReadings;
};

/** A text's candidates read in regions, each reading parsed once: a candidate may be tried in one region several ways */
class PhoneReadings {
  private readonly _parsed = new Map<string, PhoneNumber | undefined>();

  /** The candidate as a valid number of the region, if it is one */
  public valid(candidate: string, region: CountryCode) {
    const key = `${region} ${candidate}`;
    if (!this._parsed.has(key)) {
      const number = parsePhoneNumberFromString(candidate, { defaultCountry: region, extract: false });
      this._parsed.set(key, number?.isValid() === true ? number : undefined);
    }

    return this._parsed.get(key);
  }

  public isWrittenAsNationalNumber(candidate: string, region: CountryCode) {
    const number = this.valid(candidate, region);
    return number != null && fitsNumberLayout(candidate, number);
  }
}

/**
 * Finds phone numbers with a linear candidate scan and validates each candidate with libphonenumber.
 * Numbers without a country code are read in the default region, in the regions the text implies (a country named,
 * an email's country domain, another number's country code) and in common regions; unformatted digit runs, which are
 * usually order or account numbers, need phone words nearby or a region the text implies.
 */
export function detectPhones(text: string, { defaultRegion }: PhoneDetectionOptions): EntityCandidate[] {
  const candidates = [...text.matchAll(phoneCandidatePattern)].filter((match) => hasPhoneShape(match[0]) && !isAmount(text, match));
  if (candidates.length === 0) return [];

  const readings = new PhoneReadings();
  const evidence = regionEvidence(text, candidates, readings, defaultRegion).filter(({ region }) => region !== defaultRegion);
  const tables = new TableHeaders(text);
  const entities: EntityCandidate[] = [];
  for (const match of candidates) {
    const cue = nearestCue(text, match.index) ?? columnCue(tables, match.index);
    if (cue === 'otherWords') continue;

    const implied = regionsNear(evidence, match.index);
    const others = fallbackRegions.filter((region) => region !== defaultRegion && !implied.includes(region));
    const score = scorePhoneCandidate(match[0], { defaultRegion, implied, others, readings }, cue);
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
  const { readings } = plan;
  const isInternational = candidate.startsWith('+') || candidate.startsWith('00');
  if (isInternational) return readings.valid(candidate.replace(/^00/, '+'), plan.defaultRegion) != null ? 0.95 : undefined;

  const digits = onlyDigits(candidate);
  const fitting = (regions: readonly CountryCode[]) => regions.filter((region) => couldBeNationalNumber(digits, region));
  const [home, implied, others] = [fitting([plan.defaultRegion]), fitting(plan.implied), fitting(plan.others)];
  const isTrunkPrefixed = /^\(?0/.test(candidate);
  const hasCue = cue != null;

  // Digits read out one by one ("0 7 4 0 0 …") are a digit run too, but only phone words make them a number
  const isSpelledOut = spelledOutPattern.test(candidate);
  if (!/[ ()./-]/.test(candidate) || isSpelledOut) {
    if (hasCue) {
      if (home.some((region) => readings.valid(candidate, region) != null)) return 0.85;
      // A digit run of a region the text does not imply also needs the trunk prefix or phone words right before it
      const regions = isTrunkPrefixed || cue === 'adjacentPhoneWords' ? [...implied, ...others] : implied;
      if (regions.some((region) => readings.valid(candidate, region) != null)) return 0.8;
    }

    // A trunk-prefixed mobile number ("07700900123") in a region the text names is a phone number without phone words
    return !isSpelledOut && isTrunkPrefixed && implied.some((region) => readings.valid(candidate, region)?.getType() === 'MOBILE')
      ? 0.75
      : undefined;
  }

  // A formatted number counts when it is written as its country writes numbers; phone words nearby vouch for any layout
  if (home.some((region) => readings.isWrittenAsNationalNumber(candidate, region))) return 0.9;
  if (implied.some((region) => readings.isWrittenAsNationalNumber(candidate, region))) return 0.85;
  if (hasCue && [...home, ...implied, ...others].some((region) => readings.valid(candidate, region) != null)) return 0.8;

  // In a region the text does not imply, the trunk prefix ("07894 843895", "030/2345 6789") vouches for the reading
  return isTrunkPrefixed && others.some((region) => readings.isWrittenAsNationalNumber(candidate, region)) ? 0.7 : undefined;
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

/** Numbering-plan fields libphonenumber's metadata has but its typings leave out */
type NumberingPlanPatterns = {
  nationalNumberPattern(): string;
  nationalPrefix(): string | undefined;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
};

/** What a region's national numbers look like, from its metadata; no pattern where only a parse can tell */
type NationalNumberShape = { lengths: ReadonlySet<number>; callingCode: string; pattern?: RegExp; prefix?: RegExp };

const nationalNumberShapes = new Map<CountryCode, NationalNumberShape>();

/**
 * Whether these digits can be a valid number of the region: as written, after the trunk prefix, or after the country
 * code written without "+", they must have a possible length and match the national number pattern of the region or
 * of one sharing its country code (a number parsed for Canada may turn out American). A cheap filter that spares
 * most libphonenumber parses (20 to 40 µs each); where prefix rules rewrite the number (Brazil, Japan) only the
 * length is checked.
 */
function couldBeNationalNumber(digits: string, region: CountryCode) {
  let shape = nationalNumberShapes.get(region);
  if (shape == null) {
    shape = readNationalNumberShape(region);
    nationalNumberShapes.set(region, shape);
  }

  const { lengths, callingCode, pattern, prefix } = shape;
  if (!lengths.has(digits.length) && !lengths.has(digits.length - 1) && !lengths.has(digits.length - callingCode.length)) return false;
  if (pattern == null) return true;

  const afterPrefix = prefix == null ? digits : digits.replace(prefix, '');
  const afterCallingCode = digits.startsWith(callingCode) ? digits.slice(callingCode.length) : digits;
  return [digits, afterPrefix, afterCallingCode].some((national) => pattern.test(national));
}

function readNationalNumberShape(region: CountryCode): NationalNumberShape {
  const metadata = new Metadata();
  const planOf = (country: CountryCode) => {
    metadata.selectNumberingPlan(country);
    return metadata.numberingPlan as unknown as NumberingPlanPatterns;
  };

  const plan = planOf(region);
  const callingCode = getCountryCallingCode(region);
  const lengths = new Set(metadata.numberingPlan?.possibleLengths() ?? []);
  if (plan.nationalPrefixTransformRule() != null) return { lengths, callingCode };

  const prefix = plan.nationalPrefixForParsing() ?? plan.nationalPrefix();
  const sharing = getCountries().filter((country) => getCountryCallingCode(country) === callingCode);
  return {
    lengths,
    callingCode,
    pattern: new RegExp(`^(?:${sharing.map((country) => planOf(country).nationalNumberPattern()).join('|')})$`),
    prefix: prefix == null ? undefined : new RegExp(`^(?:${prefix})`)
  };
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
/**
 * Words of Latin letters from a capital on, where region names start (ICU's names in the locales below are all
 * Latin). Unicode property classes are several times slower to scan with, so they only check the hits' edges.
 */
const capitalisedWordPattern = /[A-Z\u00C0-\u024F][a-z\u00C0-\u024F\u0300-\u036F]+/g;
const letterPattern = /[\p{L}\p{M}]/u;
/** Up to three more words after a capitalised word that may start a region's name ("South" of "South Africa") */
const followingWordsPattern = /(?:[ -][\p{L}\p{M}]+){1,3}/uy;

/** A region named further away than this, in a long text, says nothing about a number: it is another document's */
const regionEvidenceReach = 2_000;

type RegionEvidence = { region: CountryCode; index: number };

/**
 * Where the text points to regions: the country codes of its valid international numbers, the country domains of its email
 * and web addresses, and the countries and languages it names ("Germany", "Deutschland", "French").
 */
function regionEvidence(text: string, candidates: readonly RegExpExecArray[], readings: PhoneReadings, defaultRegion: CountryCode) {
  const evidence: RegionEvidence[] = [];
  for (const { 0: candidate, index } of candidates) {
    if (!/^(?:\+|00)/.test(candidate)) continue;

    const region = readings.valid(candidate.replace(/^00/, '+'), defaultRegion)?.country;
    if (region != null) evidence.push({ region, index });
  }

  for (const { 1: domain, index } of text.matchAll(countryDomainPattern)) {
    const region = domain!.toUpperCase() === 'UK' ? 'GB' : domain!.toUpperCase();
    if (isSupportedCountry(region)) evidence.push({ region, index });
  }

  const { names, firstWords } = regionsByName();
  for (const word of text.matchAll(capitalisedWordPattern)) {
    const end = word.index + word[0].length;
    if (!firstWords.has(word[0]) || letterPattern.test(text.charAt(word.index - 1)) || letterPattern.test(text.charAt(end))) continue;

    followingWordsPattern.lastIndex = end;
    const words = [word[0], ...(followingWordsPattern.exec(text)?.[0].split(/(?=[ -])/) ?? [])];
    // The longest run of words that names a region: "South Africa" before "South"
    for (let count = words.length; count > 0; count--) {
      const region = names.get(words.slice(0, count).join(''));
      if (region == null) continue;

      evidence.push({ region, index: word.index });
      break;
    }
  }

  return evidence;
}

/** The regions implied near a number, each once */
function regionsNear(evidence: readonly RegionEvidence[], index: number) {
  const regions = new Set<CountryCode>();
  for (const { region, index: at } of evidence) if (Math.abs(at - index) <= regionEvidenceReach) regions.add(region);

  return [...regions];
}

/** Languages whose names for countries and for languages are looked for; English covers demonym-like "French" */
const regionNameLocales = ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'pl', 'sv', 'da', 'nb', 'fi', 'cs', 'hr', 'tr'];
let regionNameIndex: { names: Map<string, CountryCode>; firstWords: Set<string> } | undefined;

/**
 * Country and language names (from ICU's display names) and the region each one points to, with the first words of
 * the names, which spare looking up every capitalised word's run; built on first use
 */
function regionsByName() {
  if (regionNameIndex != null) return regionNameIndex;

  const names = new Map<string, CountryCode>();
  for (const locale of regionNameLocales) {
    const regionNames = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    const languageNames = new Intl.DisplayNames([locale], { type: 'language', fallback: 'none' });
    for (const region of getCountries()) {
      const name = regionNames.of(region);
      if (name != null && !names.has(name)) names.set(name, region);

      // A language names the region it is mostly spoken in ("Polish" → PL, not "Portuguese" → PT, which is BR's)
      const language = new Intl.Locale(`und-${region}`).maximize().language;
      const languageName = languageNames.of(language)?.replace(/^\p{Ll}/u, (first) => first.toUpperCase());
      if (languageName != null && new Intl.Locale(language).maximize().region === region && !names.has(languageName))
        names.set(languageName, region);
    }
  }

  regionNameIndex = { names, firstWords: new Set([...names.keys()].map((name) => name.split(/[ -]/)[0]!)) };
  return regionNameIndex;
}
