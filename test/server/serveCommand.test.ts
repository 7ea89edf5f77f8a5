import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Enclave } from '../../src-main/core/Enclave';
import { ensureTestModel } from '../support/writeTestModel';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const children = new Set<ChildProcess>();
const dirs: string[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** `enclave serve` from the TypeScript sources (no build needed), with its output collected. */
function serve(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/cli.ts', 'serve', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ENCLAVE_API_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (children.delete(child), resolve(code))));
  const ready = new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /listening on (http:\/\/\S+)\/v1/.exec(stdout);
      if (match && stdout.includes('Ctrl+C')) resolve(match[1]!);
    };
    child.stdout.on('data', check);
    void exited.then((code) => reject(new Error(`serve exited (${code}) before it was ready:\n${stdout}\n${stderr}`)));
  });
  ready.catch(() => {}); // awaited by the tests that expect a start; the others watch `exited`
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'enclave-serve-'));
  dirs.push(dir);
  return dir;
};

describe('enclave serve', () => {
  it('picks a free port, says where the token is without printing it, serves, and stops cleanly on Ctrl+C', async () => {
    const dataDir = tempDir();
    const model = await ensureTestModel();
    const run = serve(['--port', '0', '--data-dir', dataDir, '--model', model, '--context-size', '256']);
    const url = await run.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(url).port)).toBeGreaterThan(0);

    const tokenFile = join(dataDir, 'api-token');
    const token = readFileSync(tokenFile, 'utf8').trim();
    if (process.platform !== 'win32') expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(run.output().stdout).toContain(tokenFile);
    expect(run.output().stdout).not.toContain(token);

    const models = await fetch(`${url}/v1/models`, { headers: { Authorization: `Bearer ${token}` } });
    expect(models.status).toBe(200);
    expect(((await models.json()) as { data: { id: string }[] }).data[0]!.id).toMatch(/^enclave-test-model/);
    await waitUntil(() => /GET \/v1\/models 200 \d+ms/.test(run.output().stderr));
    expect(run.output().stderr).not.toContain(token);

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('applies the same start-up policy as the app: a reply a crash left streaming is kept, marked stopped', async () => {
    const dataDir = tempDir();
    const before = Enclave.open({ dataDir, gpu: false });
    const conversation = before.conversations.create();
    before.conversations.addMessage(conversation.id, 'user', 'Hello', 'complete');
    const cut = before.conversations.addMessage(conversation.id, 'assistant', 'Half a rep', 'streaming');
    await before.dispose();

    const run = serve(['--port', '0', '--data-dir', dataDir, '--quiet']);
    await run.ready;
    const after = Enclave.open({ dataDir, gpu: false });
    try {
      expect(after.conversations.getMessage(cut.id)).toMatchObject({ status: 'stopped', content: 'Half a rep' });
    } finally {
      await after.dispose();
    }
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('prints the token with --show-token, and takes ENCLAVE_API_TOKEN over the file', async () => {
    const run = serve(['--port', '0', '--data-dir', tempDir(), '--show-token', '--quiet'], {
      ENCLAVE_API_TOKEN: 'token-from-the-environment'
    });
    const url = await run.ready;
    expect(run.output().stdout).toContain('token: from ENCLAVE_API_TOKEN');
    expect(run.output().stdout).toContain('token value: token-from-the-environment');
    expect(run.output().stdout).toMatch(/model: none loaded/);
    expect((await fetch(`${url}/v1/models`, { headers: { Authorization: 'Bearer token-from-the-environment' } })).status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('refuses a non-loopback host without --allow-remote', async () => {
    const run = serve(['--host', '0.0.0.0', '--port', '0', '--data-dir', tempDir()]);
    expect(await run.exited).toBe(1);
    expect(run.output().stderr).toMatch(/--allow-remote/);
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
