// Formatting shared by the egress preview and the egress ledger.
import type { EgressRecord, PrivacyMode } from '../../../src-main/core/shared/types';
import { privacyModeLabels } from '../../state/PrivacyState.svelte';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const costFormat = new Intl.NumberFormat(undefined, {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 6
});

export const formatTime = (ms: number) => timeFormat.format(ms);
export const formatDay = (ms: number) => dayFormat.format(ms);
export const formatCost = (usd: number | null) => (usd === null ? '–' : costFormat.format(usd));
export const modeLabel = (mode: PrivacyMode) => privacyModeLabels[mode];

/** Entity counts sorted by type, e.g. [['EMAIL', 1], ['PERSON', 2]]. */
export const sortedCounts = (counts: Record<string, number>): [string, number][] =>
  Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => a.localeCompare(b));

export const totalCount = (counts: Record<string, number>) => Object.values(counts).reduce((sum, count) => sum + count, 0);

const ACRONYMS = new Set(['ip', 'mac', 'url', 'iban']);

/** Human words for a placeholder type: PHONE → Phone, IP_ADDRESS → IP address, DATE_OF_BIRTH → Date of birth. */
export function typeLabel(type: string): string {
  const words = type
    .toLowerCase()
    .split('_')
    .map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : word));
  const label = words.join(' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export const statusLabels: Record<EgressRecord['status'], string> = {
  sent: 'Sending',
  completed: 'Completed',
  failed: 'Failed',
  aborted: 'Stopped'
};

export const sourceLabels: Record<EgressRecord['source'], string> = { chat: 'Chat', api: 'Local API', 'key-test': 'Key test' };

/** The payload JSON, pretty printed (as stored when it is not valid JSON). */
export function prettyPayload(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}
