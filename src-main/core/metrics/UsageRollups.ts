import type Database from 'better-sqlite3';
import type { UsageSource } from '../shared/types';
import type { EnclaveDb } from '../db/openDatabase';
import type { LocalDay } from './LocalDays';

/** One rollup row: a zone's local day, one source and model, its sums, and the model's p50/p95 of that day. */
export interface DailyRow {
  day: string;
  source: UsageSource;
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

export interface EntityRow {
  day: string;
  type: string;
  count: number;
}

/** The days, handed to SQLite as one JSON array of [day, start, end]. */
const DAYS = `WITH days(day, day_start, day_end) AS (
  SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?)
)`;
const IN_DAY = 'u.created_at >= d.day_start AND u.created_at < d.day_end';
const COLUMNS = `day, source, location, provider, model, requests, answered, stopped, failed, blocked, blocked_by_privacy AS blockedByPrivacy,
  blocked_by_detection AS blockedByDetection, blocked_by_budget AS blockedByBudget, prompt_tokens AS promptTokens,
  completion_tokens AS completionTokens, cost_usd AS costUsd, redacted_entities AS redactedEntities, ttft_p50_ms AS ttftP50Ms,
  ttft_p95_ms AS ttftP95Ms, tokens_per_second_p50 AS tokensPerSecondP50, tokens_per_second_p95 AS tokensPerSecondP95`;

/** p50/p95 of answered replies only (a stopped reply's speed says little); percentile() interpolates linearly between ranks. */
export const LATENCY = `percentile(CASE WHEN u.outcome = 'answered' THEN u.time_to_first_token_ms END, 50) AS ttftP50Ms,
  percentile(CASE WHEN u.outcome = 'answered' THEN u.time_to_first_token_ms END, 95) AS ttftP95Ms,
  percentile(CASE WHEN u.outcome = 'answered' THEN u.tokens_per_second END, 50) AS tokensPerSecondP50,
  percentile(CASE WHEN u.outcome = 'answered' THEN u.tokens_per_second END, 95) AS tokensPerSecondP95`;

/** The rollup of the given days, straight from usage_requests, in the column order of usage_daily (after time_zone). */
const COMPUTE_DAILY = `${DAYS},
  sums AS (
    SELECT d.day AS day, u.source AS source, u.location AS location, u.provider AS provider, u.model AS model, count(*) AS requests,
      sum(u.outcome = 'answered') AS answered, sum(u.outcome = 'stopped') AS stopped, sum(u.outcome = 'failed') AS failed,
      sum(u.outcome = 'blocked') AS blocked, sum(u.block_reason IS 'privacy') AS blockedByPrivacy,
      sum(u.block_reason IS 'detection') AS blockedByDetection, sum(u.block_reason IS 'budget') AS blockedByBudget,
      sum(u.prompt_tokens) AS promptTokens, sum(u.completion_tokens) AS completionTokens, total(u.cost_usd) AS costUsd,
      sum(u.redacted_entities) AS redactedEntities
    FROM days d JOIN usage_requests u ON ${IN_DAY} GROUP BY d.day, u.source, u.location, u.provider, u.model
  ),
  latency AS (
    SELECT d.day AS day, u.model AS model, u.provider AS provider, u.location AS location, ${LATENCY}
    FROM days d JOIN usage_requests u ON ${IN_DAY} GROUP BY d.day, u.model, u.provider, u.location
  )
  SELECT s.*, l.ttftP50Ms, l.ttftP95Ms, l.tokensPerSecondP50, l.tokensPerSecondP95
  FROM sums s JOIN latency l ON l.day = s.day AND l.model = s.model AND l.provider IS s.provider AND l.location = s.location`;
const COMPUTE_ENTITIES = `${DAYS} SELECT d.day AS day, e.key AS type, sum(e.value) AS count
  FROM days d JOIN usage_requests u ON ${IN_DAY} AND u.redacted_entities > 0, json_each(u.entity_counts) e GROUP BY d.day, e.key`;

const SQL = {
  computeDaily: COMPUTE_DAILY,
  computeEntities: COMPUTE_ENTITIES,
  storeDaily: `INSERT INTO usage_daily SELECT ?, * FROM (${COMPUTE_DAILY})`,
  storeEntities: `INSERT INTO usage_daily_entities SELECT ?, * FROM (${COMPUTE_ENTITIES})`,
  storeDays: `INSERT OR REPLACE INTO usage_rollup_days (time_zone, day, day_start, day_end)
    SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?)`,
  storedDays: `SELECT day FROM usage_rollup_days WHERE time_zone = ? AND day >= ? AND day <= ?`,
  readDaily: `SELECT ${COLUMNS} FROM usage_daily WHERE time_zone = ? AND day >= ? AND day <= ?`,
  readEntities: `SELECT day, type, count FROM usage_daily_entities WHERE time_zone = ? AND day >= ? AND day <= ?`,
  dropDaily: `DELETE FROM usage_daily WHERE (time_zone, day) IN (SELECT time_zone, day FROM usage_rollup_days WHERE day_start <= ? AND day_end > ?)`,
  dropEntities: `DELETE FROM usage_daily_entities WHERE (time_zone, day) IN (SELECT time_zone, day FROM usage_rollup_days WHERE day_start <= ? AND day_end > ?)`,
  dropDays: `DELETE FROM usage_rollup_days WHERE day_start <= ? AND day_end > ?`
} as const;

/**
 * Owns the daily rollups (usage_rollup_days, usage_daily, usage_daily_entities): a zone's day is summed once it is
 * over, the first time a query covers it; days still running (today) are summed from the requests on each query.
 */
export class UsageRollups {
  private readonly statements = new Map<keyof typeof SQL, Database.Statement>();

  constructor(private readonly db: EnclaveDb) {}

  /** Rollup rows of every day given (consecutive, in order), closed days from the store, open ones computed now. */
  read(zone: string, days: LocalDay[], now: number): { daily: DailyRow[]; entities: EntityRow[] } {
    const first = days[0]!.day;
    const last = days.at(-1)!.day;
    const stored = new Set((this.statement('storedDays').all(zone, first, last) as { day: string }[]).map((row) => row.day));
    const missing = days.filter((day) => day.end <= now && !stored.has(day.day));
    if (missing.length) this.store(zone, missing);
    const open = days.filter((day) => day.end > now);
    const daily = this.statement('readDaily').all(zone, first, last) as DailyRow[];
    const entities = this.statement('readEntities').all(zone, first, last) as EntityRow[];
    if (open.length) {
      const json = toJson(open);
      daily.push(...(this.statement('computeDaily').all(json) as DailyRow[]));
      entities.push(...(this.statement('computeEntities').all(json) as EntityRow[]));
    }
    return { daily, entities };
  }

  /** Forgets the rollups of every day that contains an instant between `from` and `to` (a request recorded into it). */
  invalidate(from: number, to: number): void {
    this.db.$client.transaction(() => {
      for (const name of ['dropDaily', 'dropEntities', 'dropDays'] as const) this.statement(name).run(to, from);
    })();
  }

  private store(zone: string, days: LocalDay[]): void {
    const json = toJson(days);
    this.db.$client.transaction(() => {
      this.statement('storeDaily').run(zone, json);
      this.statement('storeEntities').run(zone, json);
      this.statement('storeDays').run(zone, json);
    })();
  }

  private statement(name: keyof typeof SQL): Database.Statement {
    let statement = this.statements.get(name);
    if (!statement) {
      statement = this.db.$client.prepare(SQL[name]);
      this.statements.set(name, statement);
    }
    return statement;
  }
}

function toJson(days: LocalDay[]): string {
  return JSON.stringify(days.map(({ day, start, end }) => [day, start, end]));
}
