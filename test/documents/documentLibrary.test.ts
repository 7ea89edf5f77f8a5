import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCallHandlers, dispatchCall } from '../../src-main/bridge/createCallHandlers';
import { Enclave, type EnclaveOptions } from '../../src-main/core/Enclave';
import type { IngestProgress } from '../../src-main/core/shared/types';
import { ApiServerController } from '../../src-main/server/ApiServerController';
import { callChannel } from '../../src-preload/contract';
import { useTempDir } from '../support/tempDir';
import { makeDocx, makeEncryptedPdf, makeImageOnlyPdf, makePdf, makeZipBombDocx } from './documentFixtures';

const tempDir = useTempDir('enclave-documents-');

async function withEnclave<T>(run: (enclave: Enclave, dir: string) => Promise<T>, options: Partial<EnclaveOptions> = {}): Promise<T> {
  const dir = tempDir();
  const enclave = Enclave.open({ dataDir: join(dir, 'data'), gpu: false, ...options });
  try {
    return await run(enclave, dir);
  } finally {
    await enclave.dispose();
  }
}

async function ingestAndSettle(enclave: Enclave, paths: string[], collection?: string) {
  const results = await enclave.documents.ingestFiles({ paths, collection });
  const ids = results.flatMap((result) => (result.document ? [result.document.id] : []));
  await enclave.documents.waitUntilSettled(ids);
  return results.map((result) => ({ ...result, document: result.document && enclave.documents.getDocument(result.document.id) }));
}

describe('DocumentLibrary', () => {
  it('ingests a folder of every format: copies, statuses, pages, chunks, progress events', async () => {
    await withEnclave(async (enclave, dir) => {
      const folder = join(dir, 'in');
      mkdirSync(join(folder, 'sub'), { recursive: true });
      mkdirSync(join(folder, '.hidden'));
      writeFileSync(join(folder, 'report.pdf'), await makePdf([['Page one text'], ['Page two text']]));
      writeFileSync(join(folder, 'letter.docx'), await makeDocx([{ heading: 1, text: 'Letter' }, { paragraph: 'Dear reader.' }]));
      writeFileSync(join(folder, 'notes.md'), '# Notes\n\nSome notes.');
      writeFileSync(join(folder, 'sub', 'plain.txt'), 'Plain text.');
      writeFileSync(join(folder, 'sub', 'page.html'), '<main><h1>Page</h1><p>Web text.</p></main>');
      writeFileSync(join(folder, 'sub', 'table.csv'), 'a,b\n1,2\n');
      writeFileSync(join(folder, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      writeFileSync(join(folder, '.hidden', 'secret.md'), '# hidden');
      const progress: IngestProgress[] = [];
      const off = enclave.events.on('documentProgress', (event) => progress.push(event));

      const results = await ingestAndSettle(enclave, [folder]);
      off();
      expect(results.map((result) => [result.source.slice(folder.length + 1), result.document?.status, result.document?.format])).toEqual([
        ['letter.docx', 'ready', 'docx'],
        ['notes.md', 'ready', 'markdown'],
        ['report.pdf', 'ready', 'pdf'],
        ['sub/page.html', 'ready', 'html'],
        ['sub/plain.txt', 'ready', 'text'],
        ['sub/table.csv', 'ready', 'csv']
      ]);
      const pdf = results[2]!.document!;
      expect(pdf).toMatchObject({ pages: 2, chunkCount: 2, collection: 'Default', mime: 'application/pdf', error: null, progress: 1 });
      expect(enclave.documents.listChunks(pdf.id).map((chunk) => [chunk.page, chunk.text])).toEqual([
        [1, 'Page one text\n\n'],
        [2, 'Page two text']
      ]);
      expect(enclave.documents.listChunks(results[0]!.document!.id)[0]!.headingPath).toEqual(['Letter']);
      // Each document went queued → parsing → ready, in that order.
      const statuses = progress.filter((event) => event.documentId === pdf.id).map((event) => event.status);
      expect(statuses[0]).toBe('parsing');
      expect(statuses.at(-1)).toBe('ready');
      // The copies: in <dataDir>/documents, owner only.
      const documentsDir = join(dir, 'data', 'documents');
      expect(statSync(documentsDir).mode & 0o777).toBe(0o700);
      expect(readdirSync(documentsDir).sort()).toEqual(results.map((result) => result.document!.id).sort());
      expect(statSync(join(documentsDir, pdf.id)).mode & 0o777).toBe(0o600);
    });
  });

  it('detects duplicates by content within a collection, not across collections', async () => {
    await withEnclave(async (enclave, dir) => {
      writeFileSync(join(dir, 'a.md'), '# Same\n\ncontent');
      writeFileSync(join(dir, 'b-copy.txt'), '# Same\n\ncontent');
      const [first, second] = await ingestAndSettle(enclave, [join(dir, 'a.md'), join(dir, 'b-copy.txt')]);
      expect(first!.duplicate).toBe(false);
      expect(second).toMatchObject({ duplicate: true, error: null });
      expect(second!.document!.id).toBe(first!.document!.id);
      const [other] = await ingestAndSettle(enclave, [join(dir, 'a.md')], 'Work');
      expect(other!.duplicate).toBe(false);
      expect(enclave.documents.listCollections().map((c) => [c.name, c.documentCount])).toEqual([
        ['Default', 1],
        ['Work', 1]
      ]);
      expect(enclave.documents.listDocuments({ collection: 'Work' }).map((doc) => doc.id)).toEqual([other!.document!.id]);
    });
  });

  it('bad input: each file fails or is refused with its reason, and the rest of the batch is ingested', async () => {
    await withEnclave(
      async (enclave, dir) => {
        const file = (name: string, content: Uint8Array | string) => {
          writeFileSync(join(dir, name), content);
          return join(dir, name);
        };
        const paths = [
          file('scan.pdf', await makeImageOnlyPdf(3)),
          file('locked.pdf', await makeEncryptedPdf()),
          file('broken.pdf', '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage'),
          file('empty.txt', ''),
          file('huge.txt', 'x'.repeat(300_000)),
          file(
            'junk.md',
            new Uint8Array(1000).map((_, i) => (i * 13) % 256)
          ),
          file('bomb.docx', await makeZipBombDocx(4 * 1024 * 1024)),
          file('nested.html', `<p>Shallow text</p>${'<div>'.repeat(15_000)}deep${'</div>'.repeat(15_000)}`),
          file('wide.csv', `${'c,'.repeat(60_000)}c\n`),
          join(dir, 'missing.pdf'),
          file('good.pdf', await makePdf([['Still ingested']]))
        ];
        const results = await ingestAndSettle(enclave, paths);
        const outcome = Object.fromEntries(
          results.map((result) => [
            result.source.slice(dir.length + 1),
            result.document ? `${result.document.status}: ${result.document.error}` : `refused: ${result.error}`
          ])
        );
        expect(outcome['scan.pdf']).toMatch(/^failed: No text layer/);
        expect(outcome['locked.pdf']).toMatch(/^failed: The PDF is encrypted/);
        expect(outcome['broken.pdf']).toMatch(/^failed: The PDF is damaged or not a PDF/);
        expect(outcome['empty.txt']).toMatch(/^refused: .*empty\.txt is empty \(0 bytes\)/);
        expect(outcome['huge.txt']).toMatch(/^refused: .*huge\.txt is larger than the 195 KiB limit/);
        expect(outcome['junk.md']).toMatch(/^refused: .*binary data, not a document/);
        expect(outcome['bomb.docx']).toMatch(/^failed: The Word document unpacks to .* zip bomb/);
        expect(outcome['nested.html']).toBe('ready: null');
        expect(outcome['wide.csv']).toMatch(/^failed: Row 1 of the CSV has 60001 columns; at most 10000 are read/);
        expect(outcome['missing.pdf']).toMatch(/^refused: .*missing\.pdf cannot be read: ENOENT/);
        expect(outcome['good.pdf']).toBe('ready: null');
      },
      { documents: { limits: { maxFileBytes: 200_000, maxUnzippedBytes: 1024 * 1024, maxCsvRowChars: 100_000 } } }
    );
  });

  it('a parse past its time limit is stopped (the worker terminated) and the next file is still read', async () => {
    await withEnclave(
      async (enclave, dir) => {
        writeFileSync(join(dir, 'slow.pdf'), await makePdf([['text']]));
        writeFileSync(join(dir, 'next.md'), '# Next');
        const results = await enclave.documents.ingestFiles({ paths: [join(dir, 'slow.pdf'), join(dir, 'next.md')] });
        const [slow, next] = await enclave.documents.waitUntilSettled(results.map((result) => result.document!.id));
        expect(slow!.status).toBe('failed');
        expect(slow!.error).toMatch(/took longer than 1 ms; it was stopped/);
        // The time limit is the same for both: 1 ms fails everything, which shows each fails on its own.
        expect(next!.error).toMatch(/took longer than/);
      },
      { documents: { limits: { parseTimeoutMs: 1 } } }
    );
  });

  it('a parse past its memory limit kills the worker, not the host', async () => {
    await withEnclave(
      async (enclave, dir) => {
        // About 40 MB of text: far more heap than the 8 MiB the worker may use.
        writeFileSync(join(dir, 'big.txt'), 'word '.repeat(8_000_000));
        const [result] = await ingestAndSettle(enclave, [join(dir, 'big.txt')]);
        expect(result!.document!.status).toBe('failed');
        expect(result!.document!.error).toMatch(/needed more than 8 MiB of memory|parser (failed|stopped)/);
        writeFileSync(join(dir, 'small.md'), '# Small');
        // The host still ingests: a new worker for the next file.
        expect((await ingestAndSettle(enclave, [join(dir, 'small.md')]))[0]!.document!.status).toMatch(/ready|failed/);
      },
      { documents: { limits: { maxWorkerHeapMb: 8 } } }
    );
  });

  it('deletes a document with its chunks, sources and stored copy', async () => {
    await withEnclave(async (enclave, dir) => {
      writeFileSync(join(dir, 'a.md'), '# A\n\nalpha');
      const [result] = await ingestAndSettle(enclave, [join(dir, 'a.md')]);
      const id = result!.document!.id;
      const conversation = enclave.conversations.create({});
      enclave.documents.attachSources(conversation.id, { documentIds: [id] });
      const client = (enclave as unknown as { db: { $client: import('better-sqlite3').Database } }).db.$client;
      expect(client.prepare('SELECT count(*) FROM document_chunks WHERE document_id = ?').pluck().get(id)).toBe(1);
      await enclave.documents.deleteDocument(id);
      expect(client.prepare('SELECT count(*) FROM document_chunks WHERE document_id = ?').pluck().get(id)).toBe(0);
      expect(enclave.documents.listSources(conversation.id)).toEqual([]);
      expect(existsSync(join(dir, 'data', 'documents', id))).toBe(false);
      await expect(enclave.documents.deleteDocument(id)).rejects.toMatchObject({ code: 'DOCUMENT_NOT_FOUND' });
    });
  });

  it('the contract calls: ingest, list, get, collections, sources, delete, the file picker', async () => {
    await withEnclave(async (enclave, dir) => {
      writeFileSync(join(dir, 'a.md'), '# A\n\nalpha');
      const handlers = createCallHandlers(enclave, {
        appVersion: 'test',
        apiServer: new ApiServerController(enclave),
        chooseModelFile: async () => null,
        chooseDocumentFiles: async () => [join(dir, 'a.md')],
        openExternal: async () => {}
      });
      const call = async (name: Parameters<typeof callChannel>[0], args: unknown = {}) => {
        const response = await dispatchCall(handlers, callChannel(name), args);
        if (!response.ok) throw Object.assign(new Error(response.error.message), { code: response.error.code });
        return response.value as never;
      };
      const paths: string[] = await call('chooseDocumentFiles');
      const collection: { id: string } = await call('createCollection', { name: 'Papers' });
      await expect(call('createCollection', { name: 'Papers' })).rejects.toMatchObject({ code: 'COLLECTION_EXISTS' });
      const [ingested] = (await call('ingestFiles', { paths, collection: 'Papers' })) as { document: { id: string } }[];
      const id = ingested!.document.id;
      await enclave.documents.waitUntilSettled([id]);
      expect(await call('getDocument', { id })).toMatchObject({ id, status: 'ready', collection: 'Papers' });
      expect(((await call('listDocuments', { collection: 'Papers' })) as { id: string }[]).map((doc) => doc.id)).toEqual([id]);
      await expect(call('ingestFiles', { paths: ['relative/a.md'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENTS' });
      const conversation = enclave.conversations.create({});
      expect(await call('attachSources', { conversationId: conversation.id, collectionIds: [collection.id] })).toEqual([
        { kind: 'collection', id: collection.id, name: 'Papers' }
      ]);
      expect(enclave.documents.sourceDocumentIds(conversation.id)).toEqual([id]);
      await expect(call('attachSources', { conversationId: 'nope', documentIds: [id] })).rejects.toMatchObject({
        code: 'CONVERSATION_NOT_FOUND'
      });
      expect(await call('detachSource', { conversationId: conversation.id, kind: 'collection', id: collection.id })).toEqual([]);
      await call('deleteDocument', { id });
      await expect(call('getDocument', { id })).rejects.toMatchObject({ code: 'DOCUMENT_NOT_FOUND' });
    });
  });
});
