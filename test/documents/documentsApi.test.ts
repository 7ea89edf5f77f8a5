import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Enclave } from '../../src-main/core/Enclave';
import { startApiServer, type ApiServer } from '../../src-main/server';
import { rawRequest } from '../server/support';
import { useTempDir } from '../support/tempDir';
import { makeEncryptedPdf, makePdf } from './documentFixtures';

const tempDir = useTempDir('enclave-documents-api-');
const MAX_FILE_BYTES = 256 * 1024;

let enclave: Enclave;
let server: ApiServer;
let token: string;
const serverErrors: unknown[] = [];

beforeAll(async () => {
  enclave = Enclave.open({ dataDir: join(tempDir(), 'data'), gpu: false, documents: { limits: { maxFileBytes: MAX_FILE_BYTES } } });
  server = await startApiServer(enclave, { port: 0, logger: { error: (error) => serverErrors.push(error) } });
  token = enclave.apiTokens.token();
});

afterAll(async () => {
  await server?.close();
  await enclave?.dispose();
});

const auth = () => ({ Authorization: `Bearer ${token}` });

/** An upload as any HTTP client sends it: fetch's FormData, multipart/form-data with a `file` field. */
function upload(name: string, content: Uint8Array | string, fields: Record<string, string> = {}, headers = auth()) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  // A copy: Blob takes ArrayBuffer-backed views only.
  form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
  return fetch(`${server.url}/v1/documents`, { method: 'POST', headers, body: form });
}

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, any> });

describe('/v1/documents', () => {
  it('uploads, lists, gets, detects a duplicate, deletes', async () => {
    const pdf = await makePdf([['Quarterly figures'], ['Second page']]);
    const created = await json(await upload('q3.pdf', pdf, { collection: 'Reports' }));
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ object: 'document', name: 'q3.pdf', collection: 'Reports', bytes: pdf.length, duplicate: false });
    const id = created.body.id as string;
    await enclave.documents.waitUntilSettled([id]);

    const one = await json(await fetch(`${server.url}/v1/documents/${id}`, { headers: auth() }));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, status: 'ready', pages: 2, chunks: 2, format: 'pdf' });
    expect(one.body).not.toHaveProperty('error');

    const list = await json(await fetch(`${server.url}/v1/documents`, { headers: auth() }));
    expect(list.body.data.map((doc: { id: string }) => doc.id)).toEqual([id]);
    expect(Object.keys(list.body.data[0])).toEqual(
      expect.arrayContaining(['id', 'name', 'status', 'pages', 'bytes', 'createdAt', 'collection'])
    );
    const filtered = await json(await fetch(`${server.url}/v1/documents?collection=Nope`, { headers: auth() }));
    expect(filtered).toMatchObject({ status: 404, body: { error: { code: 'collection_not_found' } } });

    const again = await json(await upload('copy-of-q3.pdf', pdf, { collection: 'Reports' }));
    expect(again).toMatchObject({ status: 200, body: { id, duplicate: true } });

    const deleted = await json(await fetch(`${server.url}/v1/documents/${id}`, { method: 'DELETE', headers: auth() }));
    expect(deleted).toEqual({ status: 200, body: { id, object: 'document', deleted: true } });
    const gone = await json(await fetch(`${server.url}/v1/documents/${id}`, { headers: auth() }));
    expect(gone).toMatchObject({ status: 404, body: { error: { code: 'document_not_found', type: 'not_found_error' } } });
    expect((await fetch(`${server.url}/v1/documents/${id}`, { method: 'DELETE', headers: auth() })).status).toBe(404);
  });

  it('a document that fails to parse shows its status and error', async () => {
    const created = await json(await upload('locked.pdf', await makeEncryptedPdf()));
    expect(created.status).toBe(202);
    await enclave.documents.waitUntilSettled([created.body.id]);
    const one = await json(await fetch(`${server.url}/v1/documents/${created.body.id}`, { headers: auth() }));
    expect(one.body).toMatchObject({ status: 'failed', error: expect.stringMatching(/encrypted/) });
  });

  it('refuses a file over the upload limit with 413, declared or streamed', async () => {
    // Declared: the Content-Length alone is over the limit.
    const declared = await json(await upload('big.txt', 'x'.repeat(MAX_FILE_BYTES * 2)));
    expect(declared).toMatchObject({ status: 413, body: { error: { code: 'file_too_large', param: 'file' } } });
    // Streamed: within the multipart allowance, so only counting the file's bytes finds it.
    const streamed = await json(await upload('edge.txt', 'y'.repeat(MAX_FILE_BYTES + 10)));
    expect(streamed).toMatchObject({ status: 413, body: { error: { code: 'file_too_large' } } });
    // A file at the limit is accepted, and the server is still serving.
    expect((await upload('fits.txt', 'z'.repeat(MAX_FILE_BYTES))).status).toBe(202);
  });

  it('refuses bad uploads with a clear 4xx, and the same checks as every route', async () => {
    expect((await upload('a.txt', 'hello', {}, {} as ReturnType<typeof auth>)).status).toBe(401);
    const notMultipart = await fetch(`${server.url}/v1/documents`, {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: '{}'
    });
    expect((await json(notMultipart)).body.error.code).toBe('unsupported_media_type');
    const form = new FormData();
    form.append('other', 'value');
    const noFile = await json(await fetch(`${server.url}/v1/documents`, { method: 'POST', headers: auth(), body: form }));
    expect(noFile).toMatchObject({ status: 400, body: { error: { code: 'missing_file' } } });
    expect(await json(await upload('empty.txt', ''))).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/empty/) } }
    });
    const junk = await json(await upload('junk.pdf.txt', new Uint8Array([0, 1, 2, 3, 255, 0, 7])));
    expect(junk).toMatchObject({ status: 400, body: { error: { code: 'invalid_file', message: expect.stringMatching(/binary data/) } } });
    // fetch cannot set Host: a raw request does.
    const port = Number(new URL(server.url).port);
    const badHost = await rawRequest({ port, path: '/v1/documents', headers: { ...auth(), Host: 'evil.example' } });
    expect(badHost.status).toBe(403);
    expect(serverErrors).toEqual([]);
  });
});
