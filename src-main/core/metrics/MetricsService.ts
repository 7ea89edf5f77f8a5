import type Database from 'better-sqlite3';
import type {
  EgressExport,
  ModelPrice,
  RouterSettings,
  UsageBudgetRow,
  UsageDayRow,
  UsageEntityDayRow,
  UsageFigures,
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
import { UnknownSavingsModelError } from './errors';
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

/** The local days of the query, handed to SQLite as one JSON array of [day, start, end]. */
const DAYS = `WITH days(day, day_start, day_end) AS (
  SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?)
)`;
const IN_DAY = 'u.created_at >= d.day_start AND u.created_at < d.day_end';
const FIGURES = `count(*) AS requests,
  sum(u.outcome = 'answered') AS answered, sum(u.outcome = 'stopped') AS stopped,
  sum(u.outcome = 'failed') AS failed, sum(u.outcome = 'blocked') AS blocked,
  sum(u.prompt_tokens) AS promptTokens, sum(u.completion_tokens) AS completionTokens, total(u.cost_usd) AS costUsd`;
/** p50/p95 of answered replies only (a stopped reply's speed says little); percentile() interpolates linearly between ranks. */
const LATENCY = `percentile(CASE WHEN u.outcome = 'answered' THEN u.time_to_first_token_ms END, 50) AS ttftP50Ms,
  percentile(CASE WHEN u.outcome = 'answered' THEN u.time_to_first_token_ms END, 95) AS ttftP95Ms,
  percentile(CASE WHEN u.outcome = 'answered' THEN u.tokens_per_second END, 50) AS tokensPerSecondP50,
  percentile(CASE WHEN u.outcome = 'answered' THEN u.tokens_per_second END, 95) AS tokensPerSecondP95`;

const SQL = {
  /** The finest grouping the totals, days, sources and providers are summed from. */
  daily: `${DAYS} SELECT d.day AS day, u.source AS source, u.location AS location, u.provider AS provider, ${FIGURES},
    sum(u.block_reason = 'privacy') AS blockedByPrivacy, sum(u.block_reason = 'detection') AS blockedByDetection,
    sum(u.block_reason = 'budget') AS blockedByBudget, sum(u.redacted_entities) AS redactedEntities
    FROM days d JOIN usage_requests u ON ${IN_DAY} GROUP BY d.day, u.source, u.location, u.provider`,
  modelDays: `${DAYS} SELECT d.day AS day, u.model AS model, u.provider AS provider, u.location AS location, ${FIGURES}, ${LATENCY}
    FROM days d JOIN usage_requests u ON ${IN_DAY} GROUP BY d.day, u.model, u.provider, u.location`,
  models: `SELECT u.model AS model, u.provider AS provider, u.location AS location, ${FIGURES}, ${LATENCY}
    FROM usage_requests u WHERE u.created_at >= ? AND u.created_at < ? GROUP BY u.model, u.provider, u.location`,
  /** Whole months (for budgets), as [month, start, end] rows in the same shape as days. */
  months: `${DAYS} SELECT d.day AS month, u.provider AS provider, total(u.cost_usd) AS costUsd
    FROM days d JOIN usage_requests u ON ${IN_DAY} AND u.location = 'cloud' GROUP BY d.day, u.provider`,
  entities: `${DAYS} SELECT d.day AS day, e.key AS type, sum(e.value) AS count
    FROM days d JOIN usage_requests u ON ${IN_DAY} AND u.redacted_entities > 0, json_each(u.entity_counts) e
    GROUP BY d.day, e.key`,
  firstRequest: `SELECT min(created_at) AS first FROM usage_requests`
} as const;

type Figures = Omit<UsageFigures, 'savedUsd'>;
type DailyRow = Figures & {
  day: string;
  source: UsageSource;
  location: 'local' | 'cloud';
  provider: string | null;
  blockedByPrivacy: number;
  blockedByDetection: number;
  blockedByBudget: number;
  redactedEntities: number;
};
type ModelRow = Figures & Omit<UsageModelRow, keyof UsageFigures>;

/**
 * The usage dashboard's and `enclave stats`'s figures, read from the usage log: requests, tokens, speed, cost,
 * savings against a cloud model's prices, and what the privacy gate did, per local day of a time zone.
 */
export class MetricsService {
  private readonly statements = new Map<keyof typeof SQL, Database.Statement>();

  constructor(private readonly deps: MetricsDependencies) {}

  stats(query: UsageStatsQuery, now = Date.now()): UsageStats {
    const zone = new LocalDays(query.timeZone);
    const savings = this.savingsModel(query.savingsModel);
    const to = query.to ?? zone.dayOf(now);
    const from = query.from ?? this.firstDay(zone) ?? to;
    parseDay(to);
    const days = zone.range(from, to);
    const daysJson = JSON.stringify(days.map(({ day, start, end }) => [day, start, end]));
    const start = days[0]!.start;
    const end = days.at(-1)!.end;
    const saved = (location: string, figures: Figures) => (location === 'local' && savings ? costOf(savings.price, figures) : 0);

    const daily = this.all<DailyRow>('daily', daysJson);
    const modelDays = this.all<ModelRow & { day: string }>('modelDays', daysJson).map((row) =>
      money({ ...row, savedUsd: saved(row.location, row) })
    );
    const models = this.all<ModelRow>('models', start, end).map((row) => money({ ...row, savedUsd: saved(row.location, row) }));

    const totals = emptyTotals();
    const byDay = new Map(days.map(({ day }) => [day, { day, ...emptyTotals() }]));
    const sources = new Map<UsageSource, UsageSourceRow>();
    const providerDays = new Map<string, UsageProviderDayRow>();
    for (const row of daily) {
      const savedUsd = saved(row.location, row);
      add(totals, row, savedUsd);
      add(byDay.get(row.day)!, row, savedUsd);
      const source = sources.get(row.source) ?? { source: row.source, requests: 0, promptTokens: 0, completionTokens: 0 };
      source.requests += row.requests;
      source.promptTokens += row.promptTokens;
      source.completionTokens += row.completionTokens;
      sources.set(row.source, source);
      if (row.provider !== null) {
        const key = `${row.day}\n${row.provider}`;
        const providerDay = providerDays.get(key) ?? { day: row.day, provider: row.provider, requests: 0, costUsd: 0 };
        providerDay.requests += row.requests;
        providerDay.costUsd += row.costUsd;
        providerDays.set(key, providerDay);
      }
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
      models: models.sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model)),
      modelDays: modelDays.sort((a, b) => a.day.localeCompare(b.day) || a.model.localeCompare(b.model)),
      sources: [...sources.values()].sort((a, b) => b.requests - a.requests || a.source.localeCompare(b.source)),
      providerDays: [...providerDays.values()]
        .map(money)
        .sort((a, b) => a.day.localeCompare(b.day) || a.provider.localeCompare(b.provider)),
      budgets: this.budgets(zone, days),
      entityDays: this.all<UsageEntityDayRow>('entities', daysJson).sort(
        (a, b) => a.day.localeCompare(b.day) || a.type.localeCompare(b.type)
      ),
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
  private budgets(zone: LocalDays, days: LocalDay[]): UsageBudgetRow[] {
    const months = [...new Set(days.map(({ day }) => day.slice(0, 7)))];
    const ranges = months.map((month) => {
      const [year, monthIndex] = parseDay(`${month}-01`);
      const next = new Date(Date.UTC(year, monthIndex + 1, 1)).toISOString().slice(0, 10);
      return [month, zone.startOf(`${month}-01`), zone.startOf(next)];
    });
    const spent = this.all<{ month: string; provider: string; costUsd: number }>('months', JSON.stringify(ranges));
    const settings = this.deps.routerSettings();
    const rows: UsageBudgetRow[] = [];
    for (const month of months) {
      const inMonth = spent.filter((row) => row.month === month);
      const providers = [...new Set([...inMonth.map((row) => row.provider), ...Object.keys(settings.providerBudgetsUsd)])].sort();
      rows.push(
        money({ month, provider: null, costUsd: inMonth.reduce((sum, row) => sum + row.costUsd, 0), budgetUsd: settings.monthlyBudgetUsd }),
        ...providers.map((provider) =>
          money({
            month,
            provider,
            costUsd: inMonth.find((row) => row.provider === provider)?.costUsd ?? 0,
            budgetUsd: settings.providerBudgetsUsd[provider] ?? null
          })
        )
      );
    }
    return rows;
  }

  private firstDay(zone: LocalDays): string | null {
    const first = this.statement('firstRequest').get() as { first: number | null };
    return first.first === null ? null : zone.dayOf(first.first);
  }

  private all<T>(name: keyof typeof SQL, ...params: unknown[]): T[] {
    return this.statement(name).all(...params) as T[];
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

function add(into: UsageTotals, row: DailyRow, savedUsd: number): void {
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
