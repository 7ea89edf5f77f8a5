import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { and, count, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { EgressExport, EgressFilter, EgressRecord, PrivacyMode } from '../shared/types';
import type { EnclaveDb } from '../db/openDatabase';
import { egressLedger } from '../db/schema';

export interface EgressEntry {
  provider: string;
  model: string;
  conversationId: string | null;
  source: EgressRecord['source'];
  privacyMode: PrivacyMode;
  payload: unknown;
  entityCounts: Record<string, number>;
}

export interface EgressOutcome {
  status: 'completed' | 'failed' | 'aborted';
  error?: string | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  costUsd?: number | null;
}

const DEFAULT_PAGE = 200;
const CSV_COLUMNS = [
  'id',
  'createdAt',
  'provider',
  'model',
  'conversationId',
  'source',
  'privacyMode',
  'status',
  'error',
  'promptTokens',
  'completionTokens',
  'costUsd',
  'entityCounts',
  'payload'
] as const;

/**
 * Owns the egress_ledger table: one row per request that left the machine, written before the request is
 * sent (so even a crash mid-request leaves its record) and completed with its outcome.
 */
export class EgressLedger {
  constructor(private readonly db: EnclaveDb) {}

  record(entry: EgressEntry): EgressRecord {
    const row = this.db
      .insert(egressLedger)
      .values({
        id: randomUUID(),
        createdAt: Date.now(),
        provider: entry.provider,
        model: entry.model,
        conversationId: entry.conversationId,
        source: entry.source,
        privacyMode: entry.privacyMode,
        payload: JSON.stringify(entry.payload),
        entityCounts: JSON.stringify(entry.entityCounts),
        status: 'sent'
      })
      .returning()
      .get();
    return toRecord(row);
  }

  finish(id: string, outcome: EgressOutcome): EgressRecord {
    const row = this.db
      .update(egressLedger)
      .set({
        status: outcome.status,
        error: outcome.error ?? null,
        promptTokens: outcome.promptTokens ?? null,
        completionTokens: outcome.completionTokens ?? null,
        costUsd: outcome.costUsd ?? null
      })
      .where(eq(egressLedger.id, id))
      .returning()
      .get();
    return toRecord(row!);
  }

  /** Newest first. */
  list(filter: EgressFilter = {}): { records: EgressRecord[]; total: number } {
    const where = conditions(filter);
    const records = this.db
      .select()
      .from(egressLedger)
      .where(where)
      .orderBy(desc(egressLedger.createdAt), desc(egressLedger.seq))
      .limit(filter.limit ?? DEFAULT_PAGE)
      .offset(filter.offset ?? 0)
      .all()
      .map(toRecord);
    const total = this.db.select({ total: count() }).from(egressLedger).where(where).get()?.total ?? 0;
    return { records, total };
  }

  /** Every matching record (no page limit), as a JSON array or CSV with one row per request. */
  export(format: 'json' | 'csv', filter: EgressFilter = {}, now = new Date()): EgressExport {
    const { records } = this.list({ ...filter, limit: Number.MAX_SAFE_INTEGER, offset: 0 });
    const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
    if (format === 'json') {
      const content = JSON.stringify(
        records.map((record) => ({ ...record, createdAt: new Date(record.createdAt).toISOString(), payload: JSON.parse(record.payload) })),
        null,
        2
      );
      return { fileName: `enclave-egress-${stamp}.json`, mimeType: 'application/json', content };
    }
    const rows = records.map((record) =>
      CSV_COLUMNS.map((column) => {
        if (column === 'createdAt') return new Date(record.createdAt).toISOString();
        if (column === 'entityCounts') return JSON.stringify(record.entityCounts);
        return record[column];
      })
    );
    // Model names and error texts come from providers: a cell starting with =, +, -, @, tab or CR gets
    // a leading ' so a spreadsheet shows it as text instead of running it (OWASP CSV injection).
    const content = stringify([[...CSV_COLUMNS], ...rows], { escape_formulas: true });
    return { fileName: `enclave-egress-${stamp}.csv`, mimeType: 'text/csv', content };
  }

  /** US dollars spent since a time, over all providers or one. */
  spentUsd(since: number, provider?: string): number {
    const row = this.db
      .select({ total: sql<number>`coalesce(sum(${egressLedger.costUsd}), 0)` })
      .from(egressLedger)
      .where(and(gte(egressLedger.createdAt, since), provider ? eq(egressLedger.provider, provider) : undefined))
      .get();
    return row?.total ?? 0;
  }
}

/** The first moment of the current calendar month, local time: monthly budgets reset then. */
export function startOfMonth(now = new Date()): number {
  return new Date(now.getFullYear(), now.getMonth(), 1).getTime();
}

function conditions(filter: EgressFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [
    filter.provider ? eq(egressLedger.provider, filter.provider) : undefined,
    filter.conversationId ? eq(egressLedger.conversationId, filter.conversationId) : undefined,
    filter.from !== undefined ? gte(egressLedger.createdAt, filter.from) : undefined,
    filter.to !== undefined ? lt(egressLedger.createdAt, filter.to) : undefined,
    filter.text ? sql`${egressLedger.payload} LIKE ${`%${filter.text.replace(/[\\%_]/g, '\\$&')}%`} ESCAPE '\\'` : undefined
  ];
  return and(...parts);
}

function toRecord(row: typeof egressLedger.$inferSelect): EgressRecord {
  return {
    id: row.id,
    createdAt: row.createdAt,
    provider: row.provider,
    model: row.model,
    conversationId: row.conversationId,
    source: row.source as EgressRecord['source'],
    privacyMode: row.privacyMode as PrivacyMode,
    payload: row.payload,
    entityCounts: JSON.parse(row.entityCounts) as Record<string, number>,
    status: row.status,
    error: row.error,
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    costUsd: row.costUsd
  };
}
