import type Database from 'better-sqlite3';
import type { UsageSource } from '../shared/types';
import type { EnclaveDb } from '../db/openDatabase';
import type { LocalDay } from './LocalDays';
import { registerSortedSamples, SAMPLES_PERCENTILE, SORTED_SAMPLES } from './SortedSamples';

/** One rollup row: a zone's local day and one model, its sums, and its answered replies' p50/p95 that day. */
export interface ModelDayRow {
  day: string;
  location: 'local' | 'cloud';
  provider: string | null;
  model: string;
  requests: number;
  answered: number;
  stopped: number;
  failed: number;
  blocked: number;
  blockedByPrivacy: number;
  blockedByDetection: number;
  blockedByBudget: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  redactedEntities: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  tokensPerSecondP50: number | null;
  tokensPerSecondP95: number | null;
}

/** The timings of one model's answered replies over some days (SortedSamples blobs, each sorted per day). */
export interface SamplesRow {
  location: 'local' | 'cloud';
  provider: string | null;
  model: string;
  ttftSamples: Buffer | null;
  tokensPerSecondSamples: Buffer | null;
}

export interface SourceDayRow {
  day: string;
  source: UsageSource;
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

export interface EntityRow {
  day: string;
  type: string;
  count: number;
}

export interface Rollup {
  models: ModelDayRow[];
  /** Over the range asked for, not its whole months: one row per model for the stored days, one per model and open day. */
  samples: SamplesRow[];
  sources: SourceDayRow[];
  entities: EntityRow[];
}

/** One day's requests (@day, @start, @end); a day at a time, so each GROUP BY sorts a day's rows, not a year's. */
const OF_DAY = 'FROM usage_requests u WHERE u.created_at >= @start AND u.created_at < @end';
const SUM_COLUMNS = `day, location, provider, model, requests, answered, stopped, failed, blocked, blocked_by_privacy,
  blocked_by_detection, blocked_by_budget, prompt_tokens, completion_tokens, cost_usd, redacted_entities`;
const MODEL_COLUMNS = `${SUM_COLUMNS}, ttft_p50_ms, ttft_p95_ms, tokens_per_second_p50, tokens_per_second_p95, ttft_samples,
  tokens_per_second_samples`;
const SOURCE_COLUMNS = 'day, source, requests, prompt_tokens, completion_tokens';

/**
 * A day's rollup straight from usage_requests, in MODEL_COLUMNS order. Timings count for answered replies only
 * (a stopped reply's speed says little). One pass: sums and sorted timings in the same groups.
 */
const COMPUTE_MODELS = `SELECT ${SUM_COLUMNS}, ${SAMPLES_PERCENTILE}(ttft_samples, 50), ${SAMPLES_PERCENTILE}(ttft_samples, 95),
    ${SAMPLES_PERCENTILE}(tokens_per_second_samples, 50), ${SAMPLES_PERCENTILE}(tokens_per_second_samples, 95), ttft_samples,
    tokens_per_second_samples
  FROM (SELECT @day AS day, u.location AS location, u.provider AS provider, u.model AS model, count(*) AS requests,
    sum(u.outcome = 'answered') AS answered, sum(u.outcome = 'stopped') AS stopped, sum(u.outcome = 'failed') AS failed,
    sum(u.outcome = 'blocked') AS blocked, sum(u.block_reason IS 'privacy') AS blocked_by_privacy,
    sum(u.block_reason IS 'detection') AS blocked_by_detection, sum(u.block_reason IS 'budget') AS blocked_by_budget,
    sum(u.prompt_tokens) AS prompt_tokens, sum(u.completion_tokens) AS completion_tokens, total(u.cost_usd) AS cost_usd,
    sum(u.redacted_entities) AS redacted_entities,
    ${SORTED_SAMPLES}(CASE WHEN u.outcome = 'answered' THEN u.time_to_first_token_ms END) AS ttft_samples,
    ${SORTED_SAMPLES}(CASE WHEN u.outcome = 'answered' THEN u.tokens_per_second END) AS tokens_per_second_samples
  ${OF_DAY} GROUP BY u.model, u.provider, u.location)`;
const COMPUTE_SOURCES = `SELECT @day, u.source, count(*), sum(u.prompt_tokens), sum(u.completion_tokens) ${OF_DAY} GROUP BY u.source`;
const COMPUTE_ENTITIES = `SELECT @day AS day, e.key AS type, sum(e.value) AS count FROM usage_requests u, json_each(u.entity_counts) e
  WHERE u.created_at >= @start AND u.created_at < @end AND u.redacted_entities > 0 GROUP BY e.key`;
const IN_ZONE_DAYS = 'WHERE time_zone = ? AND day >= ? AND day <= ?';
const OF_ROLLED_DAYS = '(time_zone, day) IN (SELECT time_zone, day FROM usage_rollup_days WHERE day_start <= ? AND day_end > ?)';

const SQL = {
  computeModels: COMPUTE_MODELS,
  computeSources: COMPUTE_SOURCES,
  computeEntities: COMPUTE_ENTITIES,
  storeModels: `INSERT INTO usage_daily_models (time_zone, ${MODEL_COLUMNS}) SELECT @zone, * FROM (${COMPUTE_MODELS})`,
  storeSources: `INSERT INTO usage_daily_sources (time_zone, ${SOURCE_COLUMNS}) SELECT @zone, * FROM (${COMPUTE_SOURCES})`,
  storeEntities: `INSERT INTO usage_daily_entities (time_zone, day, type, count) SELECT @zone, * FROM (${COMPUTE_ENTITIES})`,
  storeDay: `INSERT OR REPLACE INTO usage_rollup_days (time_zone, day, day_start, day_end) VALUES (@zone, @day, @start, @end)`,
  storedDays: `SELECT day FROM usage_rollup_days ${IN_ZONE_DAYS}`,
  readModels: `SELECT ${SUM_COLUMNS}, ttft_p50_ms, ttft_p95_ms, tokens_per_second_p50, tokens_per_second_p95
    FROM usage_daily_models ${IN_ZONE_DAYS}`,
  // The database is UTF-8, so group_concat passes a blob's bytes through unchanged: one blob per model, in SQLite.
  readSamples: `SELECT location, provider, model, CAST(group_concat(ttft_samples, '') AS BLOB),
    CAST(group_concat(tokens_per_second_samples, '') AS BLOB) FROM usage_daily_models ${IN_ZONE_DAYS} GROUP BY model, provider, location`,
  readSources: `SELECT ${SOURCE_COLUMNS} FROM usage_daily_sources ${IN_ZONE_DAYS}`,
  readEntities: `SELECT day, type, count FROM usage_daily_entities ${IN_ZONE_DAYS}`,
  dropModels: `DELETE FROM usage_daily_models WHERE ${OF_ROLLED_DAYS}`,
  dropSources: `DELETE FROM usage_daily_sources WHERE ${OF_ROLLED_DAYS}`,
  dropEntities: `DELETE FROM usage_daily_entities WHERE ${OF_ROLLED_DAYS}`,
  dropDays: `DELETE FROM usage_rollup_days WHERE day_start <= ? AND day_end > ?`,
  anyRolledDay: `SELECT 1 FROM usage_rollup_days WHERE day_start <= ? AND day_end > ? LIMIT 1`
} as const;
/** Read as arrays, not objects: better-sqlite3 builds wide row objects far slower than toModelDay does. */
const RAW = new Set<keyof typeof SQL>(['computeModels', 'computeSources', 'readModels', 'readSamples', 'readSources']);

/**
 * Owns the daily rollups (usage_rollup_days, usage_daily_models, usage_daily_sources, usage_daily_entities): a
 * zone's day is summed once it is over, the first time a query covers it; days still running (today) are summed
 * from the requests on each query.
 */
export class UsageRollups {
  private readonly statements = new Map<keyof typeof SQL, Database.Statement>();

  constructor(private readonly db: EnclaveDb) {
    registerSortedSamples(db.$client);
  }

  /**
   * Rollup rows of every day given (consecutive, in order; closed days from the store, open ones computed now), and
   * the timings of the days from `from` to `to` among them.
   */
  read(zone: string, days: LocalDay[], range: { from: string; to: string }, now: number): Rollup {
    // Days still running are the last ones; stored rows are read for the closed days before them only.
    const closed = days.filter((day) => day.end <= now);
    const open = days.slice(closed.length);
    let models: unknown[][] = [];
    let samples: unknown[][] = [];
    let sources: unknown[][] = [];
    let entities: EntityRow[] = [];
    if (closed.length) {
      const first = closed[0]!.day;
      const last = closed.at(-1)!.day;
      const stored = new Set((this.statement('storedDays').all(zone, first, last) as { day: string }[]).map((row) => row.day));
      const missing = closed.filter((day) => !stored.has(day.day));
      if (missing.length) this.store(zone, missing);
      models = this.statement('readModels').all(zone, first, last) as unknown[][];
      sources = this.statement('readSources').all(zone, first, last) as unknown[][];
      entities = this.statement('readEntities').all(zone, first, last) as EntityRow[];
      const [from, to] = [range.from > first ? range.from : first, range.to < last ? range.to : last];
      if (from <= to) samples = this.statement('readSamples').all(zone, from, to) as unknown[][];
    }
    for (const { day, start, end } of open) {
      const computed = this.statement('computeModels').all({ day, start, end }) as unknown[][];
      models = models.concat(computed);
      if (day >= range.from && day <= range.to) samples = samples.concat(computed.map((row) => row.slice(1)));
      sources = sources.concat(this.statement('computeSources').all({ day, start, end }) as unknown[][]);
      entities = entities.concat(this.statement('computeEntities').all({ day, start, end }) as EntityRow[]);
    }
    return { models: models.map(toModelDay), samples: samples.map(toSamples), sources: sources.map(toSourceDay), entities };
  }

  /** Forgets the rollups of every day that contains an instant between `from` and `to` (a request recorded into it). */
  invalidate(from: number, to: number): void {
    // Usually no rolled-up day covers a new request (today is summed live): one indexed look-up, no deletes.
    if (!this.statement('anyRolledDay').get(to, from)) return;
    this.db.$client.transaction(() => {
      for (const name of ['dropModels', 'dropSources', 'dropEntities', 'dropDays'] as const) this.statement(name).run(to, from);
    })();
  }

  private store(zone: string, days: LocalDay[]): void {
    this.db.$client.transaction(() => {
      for (const { day, start, end } of days)
        for (const name of ['storeModels', 'storeSources', 'storeEntities', 'storeDay'] as const)
          this.statement(name).run({ zone, day, start, end });
    })();
  }

  private statement(name: keyof typeof SQL): Database.Statement {
    let statement = this.statements.get(name);
    if (!statement) {
      statement = this.db.$client.prepare(SQL[name]);
      if (RAW.has(name)) statement.raw(true);
      this.statements.set(name, statement);
    }
    return statement;
  }
}

function toModelDay(row: unknown[]): ModelDayRow {
  const sums = row as number[];
  return {
    day: row[0] as string,
    location: row[1] as ModelDayRow['location'],
    provider: row[2] as string | null,
    model: row[3] as string,
    requests: sums[4]!,
    answered: sums[5]!,
    stopped: sums[6]!,
    failed: sums[7]!,
    blocked: sums[8]!,
    blockedByPrivacy: sums[9]!,
    blockedByDetection: sums[10]!,
    blockedByBudget: sums[11]!,
    promptTokens: sums[12]!,
    completionTokens: sums[13]!,
    costUsd: sums[14]!,
    redactedEntities: sums[15]!,
    ttftP50Ms: sums[16] ?? null,
    ttftP95Ms: sums[17] ?? null,
    tokensPerSecondP50: sums[18] ?? null,
    tokensPerSecondP95: sums[19] ?? null
  };
}

/** [location, provider, model, …, ttft samples, tokens/s samples] (the samples are the last two columns). */
function toSamples(row: unknown[]): SamplesRow {
  return {
    location: row[0] as SamplesRow['location'],
    provider: row[1] as string | null,
    model: row[2] as string,
    ttftSamples: row.at(-2) as Buffer | null,
    tokensPerSecondSamples: row.at(-1) as Buffer | null
  };
}

function toSourceDay(row: unknown[]): SourceDayRow {
  const [day, source, requests, promptTokens, completionTokens] = row as [string, UsageSource, number, number, number];
  return { day, source, requests, promptTokens, completionTokens };
}
