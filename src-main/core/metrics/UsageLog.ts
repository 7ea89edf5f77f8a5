import type { ReplyMetrics, UsageBlockReason, UsageOutcome, UsageSource } from '../shared/types';
import type { EnclaveDb } from '../db/openDatabase';
import { sql, type Placeholder } from 'drizzle-orm';
import { usageRequests } from '../db/schema';
import { UsageRollups } from './UsageRollups';

/** One request as the usage log stores it. */
export interface UsageEntry {
  /** When the request started; now by default. */
  createdAt?: number;
  source: UsageSource;
  model: string;
  provider: string | null;
  location: 'local' | 'cloud';
  outcome: UsageOutcome;
  blockReason?: UsageBlockReason | null;
  promptTokens?: number;
  completionTokens?: number;
  timeToFirstTokenMs?: number | null;
  tokensPerSecond?: number | null;
  totalMs?: number | null;
  costUsd?: number | null;
  conversationId?: string | null;
  entityCounts?: Readonly<Record<string, number>>;
}

/** Rows per INSERT when many are written at once (SQLite's bound-parameter limit is far above this × 17). */
const BATCH = 500;

/** Owns usage_requests: written once per request, by the router and the raw completions path; read by MetricsService. */
export class UsageLog {
  private readonly rollups: UsageRollups;
  private insertOne: { run(row: ReturnType<typeof toRow>): unknown } | null = null;

  constructor(private readonly db: EnclaveDb) {
    this.rollups = new UsageRollups(db);
  }

  record(entry: UsageEntry): void {
    const row = toRow(entry);
    // Once per request on the reply's path: one statement prepared once, not a query built each time.
    this.insertOne ??= this.db.insert(usageRequests).values(placeholdersFor(row)).prepare();
    const insert = this.insertOne;
    this.db.$client.transaction(() => {
      insert.run(row);
      // A request that started before midnight can finish after its day was rolled up.
      this.rollups.invalidate(row.createdAt, row.createdAt);
    })();
  }

  /** Many entries in one transaction (imports, seeded test and benchmark data). */
  recordMany(entries: readonly UsageEntry[]): void {
    if (!entries.length) return;
    const rows = entries.map(toRow);
    this.db.transaction((tx) => {
      for (let index = 0; index < rows.length; index += BATCH)
        tx.insert(usageRequests)
          .values(rows.slice(index, index + BATCH))
          .run();
      const times = rows.map((row) => row.createdAt);
      this.rollups.invalidate(
        times.reduce((a, b) => Math.min(a, b)),
        times.reduce((a, b) => Math.max(a, b))
      );
    });
  }
}

/** The usage of a finished (or stopped) reply, from the metrics the model reported. */
export function entryFromMetrics(
  metrics: ReplyMetrics,
  request: { source: UsageSource; conversationId: string | null; createdAt: number; stopped: boolean },
  entityCounts: Readonly<Record<string, number>> = {}
): UsageEntry {
  return {
    createdAt: request.createdAt,
    source: request.source,
    // A local model is counted under its id (the file name without .gguf), the name the API and the router use.
    model: metrics.provider === null ? metrics.model.replace(/\.gguf$/i, '') : metrics.model,
    provider: metrics.provider,
    location: metrics.provider === null ? 'local' : 'cloud',
    outcome: request.stopped ? 'stopped' : 'answered',
    promptTokens: metrics.promptTokens,
    completionTokens: metrics.completionTokens,
    timeToFirstTokenMs: metrics.timeToFirstTokenMs,
    tokensPerSecond: metrics.tokensPerSecond > 0 ? metrics.tokensPerSecond : null,
    totalMs: metrics.totalMs,
    costUsd: metrics.costUsd,
    conversationId: request.conversationId,
    entityCounts
  };
}

function toRow(entry: UsageEntry): typeof usageRequests.$inferInsert & { createdAt: number } {
  const entityCounts = Object.fromEntries(Object.entries(entry.entityCounts ?? {}).filter(([, count]) => count > 0));
  return {
    createdAt: entry.createdAt ?? Date.now(),
    source: entry.source,
    model: entry.model,
    provider: entry.provider,
    location: entry.location,
    outcome: entry.outcome,
    blockReason: entry.outcome === 'blocked' ? (entry.blockReason ?? null) : null,
    promptTokens: entry.promptTokens ?? 0,
    completionTokens: entry.completionTokens ?? 0,
    timeToFirstTokenMs: entry.timeToFirstTokenMs ?? null,
    tokensPerSecond: entry.tokensPerSecond ?? null,
    totalMs: entry.totalMs ?? null,
    costUsd: entry.costUsd ?? null,
    conversationId: entry.conversationId ?? null,
    entityCounts: JSON.stringify(entityCounts),
    redactedEntities: Object.values(entityCounts).reduce((sum, count) => sum + count, 0)
  };
}

/** A named placeholder for each field of a row, to prepare its INSERT once. */
function placeholdersFor<T extends object>(row: T): { [K in keyof T]: Placeholder<K & string> } {
  return Object.fromEntries(Object.keys(row).map((key) => [key, sql.placeholder(key)])) as { [K in keyof T]: Placeholder<K & string> };
}
