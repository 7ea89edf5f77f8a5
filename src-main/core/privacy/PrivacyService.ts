import type { PrivacyMode, PrivacySettings } from '../shared/types';
import type { EnclaveEvents } from '../EnclaveEvents';
import type { SettingsStore } from '../settings/SettingsStore';
import { PiiDetector, type PiiDetectorOptions } from './PiiDetector';
import { PrivacyOffNotConfirmedError } from './errors';
import { Pseudonymizer } from './pseudonymization/Pseudonymizer';
import type { DetectedEntity, PiiType } from './types';

export interface RedactedText {
  /** The input with each entity replaced by a typed placeholder ([PERSON_1], [EMAIL_1]…). */
  text: string;
  /** Spans in the input (JavaScript string indices, end exclusive). */
  entities: { type: PiiType; start: number; end: number; score: number }[];
}

/** Detection bound for one request: past it the caller gets an error, never unredacted text. */
export const DEFAULT_REDACT_BUDGET_MS = 10_000;

export const DEFAULT_PRIVACY_SETTINGS: PrivacySettings = { mode: 'redact', alwaysRedact: [], neverRedact: [] };

const SETTINGS_KEY = 'privacy';
const RECENT_DETECTIONS = 512;

export interface PrivacyServiceOptions {
  /** Where the mode and the user dictionary persist; without it they live in memory (the `enclave redact` CLI). */
  settings?: SettingsStore;
  /** Told of every change (privacySettingsChanged), so each window and the API see the same mode. */
  events?: EnclaveEvents;
  /** Builds the detector for a user dictionary (a different detector in tests of failure paths). */
  createDetector?: (options: PiiDetectorOptions) => Pick<PiiDetector, 'detect'>;
  timeBudgetMs?: number;
}

/** The core's privacy entry point: the mode and user dictionary, and detection with a time budget. */
export class PrivacyService {
  private readonly createDetector: NonNullable<PrivacyServiceOptions['createDetector']>;
  private readonly timeBudgetMs: number;
  private current: PrivacySettings;
  private detector: Pick<PiiDetector, 'detect'>;
  /** Recent detections by text, oldest first. */
  private readonly recent = new Map<string, DetectedEntity[]>();

  constructor(private readonly options: PrivacyServiceOptions = {}) {
    this.createDetector = options.createDetector ?? ((detectorOptions) => new PiiDetector(detectorOptions));
    this.timeBudgetMs = options.timeBudgetMs ?? DEFAULT_REDACT_BUDGET_MS;
    this.current = options.settings?.read(SETTINGS_KEY, DEFAULT_PRIVACY_SETTINGS) ?? DEFAULT_PRIVACY_SETTINGS;
    this.detector = this.detectorFor(this.current);
  }

  get settings(): PrivacySettings {
    return structuredClone(this.current);
  }

  /** Off needs `confirmPrivacyOff`; dictionary terms are validated before anything is saved. */
  updateSettings(update: Partial<PrivacySettings> & { confirmPrivacyOff?: boolean }): PrivacySettings {
    const { confirmPrivacyOff, ...changes } = update;
    if (changes.mode === 'off' && this.current.mode !== 'off' && !confirmPrivacyOff) throw new PrivacyOffNotConfirmedError();
    const next: PrivacySettings = {
      mode: changes.mode ?? this.current.mode,
      alwaysRedact: unique(changes.alwaysRedact ?? this.current.alwaysRedact),
      neverRedact: unique(changes.neverRedact ?? this.current.neverRedact)
    };
    const detector = this.detectorFor(next);
    this.options.settings?.write(SETTINGS_KEY, next);
    this.current = next;
    this.detector = detector;
    this.recent.clear();
    this.options.events?.emit('privacySettingsChanged', this.settings);
    return this.settings;
  }

  addTerm(term: string, list: 'alwaysRedact' | 'neverRedact'): PrivacySettings {
    const other = list === 'alwaysRedact' ? 'neverRedact' : 'alwaysRedact';
    const same = (t: string) => t.trim().toLowerCase() === term.trim().toLowerCase();
    return this.updateSettings({ [list]: [...this.current[list], term.trim()], [other]: this.current[other].filter((t) => !same(t)) });
  }

  /** A conversation's own mode wins over the global one. */
  modeFor(conversationMode: PrivacyMode | null): PrivacyMode {
    return conversationMode ?? this.current.mode;
  }

  /**
   * Throws DetectionTimeoutError past the time budget, so callers can fail closed. Results are remembered per
   * text (a conversation's history is re-sent with every turn), until the dictionary changes.
   */
  async detect(text: string, { signal }: { signal?: AbortSignal } = {}): Promise<DetectedEntity[]> {
    const known = this.recent.get(text);
    if (known) {
      this.recent.delete(text);
      this.recent.set(text, known);
      return known;
    }
    const entities = await this.detector.detect(text, { signal, timeBudgetMs: this.timeBudgetMs });
    this.recent.set(text, entities);
    if (this.recent.size > RECENT_DETECTIONS) this.recent.delete(this.recent.keys().next().value!);
    return entities;
  }

  async redact(text: string, { signal, timeBudgetMs }: { signal?: AbortSignal; timeBudgetMs?: number } = {}): Promise<RedactedText> {
    const entities = await this.detector.detect(text, { signal, timeBudgetMs: timeBudgetMs ?? this.timeBudgetMs });
    // A fresh pseudonymizer per call: placeholders are numbered within this text only.
    const redaction = new Pseudonymizer().redactEntities(text, entities);
    return { text: redaction.text, entities: entities.map(({ type, start, end, score }) => ({ type, start, end, score })) };
  }

  private detectorFor(settings: PrivacySettings) {
    return this.createDetector({ userDictionary: { alwaysRedact: settings.alwaysRedact, neverRedact: settings.neverRedact } });
  }
}

function unique(terms: readonly string[]): string[] {
  const seen = new Set<string>();
  return terms.filter((term) => {
    const key = term.trim().toLowerCase();
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
