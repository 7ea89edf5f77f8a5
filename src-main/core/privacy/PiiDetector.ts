import type { CountryCode } from 'libphonenumber-js/max';
import { planWindows } from './detection/planWindows';
import { resolveEntities } from './detection/resolveEntities';
import { ScanDeadline } from './detection/ScanDeadline';
import { detectAddresses } from './language/detectAddresses';
import { detectKnownNames } from './language/detectKnownNames';
import { detectCjkNames } from './language/detectCjkNames';
import { detectCoordinatedNames } from './language/detectCoordinatedNames';
import { detectRepeatedNames } from './language/detectRepeatedNames';
import { detectKnownPlaces } from './language/detectKnownPlaces';
import { detectLocationContexts } from './language/detectLocationContexts';
import { detectNamedEntities } from './language/detectNamedEntities';
import { detectOrganizations } from './language/detectOrganizations';
import { detectPersonContexts } from './language/detectPersonContexts';
import { isLanguageModelLoaded, loadLanguageModel } from './language/languageModel';
import { detectAccountNumbers } from './structured/detectAccountNumbers';
import { detectCreditCards } from './structured/detectCreditCards';
import { detectDatesOfBirth } from './structured/detectDatesOfBirth';
import { detectEmails } from './structured/detectEmails';
import { detectIbans } from './structured/detectIbans';
import { detectIpAddresses } from './structured/detectIpAddresses';
import { detectKeyedValues } from './structured/detectKeyedValues';
import { detectMacAddresses } from './structured/detectMacAddresses';
import { detectNationalIds } from './structured/detectNationalIds';
import { detectPhones } from './structured/detectPhones';
import { detectSecrets } from './structured/detectSecrets';
import { detectSpokenValues } from './structured/detectSpokenValues';
import { detectTableColumns } from './structured/detectTableColumns';
import { detectUrls } from './structured/detectUrls';
import { LANGUAGE_PII_TYPES, PII_TYPES, type DetectedEntity, type EntityCandidate, type PiiType } from './types';
import { UserDictionary, type UserDictionaryOptions } from './UserDictionary';

export type PiiDetectorOptions = {
  /** Region assumed for phone numbers written without a country code; defaults to `"US"` */
  defaultPhoneRegion?: CountryCode;

  userDictionary?: UserDictionaryOptions;
};

export type DetectOptions = {
  /** Only report these types; defaults to all types */
  enabledTypes?: readonly PiiType[];

  /** Skip names, organisations, places and addresses, which need language analysis and are much slower */
  structuredOnly?: boolean;

  /** Throw a `DetectionTimeoutError` once detection has run this long, so callers can fail closed */
  timeBudgetMs?: number;

  /** Abort detection; it then throws a `DetectionAbortedError` */
  signal?: AbortSignal;
};

type TextDetector = {
  types: readonly PiiType[];

  /** Characters per window; an entity must be shorter than the overlap to be seen whole */
  window: { size: number; overlap: number };

  detect(text: string, enabled: ReadonlySet<PiiType>): EntityCandidate[];
};

/** Wide windows for linear pattern scans; the overlap covers the longest entity (a PEM key body). */
const patternWindow = { size: 131_072, overlap: 16_384 };

/** compromise slows down sharply on long documents, so it gets sentence-sized windows. */
const taggerWindow = { size: 2_000, overlap: 200 };

const structuredTypes = PII_TYPES.filter((type) => !LANGUAGE_PII_TYPES.includes(type));

/**
 * Finds personal data and secrets in text. Structured detectors validate what they find (Luhn, mod-97,
 * check digits, libphonenumber), language detectors combine compromise with context rules and a name lexicon.
 * Results never overlap: same-type overlaps are merged, other conflicts go to the stronger, longer finding.
 */
export class PiiDetector {
  private readonly _detectors: readonly TextDetector[];
  private readonly _userDictionary: UserDictionary;

  public constructor({ defaultPhoneRegion = 'US', userDictionary = {} }: PiiDetectorOptions = {}) {
    this._userDictionary = new UserDictionary(userDictionary);
    this._detectors = [
      { types: ['EMAIL'], window: patternWindow, detect: detectEmails },
      { types: ['PHONE'], window: patternWindow, detect: (text) => detectPhones(text, { defaultRegion: defaultPhoneRegion }) },
      { types: ['CREDIT_CARD'], window: patternWindow, detect: detectCreditCards },
      { types: ['IBAN'], window: patternWindow, detect: detectIbans },
      { types: ['NATIONAL_ID'], window: patternWindow, detect: detectNationalIds },
      { types: ['IP_ADDRESS'], window: patternWindow, detect: detectIpAddresses },
      { types: ['MAC_ADDRESS'], window: patternWindow, detect: detectMacAddresses },
      { types: ['URL', 'SECRET'], window: patternWindow, detect: detectUrls },
      { types: ['SECRET'], window: patternWindow, detect: detectSecrets },
      { types: ['DATE_OF_BIRTH'], window: patternWindow, detect: detectDatesOfBirth },
      { types: ['ACCOUNT_NUMBER'], window: patternWindow, detect: detectAccountNumbers },
      { types: ['CREDIT_CARD', 'PHONE', 'NATIONAL_ID', 'ACCOUNT_NUMBER', 'EMAIL'], window: patternWindow, detect: detectSpokenValues },
      { types: PII_TYPES, window: patternWindow, detect: detectTableColumns },
      { types: PII_TYPES, window: patternWindow, detect: detectKeyedValues },
      { types: PII_TYPES, window: patternWindow, detect: (text) => this._userDictionary.findAlwaysRedacted(text) },
      { types: ['PERSON'], window: patternWindow, detect: detectPersonContexts },
      { types: ['PERSON'], window: patternWindow, detect: detectKnownNames },
      { types: ['PERSON'], window: patternWindow, detect: detectCjkNames },
      { types: ['ADDRESS'], window: patternWindow, detect: detectAddresses },
      { types: ['ORGANIZATION'], window: patternWindow, detect: detectOrganizations },
      { types: ['LOCATION'], window: patternWindow, detect: detectLocationContexts },
      { types: ['LOCATION'], window: patternWindow, detect: detectKnownPlaces },
      { types: ['PERSON', 'LOCATION', 'ORGANIZATION'], window: taggerWindow, detect: detectNamedEntities }
    ];
  }

  /** Loads the language model (compromise) that names and places need, ahead of `detectSync`; `detect` loads it itself. */
  public static loadLanguageAnalysis(): Promise<void> {
    return loadLanguageModel();
  }

  /** Detects entities, yielding to the event loop between windows so long inputs stay abortable. */
  public async detect(text: string, options: DetectOptions = {}): Promise<DetectedEntity[]> {
    const enabled = enabledTypesOf(options);
    // Loaded on the first detection that needs it, before the time budget starts.
    if (needsLanguageModel(enabled)) await loadLanguageModel();

    const scan = this._scan(text, enabled, options);
    for (let step = scan.next(); ; step = scan.next()) {
      if (step.done) return step.value;

      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Detects entities without yielding; the time budget still applies, an abort signal only between windows.
   * Unless only structured types are enabled, `PiiDetector.loadLanguageAnalysis()` must have resolved.
   */
  public detectSync(text: string, options: DetectOptions = {}): DetectedEntity[] {
    const enabled = enabledTypesOf(options);
    if (needsLanguageModel(enabled) && !isLanguageModelLoaded())
      throw new Error('Names and places need the language model: await PiiDetector.loadLanguageAnalysis() before detectSync');

    const scan = this._scan(text, enabled, options);
    for (let step = scan.next(); ; step = scan.next()) if (step.done) return step.value;
  }

  private *_scan(text: string, enabled: ReadonlySet<PiiType>, { timeBudgetMs, signal }: DetectOptions) {
    const deadline = new ScanDeadline(text.length, timeBudgetMs, signal);
    const candidates: EntityCandidate[] = [];

    deadline.check(0);
    for (const detector of this._detectors) {
      if (!detector.types.some((type) => enabled.has(type))) continue;

      for (const window of planWindows(text, detector.window.size, detector.window.overlap)) {
        deadline.check(window.start);
        for (const candidate of detector.detect(text.slice(window.start, window.end), enabled))
          if (enabled.has(candidate.type))
            candidates.push({ ...candidate, start: candidate.start + window.start, end: candidate.end + window.start });

        if (deadline.shouldYield()) yield;
      }
    }

    deadline.check(text.length);
    const isExempt = this._userDictionary.createExemptionCheck(text);
    const resolved = resolveEntities(candidates.filter((candidate) => !isExempt(candidate)));
    const named = enabled.has('PERSON') ? detectNamesNearFound(text, resolved).filter((candidate) => !isExempt(candidate)) : [];
    return (named.length === 0 ? resolved : resolveEntities([...resolved, ...named])).map((entity): DetectedEntity => ({
      ...entity,
      text: text.slice(entity.start, entity.end)
    }));
  }
}

/** Partners of names found ("Rustam and Gulnara"), then later mentions of every name found so far */
function detectNamesNearFound(text: string, found: readonly EntityCandidate[]): EntityCandidate[] {
  const coordinated = detectCoordinatedNames(text, found);
  return [...coordinated, ...detectRepeatedNames(text, [...found, ...coordinated])];
}

function enabledTypesOf({ enabledTypes, structuredOnly = false }: DetectOptions): ReadonlySet<PiiType> {
  return new Set((enabledTypes ?? PII_TYPES).filter((type) => !structuredOnly || structuredTypes.includes(type)));
}

/** Only language types consult the language model: structured detectors check name-like values only when PERSON is enabled. */
function needsLanguageModel(enabled: ReadonlySet<PiiType>) {
  return LANGUAGE_PII_TYPES.some((type) => enabled.has(type));
}
