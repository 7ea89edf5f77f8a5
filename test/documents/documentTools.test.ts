// Document tools in the core, on the generated test model (random weights: the words are gibberish, so the
// tests check the shape of the work: how many calls, the progress events, cancel, and that the grammar makes
// extraction valid JSON of the schema).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Enclave } from '../../src-main/core/Enclave';
import { DocumentNameAmbiguousError, DocumentNotFoundError } from '../../src-main/core/documents/errors';
import { findDocument } from '../../src-main/core/documents/findDocument';
import { DocumentTaskCancelledError } from '../../src-main/core/documents/tools/documentToolErrors';
import type { DocumentInfo, DocumentTaskProgress } from '../../src-main/core/shared/types';
import { ensureTestModel } from '../support/writeTestModel';

/** Words the test model's vocabulary holds whole, so its tokenizer reads about a token a word. */
const WORDS = 'the water was long and the people did not find their way out of the day but some of them could write a number'.split(' ');
const paragraph = (seed: number, words = 60) =>
  Array.from({ length: words }, (_, i) => WORDS[(seed * 7 + i * 3) % WORDS.length]).join(' ') + '.';

describe('DocumentTools on the generated model', () => {
  let dir: string;
  let enclave: Enclave;
  let long: DocumentInfo;
  let short: DocumentInfo;
  let other: DocumentInfo;

  const ingest = async (name: string, text: string): Promise<DocumentInfo> => {
    const file = join(dir, name);
    writeFileSync(file, text);
    const [result] = await enclave.documents.ingestFiles({ paths: [file] });
    const [document] = await enclave.documents.waitUntilSettled([result!.document!.id]);
    expect(document!.status).toBe('ready');
    return document!;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'enclave-tools-'));
    enclave = Enclave.open({ dataDir: join(dir, 'data'), gpu: false, documents: { chunking: { maxChars: 400, overlapChars: 0 } } });
    // A 1024-token context leaves about 800 characters a call: the long document takes several.
    await enclave.engine.loadModel({ path: await ensureTestModel(), threads: 1, contextSize: 1024 });
    long = await ingest('long.md', Array.from({ length: 8 }, (_, i) => paragraph(i)).join('\n\n'));
    short = await ingest('short.md', 'the water was long');
    other = await ingest('other.md', 'some people could write a number');
  });

  afterAll(async () => {
    await enclave?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('summarizes a long document by map-reduce, with progress events up to done = total', async () => {
    const events: DocumentTaskProgress[] = [];
    const off = enclave.events.on('documentTaskProgress', (progress) => events.push(progress));
    const summary = await enclave.documentTools.summarize(long.id, { taskId: 'sum-1' });
    off();
    expect(summary.passes).toBeGreaterThan(1);
    expect(summary.calls).toBeGreaterThan(2);
    expect(summary.summary.length).toBeGreaterThan(0);
    expect(summary).toMatchObject({ documentId: long.id, documentName: 'long.md', model: expect.stringContaining('enclave-test-model') });
    expect(events.every((event) => event.taskId === 'sum-1' && event.tool === 'summarize')).toBe(true);
    expect(events[0]).toMatchObject({ stage: 'map', done: 0 });
    expect(events.at(-1)).toMatchObject({ stage: 'final', done: summary.calls, total: summary.calls });
    const done = events.map((event) => event.done);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(events.every((event) => event.done <= event.total)).toBe(true);
  });

  it('summarizes a document that fits in one call', async () => {
    const summary = await enclave.documentTools.summarize(short.id);
    expect(summary).toMatchObject({ calls: 1, passes: 1 });
  });

  it('cancel(taskId) stops a summary after its first call', async () => {
    const off = enclave.events.on('documentTaskProgress', (progress) => {
      if (progress.taskId === 'sum-cancel' && progress.done === 1) enclave.documentTools.cancel('sum-cancel');
    });
    const events: DocumentTaskProgress[] = [];
    const record = enclave.events.on('documentTaskProgress', (progress) => events.push(progress));
    await expect(enclave.documentTools.summarize(long.id, { taskId: 'sum-cancel' })).rejects.toBeInstanceOf(DocumentTaskCancelledError);
    off();
    record();
    expect(Math.max(...events.map((event) => event.done))).toBe(1);
    // The id is free again.
    await expect(enclave.documentTools.summarize(short.id, { taskId: 'sum-cancel' })).resolves.toMatchObject({ calls: 1 });
  });

  it('an aborted signal stops a summary too', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(enclave.documentTools.summarize(long.id, { signal: controller.signal })).rejects.toBeInstanceOf(
      DocumentTaskCancelledError
    );
  });

  it('extracts fields as JSON valid under the schema (the grammar holds the random model to it)', async () => {
    const schema = {
      type: 'object',
      properties: {
        title: { type: 'string', maxLength: 12 },
        kind: { enum: ['invoice', 'letter', 'report'] },
        paid: { type: 'boolean' }
      },
      required: ['title', 'kind', 'paid'],
      additionalProperties: false
    };
    const extraction = await enclave.documentTools.extract(long.id, schema);
    const data = extraction.data as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual(['kind', 'paid', 'title']);
    expect(typeof data.title).toBe('string');
    expect((data.title as string).length).toBeLessThanOrEqual(12);
    expect(['invoice', 'letter', 'report']).toContain(data.kind);
    expect(typeof data.paid).toBe('boolean');
    expect(extraction).toMatchObject({ documentId: long.id, truncated: true, model: expect.stringContaining('enclave-test-model') });
  });

  it('compares two documents', async () => {
    const comparison = await enclave.documentTools.compare(short.id, other.id);
    expect(comparison).toMatchObject({ documentIds: [short.id, other.id], documentNames: ['short.md', 'other.md'] });
    expect(comparison.comparison.length).toBeGreaterThan(0);
  });

  it('findDocument takes an id or a unique file name', async () => {
    expect(findDocument(enclave.documents, short.id).id).toBe(short.id);
    expect(findDocument(enclave.documents, 'short.md').id).toBe(short.id);
    expect(() => findDocument(enclave.documents, 'missing.md')).toThrow(DocumentNotFoundError);
    const collection = enclave.documents.createCollection('Copies');
    const file = join(dir, 'short.md');
    const [copy] = await enclave.documents.ingestFiles({ paths: [file], collection: collection.id });
    await enclave.documents.waitUntilSettled([copy!.document!.id]);
    expect(() => findDocument(enclave.documents, 'short.md')).toThrow(DocumentNameAmbiguousError);
    await enclave.documents.deleteDocument(copy!.document!.id);
  });
});
