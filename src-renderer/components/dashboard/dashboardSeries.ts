// The dashboard's charts as series over the range's days, built from the core's figures.
import type { UsageStats } from '../../../src-main/core/shared/types';
import type { ChartSeries } from './UsageChart.svelte';

const PALETTE = ['#4b57cf', '#2e9b57', '#cf8a12', '#c0362c', '#8a4bcf', '#12a4cf', '#6b6b73'];
/** Models, providers and entity types beyond these many are left out of a chart (the tables list them all). */
const MAX_GROUPS = 4;

export const colorAt = (index: number) => PALETTE[index % PALETTE.length]!;

export interface DashboardCharts {
  days: string[];
  requests: ChartSeries[];
  tokens: ChartSeries[];
  ttft: ChartSeries[];
  speed: ChartSeries[];
  cost: ChartSeries[];
  savings: ChartSeries[];
  entities: ChartSeries[];
  cloud: ChartSeries[];
}

export function dashboardCharts(stats: UsageStats): DashboardCharts {
  const days = stats.days.map((day) => day.day);
  const index = new Map(days.map((day, position) => [day, position]));
  const perDay = <T extends { day: string }>(rows: T[], value: (row: T) => number) => {
    const values = days.map(() => 0);
    for (const row of rows) values[index.get(row.day)!]! += value(row);
    return values;
  };
  /** Nulls where a model had no timed reply that day, so its line breaks instead of dropping to zero. */
  const latency = (model: string, key: 'ttftP50Ms' | 'ttftP95Ms' | 'tokensPerSecondP50' | 'tokensPerSecondP95') => {
    const values: (number | null)[] = days.map(() => null);
    for (const row of stats.modelDays) if (row.model === model) values[index.get(row.day)!] = row[key];
    return values;
  };
  const timedModels = stats.models
    .filter((model) => model.ttftP50Ms !== null || model.tokensPerSecondP50 !== null)
    .slice(0, MAX_GROUPS / 2);
  const providers = [...new Set(stats.providerDays.map((row) => row.provider))].slice(0, MAX_GROUPS);
  const entityTotals = new Map<string, number>();
  for (const row of stats.entityDays) entityTotals.set(row.type, (entityTotals.get(row.type) ?? 0) + row.count);
  const entityTypes = [...entityTotals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_GROUPS)
    .map(([type]) => type);

  return {
    days,
    requests: [
      { label: 'Local', values: stats.days.map((day) => day.localRequests), color: colorAt(1), kind: 'bars' },
      { label: 'Cloud', values: stats.days.map((day) => day.cloudRequests), color: colorAt(0), kind: 'bars' }
    ],
    tokens: [
      { label: 'Tokens in', values: stats.days.map((day) => day.promptTokens), color: colorAt(0), kind: 'bars' },
      { label: 'Tokens out', values: stats.days.map((day) => day.completionTokens), color: colorAt(2), kind: 'bars' }
    ],
    ttft: timedModels.flatMap((model, position) => [
      { label: `${model.model} p50`, values: latency(model.model, 'ttftP50Ms'), color: colorAt(position) },
      { label: `${model.model} p95`, values: latency(model.model, 'ttftP95Ms'), color: colorAt(position), dash: true }
    ]),
    speed: timedModels.flatMap((model, position) => [
      { label: `${model.model} p50`, values: latency(model.model, 'tokensPerSecondP50'), color: colorAt(position) },
      { label: `${model.model} p95`, values: latency(model.model, 'tokensPerSecondP95'), color: colorAt(position), dash: true }
    ]),
    cost: providers.map((provider, position) => ({
      label: provider,
      values: perDay(
        stats.providerDays.filter((row) => row.provider === provider),
        (row) => row.costUsd
      ),
      color: colorAt(position)
    })),
    savings: [
      { label: 'Saved that day', values: stats.days.map((day) => day.savedUsd), color: colorAt(1), kind: 'bars' },
      { label: 'Running total', values: stats.days.map((day) => day.savedToDateUsd), color: colorAt(0) }
    ],
    entities: entityTypes.map((type, position) => ({
      label: type,
      values: perDay(
        stats.entityDays.filter((row) => row.type === type),
        (row) => row.count
      ),
      color: colorAt(position)
    })),
    cloud: [
      { label: 'Sent to the cloud', values: stats.days.map((day) => day.sentToCloud), color: colorAt(0), kind: 'bars' },
      { label: 'Blocked', values: stats.days.map((day) => day.blocked), color: colorAt(3), kind: 'bars' }
    ]
  };
}

const usdFormat = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2
});
const smallUsdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 });

/** Dollars: cents for amounts from a cent, three significant digits below (local savings are often fractions of a cent). */
export function formatUsd(value: number): string {
  return value !== 0 && Math.abs(value) < 0.01 ? smallUsdFormat.format(value) : usdFormat.format(value);
}
