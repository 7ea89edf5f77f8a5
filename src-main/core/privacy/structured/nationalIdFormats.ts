import { decimalModulo, onlyDigits, passesLuhn, passesVerhoeff, weightedSum } from './checksums';

export type NationalIdFormat = {
  /** Short identifier reported as part of the detector name, e.g. `"US_SSN"` */
  id: string;

  /** Global, linear-time pattern for candidates; it must not match inside a longer token */
  pattern: RegExp;

  isValid(candidate: string): boolean;

  /** When set, a candidate only counts if this pattern matches the text just before it */
  requiredContext?: RegExp;

  /** Context that raises the score when present but is not required */
  supportingContext?: RegExp;
};

const invalidNinoPrefixes = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);
const dniLetters = 'TRWAGMYFPDXBNJZSQVHLCKE';

/**
 * National identifier formats. Each entry is self-contained so others can be added without touching the detector.
 * Formats whose check digit is weak or whose shape collides with phone numbers need context words.
 */
export const nationalIdFormats: readonly NationalIdFormat[] = [
  {
    id: 'US_SSN',
    pattern: /(?<![\w-])\d{3}([- ])\d{2}\1\d{4}(?![\w-])/g,
    isValid: (candidate) => isValidSsn(onlyDigits(candidate)),
    supportingContext: /\b(?:ssn|social security|soc\.? ?sec)/i
  },
  {
    id: 'US_SSN',
    pattern: /(?<![\w-])\d{9}(?![\w-])/g,
    isValid: (candidate) => isValidSsn(candidate),
    // Same-line context, with a few words between ("SSN (no dashes): …", "social security number on file is …")
    requiredContext: /\b(?:ssn|social security|soc\.? ?sec)\b[^\n\d]{0,32}$/i
  },
  {
    id: 'US_ITIN',
    pattern: /(?<![\w-])9\d{2}([- ]?)(?:5\d|6[0-5]|7\d|8[0-8]|9[0-24-9])\1\d{4}(?![\w-])/g,
    isValid: () => true,
    requiredContext: /\b(?:itin|taxpayer identification|tax id)\b[^\n\d]{0,32}$/i
  },
  {
    id: 'UK_NINO',
    pattern: /(?<![A-Za-z0-9])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])/g,
    isValid: (candidate) => !invalidNinoPrefixes.has(candidate.slice(0, 2)),
    supportingContext: /\b(?:national insurance|nino|ni number|ni no)/i
  },
  {
    id: 'UK_NHS',
    pattern: /(?<![\w-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\w-])/g,
    isValid: (candidate) => isValidNhsNumber(onlyDigits(candidate)),
    requiredContext: /\b(?:nhs|chi|health(?: and care)?(?: service)? (?:number|no)|hcn)\b[^\n\d]{0,32}$/i
  },
  {
    id: 'DE_TAX_ID',
    pattern: /(?<![\w-])[1-9]\d(?: ?\d{3}){3}(?![\w-])/g,
    isValid: (candidate) => isValidGermanTaxId(onlyDigits(candidate)),
    requiredContext: /\b(?:steuer|tax|tin\b|idnr|identifikationsnummer)[^\n]{0,40}$/i
  },
  {
    // Rentenversicherungsnummer: area, birth date (DDMMYY), the surname's initial, serial and check digit
    id: 'DE_SOCIAL_INSURANCE',
    pattern: /(?<![\w-])\d{2} ?\d{6} ?[A-Z] ?\d{3}(?![\w-])/g,
    isValid: (candidate) => isValidGermanSocialInsuranceNumber(candidate.replace(/ /g, '')),
    supportingContext: /\b(?:sozialversicherung|rentenversicherung|versicherungsnummer|svnr|rvnr|social insurance)/i
  },
  {
    id: 'FR_NIR',
    pattern: /(?<![\w-])[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\w-])/g,
    isValid: isValidFrenchNir,
    supportingContext: /\b(?:s[ée]curit[ée] sociale|nir|insee|social security)/i
  },
  {
    id: 'ES_DNI',
    pattern: /(?<![\w-])(?:\d{8}|[XYZ]-?\d{7})-?[A-Z](?![\w-])/g,
    isValid: isValidSpanishDni,
    supportingContext: /\b(?:dni|nie|nif|documento)/i
  },
  {
    id: 'IN_AADHAAR',
    // Verhoeff passes one random number in ten, so the context must name the Aadhaar (same line, a few words before)
    pattern: /(?<![\w-])[2-9]\d{3}([ -]?)\d{4}\1\d{4}(?![\w-])/g,
    isValid: (candidate) => passesVerhoeff(onlyDigits(candidate)),
    requiredContext: /\b(?:aadhaa?r|uidai|uid)\b[^\n\d]{0,32}$/i
  },
  {
    // Fourth letter: the holder's category (P person, C company, H family, F firm…); persons need no context
    id: 'IN_PAN',
    pattern: /(?<![A-Za-z0-9])[A-Z]{3}[PCHFATBLJG][A-Z]\d{4}[A-Z](?![A-Za-z0-9])/g,
    isValid: () => true,
    supportingContext: /\b(?:pan|permanent account|income tax|kyc)\b/i
  },
  {
    id: 'BR_CPF',
    pattern: /(?<![\w.-])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\w-]|\.\d)/g,
    isValid: (candidate) => isValidCpf(onlyDigits(candidate)),
    supportingContext: /\bcpf\b/i
  },
  {
    // Unpunctuated CPF: eleven digits are too common to count without the label
    id: 'BR_CPF',
    pattern: /(?<![\w.-])\d{11}(?![\w-]|\.\d)/g,
    isValid: isValidCpf,
    requiredContext: /\bcpf\b[^\n\d]{0,32}$/i
  },
  {
    id: 'CA_SIN',
    pattern: /(?<![\w-])[1-79]\d{2}([ -]?)\d{3}\1\d{3}(?![\w-])/g,
    isValid: (candidate) => passesLuhn(onlyDigits(candidate)),
    requiredContext: /\b(?:sin|social insurance(?: number)?|nas)\b[^\n]{0,24}$/i
  },
  {
    id: 'IE_PPS',
    pattern: /(?<![\w-])\d{7}[A-W][A-IW]?(?![\w-])/g,
    isValid: isValidIrishPps,
    supportingContext: /\b(?:pps|ppsn|personal public service)/i
  },
  {
    id: 'NL_BSN',
    pattern: /(?<![\w.-])\d{4}\.?\d{2}\.?\d{3}(?![\w-]|\.\d)/g,
    isValid: (candidate) => isValidBsn(onlyDigits(candidate)),
    requiredContext: /\b(?:bsn|burgerservicenummer|sofi(?:nummer)?|citizen service number)\b[^\n\d]{0,32}$/i
  },
  {
    id: 'BE_NATIONAL_NUMBER',
    pattern: /(?<![\w.-])\d{2}\.?\d{2}\.?\d{2}-?\d{3}\.?\d{2}(?![\w-]|\.\d)/g,
    isValid: (candidate) => isValidBelgianNationalNumber(onlyDigits(candidate)),
    requiredContext: /\b(?:rijksregister\w*|national (?:register|number)|num[ée]ro national|insz|niss|nn)\b[^\n\d]{0,32}$/i
  },
  {
    // Personnummer: YYMMDD-NNNC (or with the century), Luhn over the last ten digits
    id: 'SE_PERSONNUMMER',
    pattern: /(?<![\w-])(?:19|20)?\d{6}[-+]\d{4}(?![\w-])/g,
    isValid: (candidate) => isValidPersonnummer(onlyDigits(candidate)),
    supportingContext: /\b(?:personnummer|personal identity number)\b/i
  },
  {
    // Without the separator ("198503142732", "8503142732") only the label tells a personnummer from other digits
    id: 'SE_PERSONNUMMER',
    pattern: /(?<![\w-])(?:19|20)?\d{10}(?![\w-])/g,
    isValid: (candidate) => isValidPersonnummer(candidate),
    requiredContext: /\b(?:personnummer|personal identity number)\b[^\n\d]{0,32}$/i
  },
  {
    id: 'NO_FODSELSNUMMER',
    pattern: /(?<![\w-])\d{6} ?\d{5}(?![\w-])/g,
    isValid: (candidate) => isValidNorwegianBirthNumber(onlyDigits(candidate)),
    requiredContext: /\b(?:f[øo]dselsn(?:umme)?r|fnr|f\.nr|personnummer|national identity number)\b[^\n\d]{0,32}$/i
  },
  {
    // CPR numbers dropped their check digit in 2007, so only the date and context vouch for them
    id: 'DK_CPR',
    pattern: /(?<![\w-])\d{6}-?\d{4}(?![\w-])/g,
    isValid: (candidate) => isPlausibleDate(onlyDigits(candidate).slice(0, 6), 'DDMMYY'),
    requiredContext: /\b(?:cpr|personnummer)(?:[ -]?(?:nr|number|nummer))?\b[^\n\d]{0,32}$/i
  },
  {
    id: 'FI_HETU',
    pattern: /(?<![\w-])\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y](?![\w-])/g,
    isValid: isValidFinnishHetu,
    supportingContext: /\b(?:henkil[öo]tunnus|hetu|personal identity code)\b/i
  },
  {
    // Rodné číslo (Czech and Slovak birth number): YYMMDD/NNNC, women's months +50; the ten digits divide by 11
    id: 'CZ_SK_RODNE_CISLO',
    pattern: /(?<![\w/.-])\d{2}[0-35-8]\d[0-3]\d\/\d{4}(?![\w/-]|\.\d)/g,
    isValid: (candidate) => isValidRodneCislo(onlyDigits(candidate)),
    supportingContext: /\b(?:rodn[ée] [čc][íi]slo|r\.?\s?[čc]\.|birth number)/i
  },
  {
    id: 'CZ_SK_RODNE_CISLO',
    pattern: /(?<![\w/.-])\d{2}[0-35-8]\d[0-3]\d\d{4}(?![\w/-]|\.\d)/g,
    isValid: (candidate) => isValidRodneCislo(candidate),
    requiredContext: /(?:\brodn[ée] [čc][íi]slo|\br\.?[čc]\.?|\bbirth number)[^\n\d]{0,32}$/i
  },
  {
    id: 'IT_CODICE_FISCALE',
    pattern: /(?<![A-Za-z0-9])[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z](?![A-Za-z0-9])/g,
    isValid: isValidCodiceFiscale,
    supportingContext: /\b(?:codice fiscale|cf|tax code)\b/i
  },
  {
    id: 'PL_PESEL',
    pattern: /(?<![\w-])\d{11}(?![\w-])/g,
    isValid: (candidate) => weightedSum(candidate.slice(0, 10), [1, 3, 7, 9]) % 10 === (10 - (candidate.charCodeAt(10) - 48)) % 10,
    requiredContext: /\bpesel\b[^\n\d]{0,32}$/i
  },
  {
    // NIP (tax number): weights 6,5,7,2,3,4,5,6,7, the remainder mod 11 is the last digit
    id: 'PL_NIP',
    pattern: /(?<![\w-])\d{3}-?\d{3}-?\d{2}-?\d{2}(?![\w-])/g,
    isValid: (candidate) => {
      const digits = onlyDigits(candidate);
      return weightedSum(digits.slice(0, 9), [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 === digits.charCodeAt(9) - 48;
    },
    requiredContext: /\bnip\b[^\n\d]{0,32}$/i
  },
  {
    id: 'PT_NIF',
    pattern: /(?<![\w-])[1-35-9]\d{2} ?\d{3} ?\d{3}(?![\w-])/g,
    isValid: (candidate) => isValidPortugueseNif(onlyDigits(candidate)),
    requiredContext: /\b(?:nif|contribuinte|n[úu]mero fiscal)\b[^\n\d]{0,32}$/i
  },
  {
    // Resident identity card: birth date inside, ISO 7064 MOD 11-2 check character
    id: 'CN_RESIDENT_ID',
    pattern: /(?<![\w-])[1-9]\d{5}(?:19|20)\d{9}[\dXx](?![\w-])/g,
    isValid: isValidChineseResidentId,
    supportingContext: /(?:身份证|\b(?:resident id|id card|identity card)\b)/i
  },
  {
    id: 'KR_RRN',
    pattern: /(?<![\w-])\d{6}-[1-8]\d{6}(?![\w-])/g,
    isValid: (candidate) => isPlausibleDate(candidate.slice(0, 6), 'YYMMDD'),
    supportingContext: /(?:주민등록번호|\b(?:rrn|resident registration)\b)/i
  },
  {
    id: 'SG_NRIC',
    pattern: /(?<![A-Za-z0-9])[STFGM]\d{7}[A-Z](?![A-Za-z0-9])/g,
    isValid: isValidSingaporeNric,
    supportingContext: /\b(?:nric|fin)\b/i
  },
  {
    id: 'ZA_ID',
    pattern: /(?<![\w-])\d{13}(?![\w-])/g,
    isValid: (candidate) => isPlausibleDate(candidate.slice(0, 6), 'YYMMDD') && passesLuhn(candidate),
    requiredContext: /\b(?:id(?:entity)? (?:number|no)|rsa id|sa id)\b[^\n\d]{0,32}$/i
  },
  {
    id: 'AU_TFN',
    pattern: /(?<![\w-])\d{3} ?\d{3} ?\d{3}(?![\w-])/g,
    isValid: (candidate) => weightedSum(onlyDigits(candidate), [1, 4, 3, 7, 5, 8, 6, 9, 10]) % 11 === 0,
    requiredContext: /\b(?:tfn|tax file(?: number)?)\b[^\n\d]{0,32}$/i
  },
  {
    // Medicare card: first digit 2–6, weights 1,3,7,9 over the first eight digits give the ninth, then an issue number
    id: 'AU_MEDICARE',
    pattern: /(?<![\w-])[2-6]\d{3} ?\d{5} ?\d(?![\w-])/g,
    isValid: (candidate) => {
      const digits = onlyDigits(candidate);
      return weightedSum(digits.slice(0, 8), [1, 3, 7, 9]) % 10 === digits.charCodeAt(8) - 48;
    },
    requiredContext: /\bmedicare\b[^\n\d]{0,32}$/i
  },
  {
    id: 'JP_MY_NUMBER',
    pattern: /(?<![\w-])\d{4} ?\d{4} ?\d{4}(?![\w-])/g,
    isValid: (candidate) => isValidMyNumber(onlyDigits(candidate)),
    requiredContext: /(?:マイナンバー|個人番号|\bmy number\b)[^\n\d]{0,32}$/i
  }
];

/** Ten digits: a date with the month raised by 50 (women) or 20 (from 2004), divisible by 11 or ending in 0 when the rest leaves 10 */
function isValidRodneCislo(digits: string) {
  const month = Number(digits.slice(2, 4)) % 50;
  const plausibleMonth = (month >= 1 && month <= 12) || (month >= 21 && month <= 32);
  const day = Number(digits.slice(4, 6));
  if (!plausibleMonth || day < 1 || day > 31) return false;

  const remainder = decimalModulo(digits.slice(0, 9), 11);
  return decimalModulo(digits, 11) === 0 || (remainder === 10 && digits[9] === '0');
}

/** Date of birth (YYMMDD) and a Luhn check over the last ten digits; a century before them is left out of both */
function isValidPersonnummer(digits: string) {
  const lastTen = digits.slice(-10);
  return isPlausibleDate(lastTen.slice(0, 6), 'YYMMDD') && passesLuhn(lastTen);
}

function isValidSsn(digits: string) {
  const area = digits.slice(0, 3);
  return area !== '000' && area !== '666' && area[0] !== '9' && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

function isValidNhsNumber(digits: string) {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (10 - i);

  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === digits.charCodeAt(9) - 48;
}

/** ISO 7064 MOD 11,10 check digit, plus the rule that one digit repeats in the first ten. */
function isValidGermanTaxId(digits: string) {
  const counts = new Map<string, number>();
  for (const digit of digits.slice(0, 10)) counts.set(digit, (counts.get(digit) ?? 0) + 1);

  const repeated = [...counts.values()].filter((count) => count > 1);
  if (repeated.length !== 1 || repeated[0]! > 3) return false;

  let product = 10;
  for (let i = 0; i < 10; i++) {
    const sum = (digits.charCodeAt(i) - 48 + product) % 10 || 10;
    product = (sum * 2) % 11;
  }

  return (11 - product) % 10 === digits.charCodeAt(10) - 48;
}

/** The initial counts as its two-digit place in the alphabet; the cross sums of the weighted digits give the check */
function isValidGermanSocialInsuranceNumber(compact: string) {
  if (!isPlausibleDate(compact.slice(2, 8), 'DDMMYY')) return false;

  const letterPlace = String(compact.charCodeAt(8) - 64).padStart(2, '0');
  const digits = compact.slice(0, 8) + letterPlace + compact.slice(9, 11);
  const weights = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const product = (digits.charCodeAt(i) - 48) * weights[i]!;
    sum += Math.floor(product / 10) + (product % 10);
  }

  return sum % 10 === compact.charCodeAt(11) - 48;
}

function isValidFrenchNir(candidate: string) {
  const compact = candidate.replace(/ /g, '');
  // Corsican departments 2A/2B count as 19/18 in the key computation
  const department = compact.slice(5, 7);
  const numericDepartment = department === '2A' ? '19' : department === '2B' ? '18' : department;
  const numeric = compact.slice(0, 5) + numericDepartment + compact.slice(7, 13);
  if (!/^\d{13}$/.test(numeric)) return false;

  return 97 - decimalModulo(numeric, 97) === Number(compact.slice(13));
}

function isValidSpanishDni(candidate: string) {
  const compact = candidate.replace(/-/g, '');
  const numeric = compact.slice(0, -1).replace(/^X/, '0').replace(/^Y/, '1').replace(/^Z/, '2');
  return dniLetters[Number(numeric) % 23] === compact.at(-1);
}

function isValidCpf(digits: string) {
  if (/^(\d)\1{10}$/.test(digits)) return false;

  const checkDigit = (length: number) => {
    let sum = 0;
    for (let i = 0; i < length; i++) sum += (digits.charCodeAt(i) - 48) * (length + 1 - i);

    return ((sum * 10) % 11) % 10;
  };

  return checkDigit(9) === digits.charCodeAt(9) - 48 && checkDigit(10) === digits.charCodeAt(10) - 48;
}

function isValidIrishPps(candidate: string) {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += (candidate.charCodeAt(i) - 48) * (8 - i);

  const secondLetter = candidate[8];
  if (secondLetter != null && secondLetter !== 'W') sum += (secondLetter.charCodeAt(0) - 64) * 9;

  const remainder = sum % 23;
  const expected = remainder === 0 ? 'W' : String.fromCharCode(64 + remainder);
  return candidate[7] === expected;
}

function isValidBsn(digits: string) {
  if (digits.length !== 9) return false;
  return (weightedSum(digits.slice(0, 8), [9, 8, 7, 6, 5, 4, 3, 2]) - (digits.charCodeAt(8) - 48)) % 11 === 0;
}

/** The check is 97 minus the first nine digits mod 97; people born from 2000 on have a 2 put before them. */
function isValidBelgianNationalNumber(digits: string) {
  const check = Number(digits.slice(9));
  return 97 - decimalModulo(digits.slice(0, 9), 97) === check || 97 - decimalModulo(`2${digits.slice(0, 9)}`, 97) === check;
}

function isValidNorwegianBirthNumber(digits: string) {
  if (!isPlausibleDate(digits.slice(0, 6), 'DDMMYY', true)) return false;

  const check = (weights: number[]) => {
    const remainder = weightedSum(digits, weights) % 11;
    return remainder === 0 ? 0 : 11 - remainder;
  };
  const first = check([3, 7, 6, 1, 8, 9, 4, 5, 2]);
  return first !== 10 && first === digits.charCodeAt(9) - 48 && check([5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) === digits.charCodeAt(10) - 48;
}

const hetuCheckCharacters = '0123456789ABCDEFHJKLMNPRSTUVWXY';

function isValidFinnishHetu(candidate: string) {
  if (!isPlausibleDate(candidate.slice(0, 6), 'DDMMYY')) return false;

  return hetuCheckCharacters[Number(candidate.slice(0, 6) + candidate.slice(7, 10)) % 31] === candidate[10];
}

const codiceFiscaleOddValues = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

function isValidCodiceFiscale(candidate: string) {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const code = candidate.charCodeAt(i);
    const value = code <= 57 ? code - 48 : code - 65;
    sum += i % 2 === 0 ? codiceFiscaleOddValues[value]! : value;
  }

  return String.fromCharCode(65 + (sum % 26)) === candidate[15];
}

function isValidPortugueseNif(digits: string) {
  const remainder = weightedSum(digits.slice(0, 8), [9, 8, 7, 6, 5, 4, 3, 2]) % 11;
  return (remainder < 2 ? 0 : 11 - remainder) === digits.charCodeAt(8) - 48;
}

function isValidChineseResidentId(candidate: string) {
  if (!isPlausibleDate(candidate.slice(8, 14), 'YYMMDD')) return false;

  const remainder = weightedSum(candidate.slice(0, 17), [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]) % 11;
  return '10X98765432'[remainder] === candidate[17]!.toUpperCase();
}

function isValidSingaporeNric(candidate: string) {
  const prefix = candidate[0]!;
  let sum = weightedSum(candidate.slice(1, 8), [2, 7, 6, 5, 4, 3, 2]);
  if (prefix === 'T' || prefix === 'G') sum += 4;
  if (prefix === 'M') sum += 3;

  const letters = prefix === 'S' || prefix === 'T' ? 'JZIHGFEDCBA' : prefix === 'M' ? 'KLJNPQRTUWX' : 'XWUTRQPNMLK';
  return letters[sum % 11] === candidate[8];
}

function isValidMyNumber(digits: string) {
  let sum = 0;
  for (let n = 1; n <= 11; n++) sum += (digits.charCodeAt(11 - n) - 48) * (n <= 6 ? n + 1 : n - 5);

  const remainder = sum % 11;
  return (remainder <= 1 ? 0 : 11 - remainder) === digits.charCodeAt(11) - 48;
}

/** Whether six digits read as a calendar date (day 01–31, month 01–12); Norwegian D-numbers add 40 to the day. */
function isPlausibleDate(sixDigits: string, order: 'YYMMDD' | 'DDMMYY', allowDNumber = false) {
  const [first, month, last] = [0, 2, 4].map((at) => Number(sixDigits.slice(at, at + 2)));
  let day = order === 'YYMMDD' ? last! : first!;
  if (allowDNumber && day > 40) day -= 40;

  return month! >= 1 && month! <= 12 && day >= 1 && day <= 31;
}
