import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type EnclaveDb } from '../../src-main/core/db/openDatabase';
import { DocumentSearch } from '../../src-main/core/documents/retrieval/DocumentSearch';
import { reciprocalRankFusion } from '../../src-main/core/documents/retrieval/reciprocalRankFusion';
import { EnclaveEvents } from '../../src-main/core/EnclaveEvents';
import { EngineService } from '../../src-main/core/engine/EngineService';
import { ThreadTuningStore } from '../../src-main/core/engine/ThreadTuningStore';
import { SettingsStore } from '../../src-main/core/settings/SettingsStore';
import type { IngestProgress } from '../../src-main/core/shared/types';
import { useTempDir } from '../support/tempDir';
import { ensureTestModel } from '../support/writeTestModel';
import { insertDocument } from './insertDocument';

const tempDir = useTempDir('enclave-vectors-');

describe('vector retrieval (sqlite-vec, the generated test model embeds)', () => {
  let modelPath: string;
  let otherModelPath: string;
  let db: EnclaveDb;
  let engine: EngineService;
  let events: EnclaveEvents;
  let search: DocumentSearch;
  const count = (sql: string) => db.$client.prepare(sql).pluck().get() as number;

  beforeAll(async () => {
    modelPath = await ensureTestModel();
    otherModelPath = await ensureTestModel({ embeddingLength: 32, seed: 7 });
  });

  beforeEach(() => {
    db = openDatabase({ file: join(tempDir(), 'enclave.db') });
    const settings = new SettingsStore(db);
    events = new EnclaveEvents();
    engine = new EngineService(settings, new ThreadTuningStore(db), events, { gpu: false });
    search = new DocumentSearch(db, settings, engine, events);
    insertDocument(db.$client, {
      name: 'one.txt',
      chunks: [
        { text: 'hello world model local private data' },
        { text: 'chat cloud text token file test' },
        { text: 'name email phone address secret key' }
      ]
    });
    insertDocument(db.$client, {
      name: 'two.txt',
      chunks: [{ text: 'user assistant system message answer question' }, { text: 'yes good new help please thank' }]
    });
  });

  afterEach(async () => {
    await search.dispose();
    await engine.dispose();
    db.$client.close();
  });

  it('loads sqlite-vec into better-sqlite3', () => {
    expect(search.index.vectorUnavailable).toBeNull();
    expect(db.$client.prepare('SELECT vec_version()').pluck().get()).toBe('v0.1.9');
  });

  it('embeds existing documents in the background when a model is set: embedding → ready, with progress events', async () => {
    const progress: IngestProgress[] = [];
    events.on('documentProgress', (event) => progress.push(event));
    const status = await search.setEmbeddingModel(modelPath);
    expect(status).toMatchObject({ modelPath, dimensions: 64, totalChunks: 5 });
    const result = await search.startEmbedding()!.done;
    expect(result).toEqual({ documents: 2, chunks: 5, cancelled: false });
    expect(search.embeddingStatus()).toMatchObject({ embeddedChunks: 5, totalChunks: 5, embedding: false });
    expect(count('SELECT count(*) FROM document_vectors')).toBe(5);
    expect(count("SELECT count(*) FROM documents WHERE status = 'ready'")).toBe(2);
    const first = progress.filter((event) => event.documentId === progress[0]!.documentId);
    expect(first[0]).toMatchObject({ status: 'embedding', progress: 0 });
    expect(first.at(-1)).toMatchObject({ status: 'ready', progress: 1 });
  });

  it('finds the nearest chunk by its embedding, and fuses it with the keyword list', async () => {
    await search.setEmbeddingModel(modelPath);
    await search.startEmbedding()!.done;
    const target = 'user assistant system message answer question';
    const seq = count(`SELECT seq FROM document_chunks WHERE text = '${target}'`);
    const blob = db.$client.prepare('SELECT vector FROM document_embeddings WHERE chunk_seq = ?').pluck().get(seq) as Buffer;
    const nearest = search.index.vectorSearch(new Float32Array(Uint8Array.from(blob).buffer), {}, 3);
    expect(nearest[0]!.seq).toBe(seq);
    expect(nearest[0]!.distance).toBeCloseTo(0, 5);
    const result = await search.search({ query: target, k: 3 });
    expect(result.mode).toBe('hybrid');
    expect(result.results[0]).toMatchObject({ name: 'two.txt', text: target });
    expect(result.results[0]!.score).toBeCloseTo(1, 5);
    expect((await search.search({ query: target, k: 3, keywordOnly: true })).mode).toBe('keyword');
  });

  it('a cancelled job leaves the rest for the next one; a deleted document takes its vectors along', async () => {
    await search.setEmbeddingModel(modelPath);
    const first = search.startEmbedding()!;
    first.cancel();
    expect((await first.done).cancelled).toBe(true);
    expect(count('SELECT count(*) FROM document_embeddings')).toBeLessThan(5);
    expect(count("SELECT count(*) FROM documents WHERE status = 'embedding'")).toBe(0);
    const aborted = new AbortController();
    aborted.abort();
    expect((await search.startEmbedding(aborted.signal)!.done).cancelled).toBe(true);
    expect((await search.startEmbedding()!.done).cancelled).toBe(false);
    expect(count('SELECT count(*) FROM document_embeddings')).toBe(5);
    db.$client.prepare("DELETE FROM documents WHERE name = 'one.txt'").run();
    expect(count('SELECT count(*) FROM document_embeddings')).toBe(2);
    expect(count('SELECT count(*) FROM document_vectors')).toBe(2);
  });

  it('switching to a model of another dimension rebuilds the index and re-embeds everything', async () => {
    await search.setEmbeddingModel(modelPath);
    await search.startEmbedding()!.done;
    const status = await search.setEmbeddingModel(otherModelPath);
    expect(status.dimensions).toBe(32);
    await search.startEmbedding()!.done;
    expect(count('SELECT count(*) FROM document_embeddings WHERE length(vector) = 32 * 4')).toBe(5);
    expect(count('SELECT count(*) FROM document_vectors')).toBe(5);
    expect((await search.search({ query: 'hello world', k: 2 })).mode).toBe('hybrid');
    await search.setEmbeddingModel(null);
    expect((await search.search({ query: 'hello world', k: 2 })).mode).toBe('keyword');
  });

  it('refuses a file that is not a model and keeps the setting it had', async () => {
    await expect(search.setEmbeddingModel(join(tempDir(), 'missing.gguf'))).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect(search.getEmbeddingSettings().modelPath).toBeNull();
  });
});

describe('reciprocalRankFusion', () => {
  it('ranks by Σ 1/(60 + rank): an item high in both lists beats one first in only one', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['b', 'd', 'a']
    ]);
    expect(fused.map((entry) => entry.item)).toEqual(['b', 'a', 'd', 'c']);
    expect(fused[0]).toEqual({ item: 'b', score: 1 / 62 + 1 / 61, ranks: [2, 1] });
    expect(reciprocalRankFusion([['x', 'x', 'y']])[0]).toEqual({ item: 'x', score: 1 / 61, ranks: [1] });
  });
});
