import { decimalModulo, onlyDigits, passesLuhn, passesVerhoeff } from './checksums';

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
    requiredContext: /\b(?:ssn|social security(?: number| no\.?)?)\W{0,6}(?:is\W{1,3})?$/i
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
    requiredContext: /\bnhs\b[^\n]{0,24}$/i
  },
  {
    id: 'DE_TAX_ID',
    pattern: /(?<![\w-])[1-9]\d(?: ?\d{3}){3}(?![\w-])/g,
    isValid: (candidate) => isValidGermanTaxId(onlyDigits(candidate)),
    requiredContext: /\b(?:steuer|tax|tin\b|idnr|identifikationsnummer)[^\n]{0,40}$/i
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
    pattern: /(?<![\w-])[2-9]\d{3}([ -]?)\d{4}\1\d{4}(?![\w-])/g,
    isValid: (candidate) => passesVerhoeff(onlyDigits(candidate)),
    requiredContext: /\b(?:aadhaa?r|uidai|uid)\b[^\n]{0,24}$/i
  },
  {
    id: 'BR_CPF',
    pattern: /(?<![\w.-])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\w-]|\.\d)/g,
    isValid: (candidate) => isValidCpf(onlyDigits(candidate)),
    supportingContext: /\bcpf\b/i
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
  }
];

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
