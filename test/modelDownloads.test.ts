import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Enclave } from '../src-main/core/Enclave';
import type { DownloadInfo } from '../src-main/core/shared/types';
import { ModelServer } from './support/modelServer';
import { useTempDir } from './support/tempDir';
import { ensureTestModel } from './support/writeTestModel';

const tempDir = useTempDir('enclave-downloads-');
let modelPath: string;
let server: ModelServer;
const open: Enclave[] = [];

function openEnclave(dataDir = tempDir(), options: Parameters<typeof Enclave.open>[0]['downloads'] = {}): Enclave {
  const enclave = Enclave.open({ dataDir, gpu: false, downloads: options });
  open.push(enclave);
  return enclave;
}

async function pull(enclave: Enclave, source: string): Promise<DownloadInfo> {
  const started = await enclave.downloads.start(source);
  return enclave.downloads.settled(started.id);
}

function recordProgress(enclave: Enclave): DownloadInfo[] {
  const seen: DownloadInfo[] = [];
  enclave.events.on('downloadProgress', ({ download }) => seen.push(download));
  return seen;
}

beforeAll(async () => {
  modelPath = await ensureTestModel();
});

afterEach(async () => {
  for (const enclave of open.splice(0)) await enclave.dispose();
  await server?.close();
});

describe('model downloads over loopback HTTP', () => {
  it('downloads into the models folder with progress events, and the file is byte-identical', async () => {
    server = await ModelServer.start(modelPath);
    const enclave = openEnclave();
    const progress = recordProgress(enclave);
    const changed: unknown[] = [];
    enclave.events.on('modelsChanged', (payload) => changed.push(payload));
    const done = await pull(enclave, `${server.url}/model.gguf`);
    expect(done).toMatchObject({
      status: 'done',
      fileName: 'model.gguf',
      modelFileId: 'model',
      totalBytes: server.body.length,
      error: null
    });
    const target = join(enclave.models.dir, 'model.gguf');
    expect(readFileSync(target).equals(server.body)).toBe(true);
    // Nothing but the finished file is left: no partial file, no sidecar.
    expect(readdirSync(enclave.models.dir)).toEqual(['model.gguf']);
    expect(progress.map((info) => info.status)).toEqual(expect.arrayContaining(['downloading', 'verifying', 'done']));
    expect(progress.at(-1)).toMatchObject({ status: 'done', receivedBytes: server.body.length });
    expect(changed.length).toBeGreaterThanOrEqual(1);
    const files = await enclave.models.list();
    expect(files).toEqual([
      expect.objectContaining({ id: 'model', architecture: 'llama', linked: false, error: null, hasChatTemplate: true })
    ]);
  });

  it('follows a redirect and checks the sha256 the server published', async () => {
    server = await ModelServer.start(modelPath);
    const enclave = openEnclave();
    const done = await pull(enclave, `${server.url}/redirect/model.gguf`);
    expect(done.status).toBe('done');
    expect(server.requestsTo('/model.gguf')).toHaveLength(1);
  });

  it('resumes a cut connection with a Range request and ends byte-identical', async () => {
    server = await ModelServer.start(modelPath);
    const enclave = openEnclave();
    const failed = await pull(enclave, `${server.url}/cut/model.gguf`);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'DOWNLOAD_INTERRUPTED' });
    expect(failed.error).toContain('partial file is kept');
    const partPath = join(enclave.models.dir, 'model.gguf.part');
    const kept = statSync(partPath).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(server.body.length);
    expect(existsSync(join(enclave.models.dir, 'model.gguf'))).toBe(false);

    await enclave.downloads.resume(failed.id);
    const done = await enclave.downloads.settled(failed.id);
    expect(done.status).toBe('done');
    const [first, second] = server.requestsTo('/cut/model.gguf');
    expect(first!.headers.range).toBeUndefined();
    expect(second!.headers.range).toBe(`bytes=${kept}-`);
    expect(second!.headers['if-range']).toBe(server.etag);
    expect(readFileSync(join(enclave.models.dir, 'model.gguf')).equals(server.body)).toBe(true);
  });

  it('resumes after a restart of the core (a new Enclave on the same data folder) from the partial file', async () => {
    server = await ModelServer.start(modelPath);
    const dataDir = tempDir();
    const first = openEnclave(dataDir);
    const failed = await pull(first, `${server.url}/cut/model.gguf`);
    expect(failed.status).toBe('failed');
    await first.dispose();
    open.splice(open.indexOf(first), 1);

    const second = openEnclave(dataDir);
    const restored = await second.downloads.list();
    expect(restored).toEqual([
      expect.objectContaining({ id: failed.id, status: 'paused', fileName: 'model.gguf', receivedBytes: failed.receivedBytes })
    ]);
    // Asking for the same file again resumes it (what `enclave models pull` does when run again).
    const resumed = await second.downloads.start(`${server.url}/cut/model.gguf`);
    expect(resumed.id).toBe(failed.id);
    const done = await second.downloads.settled(failed.id);
    expect(done.status).toBe('done');
    expect(server.requestsTo('/cut/model.gguf')[1]!.headers.range).toBe(`bytes=${failed.receivedBytes}-`);
    expect(readFileSync(join(second.models.dir, 'model.gguf')).equals(server.body)).toBe(true);
  });

  it('pauses and resumes a running download', async () => {
    // ~50 pieces, one every 40 ms: progress events (every 250 ms) arrive while it runs.
    server = await ModelServer.start(modelPath, { slowDelayMs: 40 });
    const enclave = openEnclave();
    const started = await enclave.downloads.start(`${server.url}/slow/model.gguf`);
    await new Promise<void>((resolve) => {
      const off = enclave.events.on('downloadProgress', ({ download }) => {
        if (download.receivedBytes > 0 && download.status === 'downloading') {
          off();
          resolve();
        }
      });
    });
    const paused = await enclave.downloads.pause(started.id);
    expect(paused.status).toBe('paused');
    expect(paused.receivedBytes).toBeGreaterThan(0);
    expect(paused.receivedBytes).toBeLessThan(server.body.length);
    await enclave.downloads.resume(started.id);
    const done = await enclave.downloads.settled(started.id);
    expect(done.status).toBe('done');
    expect(server.requestsTo('/slow/model.gguf')[1]!.headers.range).toMatch(/^bytes=\d+-$/);
    expect(readFileSync(join(enclave.models.dir, 'model.gguf')).equals(server.body)).toBe(true);
  });

  it('runs several downloads at once, each visible', async () => {
    server = await ModelServer.start(modelPath, { slowDelayMs: 5 });
    const enclave = openEnclave();
    const a = await enclave.downloads.start(`${server.url}/slow/model.gguf`);
    const b = await enclave.downloads.start(`${server.url}/no-range/model.gguf?copy`);
    expect(b.fileName).toBe('model.gguf');
    // Same file name twice is one download, not two writers on one partial file.
    expect(b.id).toBe(a.id);
    const c = await enclave.downloads.start(`${server.url}/redirect/model.gguf`.replace('/redirect/model.gguf', '/model.gguf'));
    expect(c.id).toBe(a.id);
    await enclave.downloads.settled(a.id);
    expect((await enclave.downloads.list()).map((info) => info.status)).toEqual(['done']);
  });

  it('removes the partial file when the sha256 does not match', async () => {
    server = await ModelServer.start(modelPath);
    const enclave = openEnclave();
    const failed = await pull(enclave, `${server.url}/wrong-sha/model.gguf`);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'DOWNLOAD_CHECKSUM_MISMATCH' });
    expect(failed.error).toContain('sha256');
    expect(readdirSync(enclave.models.dir)).toEqual([]);
  });

  it('checks the catalogue sha256 of a catalogue entry (a catalogue refreshed from a file)', async () => {
    server = await ModelServer.start(modelPath);
    const dataDir = tempDir();
    const catalogueFile = join(dataDir, 'mirror.json');
    const entry = (id: string, path: string, sha256: string) => ({
      id,
      name: id,
      role: 'chat',
      sizeClass: 'small',
      description: 'test',
      uri: `${server.url}${path}`,
      sizeBytes: server.body.length,
      sha256,
      license: 'MIT',
      parameters: '0.2M',
      contextLength: 2048,
      quantization: 'F32',
      layers: 2,
      kvBytesPerToken: 1024
    });
    writeFileSync(
      catalogueFile,
      JSON.stringify({ entries: [entry('good', '/model.gguf', server.sha256), entry('bad', '/no-range/model.gguf', 'f'.repeat(64))] })
    );
    const enclave = openEnclave(dataDir);
    await enclave.modelCatalogue.refresh(catalogueFile);
    const bad = await pull(enclave, 'bad');
    expect(bad).toMatchObject({ status: 'failed', errorCode: 'DOWNLOAD_CHECKSUM_MISMATCH', catalogueId: 'bad' });
    await enclave.downloads.dismiss(bad.id);
    const good = await pull(enclave, 'good');
    expect(good).toMatchObject({ status: 'done', catalogueId: 'good' });
    const view = await enclave.models.catalogueView();
    expect(view.source).toBe('file');
    expect(view.entries.find((e) => e.id === 'good')).toMatchObject({ localFileId: 'model', fit: { verdict: 'cpu' } });
    // A catalogue id loads its downloaded file.
    const info = await enclave.models.load({ id: 'good' });
    expect(info.path).toBe(join(enclave.models.dir, 'model.gguf'));
  });

  it('refuses a download the disk cannot hold before writing anything', async () => {
    server = await ModelServer.start(modelPath);
    const enclave = openEnclave();
    const failed = await pull(enclave, `${server.url}/huge/model.gguf`);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'INSUFFICIENT_DISK_SPACE', receivedBytes: 0 });
    expect(failed.error).toContain('Not enough free disk space');
    expect(existsSync(join(enclave.models.dir, 'model.gguf.part'))).toBe(false);
  });

  it.each([
    ['/missing.gguf', 'DOWNLOAD_HTTP_ERROR', '404'],
    ['/broken.gguf', 'DOWNLOAD_HTTP_ERROR', '500']
  ])('answers %s with a clear error', async (path, code, status) => {
    server = await ModelServer.start(modelPath);
    const enclave = openEnclave();
    const failed = await pull(enclave, `${server.url}${path}`);
    expect(failed).toMatchObject({ status: 'failed', errorCode: code });
    expect(failed.error).toContain(status);
  });

  it('cancels a download and deletes its partial file', async () => {
    server = await ModelServer.start(modelPath);
    const enclave = openEnclave();
    const failed = await pull(enclave, `${server.url}/cut/model.gguf`);
    expect(existsSync(join(enclave.models.dir, 'model.gguf.part'))).toBe(true);
    const cancelled = await enclave.downloads.cancel(failed.id);
    expect(cancelled.status).toBe('cancelled');
    expect(readdirSync(enclave.models.dir)).toEqual([]);
  });

  it('refuses plain http to another host, odd schemes and non-.gguf URLs before any request', async () => {
    const enclave = openEnclave();
    await expect(enclave.downloads.start('http://example.com/model.gguf')).rejects.toMatchObject({ code: 'INSECURE_DOWNLOAD_URL' });
    await expect(enclave.downloads.start('ftp://example.com/model.gguf')).rejects.toMatchObject({ code: 'INVALID_DOWNLOAD_SOURCE' });
    await expect(enclave.downloads.start('https://example.com/readme.txt')).rejects.toMatchObject({ code: 'INVALID_DOWNLOAD_SOURCE' });
    await expect(enclave.downloads.start('not a model')).rejects.toMatchObject({ code: 'INVALID_DOWNLOAD_SOURCE' });
    await expect(enclave.downloads.start('hf:onlyuser')).rejects.toMatchObject({ code: 'INVALID_DOWNLOAD_SOURCE' });
  });

  it('resolves hf: URIs and Hugging Face URLs to the endpoint given', async () => {
    server = await ModelServer.start(modelPath);
    const enclave = openEnclave(undefined, { huggingFaceEndpoint: `${server.url}/hf` });
    const fromUri = await enclave.downloads.start('hf:someone/repo-GGUF/model.gguf');
    expect(fromUri.url).toBe(`${server.url}/hf/someone/repo-GGUF/resolve/main/model.gguf`);
    const settled = await enclave.downloads.settled(fromUri.id);
    expect(settled.errorCode).toBe('DOWNLOAD_HTTP_ERROR');
    await enclave.downloads.dismiss(fromUri.id);
    const fromPage = await enclave.downloads.start('https://huggingface.co/someone/repo-GGUF/blob/dev/sub/x.gguf');
    expect(fromPage.url).toBe(`${server.url}/hf/someone/repo-GGUF/resolve/dev/sub/x.gguf`);
    expect(fromPage.fileName).toBe('x.gguf');
    await enclave.downloads.cancel(fromPage.id);
  });
});

afterAll(async () => {
  await server?.close().catch(() => {});
});
