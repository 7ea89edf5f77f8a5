import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Enclave } from '../src-main/core/Enclave';
import type { UsageStats } from '../src-main/core/shared/types';
import { ensureTestModel } from './support/writeTestModel';

// `enclave stats` against a data folder where three `enclave chat` runs happened, through the built CLI.

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const launcher = join(repoRoot, 'bin', 'enclave.js');
const builtCli = join(repoRoot, 'out', 'main', 'cli.js');

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, HOME: scratch, XDG_CONFIG_HOME: join(scratch, '.config'), ...env };
  delete childEnv.ENCLAVE_DATA_DIR;
  delete childEnv.NODE_OPTIONS;
  return new Promise((resolve) => {
    execFile(process.execPath, [launcher, ...args], { cwd: repoRoot, env: childEnv, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
    );
  });
}

let scratch: string;
let dataDir: string;
let modelPath: string;
const MAX_TOKENS = [3, 4, 5];

describe('enclave stats', () => {
  beforeAll(async () => {
    if (!existsSync(builtCli)) execFileSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, stdio: 'pipe', timeout: 170_000 });
    modelPath = await ensureTestModel();
    scratch = mkdtempSync(join(tmpdir(), 'enclave-stats-'));
    dataDir = join(scratch, 'data');
    for (const [index, maxTokens] of MAX_TOKENS.entries()) {
      const chat = await runCli([
        'chat',
        '--model',
        modelPath,
        '--data-dir',
        dataDir,
        '--max-tokens',
        String(maxTokens),
        `question ${index + 1}`
      ]);
      expect(chat.code, chat.stderr).toBe(0);
    }
  });

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** The three replies as the chats stored them. */
  async function storedReplies() {
    const enclave = Enclave.open({ dataDir });
    try {
      return enclave.conversations.list().map((summary) => enclave.conversations.get(summary.id).messages[1]!.metrics!);
    } finally {
      await enclave.dispose();
    }
  }

  it('--json: the three chats as CLI requests, with their tokens, per day and per model', async () => {
    const result = await runCli(['stats', '--json', '--data-dir', dataDir, '--time-zone', 'UTC', '--savings-model', 'openai/gpt-4.1-mini']);
    expect(result.code, result.stderr).toBe(0);
    const stats = JSON.parse(result.stdout) as UsageStats;
    const replies = await storedReplies();
    const promptTokens = replies.reduce((sum, metrics) => sum + metrics.promptTokens, 0);
    const completionTokens = MAX_TOKENS.reduce((sum, tokens) => sum + tokens, 0);
    expect(replies.map((metrics) => metrics.completionTokens).sort()).toEqual(MAX_TOKENS);
    const today = new Date().toISOString().slice(0, 10);

    expect(stats.range).toEqual({ from: today, to: today, timeZone: 'UTC' });
    expect(stats.totals).toMatchObject({
      requests: 3,
      answered: 3,
      localRequests: 3,
      cloudRequests: 0,
      promptTokens,
      completionTokens,
      costUsd: 0,
      savedUsd: Math.round(((promptTokens * 0.4 + completionTokens * 1.6) / 1e6) * 1e9) / 1e9
    });
    expect(stats.sources).toEqual([{ source: 'cli', requests: 3, promptTokens, completionTokens }]);
    expect(stats.days).toEqual([expect.objectContaining({ day: today, requests: 3, promptTokens, completionTokens })]);
    expect(stats.models).toEqual([
      expect.objectContaining({
        model: replies[0]!.model.replace(/\.gguf$/, ''),
        location: 'local',
        requests: 3,
        promptTokens,
        completionTokens
      })
    ]);
    expect(stats.models[0]!.tokensPerSecondP50).toBeGreaterThan(0);
  });

  it('prints a readable report, and --since/--until select local days', async () => {
    const text = await runCli(['stats', '--data-dir', dataDir, '--savings-model', 'none']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Requests +3 \(3 local, 0 cloud; 100% local\) · 3 answered/m);
    expect(text.stdout).toContain('Sources     cli 3');
    expect(text.stdout).toContain('Saved       — (no savings model)');

    const future = await runCli([
      'stats',
      '--json',
      '--data-dir',
      dataDir,
      '--time-zone',
      '+00:00',
      '--since',
      '2099-01-01',
      '--until',
      '2099-01-02'
    ]);
    expect(future.code, future.stderr).toBe(0);
    const empty = JSON.parse(future.stdout) as UsageStats;
    expect(empty.totals.requests).toBe(0);
    expect(empty.days.map((day) => day.day)).toEqual(['2099-01-01', '2099-01-02']);
  });

  it('exit codes: 2 for a malformed flag, 1 for a range or zone the core refuses', async () => {
    const badDate = await runCli(['stats', '--data-dir', dataDir, '--since', 'yesterday']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--since must be a date written YYYY-MM-DD');
    const unknownFlag = await runCli(['stats', '--data-dir', dataDir, '--verbose']);
    expect(unknownFlag.code).toBe(2);
    const reversed = await runCli(['stats', '--data-dir', dataDir, '--since', '2026-05-02', '--until', '2026-05-01']);
    expect(reversed.code).toBe(1);
    expect(reversed.stderr).toContain('ends (2026-05-01) before it starts (2026-05-02)');
    const zone = await runCli(['stats', '--data-dir', dataDir, '--time-zone', 'Nowhere/Special']);
    expect(zone.code).toBe(1);
    expect(zone.stderr).toContain('is not a time zone');
  });
});
