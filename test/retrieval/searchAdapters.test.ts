import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Enclave } from '../../src-main/core/Enclave';
import { startApiServer, type ApiServer } from '../../src-main/server';
import { insertDocument } from './insertDocument';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

describe('document search adapters', () => {
  let dataDir: string;
  let enclave: Enclave;
  let server: ApiServer;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'enclave-search-'));
    enclave = Enclave.open({ dataDir, gpu: false });
    const client = new Database(join(dataDir, 'enclave.db'));
    insertDocument(client, {
      name: 'manual.pdf',
      chunks: [
        {
          text: 'Press and hold the power button for ten seconds to reset the router.',
          page: 4,
          headingPath: ['Troubleshooting', 'Reset']
        },
        { text: 'The status light blinks green while firmware updates.', page: 5, headingPath: ['Status light'] }
      ]
    });
    insertDocument(client, {
      collection: 'Recipes',
      name: 'bread.md',
      chunks: [{ text: 'Knead the dough for ten minutes, then let it rise.' }]
    });
    client.close();
    server = await startApiServer(enclave, { host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    await enclave?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (body: unknown, token: string | null = enclave.apiTokens.token()) =>
    fetch(`${server.url}/v1/documents/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body)
    });

  it('POST /v1/documents/search answers a question with passages, best first, page 1-based', async () => {
    const response = await post({ query: 'How do I reset the router?', k: 2 });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: Record<string, unknown>[]; mode: string };
    expect(body.mode).toBe('keyword');
    expect(body.results[0]).toMatchObject({
      name: 'manual.pdf',
      page: 4,
      headingPath: ['Troubleshooting', 'Reset'],
      text: expect.stringContaining('power button')
    });
    expect(Object.keys(body.results[0]!).sort()).toEqual(['documentId', 'headingPath', 'name', 'page', 'relevance', 'score', 'text']);
    const scores = body.results.map((hit) => hit.score as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('limits to a collection by name, and says so when the collection does not exist', async () => {
    const scoped = (await (await post({ query: 'ten', k: 5, collection: 'Recipes' })).json()) as {
      results: { name: string; page: unknown }[];
    };
    expect(scoped.results).toEqual([expect.objectContaining({ name: 'bread.md', page: null })]);
    const missing = await post({ query: 'ten', collection: 'Nope' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'collection_not_found', param: 'collection' } });
  });

  it('requires the bearer token and a valid body', async () => {
    expect((await post({ query: 'router' }, null)).status).toBe(401);
    expect((await post({ query: 'router' }, 'wrong')).status).toBe(401);
    expect((await post({ query: '' })).status).toBe(400);
    expect((await post({ query: 'router', k: 0 })).status).toBe(400);
    expect((await post({ query: 'router', extra: true })).status).toBe(400);
  });

  it('enclave search prints passages, or JSON with --json, and refuses a bad -k', async () => {
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/cli.ts'), 'search', '--data-dir', dataDir, ...args], {
        cwd: repoRoot
      });
    const text = await cli('reset the router');
    expect(text.stdout).toMatch(
      /^1\. manual\.pdf, page 4, Troubleshooting › Reset {2}\(relevance 1\.00\)\nPress and hold the power button/
    );
    const json = JSON.parse((await cli('firmware status light', '--json', '-k', '1')).stdout) as { results: unknown[] };
    expect(json.results).toEqual([expect.objectContaining({ name: 'manual.pdf', page: 5, headingPath: ['Status light'] })]);
    await expect(cli('router', '-k', '0')).rejects.toMatchObject({ code: 2 });
    await expect(cli('router', '--collection', 'Nope')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Collection "Nope" does not exist')
    });
  });
});
