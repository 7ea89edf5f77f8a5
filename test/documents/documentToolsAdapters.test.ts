// The document tools and ask over HTTP (raw fetch, the same token/Host rules as every route) and in the CLI
// (run from source, as a child process). Answers that must cite come from a fake cloud provider on 127.0.0.1
// that replies with [1]; a second one stalls, so a hang-up or Ctrl+C lands while a model call is in flight.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTHING_RELEVANT_REPLY } from '../../src-main/core/documents/groundingPrompt';
import type { DocumentInfo } from '../../src-main/core/shared/types';
import { startFakeProvider, type FakeProvider } from '../support/fakeProviders';
import { rawRequest, startTestApi, waitFor, type TestApi } from '../server/support';
import { makePdf } from './documentFixtures';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const CLI_TIMEOUT_MS = 90_000;
const TRAVEL = 'Travel costs rose by 4 percent in March because the conference flights were booked late.';
const WORDS = 'the water was long and the people did not find their way out of the day but some of them could write a number'.split(' ');
const paragraph = (seed: number) => Array.from({ length: 60 }, (_, i) => WORDS[(seed * 7 + i * 3) % WORDS.length]).join(' ') + '.';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `enclave ARGS` from source; `onStderr` sees stderr as it arrives (and may signal the child). */
function cli(args: string[], onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src-main/cli/cli.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`enclave ${args.join(' ')} did not finish\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, CLI_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      onStderr?.(stderr, (signal) => child.kill(signal));
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('document tools and ask: the API and the CLI', () => {
  let api: TestApi;
  let citing: FakeProvider;
  let stalling: FakeProvider;
  let report: DocumentInfo;
  let long: DocumentInfo;
  let dataDir: string;

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api.server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}`, ...headers },
      body: JSON.stringify(body)
    });

  const stoppedDocumentCalls = () => {
    const client = new Database(join(dataDir, 'enclave.db'), { readonly: true });
    try {
      return client
        .prepare(`SELECT count(*) FROM usage_requests WHERE source = 'documents' AND outcome = 'stopped'`)
        .pluck()
        .get() as number;
    } finally {
      client.close();
    }
  };

  beforeAll(async () => {
    api = await startTestApi({ contextSize: 1024 });
    dataDir = api.enclave.dataDir;
    citing = await startFakeProvider({ wire: 'openai', reply: () => 'Travel costs rose by 4 percent [1].' });
    stalling = await startFakeProvider({ wire: 'openai' });
    stalling.fault({ kind: 'stall', afterChunks: 0, delayMs: 600_000 });
    await api.enclave.cloud.addProvider({ name: 'fake', kind: 'openai-compatible', baseUrl: citing.baseUrl });
    await api.enclave.cloud.addProvider({ name: 'stall', kind: 'openai-compatible', baseUrl: stalling.baseUrl });
    const pdf = join(dataDir, '..', `report-${process.pid}.pdf`);
    writeFileSync(pdf, await makePdf([['The cafeteria serves lentil soup on Thursdays.'], [TRAVEL]]));
    const md = join(dataDir, '..', `long-${process.pid}.md`);
    writeFileSync(md, Array.from({ length: 8 }, (_, i) => paragraph(i)).join('\n\n'));
    const results = await api.enclave.documents.ingestFiles({ paths: [pdf, md] });
    [report, long] = (await api.enclave.documents.waitUntilSettled(results.map((result) => result.document!.id))) as [
      DocumentInfo,
      DocumentInfo
    ];
    expect([report.status, long.status]).toEqual(['ready', 'ready']);
  });

  afterAll(async () => {
    await citing?.close();
    await stalling?.close();
    await api?.close();
  });

  describe('HTTP', () => {
    it('POST /v1/documents/ask answers with the cited sources (document, page, excerpt)', async () => {
      const response = await post('/v1/documents/ask', { question: 'Why did the travel costs rise in March?', model: 'fake/gpt-fake-1' });
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        object: 'document.answer',
        answer: 'Travel costs rose by 4 percent [1].',
        nothingRelevant: false,
        model: 'fake/gpt-fake-1',
        sources: [{ n: 1, documentId: report.id, name: report.name, page: 2, text: expect.stringContaining('Travel costs rose') }]
      });
      // Only the excerpt left the machine, not the other page.
      expect(citing.requests.at(-1)!.rawBody).not.toContain('lentil soup');
    });

    it('POST /v1/documents/ask says nothing relevant was found without asking a model; an unknown collection is 404', async () => {
      const before = citing.requests.length;
      const response = await post('/v1/documents/ask', { question: 'What is the boiling point of mercury?', model: 'fake/gpt-fake-1' });
      expect(await response.json()).toMatchObject({ answer: NOTHING_RELEVANT_REPLY, nothingRelevant: true, sources: [], model: null });
      expect(citing.requests.length).toBe(before);
      // A model that cannot answer is refused before anything is asked, and leaves no empty conversation.
      const conversations = api.enclave.conversations.list().length;
      const unknownModel = await post('/v1/documents/ask', { question: 'travel costs', model: 'nobody/model-x' });
      expect(unknownModel.status).toBe(404);
      expect(await unknownModel.json()).toMatchObject({ error: { code: 'model_not_found', param: 'model' } });
      expect(api.enclave.conversations.list().length).toBe(conversations);
      const missing = await post('/v1/documents/ask', { question: 'travel costs', collection: 'Nope' });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: { code: 'collection_not_found', param: 'collection' } });
    });

    it('POST /v1/documents/{id}/summarize by id or name; unknown documents 404; bad bodies 400/415', async () => {
      const byId = await post(`/v1/documents/${long.id}/summarize`, {});
      expect(byId.status).toBe(200);
      const summary = (await byId.json()) as Record<string, unknown>;
      expect(summary).toMatchObject({ object: 'document.summary', documentId: long.id, documentName: long.name });
      expect(summary.calls as number).toBeGreaterThan(2);
      expect(summary.passes as number).toBeGreaterThan(1);
      const byName = await post(`/v1/documents/${encodeURIComponent(report.name)}/summarize`, {});
      expect(await byName.json()).toMatchObject({ documentId: report.id, calls: 1 });
      const unknown = await post('/v1/documents/nope/summarize', {});
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: { code: 'document_not_found', param: 'id' } });
      expect((await post(`/v1/documents/${long.id}/summarize`, { extra: 1 })).status).toBe(400);
      expect((await post(`/v1/documents/${long.id}/summarize`, {}, { 'content-type': 'text/plain' })).status).toBe(415);
    });

    it('POST /v1/documents/{id}/extract returns JSON valid under the schema; an unsupported schema is 400 naming it', async () => {
      const schema = {
        type: 'object',
        properties: { title: { type: 'string', maxLength: 10 }, paid: { type: 'boolean' } },
        required: ['title', 'paid'],
        additionalProperties: false
      };
      const response = await post(`/v1/documents/${report.id}/extract`, { schema });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: Record<string, unknown> };
      expect(Object.keys(body.data).sort()).toEqual(['paid', 'title']);
      expect(typeof body.data.paid).toBe('boolean');
      const bad = await post(`/v1/documents/${report.id}/extract`, { schema: { type: 'object', properties: { a: { type: 'date' } } } });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 'unsupported_schema', param: 'schema.properties.a.type' } });
      expect((await post(`/v1/documents/${report.id}/extract`, {})).status).toBe(400);
    });

    it('POST /v1/documents/compare takes ids or names; an unknown one is 404 naming a or b', async () => {
      const response = await post('/v1/documents/compare', { a: report.name, b: long.id });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ object: 'document.comparison', documentIds: [report.id, long.id] });
      const missing = await post('/v1/documents/compare', { a: report.id, b: 'nope' });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: { param: 'b' } });
    });

    it('every tool route needs the token and the allowed Host', async () => {
      for (const path of [
        '/v1/documents/ask',
        '/v1/documents/compare',
        `/v1/documents/${long.id}/summarize`,
        `/v1/documents/${long.id}/extract`
      ]) {
        expect((await post(path, {}, { authorization: '' })).status).toBe(401);
        expect((await post(path, {}, { authorization: 'Bearer wrong' })).status).toBe(401);
        const wrongHost = await rawRequest({
          port: api.server.port,
          method: 'POST',
          path,
          headers: { host: 'evil.example:80', authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
          body: '{}'
        });
        expect(wrongHost.status).toBe(403);
        const foreignOrigin = await post(path, {}, { origin: 'https://evil.example' });
        expect(foreignOrigin.status).toBe(403);
      }
    });

    it('a client that hangs up stops the model call in flight', async () => {
      const before = stoppedDocumentCalls();
      const controller = new AbortController();
      const seen = stalling.requests.length;
      const response = fetch(`${api.server.url}/v1/documents/${report.id}/summarize`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}` },
        body: JSON.stringify({ model: 'stall/slow-1' }),
        signal: controller.signal
      }).catch((error: unknown) => error);
      await waitFor(() => stalling.requests.some((r, i) => i >= seen && r.body?.model === 'slow-1'), 30_000, 'the stalled call');
      controller.abort();
      await response;
      await waitFor(() => stoppedDocumentCalls() > before, 30_000, 'the stopped call in the usage log');
    });
  });

  describe('CLI', () => {
    it('enclave ask streams the answer, then the cited sources; --json gives them as data', async () => {
      const text = await cli(['ask', 'Why did the travel costs rise in March?', '--model', 'fake/gpt-fake-1', '--data-dir', dataDir]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toBe(`Travel costs rose by 4 percent [1].\n\nSources:\n[1] ${report.name}, page 2\n`);
      const json = await cli(['ask', 'travel costs March', '--json', '--model', 'fake/gpt-fake-1', '--data-dir', dataDir]);
      expect(JSON.parse(json.stdout)).toMatchObject({
        answer: 'Travel costs rose by 4 percent [1].',
        sources: [{ n: 1, documentId: report.id, name: report.name, page: 2, text: expect.stringContaining('Travel costs') }]
      });
    });

    it('enclave ask with the local model: nothing relevant, or the excerpts it was given', async () => {
      const none = await cli(['ask', 'What is the boiling point of mercury?', '--model', api.modelPath, '--data-dir', dataDir]);
      expect(none.code, none.stderr).toBe(0);
      expect(none.stdout).toBe(`${NOTHING_RELEVANT_REPLY}\n`);
      const local = await cli([
        'ask',
        'Why did the travel costs rise?',
        '--model',
        api.modelPath,
        '--context-size',
        '1024',
        '--data-dir',
        dataDir
      ]);
      expect(local.code, local.stderr).toBe(0);
      expect(local.stdout).toMatch(
        new RegExp(`\\n\\n(Sources|No source cited\\. Written from):\\n\\[1\\] ${report.name.replace('.', '\\.')}, page 2\\n`)
      );
      const missing = await cli(['ask', 'travel', '--collection', 'Nope', '--model', 'fake/gpt-fake-1', '--data-dir', dataDir]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('Collection "Nope" does not exist');
      expect((await cli(['ask', '--data-dir', dataDir])).code).toBe(2);
    });

    it('enclave summarize, extract and compare: results on stdout, progress on stderr', async () => {
      const summary = await cli(['summarize', long.name, '--model', api.modelPath, '--context-size', '1024', '--data-dir', dataDir]);
      expect(summary.code, summary.stderr).toBe(0);
      expect(summary.stdout.trim().length).toBeGreaterThan(0);
      expect(summary.stderr).toMatch(/^reading the parts: 0\/\d+$/m);
      expect(summary.stderr).toMatch(/^writing: (\d+)\/\1$/m);

      const schemaFile = join(dataDir, '..', `schema-${process.pid}.json`);
      writeFileSync(schemaFile, JSON.stringify({ type: 'object', properties: { paid: { type: 'boolean' } }, required: ['paid'] }));
      const extraction = await cli(['extract', report.id, '--schema', schemaFile, '--model', api.modelPath, '--data-dir', dataDir]);
      expect(extraction.code, extraction.stderr).toBe(0);
      expect(typeof (JSON.parse(extraction.stdout) as { paid: unknown }).paid).toBe('boolean');
      expect((await cli(['extract', report.id, '--data-dir', dataDir])).code).toBe(2);

      const comparison = await cli(['compare', report.name, long.name, '--json', '--model', api.modelPath, '--data-dir', dataDir]);
      expect(comparison.code, comparison.stderr).toBe(0);
      expect(JSON.parse(comparison.stdout)).toMatchObject({ documentIds: [report.id, long.id] });

      const unknown = await cli(['summarize', 'nope.md', '--data-dir', dataDir]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('Document nope.md does not exist');
    });

    it('Ctrl+C cancels a summary while its model call is in flight: exit 130', async () => {
      const seen = stalling.requests.length;
      let interrupted = false;
      const result = await cli(['summarize', report.id, '--model', 'stall/slow-2', '--data-dir', dataDir], (stderr, kill) => {
        if (interrupted || !/^writing: 0\/1$/m.test(stderr)) return;
        interrupted = true;
        void waitFor(() => stalling.requests.length > seen, 30_000, 'the stalled call').then(() => kill('SIGINT'));
      });
      expect(result.code, result.stderr).toBe(130);
      expect(result.stderr).toContain('enclave summarize: cancelled');
    });
  });
});
