export const PII_TYPES = [
  'PERSON',
  'ORGANIZATION',
  'LOCATION',
  'ADDRESS',
  'EMAIL',
  'PHONE',
  'CREDIT_CARD',
  'IBAN',
  'NATIONAL_ID',
  'IP_ADDRESS',
  'MAC_ADDRESS',
  'URL',
  'SECRET',
  'DATE_OF_BIRTH',
  'ACCOUNT_NUMBER',
  'CUSTOM'
] as const;

export type PiiType = (typeof PII_TYPES)[number];

/** Types found by language analysis (names, places); everything else is a validated pattern. */
export const LANGUAGE_PII_TYPES: readonly PiiType[] = ['PERSON', 'ORGANIZATION', 'LOCATION', 'ADDRESS'];

export type DetectedEntity = {
  type: PiiType;

  /** JavaScript string index of the first character */
  start: number;

  /** JavaScript string index after the last character */
  end: number;

  /** Confidence in [0, 1]; validated patterns score higher than language guesses */
  score: number;

  /** Name of the rule that found the entity, e.g. `"creditCard"` or `"person:greeting"` */
  detector: string;

  text: string;
};

/** An entity before its text is attached, in the coordinates of the text a detector was given */
export type EntityCandidate = Omit<DetectedEntity, 'text'>;
