import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Enclave } from '../../src-main/core/Enclave';
import { findAppRoot } from '../../src-main/core/paths';
import { startTestApi, type TestApi } from './support';

const cli = join(findAppRoot(), 'bin', 'enclave.js');
const sample =
  'Hi team, this is Priya Raghunathan (priya.r@example.com, +44 20 7946 0958). ' +
  'Please refund card 4111 1111 1111 1111 and reply to 10 Downing Street, London SW1A 2AA.';

interface Redacted {
  text: string;
  entities: { type: string; start: number; end: number; score: number }[];
}

function runRedact(args: string[], input: string): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.ENCLAVE_DATA_DIR;
    const child = execFile(process.execPath, [cli, 'redact', ...args], { timeout: 60_000, env }, (error, stdout) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ stdout, code: error ? Number(error.code) : 0 });
    });
    child.stdin!.end(input);
  });
}

describe('redaction through the CLI and the HTTP API', () => {
  let api: TestApi;

  beforeAll(async () => {
    if (!existsSync(join(findAppRoot(), 'out', 'main', 'cli.js'))) throw new Error('Build first: npm run build');
    api = await startTestApi({ model: false });
  });
  afterAll(async () => api?.close());

  it('enclave redact prints the text with placeholders and no personal data', async () => {
    const { stdout, code } = await runRedact([], sample);
    expect(code).toBe(0);
    for (const secret of ['Priya', 'priya.r@example.com', '7946 0958', '4111 1111 1111 1111', 'SW1A 2AA'])
      expect(stdout).not.toContain(secret);
    expect(stdout).toMatch(/\[EMAIL_1\]/);
    expect(stdout).toMatch(/\[CREDIT_CARD_1\]/);
  });

  it('--json gives spans into the input, and POST /v1/privacy/redact answers the same object', async () => {
    const { stdout } = await runRedact(['--json'], sample);
    const fromCli = JSON.parse(stdout) as Redacted;
    const byType = Object.fromEntries(fromCli.entities.map((e) => [e.type, sample.slice(e.start, e.end)]));
    expect(byType.EMAIL).toBe('priya.r@example.com');
    expect(byType.CREDIT_CARD).toBe('4111 1111 1111 1111');
    expect(byType.PERSON).toContain('Priya');
    for (const entity of fromCli.entities) expect(entity.score).toBeGreaterThan(0);

    const response = await fetch(`${api.baseURL}/privacy/redact`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: sample })
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(fromCli);
  });

  it('the route needs the token and a {"text": string} body', async () => {
    const url = `${api.baseURL}/privacy/redact`;
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"x"}' })).status).toBe(401);
    const headers = { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' };
    for (const body of ['{}', '{"text": 5}', '{"text": "a", "extra": 1}', '[]']) {
      const response = await fetch(url, { method: 'POST', headers, body });
      expect(response.status, body).toBe(400);
      expect(((await response.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    }
    const empty = await fetch(url, { method: 'POST', headers, body: '{"text": ""}' });
    expect(await empty.json()).toEqual({ text: '', entities: [] });
  });

  describe('the user dictionary', () => {
    const dictionaryText = 'Ship Project Bluebird before Friday. Regards, Priya Raghunathan';
    const dictionary = { alwaysRedact: ['Project Bluebird'], neverRedact: ['Priya Raghunathan'] };

    it('enclave redact uses the data folder dictionary, and --no-dictionary leaves it out', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'enclave-redact-dictionary-'));
      try {
        const enclave = Enclave.open({ dataDir, gpu: false });
        enclave.privacy.updateSettings(dictionary);
        await enclave.dispose();

        const withDictionary = await runRedact(['--data-dir', dataDir], dictionaryText);
        expect(withDictionary.code).toBe(0);
        expect(withDictionary.stdout).not.toContain('Bluebird');
        expect(withDictionary.stdout).toContain('Priya Raghunathan');

        const without = await runRedact(['--data-dir', dataDir, '--no-dictionary'], dictionaryText);
        expect(without.code).toBe(0);
        expect(without.stdout).toContain('Project Bluebird');
        expect(without.stdout).not.toContain('Priya');
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it('enclave redact does not create a data folder that does not exist', async () => {
      const parent = mkdtempSync(join(tmpdir(), 'enclave-redact-nodir-'));
      try {
        const dataDir = join(parent, 'never-opened');
        const { stdout, code } = await runRedact(['--data-dir', dataDir], dictionaryText);
        expect(code).toBe(0);
        expect(stdout).not.toContain('Priya');
        expect(existsSync(dataDir)).toBe(false);
      } finally {
        rmSync(parent, { recursive: true, force: true });
      }
    });

    it('POST /v1/privacy/redact applies the configured dictionary', async () => {
      const headers = { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' };
      const redact = async () => {
        const response = await fetch(`${api.baseURL}/privacy/redact`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ text: dictionaryText })
        });
        expect(response.status).toBe(200);
        return ((await response.json()) as Redacted).text;
      };
      const before = await redact();
      expect(before).toContain('Project Bluebird');
      expect(before).not.toContain('Priya');

      api.enclave.privacy.updateSettings(dictionary);
      try {
        const after = await redact();
        expect(after).not.toContain('Bluebird');
        expect(after).toContain('Priya Raghunathan');
      } finally {
        api.enclave.privacy.updateSettings({ alwaysRedact: [], neverRedact: [] });
      }
    });
  });
});
