import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { Enclave } from '../../src-main/core/Enclave';
import { LocalDays } from '../../src-main/core/metrics/LocalDays';
import type { UsageEntry } from '../../src-main/core/metrics/UsageLog';
import { ErrorCode } from '../../src-main/core/shared/errorCodes';
import { useTempDir } from '../support/tempDir';
import { usageDifferences, usageFiguresOf, usageReference } from '../support/usageReference';

const tempDir = useTempDir('enclave-metrics-');
const opened: Enclave[] = [];
afterEach(async () => {
  for (const enclave of opened.splice(0)) await enclave.dispose();
});

const at = (iso: string) => Date.parse(iso);
const tiny = { model: 'tiny', provider: null, location: 'local' } as const;
const acme = { model: 'acme/gpt-fake-1', provider: 'acme', location: 'cloud' } as const;
const other = { model: 'other/claude-fake', provider: 'other', location: 'cloud' } as const;

/**
 * Ten requests around Berlin's switch to summer time (2026-03-29, a 23-hour day: 2026-03-28T23:00Z to
 * 2026-03-29T22:00Z), each a millisecond either side of a local midnight where it matters, plus two cloud
 * requests outside the range that count for March's budget (K) and for April's (L, 00:30 on April 1 in Berlin).
 */
const SEED: (UsageEntry & { name: string })[] = [
  {
    name: 'A',
    ...tiny,
    createdAt: at('2026-03-28T22:59:59.999Z'),
    source: 'app',
    outcome: 'answered',
    promptTokens: 1000,
    completionTokens: 500,
    timeToFirstTokenMs: 100,
    tokensPerSecond: 10
  },
  {
    name: 'B',
    ...tiny,
    createdAt: at('2026-03-28T23:00:00.000Z'),
    source: 'cli',
    outcome: 'answered',
    promptTokens: 2000,
    completionTokens: 1000,
    timeToFirstTokenMs: 200,
    tokensPerSecond: 20
  },
  {
    name: 'C',
    ...tiny,
    createdAt: at('2026-03-29T21:59:59.999Z'),
    source: 'api',
    outcome: 'answered',
    promptTokens: 3000,
    completionTokens: 1500,
    timeToFirstTokenMs: 300,
    tokensPerSecond: 30
  },
  {
    name: 'D',
    ...tiny,
    createdAt: at('2026-03-29T22:00:00.000Z'),
    source: 'documents',
    outcome: 'answered',
    promptTokens: 4000,
    completionTokens: 2000,
    timeToFirstTokenMs: 400,
    tokensPerSecond: 40
  },
  // Stopped: its tokens count, its speed does not.
  {
    name: 'E',
    ...tiny,
    createdAt: at('2026-03-29T12:00:00Z'),
    source: 'app',
    outcome: 'stopped',
    promptTokens: 100,
    completionTokens: 50,
    timeToFirstTokenMs: 9999,
    tokensPerSecond: 1
  },
  {
    name: 'F',
    ...acme,
    createdAt: at('2026-03-29T10:00:00Z'),
    source: 'app',
    outcome: 'answered',
    promptTokens: 10_000,
    completionTokens: 2000,
    costUsd: 0.014,
    timeToFirstTokenMs: 500,
    tokensPerSecond: 50,
    entityCounts: { EMAIL: 2, PERSON: 1 }
  },
  { name: 'G', ...acme, createdAt: at('2026-03-30T08:00:00Z'), source: 'api', outcome: 'failed', entityCounts: { PERSON: 1 } },
  { name: 'H', ...acme, createdAt: at('2026-03-29T11:00:00Z'), source: 'app', outcome: 'blocked', blockReason: 'privacy' },
  { name: 'I', ...other, createdAt: at('2026-03-30T09:00:00Z'), source: 'api', outcome: 'blocked', blockReason: 'budget' },
  {
    name: 'J',
    ...other,
    createdAt: at('2026-03-30T10:00:00Z'),
    source: 'cli',
    outcome: 'answered',
    promptTokens: 1000,
    completionTokens: 1000,
    costUsd: 0.25,
    timeToFirstTokenMs: 1000,
    tokensPerSecond: 5
  },
  {
    name: 'K',
    ...acme,
    createdAt: at('2026-03-05T12:00:00Z'),
    source: 'app',
    outcome: 'answered',
    promptTokens: 10,
    completionTokens: 10,
    costUsd: 0.5
  },
  {
    name: 'L',
    ...acme,
    createdAt: at('2026-03-31T22:30:00Z'),
    source: 'app',
    outcome: 'answered',
    promptTokens: 10,
    completionTokens: 10,
    costUsd: 1
  }
];

function seeded(): Enclave {
  const enclave = Enclave.open({ dataDir: tempDir(), gpu: false });
  opened.push(enclave);
  enclave.usage.recordMany(SEED.map(({ name: _name, ...entry }) => entry));
  enclave.router.updateSettings({ monthlyBudgetUsd: 10, providerBudgetsUsd: { acme: 2 } });
  return enclave;
}

// Savings priced at openai/gpt-4.1-mini from resources/prices.json: $0.40 in, $1.60 out per million tokens.
const query = { from: '2026-03-28', to: '2026-03-30', timeZone: 'Europe/Berlin', savingsModel: 'openai/gpt-4.1-mini' };

describe('MetricsService on seeded data', () => {
  it('sums requests, tokens, cost and savings per local day in Berlin, across the spring-forward day', () => {
    const stats = seeded().metrics.stats(query);
    expect(stats.range).toEqual({ from: '2026-03-28', to: '2026-03-30', timeZone: 'Europe/Berlin' });
    expect(stats.savingsModel).toEqual({ ref: 'openai/gpt-4.1-mini', price: { inputPerMillion: 0.4, outputPerMillion: 1.6 } });
    expect(stats.totals).toEqual({
      requests: 10,
      answered: 6,
      stopped: 1,
      failed: 1,
      blocked: 2,
      localRequests: 5,
      cloudRequests: 5,
      promptTokens: 21_100,
      completionTokens: 8050,
      costUsd: 0.264,
      savedUsd: 0.01212,
      sentToCloud: 3,
      blockedByPrivacy: 1,
      blockedByDetection: 0,
      blockedByBudget: 1,
      redactedEntities: 4
    });
    const pick = ({
      day,
      requests,
      localRequests,
      cloudRequests,
      promptTokens,
      completionTokens,
      costUsd,
      savedUsd,
      savedToDateUsd
    }: (typeof stats.days)[number]) => ({
      day,
      requests,
      localRequests,
      cloudRequests,
      promptTokens,
      completionTokens,
      costUsd,
      savedUsd,
      savedToDateUsd
    });
    expect(stats.days.map(pick)).toEqual([
      {
        day: '2026-03-28',
        requests: 1,
        localRequests: 1,
        cloudRequests: 0,
        promptTokens: 1000,
        completionTokens: 500,
        costUsd: 0,
        savedUsd: 0.0012,
        savedToDateUsd: 0.0012
      },
      {
        day: '2026-03-29',
        requests: 5,
        localRequests: 3,
        cloudRequests: 2,
        promptTokens: 15_100,
        completionTokens: 4550,
        costUsd: 0.014,
        savedUsd: 0.00612,
        savedToDateUsd: 0.00732
      },
      {
        day: '2026-03-30',
        requests: 4,
        localRequests: 1,
        cloudRequests: 3,
        promptTokens: 5000,
        completionTokens: 3000,
        costUsd: 0.25,
        savedUsd: 0.0048,
        savedToDateUsd: 0.01212
      }
    ]);
    expect(
      stats.days.map(({ answered, stopped, failed, blocked, sentToCloud, blockedByPrivacy, blockedByBudget, redactedEntities }) => [
        answered,
        stopped,
        failed,
        blocked,
        sentToCloud,
        blockedByPrivacy,
        blockedByBudget,
        redactedEntities
      ])
    ).toEqual([
      [1, 0, 0, 0, 0, 0, 0, 0],
      [3, 1, 0, 1, 1, 1, 0, 3],
      [2, 0, 1, 1, 2, 0, 1, 1]
    ]);
  });

  it('per model: figures and p50/p95 of time to first token and tokens/s over answered replies', () => {
    const { models, modelDays } = seeded().metrics.stats(query);
    expect(models).toEqual([
      {
        ...tiny,
        localRequests: 5,
        cloudRequests: 0,
        requests: 5,
        answered: 4,
        stopped: 1,
        failed: 0,
        blocked: 0,
        promptTokens: 10_100,
        completionTokens: 5050,
        costUsd: 0,
        savedUsd: 0.01212,
        ttftP50Ms: 250,
        ttftP95Ms: 385,
        tokensPerSecondP50: 25,
        tokensPerSecondP95: 38.5
      },
      {
        ...acme,
        localRequests: 0,
        cloudRequests: 3,
        requests: 3,
        answered: 1,
        stopped: 0,
        failed: 1,
        blocked: 1,
        promptTokens: 10_000,
        completionTokens: 2000,
        costUsd: 0.014,
        savedUsd: 0,
        ttftP50Ms: 500,
        ttftP95Ms: 500,
        tokensPerSecondP50: 50,
        tokensPerSecondP95: 50
      },
      {
        ...other,
        localRequests: 0,
        cloudRequests: 2,
        requests: 2,
        answered: 1,
        stopped: 0,
        failed: 0,
        blocked: 1,
        promptTokens: 1000,
        completionTokens: 1000,
        costUsd: 0.25,
        savedUsd: 0,
        ttftP50Ms: 1000,
        ttftP95Ms: 1000,
        tokensPerSecondP50: 5,
        tokensPerSecondP95: 5
      }
    ]);
    // On the 29th the local model answered B and C (E was stopped): p95 of [200, 300] is 200 + 0.95 × 100.
    expect(
      modelDays
        .filter((row) => row.model === 'tiny')
        .map(({ day, requests, ttftP50Ms, ttftP95Ms, tokensPerSecondP50, tokensPerSecondP95, savedUsd }) => [
          day,
          requests,
          ttftP50Ms,
          ttftP95Ms,
          tokensPerSecondP50,
          tokensPerSecondP95,
          savedUsd
        ])
    ).toEqual([
      ['2026-03-28', 1, 100, 100, 10, 10, 0.0012],
      ['2026-03-29', 3, 250, 295, 25, 29.5, 0.00612],
      ['2026-03-30', 1, 400, 400, 40, 40, 0.0048]
    ]);
    // A day with only a failed or blocked request has no speed to report.
    expect(modelDays.find((row) => row.day === '2026-03-30' && row.model === 'acme/gpt-fake-1')).toMatchObject({
      requests: 1,
      failed: 1,
      ttftP50Ms: null,
      tokensPerSecondP95: null
    });
  });

  it('by source, by provider per day, entities redacted per type per day, and whole months against the budgets', () => {
    const stats = seeded().metrics.stats(query);
    expect(stats.sources).toEqual([
      { source: 'app', requests: 4, promptTokens: 11_100, completionTokens: 2550 },
      { source: 'api', requests: 3, promptTokens: 3000, completionTokens: 1500 },
      { source: 'cli', requests: 2, promptTokens: 3000, completionTokens: 2000 },
      { source: 'documents', requests: 1, promptTokens: 4000, completionTokens: 2000 }
    ]);
    expect(stats.providerDays).toEqual([
      { day: '2026-03-29', provider: 'acme', requests: 2, costUsd: 0.014 },
      { day: '2026-03-30', provider: 'acme', requests: 1, costUsd: 0 },
      { day: '2026-03-30', provider: 'other', requests: 2, costUsd: 0.25 }
    ]);
    expect(stats.entityDays).toEqual([
      { day: '2026-03-29', type: 'EMAIL', count: 2 },
      { day: '2026-03-29', type: 'PERSON', count: 1 },
      { day: '2026-03-30', type: 'PERSON', count: 1 }
    ]);
    // March in Berlin: K (March 5) counts, L (April 1, 00:30 local) does not.
    expect(stats.budgets).toEqual([
      { month: '2026-03', provider: null, costUsd: 0.764, budgetUsd: 10 },
      { month: '2026-03', provider: 'acme', costUsd: 0.514, budgetUsd: 2 },
      { month: '2026-03', provider: 'other', costUsd: 0.25, budgetUsd: null }
    ]);
  });

  it('the same requests fall on other days in UTC and at +05:45', () => {
    const enclave = seeded();
    const perDay = (timeZone: string) => enclave.metrics.stats({ ...query, timeZone }).days.map((day) => [day.day, day.requests]);
    expect(perDay('UTC')).toEqual([
      ['2026-03-28', 2],
      ['2026-03-29', 5],
      ['2026-03-30', 3]
    ]);
    expect(perDay('+05:45')).toEqual([
      ['2026-03-28', 0],
      ['2026-03-29', 5],
      ['2026-03-30', 5]
    ]);
  });

  it('without dates: from the first request stored to today; without a savings model: the default; null: none', () => {
    const enclave = seeded();
    const stats = enclave.metrics.stats({ timeZone: 'Europe/Berlin' }, at('2026-04-02T10:00:00Z'));
    expect(stats.range).toMatchObject({ from: '2026-03-05', to: '2026-04-02' });
    expect(stats.days).toHaveLength(29);
    expect(stats.totals.requests).toBe(12);
    expect(stats.savingsModel?.ref).toBe('openai/gpt-4.1-mini');
    expect(stats.budgets.map((row) => [row.month, row.provider, row.costUsd])).toEqual([
      ['2026-03', null, 0.764],
      ['2026-03', 'acme', 0.514],
      ['2026-03', 'other', 0.25],
      ['2026-04', null, 1],
      ['2026-04', 'acme', 1]
    ]);
    const none = enclave.metrics.stats({ ...query, savingsModel: null });
    expect(none.savingsModel).toBeNull();
    expect(none.totals.savedUsd).toBe(0);
    // Any priced kind/model of the price table can value the savings.
    expect(enclave.metrics.stats({ ...query, savingsModel: 'anthropic/claude-haiku-4-5' }).totals.savedUsd).toBe(
      (10_100 * 1 + 5050 * 5) / 1e6
    );
  });

  it('closed days are rolled up once; a request recorded into one later is counted; the running day is summed live', () => {
    const enclave = seeded();
    const perDay = (now: number) => enclave.metrics.stats(query, now).days.map((day) => day.requests);
    // The 30th is still running: its figures come from the requests each time.
    const during30th = at('2026-03-30T12:00:00Z');
    expect(perDay(during30th)).toEqual([1, 5, 4]);
    enclave.usage.record({ ...tiny, createdAt: at('2026-03-30T11:00:00Z'), source: 'app', outcome: 'answered' });
    expect(perDay(during30th)).toEqual([1, 5, 5]);
    // The 29th was rolled up by the queries above; an import into it drops that rollup.
    enclave.usage.recordMany([{ ...tiny, createdAt: at('2026-03-29T09:00:00Z'), source: 'cli', outcome: 'answered', promptTokens: 7 }]);
    expect(perDay(during30th)).toEqual([1, 6, 5]);
    expect(enclave.metrics.stats(query).days[1]!.promptTokens).toBe(15_107);
  });

  it('an empty data folder gives one day of zeros', () => {
    const enclave = Enclave.open({ dataDir: tempDir(), gpu: false });
    opened.push(enclave);
    const stats = enclave.metrics.stats({ timeZone: '+00:00' }, at('2026-05-01T12:00:00Z'));
    expect(stats.range).toMatchObject({ from: '2026-05-01', to: '2026-05-01' });
    expect(stats.totals.requests).toBe(0);
    expect(stats.days).toHaveLength(1);
    expect(stats.models).toEqual([]);
  });

  it('refuses an unknown zone, a date that does not exist, a reversed range and an unpriced savings model', () => {
    const { metrics } = seeded();
    const codeOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return [(error as { code: string }).code, (error as Error).message];
      }
      return null;
    };
    expect(codeOf(() => metrics.stats({ ...query, timeZone: 'Mars/Olympus' }))).toEqual([
      ErrorCode.InvalidStatsQuery,
      expect.stringContaining('"Mars/Olympus" is not a time zone')
    ]);
    expect(codeOf(() => metrics.stats({ ...query, to: '2026-02-30' }))).toEqual([
      ErrorCode.InvalidStatsQuery,
      expect.stringContaining('"2026-02-30" is not a date')
    ]);
    expect(codeOf(() => metrics.stats({ ...query, from: '2026-04-01' }))).toEqual([
      ErrorCode.InvalidStatsQuery,
      expect.stringContaining('ends (2026-03-30) before it starts (2026-04-01)')
    ]);
    expect(codeOf(() => metrics.stats({ ...query, savingsModel: 'acme/unpriced' }))).toEqual([
      ErrorCode.InvalidStatsQuery,
      expect.stringContaining('has no price')
    ]);
  });

  it('exports one CSV row per day and model, and the whole figures as JSON', () => {
    const { metrics } = seeded();
    const csv = metrics.export('csv', query, new Date('2026-04-02T00:00:00Z'));
    expect(csv).toMatchObject({ fileName: 'enclave-usage-2026-03-28_2026-03-30.csv', mimeType: 'text/csv' });
    const rows = parse(csv.content, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(6);
    expect(rows[1]).toMatchObject({
      day: '2026-03-29',
      model: 'acme/gpt-fake-1',
      provider: 'acme',
      requests: '2',
      costUsd: '0.014',
      ttftP50Ms: '500'
    });
    expect(rows.filter((row) => row.model === 'tiny').map((row) => row.savedUsd)).toEqual(['0.0012', '0.00612', '0.0048']);
    const json = JSON.parse(metrics.export('json', query, new Date('2026-04-02T00:00:00Z')).content);
    expect(json.exportedAt).toBe('2026-04-02T00:00:00.000Z');
    expect(json.totals).toEqual(metrics.stats(query).totals);
  });
});

/** 1,500 requests from 2026-02-20 to 2026-04-10 (across Berlin's spring-forward day), timings with ties and gaps. */
function manyRequests(): UsageEntry[] {
  let state = 7;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const groups = [tiny, { model: 'small', provider: null, location: 'local' } as const, acme, other];
  const outcomes = ['answered', 'answered', 'answered', 'stopped', 'failed', 'blocked'] as const;
  const start = at('2026-02-20T00:00:00Z');
  const span = at('2026-04-10T23:59:59Z') - start;
  return Array.from({ length: 1500 }, (_, index) => ({
    ...groups[Math.floor(next() * groups.length)]!,
    createdAt: start + Math.floor((index / 1500) * span),
    source: (['app', 'cli', 'api', 'documents'] as const)[Math.floor(next() * 4)]!,
    outcome: outcomes[Math.floor(next() * outcomes.length)]!,
    promptTokens: Math.floor(next() * 900),
    completionTokens: Math.floor(next() * 300),
    // Whole milliseconds and tenths of tokens/s repeat, so ranks hold ties.
    timeToFirstTokenMs: Math.round(next() * 400),
    tokensPerSecond: next() < 0.1 ? null : Math.round(next() * 300) / 10,
    costUsd: next() / 100,
    entityCounts: next() < 0.2 ? { EMAIL: 1 + Math.floor(next() * 2) } : ({} as Record<string, number>)
  }));
}

describe('daily rollups against a recomputation from the requests', () => {
  it('every figure, and p50/p95 per model over the range and per day, equal percentile() over the requests', () => {
    const dataDir = tempDir();
    const enclave = Enclave.open({ dataDir, gpu: false });
    opened.push(enclave);
    enclave.usage.recordMany(manyRequests());
    // Neither end on a month's edge; the 6th of April still running (summed live, its timings joined to the stored days').
    const range = { from: '2026-02-23', to: '2026-04-06', timeZone: 'Europe/Berlin' };
    const during6th = at('2026-04-06T09:00:00Z');
    const reference = usageReference(dataDir, range);
    expect(reference.totals.requests).toBeGreaterThan(1000);
    const rollingUp = usageFiguresOf(enclave.metrics.stats(range, during6th));
    expect(usageDifferences(rollingUp, reference)).toEqual([]);
    const fromStore = usageFiguresOf(enclave.metrics.stats(range, during6th));
    expect(usageDifferences(fromStore, reference)).toEqual([]);
    // A request recorded into a stored day afterwards: that day is summed again.
    enclave.usage.record({ ...tiny, createdAt: at('2026-03-10T12:00:00Z'), source: 'app', outcome: 'answered', timeToFirstTokenMs: 5 });
    const again = usageFiguresOf(enclave.metrics.stats(range, during6th));
    expect(usageDifferences(again, usageReference(dataDir, range))).toEqual([]);
    expect(usageDifferences(again, reference)).not.toEqual([]);
  });
});

describe('LocalDays', () => {
  it('Berlin: the spring-forward day lasts 23 hours, the fall-back day 25', () => {
    const berlin = new LocalDays('Europe/Berlin');
    expect(berlin.range('2026-03-28', '2026-03-30')).toEqual([
      { day: '2026-03-28', start: at('2026-03-27T23:00:00Z'), end: at('2026-03-28T23:00:00Z') },
      { day: '2026-03-29', start: at('2026-03-28T23:00:00Z'), end: at('2026-03-29T22:00:00Z') },
      { day: '2026-03-30', start: at('2026-03-29T22:00:00Z'), end: at('2026-03-30T22:00:00Z') }
    ]);
    const [fallBack] = berlin.range('2026-10-25', '2026-10-25');
    expect(fallBack).toEqual({ day: '2026-10-25', start: at('2026-10-24T22:00:00Z'), end: at('2026-10-25T23:00:00Z') });
  });

  it('New York, a fixed offset and the day an instant falls on', () => {
    const newYork = new LocalDays('America/New_York');
    expect(newYork.range('2026-11-01', '2026-11-01')[0]).toEqual({
      day: '2026-11-01',
      start: at('2026-11-01T04:00:00Z'),
      end: at('2026-11-02T05:00:00Z')
    });
    expect(newYork.dayOf(at('2026-11-02T04:59:59.999Z'))).toBe('2026-11-01');
    expect(newYork.dayOf(at('2026-11-02T05:00:00Z'))).toBe('2026-11-02');
    const india = new LocalDays('+05:30');
    expect(india.startOf('2026-01-01')).toBe(at('2025-12-31T18:30:00Z'));
    expect(new LocalDays('-08:00').dayOf(at('2026-01-01T07:59:59Z'))).toBe('2025-12-31');
  });
});
