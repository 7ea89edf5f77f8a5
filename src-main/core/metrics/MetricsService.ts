import type Database from 'better-sqlite3';
import type {
  EgressExport,
  ModelPrice,
  RouterSettings,
  UsageBudgetRow,
  UsageDayRow,
  UsageFigures,
  UsageModelDayRow,
  UsageModelRow,
  UsageProviderDayRow,
  UsageSource,
  UsageSourceRow,
  UsageStats,
  UsageStatsQuery,
  UsageTotals
} from '../shared/types';
import type { EnclaveDb } from '../db/openDatabase';
import type { PriceTable } from '../providers/PriceTable';
import type { ProviderKind } from '../providers/CloudClient';
import type { ProviderStore } from '../providers/ProviderStore';
import { InvalidStatsRangeError, UnknownSavingsModelError } from './errors';
import { UsageRollups, type ModelDayRow, type SamplesRow } from './UsageRollups';
import { percentilesOf } from './SortedSamples';
import { usageExport } from './usageExport';
import { LocalDays, parseDay, type LocalDay } from './LocalDays';

/** Valued when the query names no savings model and the router's cloud chain has no priced one. */
export const DEFAULT_SAVINGS_MODEL = 'openai/gpt-4.1-mini';

interface MetricsDependencies {
  db: EnclaveDb;
  prices: PriceTable;
  providers: ProviderStore;
  routerSettings: () => RouterSettings;
}

const SQL = {
  firstRequest: `SELECT min(created_at) AS first FROM usage_requests`
} as const;
/** Zones whose day boundaries are kept between queries (LocalDays remembers each day's start). */
const KEPT_ZONES = 16;

type Latency = Pick<UsageModelRow, 'ttftP50Ms' | 'ttftP95Ms' | 'tokensPerSecondP50' | 'tokensPerSecondP95'>;
type Group = Pick<UsageModelRow, 'model' | 'provider' | 'location'>;

/**
 * The usage dashboard's and `enclave stats`'s figures, read from the usage log: requests, tokens, speed, cost,
 * savings against a cloud model's prices, and what the privacy gate did, per local day of a time zone.
 */
export class MetricsService {
  private readonly statements = new Map<keyof typeof SQL, Database.Statement>();
  private readonly rollups: UsageRollups;
  private readonly zones = new Map<string, LocalDays>();

  constructor(private readonly deps: MetricsDependencies) {
    this.rollups = new UsageRollups(deps.db);
  }

  stats(query: UsageStatsQuery, now = Date.now()): UsageStats {
    const zone = this.zone(query.timeZone);
    const savings = this.savingsModel(query.savingsModel);
    const to = query.to ?? zone.dayOf(now);
    const from = query.from ?? this.firstDay(zone) ?? to;
    parseDay(to);
    parseDay(from);
    if (to < from) throw new InvalidStatsRangeError(`The range ends (${to}) before it starts (${from}).`);
    // Whole months around the range, for the budgets; the range's days are picked out of them.
    const monthDays = zone.range(`${from.slice(0, 7)}-01`, lastOfMonth(to));
    const days = monthDays.filter(({ day }) => day >= from && day <= to);
    const rolled = this.rollups.read(query.timeZone, monthDays, { from: days[0]!.day, to: days.at(-1)!.day }, now);
    const inRange = (day: string) => day >= days[0]!.day && day <= days.at(-1)!.day;
    const saved = (row: ModelDayRow) => (row.location === 'local' && savings ? costOf(savings.price, row) : 0);

    const totals = emptyTotals();
    const byDay = new Map(days.map(({ day }) => [day, { day, ...emptyTotals() }]));
    const modelDays: UsageModelDayRow[] = [];
    const models = new Map<string, UsageModelRow>();
    const providerDays = new Map<string, UsageProviderDayRow>();
    for (const row of rolled.models) {
      if (!inRange(row.day)) continue;
      const savedUsd = saved(row);
      add(totals, row, savedUsd);
      add(byDay.get(row.day)!, row, savedUsd);
      const modelDay: UsageModelDayRow = { day: row.day, ...groupOf(row), ...emptyFigures(), ...latencyOf(row) };
      addFigures(modelDay, row, savedUsd);
      modelDays.push(modelDay);
      const model = models.get(groupKey(row)) ?? { ...groupOf(row), ...emptyFigures(), ...NO_LATENCY };
      addFigures(model, row, savedUsd);
      models.set(groupKey(row), model);
      if (row.provider !== null) {
        const providerKey = `${row.day}\n${row.provider}`;
        const providerDay = providerDays.get(providerKey) ?? { day: row.day, provider: row.provider, requests: 0, costUsd: 0 };
        providerDay.requests += row.requests;
        providerDay.costUsd += row.costUsd;
        providerDays.set(providerKey, providerDay);
      }
    }
    for (const [key, samples] of groupSamples(rolled.samples)) {
      const model = models.get(key);
      if (model) Object.assign(model, rangeLatency(samples));
    }
    const sources = new Map<UsageSource, UsageSourceRow>();
    for (const row of rolled.sources) {
      if (!inRange(row.day)) continue;
      const source = sources.get(row.source) ?? { source: row.source, requests: 0, promptTokens: 0, completionTokens: 0 };
      source.requests += row.requests;
      source.promptTokens += row.promptTokens;
      source.completionTokens += row.completionTokens;
      sources.set(row.source, source);
    }
    let savedToDate = 0;
    const dayRows: UsageDayRow[] = [...byDay.values()].map((day) => {
      savedToDate += day.savedUsd;
      return money({ ...day, savedToDateUsd: savedToDate });
    });

    return {
      range: { from: days[0]!.day, to: days.at(-1)!.day, timeZone: query.timeZone },
      savingsModel: savings,
      totals: money(totals),
      days: dayRows,
      models: [...models.values()].map(money).sort((a, b) => b.requests - a.requests || compare(a.model, b.model)),
      modelDays: modelDays.map(money).sort((a, b) => compare(a.day, b.day) || compare(a.model, b.model)),
      sources: [...sources.values()].sort((a, b) => b.requests - a.requests || compare(a.source, b.source)),
      providerDays: [...providerDays.values()].map(money).sort((a, b) => compare(a.day, b.day) || compare(a.provider, b.provider)),
      budgets: this.budgets(days, rolled.models),
      entityDays: rolled.entities.filter((row) => inRange(row.day)).sort((a, b) => compare(a.day, b.day) || compare(a.type, b.type)),
      pricedModels: this.deps.prices.pricedRefs()
    };
  }

  /** The figures of a query as a JSON or CSV file. */
  export(format: 'json' | 'csv', query: UsageStatsQuery, now = new Date()): EgressExport {
    return usageExport(this.stats(query, now.getTime()), format, now);
  }

  /** The price of `kind/model`, `provider/model` (a configured provider or the price table's own section); null: not priced. */
  priceOf(ref: string): ModelPrice | null {
    const slash = ref.indexOf('/');
    if (slash <= 0) return null;
    const prefix = ref.slice(0, slash);
    const model = ref.slice(slash + 1);
    const stored = this.deps.providers.find(prefix);
    return stored
      ? this.deps.prices.priceOf(stored.kind, stored.name, model)
      : this.deps.prices.priceOf(prefix as ProviderKind, prefix, model);
  }

  private savingsModel(requested: string | null | undefined): UsageStats['savingsModel'] {
    if (requested === null) return null;
    if (requested !== undefined) {
      const price = this.priceOf(requested);
      if (!price) throw new UnknownSavingsModelError(requested);
      return { ref: requested, price };
    }
    for (const ref of [...this.deps.routerSettings().cloudChain, DEFAULT_SAVINGS_MODEL]) {
      const price = this.priceOf(ref);
      if (price) return { ref, price };
    }
    return null;
  }

  /** Cloud spend of every month the range touches (whole months), per provider and overall, against the budgets set now. */
  private budgets(days: LocalDay[], monthRows: ModelDayRow[]): UsageBudgetRow[] {
    const months = [...new Set(days.map(({ day }) => day.slice(0, 7)))];
    const spentIn = new Map(months.map((month) => [month, new Map<string, number>()]));
    for (const row of monthRows) {
      const spent = row.provider === null ? undefined : spentIn.get(row.day.slice(0, 7));
      if (spent) spent.set(row.provider!, (spent.get(row.provider!) ?? 0) + row.costUsd);
    }
    const settings = this.deps.routerSettings();
    const rows: UsageBudgetRow[] = [];
    for (const [month, spent] of spentIn) {
      const providers = [...new Set([...spent.keys(), ...Object.keys(settings.providerBudgetsUsd)])].sort();
      rows.push(
        money({
          month,
          provider: null,
          costUsd: [...spent.values()].reduce((sum, cost) => sum + cost, 0),
          budgetUsd: settings.monthlyBudgetUsd
        }),
        ...providers.map((provider) =>
          money({ month, provider, costUsd: spent.get(provider) ?? 0, budgetUsd: settings.providerBudgetsUsd[provider] ?? null })
        )
      );
    }
    return rows;
  }

  private zone(timeZone: string): LocalDays {
    let zone = this.zones.get(timeZone);
    if (!zone) {
      if (this.zones.size >= KEPT_ZONES) this.zones.clear();
      zone = new LocalDays(timeZone);
      this.zones.set(timeZone, zone);
    }
    return zone;
  }

  private firstDay(zone: LocalDays): string | null {
    const first = this.statement('firstRequest').get() as { first: number | null };
    return first.first === null ? null : zone.dayOf(first.first);
  }

  private statement(name: keyof typeof SQL): Database.Statement {
    let statement = this.statements.get(name);
    if (!statement) {
      statement = this.deps.db.$client.prepare(SQL[name]);
      this.statements.set(name, statement);
    }
    return statement;
  }
}

const NO_LATENCY: Latency = { ttftP50Ms: null, ttftP95Ms: null, tokensPerSecondP50: null, tokensPerSecondP95: null };
const groupKey = (row: Group) => `${row.model}\n${row.provider ?? ''}\n${row.location}`;
const groupOf = ({ model, provider, location }: Group): Group => ({ model, provider, location });
const latencyOf = ({ ttftP50Ms, ttftP95Ms, tokensPerSecondP50, tokensPerSecondP95 }: Latency): Latency => ({
  ttftP50Ms,
  ttftP95Ms,
  tokensPerSecondP50,
  tokensPerSecondP95
});

/** Each model's timings over the range, its days' blobs put together (usually one, from the store; more with today). */
function groupSamples(rows: readonly SamplesRow[]): Map<string, { ttft: Buffer[]; tokensPerSecond: Buffer[] }> {
  const groups = new Map<string, { ttft: Buffer[]; tokensPerSecond: Buffer[] }>();
  for (const row of rows) {
    const group = groups.get(groupKey(row)) ?? { ttft: [], tokensPerSecond: [] };
    if (row.ttftSamples) group.ttft.push(row.ttftSamples);
    if (row.tokensPerSecondSamples) group.tokensPerSecond.push(row.tokensPerSecondSamples);
    groups.set(groupKey(row), group);
  }
  return groups;
}

/** p50/p95 over the answered replies of the whole range, exact (SortedSamples). */
function rangeLatency({ ttft, tokensPerSecond }: { ttft: Buffer[]; tokensPerSecond: Buffer[] }): Latency {
  const firstToken = percentilesOf(joined(ttft));
  const speed = percentilesOf(joined(tokensPerSecond));
  return { ttftP50Ms: firstToken.p50, ttftP95Ms: firstToken.p95, tokensPerSecondP50: speed.p50, tokensPerSecondP95: speed.p95 };
}

function joined(blobs: Buffer[]): Buffer | null {
  return blobs.length === 0 ? null : blobs.length === 1 ? blobs[0]! : Buffer.concat(blobs);
}

function emptyFigures(): UsageFigures {
  return {
    requests: 0,
    answered: 0,
    stopped: 0,
    failed: 0,
    blocked: 0,
    localRequests: 0,
    cloudRequests: 0,
    promptTokens: 0,
    completionTokens: 0,
    costUsd: 0,
    savedUsd: 0
  };
}

function addFigures(into: UsageFigures, row: ModelDayRow, savedUsd: number): void {
  into.requests += row.requests;
  into.answered += row.answered;
  into.stopped += row.stopped;
  into.failed += row.failed;
  into.blocked += row.blocked;
  if (row.location === 'local') into.localRequests += row.requests;
  else into.cloudRequests += row.requests;
  into.promptTokens += row.promptTokens;
  into.completionTokens += row.completionTokens;
  into.costUsd += row.costUsd;
  into.savedUsd += savedUsd;
}

/** Code-unit order: stable across machines and far cheaper than localeCompare on thousands of rows. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** yyyy-mm-dd of the last day of a day's month. */
function lastOfMonth(day: string): string {
  const [year, month] = parseDay(day);
  return new Date(Date.UTC(year, month + 1, 0)).toISOString().slice(0, 10);
}

function emptyTotals(): UsageTotals {
  return {
    requests: 0,
    answered: 0,
    stopped: 0,
    failed: 0,
    blocked: 0,
    localRequests: 0,
    cloudRequests: 0,
    promptTokens: 0,
    completionTokens: 0,
    costUsd: 0,
    savedUsd: 0,
    sentToCloud: 0,
    blockedByPrivacy: 0,
    blockedByDetection: 0,
    blockedByBudget: 0,
    redactedEntities: 0
  };
}

function add(into: UsageTotals, row: ModelDayRow, savedUsd: number): void {
  into.requests += row.requests;
  into.answered += row.answered;
  into.stopped += row.stopped;
  into.failed += row.failed;
  into.blocked += row.blocked;
  if (row.location === 'local') into.localRequests += row.requests;
  else {
    into.cloudRequests += row.requests;
    // A cloud request that was not blocked reached the gate's send: it left the machine.
    into.sentToCloud += row.requests - row.blocked;
  }
  into.promptTokens += row.promptTokens;
  into.completionTokens += row.completionTokens;
  into.costUsd += row.costUsd;
  into.savedUsd += savedUsd;
  into.blockedByPrivacy += row.blockedByPrivacy;
  into.blockedByDetection += row.blockedByDetection;
  into.blockedByBudget += row.blockedByBudget;
  into.redactedEntities += row.redactedEntities;
}

function costOf(price: ModelPrice, tokens: { promptTokens: number; completionTokens: number }): number {
  return (tokens.promptTokens * price.inputPerMillion + tokens.completionTokens * price.outputPerMillion) / 1_000_000;
}

const MONEY_KEYS = ['costUsd', 'savedUsd', 'savedToDateUsd', 'budgetUsd'] as const;

/** Dollar amounts rounded to a billionth, so sums of binary fractions read as the decimals they are. */
function money<T extends object>(row: T): T {
  const rounded: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const key of MONEY_KEYS) if (typeof rounded[key] === 'number') rounded[key] = Math.round((rounded[key] as number) * 1e9) / 1e9;
  return rounded as T;
}
