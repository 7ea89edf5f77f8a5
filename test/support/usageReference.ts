import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../src-main/core/Enclave';
import { LocalDays } from '../../src-main/core/metrics/LocalDays';
import type { UsageStats } from '../../src-main/core/shared/types';

/**
 * The dashboard's figures recomputed the slow way, straight from usage_requests with SQLite's percentile()
 * (no rollups), in a shape that MetricsService.stats can be compared with: a check of the rollups' fast path.
 */
export interface UsageReference {
  totals: Record<string, number>;
  days: Record<string, number | string>[];
  models: Record<string, number | string | null>[];
  modelDays: Record<string, number | string | null>[];
  sources: Record<string, number | string>[];
  entityDays: Record<string, number | string>[];
}

const LATENCY = `percentile(CASE WHEN outcome = 'answered' THEN time_to_first_token_ms END, 50) AS ttftP50Ms,
  percentile(CASE WHEN outcome = 'answered' THEN time_to_first_token_ms END, 95) AS ttftP95Ms,
  percentile(CASE WHEN outcome = 'answered' THEN tokens_per_second END, 50) AS tokensPerSecondP50,
  percentile(CASE WHEN outcome = 'answered' THEN tokens_per_second END, 95) AS tokensPerSecondP95`;
const SUMS = `count(*) AS requests, sum(outcome = 'answered') AS answered, sum(outcome = 'stopped') AS stopped,
  sum(outcome = 'failed') AS failed, sum(outcome = 'blocked') AS blocked, sum(prompt_tokens) AS promptTokens,
  sum(completion_tokens) AS completionTokens, total(cost_usd) AS costUsd`;
const DAYS = `WITH days(day, day_start, day_end) AS (
  SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?)
)`;
const IN_DAY = 'created_at >= d.day_start AND created_at < d.day_end';

/** The reference figures of the local days from `from` to `to` in `timeZone`, read from a data folder's database. */
export function usageReference(dataDir: string, range: { from: string; to: string; timeZone: string }): UsageReference {
  const days = new LocalDays(range.timeZone).range(range.from, range.to);
  const [start, end] = [days[0]!.start, days.at(-1)!.end];
  const json = JSON.stringify(days.map(({ day, start: dayStart, end: dayEnd }) => [day, dayStart, dayEnd]));
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const all = <T>(query: string, ...params: unknown[]) => db.prepare(query).all(...params) as T[];
    const totals = db
      .prepare(
        `SELECT ${SUMS}, sum(block_reason IS 'privacy') AS blockedByPrivacy, sum(block_reason IS 'detection') AS blockedByDetection,
          sum(block_reason IS 'budget') AS blockedByBudget, sum(redacted_entities) AS redactedEntities
        FROM usage_requests WHERE created_at >= ? AND created_at < ?`
      )
      .get(start, end) as Record<string, number | null>;
    const perDay = new Map(
      all<Record<string, number | string>>(
        `${DAYS} SELECT d.day AS day, count(*) AS requests, sum(prompt_tokens) AS promptTokens, sum(completion_tokens) AS completionTokens,
          total(cost_usd) AS costUsd FROM days d JOIN usage_requests ON ${IN_DAY} GROUP BY d.day`,
        json
      ).map((row) => [row.day, row])
    );
    return {
      // sum() over no rows is null; the dashboard counts 0.
      totals: Object.fromEntries(Object.entries(totals).map(([key, value]) => [key, value ?? 0])),
      days: days.map(({ day }) => perDay.get(day) ?? { day, requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 }),
      models: all(
        `SELECT model, provider, location, ${SUMS}, ${LATENCY} FROM usage_requests WHERE created_at >= ? AND created_at < ?
          GROUP BY model, provider, location ORDER BY model, provider, location`,
        start,
        end
      ),
      modelDays: all(
        `${DAYS} SELECT d.day AS day, model, provider, location, count(*) AS requests, ${LATENCY}
          FROM days d JOIN usage_requests ON ${IN_DAY} GROUP BY d.day, model, provider, location ORDER BY d.day, model, provider, location`,
        json
      ),
      sources: all(
        `SELECT source, count(*) AS requests, sum(prompt_tokens) AS promptTokens, sum(completion_tokens) AS completionTokens
          FROM usage_requests WHERE created_at >= ? AND created_at < ? GROUP BY source ORDER BY source`,
        start,
        end
      ),
      entityDays: all(
        `${DAYS} SELECT d.day AS day, e.key AS type, sum(e.value) AS count FROM days d JOIN usage_requests ON ${IN_DAY},
          json_each(entity_counts) e GROUP BY d.day, e.key ORDER BY d.day, e.key`,
        json
      )
    };
  } finally {
    db.close();
  }
}

/** The same figures taken from MetricsService.stats. */
export function usageFiguresOf(stats: UsageStats): UsageReference {
  const order = (a: Record<string, unknown>, b: Record<string, unknown>, keys: string[]) => {
    for (const key of keys) {
      const [x, y] = [String(a[key] ?? ''), String(b[key] ?? '')];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
  const pick = <T extends object>(row: T, keys: (keyof T)[]) => Object.fromEntries(keys.map((key) => [key, row[key]]));
  const sums = ['requests', 'answered', 'stopped', 'failed', 'blocked', 'promptTokens', 'completionTokens', 'costUsd'] as const;
  const latency = ['ttftP50Ms', 'ttftP95Ms', 'tokensPerSecondP50', 'tokensPerSecondP95'] as const;
  const group = ['model', 'provider', 'location'] as const;
  return {
    totals: pick(stats.totals, [...sums, 'blockedByPrivacy', 'blockedByDetection', 'blockedByBudget', 'redactedEntities']),
    days: stats.days.map((row) => pick(row, ['day', 'requests', 'promptTokens', 'completionTokens', 'costUsd'])),
    models: stats.models.map((row) => pick(row, [...group, ...sums, ...latency])).sort((a, b) => order(a, b, [...group])),
    modelDays: stats.modelDays
      .map((row) => pick(row, ['day', ...group, 'requests', ...latency]))
      .sort((a, b) => order(a, b, ['day', ...group])),
    sources: stats.sources
      .map((row) => pick(row, ['source', 'requests', 'promptTokens', 'completionTokens']))
      .sort((a, b) => order(a, b, ['source'])),
    entityDays: stats.entityDays.map((row) => pick(row, ['day', 'type', 'count']))
  };
}

/**
 * Where two sets of figures differ, as `path: fast ≠ reference` lines (none: they agree). Dollar amounts agree
 * within a billionth (the dashboard rounds to that; the two sum in different orders); everything else exactly.
 */
export function usageDifferences(fast: UsageReference, reference: UsageReference): string[] {
  const differences: string[] = [];
  const visit = (a: unknown, b: unknown, path: string) => {
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const key of keys) visit((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    } else if (path.endsWith('.costUsd') && typeof a === 'number' && typeof b === 'number') {
      if (Math.abs(a - b) > 1e-9) differences.push(`${path}: ${a} ≠ ${b}`);
    } else if (a !== b) differences.push(`${path}: ${String(a)} ≠ ${String(b)}`);
  };
  visit(fast, reference, 'stats');
  return differences;
}
