import type { EnclaveApi } from '../../src-preload/contract';
import type { UsageStats, UsageStatsQuery } from '../../src-main/core/shared/types';
import { downloadFile } from '../lib/download';
import { toUserFacingError, type UserFacingError } from '../lib/errors';

/** Quick ranges, in days ending today ('all': from the first request stored). */
export type RangePreset = 7 | 30 | 90 | 'all';
const DEFAULT_DAYS = 30;
/** New replies and cloud requests arrive in bursts; the figures are read again once a burst settles. */
const REFRESH_DEBOUNCE_MS = 400;

/** yyyy-mm-dd of a Date in the browser's time zone. */
export function localDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function daysAgo(days: number, now = new Date()): string {
  return localDate(new Date(now.getFullYear(), now.getMonth(), now.getDate() - days));
}

/**
 * The usage dashboard: a date range (days in this machine's time zone), the cloud model that values the
 * savings, the figures the core computes for them, live refresh while open, and CSV/JSON export.
 */
export class DashboardState {
  readonly #api: EnclaveApi;
  readonly timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  isOpen = $state(false);
  /** yyyy-mm-dd, both included; '' for from: since the first request. */
  from = $state(daysAgo(DEFAULT_DAYS - 1));
  to = $state(localDate(new Date()));
  preset = $state<RangePreset | null>(DEFAULT_DAYS);
  /** undefined: the core's default (the cloud chain's first priced model, else openai/gpt-4.1-mini). */
  savingsModel = $state<string | undefined>(undefined);
  stats = $state.raw<UsageStats | null>(null);
  isLoading = $state(false);
  error = $state.raw<UserFacingError | null>(null);
  exporting = $state<'json' | 'csv' | null>(null);
  /** How long the last figures took to arrive (ms), shown small so slow queries are noticed. */
  lastLoadMs = $state<number | null>(null);

  isEmpty = $derived(this.stats !== null && this.stats.totals.requests === 0);
  query = $derived.by((): UsageStatsQuery => {
    const query: UsageStatsQuery = { timeZone: this.timeZone, to: this.to };
    if (this.from) query.from = this.from;
    if (this.savingsModel !== undefined) query.savingsModel = this.savingsModel;
    return query;
  });

  #sequence = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: EnclaveApi) {
    this.#api = api;
  }

  /** Replies finished and requests sent elsewhere (another window, the API, the CLI) change the figures. */
  connect(): () => void {
    const later = () => {
      if (!this.isOpen) return;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.refresh(), REFRESH_DEBOUNCE_MS);
    };
    const unsubscribers = [this.#api.onMessageFinished(later), this.#api.onEgressRecorded(later)];
    return () => {
      unsubscribers.forEach((unsubscribe) => unsubscribe());
      clearTimeout(this.#timer);
    };
  }

  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    // A preset follows the calendar: reopened the next day, "last 30 days" ends on the new today.
    if (this.preset !== null) this.#applyPreset(this.preset);
    void this.refresh();
  }

  close(): void {
    this.isOpen = false;
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  setPreset(preset: RangePreset): void {
    this.#applyPreset(preset);
    void this.refresh();
  }

  /** Dates typed in the filter; an end before the start moves the start with it. */
  setRange(change: { from?: string; to?: string }): void {
    if (change.from !== undefined) this.from = change.from;
    if (change.to !== undefined && change.to) this.to = change.to;
    if (this.from && this.to && this.from > this.to) this.from = this.to;
    this.preset = null;
    void this.refresh();
  }

  setSavingsModel(ref: string | null): void {
    this.savingsModel = ref ?? undefined;
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const sequence = ++this.#sequence;
    const started = performance.now();
    this.isLoading = true;
    try {
      const stats = await this.#api.getUsageStats(this.query);
      if (sequence !== this.#sequence) return;
      this.stats = stats;
      this.error = null;
      this.lastLoadMs = performance.now() - started;
    } catch (error) {
      if (sequence === this.#sequence) this.error = toUserFacingError(error);
    } finally {
      if (sequence === this.#sequence) this.isLoading = false;
    }
  }

  async export(format: 'json' | 'csv'): Promise<void> {
    if (this.exporting) return;
    this.exporting = format;
    try {
      downloadFile(await this.#api.exportUsageStats({ format, query: this.query }));
      this.error = null;
    } catch (error) {
      this.error = toUserFacingError(error);
    } finally {
      this.exporting = null;
    }
  }

  #applyPreset(preset: RangePreset): void {
    this.preset = preset;
    this.to = localDate(new Date());
    this.from = preset === 'all' ? '' : daysAgo(preset - 1);
  }
}
