import { stringify } from 'csv-stringify/sync';
import type { EgressExport, UsageStats } from '../shared/types';

const CSV_COLUMNS = [
  'day',
  'model',
  'provider',
  'location',
  'requests',
  'answered',
  'stopped',
  'failed',
  'blocked',
  'promptTokens',
  'completionTokens',
  'costUsd',
  'savedUsd',
  'ttftP50Ms',
  'ttftP95Ms',
  'tokensPerSecondP50',
  'tokensPerSecondP95'
] as const;

/** The figures as a file: JSON (everything the dashboard shows) or CSV (one row per local day and model). */
export function usageExport(stats: UsageStats, format: 'json' | 'csv', now = new Date()): EgressExport {
  const stamp = `${stats.range.from}_${stats.range.to}`;
  if (format === 'json')
    return {
      fileName: `enclave-usage-${stamp}.json`,
      mimeType: 'application/json',
      content: JSON.stringify({ exportedAt: now.toISOString(), ...stats }, null, 2)
    };
  const rows = stats.modelDays.map((row) => CSV_COLUMNS.map((column) => row[column]));
  // Model and provider names come from users and providers: formula-like cells are escaped (OWASP CSV injection).
  const content = stringify([[...CSV_COLUMNS], ...rows], { escape_formulas: true });
  return { fileName: `enclave-usage-${stamp}.csv`, mimeType: 'text/csv', content };
}
