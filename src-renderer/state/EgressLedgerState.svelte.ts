import type { EnclaveApi } from '../../src-preload/contract';
import type { EgressFilter, EgressRecord } from '../../src-main/core/shared/types';
import { downloadFile } from '../lib/download';
import { toUserFacingError, type UserFacingError } from '../lib/errors';
import type { ChatState } from './ChatState.svelte';

const PAGE_SIZE = 50;
/** Days shown in the requests-per-day chart, today included. */
export const CHART_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Wait this long after the last keystroke in the text search, and after a burst of live records. */
const DEBOUNCE_MS = 250;

/** The filter fields as the user edits them; `from`/`to` are dates (yyyy-mm-dd, local time, both inclusive). */
export interface LedgerFilterFields {
  provider: string;
  scope: 'all' | 'current';
  from: string;
  to: string;
  text: string;
}

export interface DayCount {
  /** Local midnight of the day (ms since epoch). */
  day: number;
  count: number;
}

const emptyFilter = (): LedgerFilterFields => ({ provider: '', scope: 'all', from: '', to: '', text: '' });

/** Local midnight of a yyyy-mm-dd date, plus `days`. */
function dayStart(date: string, days = 0): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days).getTime();
}

/**
 * The egress ledger as the ledger view shows it: one page of records at a time (newest first) under the
 * filter, live updates as requests leave, a requests-per-day chart and exports.
 */
export class EgressLedgerState {
  readonly #api: EnclaveApi;
  readonly #chat: ChatState;

  isOpen = $state(false);
  filter = $state.raw<LedgerFilterFields>(emptyFilter());
  records = $state.raw<EgressRecord[]>([]);
  total = $state(0);
  hasLoaded = $state(false);
  isLoading = $state(false);
  error = $state.raw<UserFacingError | null>(null);
  expandedId = $state<string | null>(null);
  /** Provider names seen in the ledger or configured, for the provider filter. */
  providerNames = $state.raw<string[]>([]);
  dailyCounts = $state.raw<DayCount[]>([]);
  exporting = $state<'json' | 'csv' | null>(null);

  isFiltered = $derived(
    this.filter.provider !== '' ||
      this.filter.scope === 'current' ||
      this.filter.from !== '' ||
      this.filter.to !== '' ||
      this.filter.text.trim() !== ''
  );
  hasMore = $derived(this.records.length < this.total);
  /** The filter as the core takes it (paging aside). */
  query = $derived.by(() => this.#toQuery(this.filter, this.#chat.activeId));

  #sequence = 0;
  #chartSequence = 0;
  #debounceTimer: ReturnType<typeof setTimeout> | undefined;
  #chartTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: EnclaveApi, chat: ChatState) {
    this.#api = api;
    this.#chat = chat;
  }

  connect(): () => void {
    const unsubscribe = this.#api.onEgressRecorded(({ record }) => this.#receive(record));
    return () => {
      unsubscribe();
      clearTimeout(this.#debounceTimer);
      clearTimeout(this.#chartTimer);
    };
  }

  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    void this.refresh();
  }

  close(): void {
    this.isOpen = false;
    this.expandedId = null;
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  /** Applies a change of filter fields: text waits for typing to pause, the others apply at once. */
  setFilter(change: Partial<LedgerFilterFields>): void {
    this.filter = { ...this.filter, ...change };
    clearTimeout(this.#debounceTimer);
    if ('text' in change) this.#debounceTimer = setTimeout(() => void this.refresh(), DEBOUNCE_MS);
    else void this.refresh();
  }

  clearFilter(): void {
    this.filter = emptyFilter();
    clearTimeout(this.#debounceTimer);
    void this.refresh();
  }

  /** Loads the first page under the current filter, and the chart. */
  async refresh(): Promise<void> {
    const sequence = ++this.#sequence;
    const query = this.query;
    this.isLoading = true;
    try {
      const [{ records, total }, providers] = await Promise.all([
        this.#api.listEgress({ ...query, limit: PAGE_SIZE, offset: 0 }),
        this.#api.listProviders({}).catch(() => [])
      ]);
      if (sequence !== this.#sequence) return;
      this.records = records;
      this.total = total;
      this.hasLoaded = true;
      this.error = null;
      this.#rememberProviders([...providers.map((provider) => provider.name), ...records.map((record) => record.provider)]);
    } catch (error) {
      if (sequence === this.#sequence) this.error = toUserFacingError(error);
    } finally {
      if (sequence === this.#sequence) this.isLoading = false;
    }
    void this.#refreshChart();
  }

  async loadMore(): Promise<void> {
    if (!this.hasMore || this.isLoading) return;
    const sequence = this.#sequence;
    this.isLoading = true;
    try {
      const { records, total } = await this.#api.listEgress({ ...this.query, limit: PAGE_SIZE, offset: this.records.length });
      if (sequence !== this.#sequence) return;
      const known = new Set(this.records.map((record) => record.id));
      this.records = [...this.records, ...records.filter((record) => !known.has(record.id))];
      this.total = total;
      this.error = null;
    } catch (error) {
      if (sequence === this.#sequence) this.error = toUserFacingError(error);
    } finally {
      if (sequence === this.#sequence) this.isLoading = false;
    }
  }

  toggleExpanded(id: string): void {
    this.expandedId = this.expandedId === id ? null : id;
  }

  /** Every record under the filter (not just the loaded page), downloaded as a file. */
  async export(format: 'json' | 'csv'): Promise<void> {
    if (this.exporting) return;
    this.exporting = format;
    try {
      const file = await this.#api.exportEgress({ format, filter: this.query });
      downloadFile(file);
      this.error = null;
    } catch (error) {
      this.error = toUserFacingError(error);
    } finally {
      this.exporting = null;
    }
  }

  #toQuery(fields: LedgerFilterFields, activeId: string | null): EgressFilter {
    const query: EgressFilter = {};
    if (fields.provider) query.provider = fields.provider;
    if (fields.scope === 'current' && activeId) query.conversationId = activeId;
    const from = dayStart(fields.from);
    const to = dayStart(fields.to, 1);
    if (from !== undefined) query.from = from;
    if (to !== undefined) query.to = to;
    const text = fields.text.trim();
    if (text) query.text = text;
    return query;
  }

  /** A new request, or the outcome of one already listed: replace it in place, or add it on top when it matches. */
  #receive(record: EgressRecord): void {
    this.#rememberProviders([record.provider]);
    if (!this.hasLoaded) return;
    if (this.records.some((existing) => existing.id === record.id)) {
      this.records = this.records.map((existing) => (existing.id === record.id ? record : existing));
    } else if (this.#matches(record)) {
      this.records = [record, ...this.records];
      this.total += 1;
    }
    clearTimeout(this.#chartTimer);
    this.#chartTimer = setTimeout(() => void this.#refreshChart(), DEBOUNCE_MS);
  }

  #matches(record: EgressRecord): boolean {
    const query = this.query;
    if (query.provider !== undefined && record.provider !== query.provider) return false;
    if (query.conversationId !== undefined && record.conversationId !== query.conversationId) return false;
    if (query.from !== undefined && record.createdAt < query.from) return false;
    if (query.to !== undefined && record.createdAt >= query.to) return false;
    if (query.text !== undefined && !record.payload.toLowerCase().includes(query.text.toLowerCase())) return false;
    return true;
  }

  #rememberProviders(names: string[]): void {
    const merged = [...new Set([...this.providerNames, ...names])].sort();
    if (merged.length !== this.providerNames.length) this.providerNames = merged;
  }

  /** Requests per day over the last CHART_DAYS days under the filter (dates aside): one count per day. */
  async #refreshChart(): Promise<void> {
    if (!this.isOpen) return;
    const sequence = ++this.#chartSequence;
    const { from: _from, to: _to, ...query } = this.query;
    const today = new Date();
    const days = Array.from({ length: CHART_DAYS }, (_, index) =>
      new Date(today.getFullYear(), today.getMonth(), today.getDate() - (CHART_DAYS - 1 - index)).getTime()
    );
    try {
      const counts = await Promise.all(
        days.map(async (day) => {
          const next = new Date(day + DAY_MS * 1.5);
          const to = new Date(next.getFullYear(), next.getMonth(), next.getDate()).getTime();
          const { total } = await this.#api.listEgress({ ...query, from: day, to, limit: 1 });
          return { day, count: total };
        })
      );
      if (sequence === this.#chartSequence) this.dailyCounts = counts;
    } catch {
      // The chart is a summary of the table; the table reports errors.
    }
  }
}
