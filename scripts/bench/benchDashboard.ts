/**
 * How fast are the usage dashboard's figures and its first paint with a year of heavy use stored?
 *
 *   npx tsx scripts/bench/benchDashboard.ts [--requests 100000] [--runs 20] [--render-runs 10] [--no-render]
 *
 * Seeds `--requests` usage rows over the last 365 days into a real SQLite file (local and cloud models,
 * every source and outcome, redactions on a share of cloud requests), then times MetricsService.stats —
 * every query the dashboard makes — for the last 30 days, 90 days and the whole year in Europe/Berlin
 * (p50/p95 of `--runs`, after one warm-up; the first query of each range, which rolls its closed days up, apart),
 * and the whole year in a zone not rolled up yet (every day summed at once). Each range's figures are then
 * checked against a recomputation straight from usage_requests with SQLite's percentile() (no rollups); a
 * difference fails the run. Then, unless --no-render, opens the built renderer in Chromium
 * on the browser test harness (the real core behind the contract) and times opening the dashboard with
 * Ctrl+Shift+D until its eight uPlot canvases exist, measured with performance.now() in the page; the
 * figures' round trip (data-load-ms) is reported apart, and the rest is the render. Needs `npm run build`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { Enclave } from '../../src-main/core/Enclave';
import type { UsageEntry } from '../../src-main/core/metrics/UsageLog';
import type { UsageSource, UsageStats } from '../../src-main/core/shared/types';
import { buildBrowserBridge, ContractHarness } from '../../e2e/harness/ContractHarness';
import { usageDifferences, usageFiguresOf, usageReference } from '../../test/support/usageReference';
import { chromiumPath } from '../../playwright.config';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '20' },
    'render-runs': { type: 'string', default: '10' },
    'no-render': { type: 'boolean', default: false }
  }
});
const REQUESTS = Number(values.requests);
const RUNS = Number(values.runs);
const RENDER_RUNS = Number(values['render-runs']);
const ZONE = 'Europe/Berlin';
const DAY_MS = 86_400_000;

/** A fixed-seed generator, so every run measures the same rows. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function seedRows(count: number, now: number): UsageEntry[] {
  const next = random(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const sources: UsageSource[] = ['app', 'app', 'app', 'cli', 'api', 'api', 'documents'];
  const local = ['llama-3.2-3b-instruct-q4_k_m', 'qwen2.5-7b-instruct-q4_k_m', 'phi-4-mini-q4'];
  const cloud = [
    ['openai', 'openai/gpt-4.1-mini'],
    ['anthropic', 'anthropic/claude-haiku-4-5'],
    ['work', 'work/gpt-5']
  ] as const;
  return Array.from({ length: count }, (_, index) => {
    const createdAt = now - 365 * DAY_MS + Math.floor((index / count) * 365 * DAY_MS);
    const promptTokens = 50 + Math.floor(next() * 2000);
    const completionTokens = 10 + Math.floor(next() * 600);
    const roll = next();
    const outcome = roll < 0.9 ? 'answered' : roll < 0.94 ? 'stopped' : roll < 0.97 ? 'failed' : 'blocked';
    const timings = { timeToFirstTokenMs: 80 + next() * 900, tokensPerSecond: 5 + next() * 60, totalMs: 500 + next() * 20_000 };
    if (next() < 0.7) {
      const model = pick(local);
      return {
        createdAt,
        source: pick(sources),
        model,
        provider: null,
        location: 'local',
        outcome,
        promptTokens,
        completionTokens,
        ...timings
      };
    }
    const [provider, model] = pick(cloud);
    const blocked = outcome === 'blocked';
    return {
      createdAt,
      source: pick(sources),
      model,
      provider,
      location: 'cloud',
      outcome,
      blockReason: blocked ? pick(['privacy', 'detection', 'budget'] as const) : null,
      promptTokens: blocked ? 0 : promptTokens,
      completionTokens: blocked ? 0 : completionTokens,
      ...(blocked ? {} : timings),
      costUsd: blocked ? null : (promptTokens * 0.4 + completionTokens * 1.6) / 1e6,
      entityCounts: (!blocked && next() < 0.4 ? { PERSON: 1 + Math.floor(next() * 3), EMAIL: Math.floor(next() * 2) } : {}) as Record<
        string,
        number
      >
    };
  });
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const low = Math.floor(rank);
  return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (rank - low);
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** Wall and CPU time of this process (user + system) of one call. */
function timed<T>(run: () => T): { result: T; ms: number; cpuMs: number } {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(cpuStarted);
  return { result, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-bench-dashboard-'));
  try {
    const enclave = Enclave.open({ dataDir, gpu: false });
    const now = Date.now();
    const seedStart = performance.now();
    enclave.usage.recordMany(seedRows(REQUESTS, now));
    console.log(`seeded ${REQUESTS.toLocaleString('en-US')} requests over 365 days in ${fmt(performance.now() - seedStart)} (${dataDir})`);
    enclave.router.updateSettings({ monthlyBudgetUsd: 50, providerBudgetsUsd: { openai: 20 } });

    const day = (daysAgo: number) => new Date(now - daysAgo * DAY_MS).toISOString().slice(0, 10);
    const ranges: [string, { from?: string; to?: string }][] = [
      ['last 30 days', { from: day(29), to: day(0) }],
      ['last 90 days', { from: day(89), to: day(0) }],
      ['whole year (all)', {}]
    ];
    const [load1] = loadavg();
    console.log(`\nMetricsService.stats (all the dashboard's queries), ${ZONE}, ${RUNS} runs after a warm-up`);
    console.log(
      `(wall time, and the CPU time of this process: the load average is ${load1!.toFixed(1)} on ${availableParallelism()} CPUs)`
    );
    const checks: [string, UsageStats][] = [];
    for (const [name, range] of ranges) {
      const query = { ...range, timeZone: ZONE };
      // The first query of a range rolls its closed days up (once per zone and day); later ones read the rollups.
      const cold = timed(() => enclave.metrics.stats(query));
      const cpu: number[] = [];
      const samples = Array.from({ length: RUNS }, () => {
        const run = timed(() => enclave.metrics.stats(query));
        cpu.push(run.cpuMs);
        return run.ms;
      });
      console.log(
        `  ${name.padEnd(18)} p50 ${fmt(percentile(samples, 0.5)).padStart(9)}  p95 ${fmt(percentile(samples, 0.95)).padStart(9)}  CPU p50 ${fmt(percentile(cpu, 0.5)).padStart(9)}  first (rolling up) ${fmt(cold.ms)}, CPU ${fmt(cold.cpuMs)}  (${cold.result.totals.requests.toLocaleString('en-US')} requests, ${cold.result.days.length} days)`
      );
      checks.push([name, cold.result]);
    }
    // Europe/Paris keeps Berlin's clock, but its rollups are its own: nothing of it is rolled up yet.
    const fresh = timed(() => enclave.metrics.stats({ timeZone: 'Europe/Paris' }));
    console.log(
      `  whole year, no day rolled up yet (Europe/Paris): ${fmt(fresh.ms)}, CPU ${fmt(fresh.cpuMs)}  (${fresh.result.days.length} days)`
    );

    console.log('\nCheck: the figures against a recomputation from usage_requests with percentile(), no rollups');
    let failed = false;
    for (const [name, stats] of checks) {
      const differences = usageDifferences(usageFiguresOf(stats), usageReference(dataDir, stats.range));
      failed ||= differences.length > 0;
      console.log(
        `  ${name.padEnd(18)} ${differences.length ? `${differences.length} differ, e.g. ${differences.slice(0, 3).join('; ')}` : `agree (${stats.models.length} models, ${stats.modelDays.length} model-days)`}`
      );
    }
    if (failed) process.exitCode = 1;
    await enclave.dispose();
    if (!values['no-render']) await benchRender(dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchRender(dataDir: string): Promise<void> {
  await buildBrowserBridge();
  const harness = await ContractHarness.start({ dataDir });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: ZONE });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await harness.attach(page);
    await page.goto(harness.url);
    await page.getByTestId('open-dashboard').waitFor();
    const totals: number[] = [];
    const loads: number[] = [];
    for (let run = 0; run <= RENDER_RUNS; run++) {
      const started = await page.evaluate<number>('performance.now()');
      await page.keyboard.press('Control+Shift+D');
      // A string, not a function: tsx would wrap a function in helpers the page does not have.
      const ended = await page.evaluate<number>(`new Promise((resolve) => {
        const check = () => document.querySelectorAll('[data-testid="usage-chart"] canvas').length === 8 ? resolve(performance.now()) : requestAnimationFrame(check);
        check();
      })`);
      const loadMs = Number(await page.getByTestId('dashboard').getAttribute('data-load-ms'));
      if (run > 0) {
        totals.push(ended - started);
        loads.push(loadMs);
      }
      await page.keyboard.press('Escape');
      await page.getByTestId('dashboard').waitFor({ state: 'detached' });
    }
    const renders = totals.map((total, index) => total - loads[index]!);
    console.log(`\nDashboard in Chromium (last 30 days of the seeded data), ${RENDER_RUNS} opens after a warm-up:`);
    console.log(`  open → 8 charts drawn   p50 ${fmt(percentile(totals, 0.5))}  p95 ${fmt(percentile(totals, 0.95))}`);
    console.log(`  figures (contract call)  p50 ${fmt(percentile(loads, 0.5))}  p95 ${fmt(percentile(loads, 0.95))}`);
    console.log(`  render (the rest)        p50 ${fmt(percentile(renders, 0.5))}  p95 ${fmt(percentile(renders, 0.95))}`);
  } finally {
    await browser.close();
    await harness.stop();
  }
}

await main();
