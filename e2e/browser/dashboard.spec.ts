import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { LocalDays } from '../../src-main/core/metrics/LocalDays';
import type { UsageEntry } from '../../src-main/core/metrics/UsageLog';
import type { UsageStats } from '../../src-main/core/shared/types';
import { expect, loadModelByPath, saveScreenshot, send, setMaxTokens, test } from './fixtures';

// The usage dashboard on the real core: seeded usage in Berlin's days (the page runs in that zone too), and
// real use (a reply written by the test model through the UI).

const ZONE = 'Europe/Berlin';
test.use({ timezoneId: ZONE });

const berlin = new LocalDays(ZONE);
const today = berlin.dayOf(Date.now());
/** Noon in Berlin, `days` before today. */
const noon = (days: number) => {
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day - days)).toISOString().slice(0, 10);
  return berlin.startOf(date) + 12 * 3_600_000;
};

const tiny = { model: 'tiny', provider: null, location: 'local' } as const;
const acme = { model: 'acme/gpt-fake-1', provider: 'acme', location: 'cloud' } as const;
const SEED: UsageEntry[] = [
  ...[100, 200, 300].map((ttft) => ({
    ...tiny,
    createdAt: noon(0),
    source: 'app' as const,
    outcome: 'answered' as const,
    promptTokens: 1000,
    completionTokens: 500,
    timeToFirstTokenMs: ttft,
    tokensPerSecond: ttft / 10
  })),
  {
    ...acme,
    createdAt: noon(0),
    source: 'api',
    outcome: 'answered',
    promptTokens: 2000,
    completionTokens: 1000,
    costUsd: 0.25,
    timeToFirstTokenMs: 600,
    tokensPerSecond: 40,
    entityCounts: { EMAIL: 2 }
  },
  ...[0, 1].map(() => ({
    ...tiny,
    createdAt: noon(1),
    source: 'cli' as const,
    outcome: 'answered' as const,
    promptTokens: 500,
    completionTokens: 250,
    timeToFirstTokenMs: 150,
    tokensPerSecond: 18
  })),
  { ...acme, createdAt: noon(1), source: 'app', outcome: 'blocked', blockReason: 'privacy' },
  {
    ...tiny,
    createdAt: noon(2),
    source: 'documents',
    outcome: 'answered',
    promptTokens: 4000,
    completionTokens: 1000,
    timeToFirstTokenMs: 250,
    tokensPerSecond: 22
  },
  { model: 'other/claude-fake', provider: 'other', location: 'cloud', createdAt: noon(2), source: 'api', outcome: 'failed' }
];

test('empty at first; seeded usage in charts, totals, tables and exports; the range and savings model apply', async ({ app, harness }) => {
  // Opened by its keyboard shortcut; nothing counted yet.
  await app.keyboard.press('Control+Shift+D');
  const dashboard = app.getByTestId('dashboard');
  await expect(dashboard).toBeVisible();
  await expect(app.getByTestId('dashboard-empty')).toContainText('No requests from');
  await app.keyboard.press('Escape');
  await expect(dashboard).toHaveCount(0);

  harness.enclave.usage.recordMany(SEED);
  harness.enclave.router.updateSettings({ monthlyBudgetUsd: 1, providerBudgetsUsd: { acme: 0.2 } });
  await app.getByTestId('open-dashboard').click();
  await expect(app.getByTestId('dashboard-total-requests')).toContainText('9');
  await expect(app.getByTestId('dashboard-total-requests')).toContainText('67% local · 3 cloud');
  await expect(app.getByTestId('dashboard-total-cost')).toContainText('$0.25');
  // 8,000 tokens in and 3,000 out locally, at $0.40 and $1.60 per million.
  await expect(app.getByTestId('dashboard-total-saved')).toContainText('$0.008');
  await expect(app.getByTestId('dashboard-total-saved')).toContainText('at openai/gpt-4.1-mini prices');
  await expect(app.getByTestId('dashboard-total-privacy')).toContainText('2 redacted');
  await expect(app.getByTestId('dashboard-total-privacy')).toContainText('1 blocked by the privacy gate');

  const charts = app.getByTestId('usage-chart');
  await expect(charts).toHaveCount(8);
  await expect(charts.locator('canvas')).toHaveCount(8);
  await expect(app.locator('[data-chart="requests"]')).toHaveAttribute('data-points', '30');
  await expect(app.locator('[data-chart="ttft"]')).toHaveAttribute('data-series', '4');

  const modelRows = app.getByTestId('dashboard-model-row');
  await expect(modelRows).toHaveCount(3);
  await expect(modelRows.first()).toHaveAttribute('data-model', 'tiny');
  // p50 of the local model's first-token times [100, 150, 150, 200, 250, 300] is 175 ms.
  await expect(modelRows.first()).toContainText('175 ms');
  await expect(app.getByTestId('dashboard-source-row')).toHaveText([
    /App\s*4\s*44%/,
    /Local API\s*2\s*22%/,
    /CLI\s*2\s*22%/,
    /Documents\s*1\s*11%/
  ]);
  const acmeBudget = app.locator(`[data-testid="dashboard-budget-row"][data-month="${today.slice(0, 7)}"][data-provider="acme"]`);
  await expect(acmeBudget).toContainText('$0.25 of $0.20');
  await expect(acmeBudget).toHaveClass(/over/);
  await expect(acmeBudget).toContainText('125%');
  await saveScreenshot(app, 'dashboard-01-seeded');
  await app.getByTestId('dashboard-models').scrollIntoViewIfNeeded();
  await saveScreenshot(app, 'dashboard-02-tables');

  // Another model values the savings: $3 in, $15 out per million.
  await app.getByTestId('dashboard-savings-model').selectOption('anthropic/claude-sonnet-4-5');
  await expect(app.getByTestId('dashboard-total-saved')).toContainText('$0.07');

  // Exports carry the figures on screen.
  const [jsonDownload] = await Promise.all([app.waitForEvent('download'), app.getByTestId('dashboard-export-json').click()]);
  expect(jsonDownload.suggestedFilename()).toMatch(/^enclave-usage-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(readFileSync((await jsonDownload.path())!, 'utf8')) as UsageStats;
  expect(exported.range).toMatchObject({ to: today, timeZone: ZONE });
  expect(exported.totals).toMatchObject({ requests: 9, savedUsd: 0.069, costUsd: 0.25 });
  const [csvDownload] = await Promise.all([app.waitForEvent('download'), app.getByTestId('dashboard-export-csv').click()]);
  const rows = parse(readFileSync((await csvDownload.path())!, 'utf8'), { columns: true }) as Record<string, string>[];
  expect(rows.filter((row) => row.day === today).map((row) => [row.model, row.requests, row.promptTokens])).toEqual([
    ['acme/gpt-fake-1', '1', '2000'],
    ['tiny', '3', '3000']
  ]);

  // Only today: the two days before drop out.
  await app.getByTestId('dashboard-from').fill(today);
  await app.getByTestId('dashboard-from').dispatchEvent('change');
  await expect(app.getByTestId('dashboard-total-requests')).toContainText('4');
  await expect(app.locator('[data-chart="requests"]')).toHaveAttribute('data-points', '1');
  await expect(app.getByTestId('dashboard-preset-30')).toHaveAttribute('aria-pressed', 'false');
  await app.getByTestId('dashboard-preset-all').click();
  await expect(app.getByTestId('dashboard-total-requests')).toContainText('9');
  await expect(app.locator('[data-chart="requests"]')).toHaveAttribute('data-points', '3');
});

test('real use: a reply from the app is counted with its tokens and speed, and the open dashboard follows', async ({ app, modelPath }) => {
  await loadModelByPath(app, modelPath);
  await app.getByTestId('open-dashboard').click();
  await expect(app.getByTestId('dashboard-empty')).toBeVisible();
  await app.getByTestId('dashboard-close').click();

  await app.getByTestId('new-chat').click();
  await setMaxTokens(app, 6);
  await send(app, 'hello');
  await expect(app.locator('[data-testid="message"][data-role="assistant"][data-status="complete"]')).toHaveCount(1);

  await app.keyboard.press('Control+Shift+D');
  await expect(app.getByTestId('dashboard-total-requests')).toContainText('1');
  await expect(app.getByTestId('dashboard-total-requests')).toContainText('100% local');
  await expect(app.getByTestId('dashboard-source-row')).toHaveText([/App\s*1\s*100%/]);
  const row = app.getByTestId('dashboard-model-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(/→ 6/);
  await expect(row).toContainText(/\d tok\/s/);
  await saveScreenshot(app, 'dashboard-03-real-use');
});
