// Document search latency with 100k chunks stored: keyword-only and hybrid (the query's embedding is
// prepared beforehand: embedding time is the model's, not the index's). `npm run bench:docs` runs it.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../../src-main/core/db/openDatabase';
import { DocumentIndex } from '../../src-main/core/documents/retrieval/DocumentIndex';
import { HybridSearch } from '../../src-main/core/documents/retrieval/HybridSearch';

export interface SearchBenchOptions {
  chunks?: number;
  chunksPerDocument?: number;
  /** A typical small embedding model's (bge-small, MiniLM: 384). */
  dimensions?: number;
  queries?: number;
  k?: number;
  /** Keep the corpus in this folder, and reuse it when it is already there (BENCH_SEARCH_DIR): tuning runs skip the minute of loading. */
  keepDir?: string;
}

export interface SearchBenchResult {
  chunks: number;
  dimensions: number;
  /** Wall-clock milliseconds a search; `cpu`: this process's CPU milliseconds a search, which a busy machine inflates less. */
  keyword: Percentiles & { cpu: Percentiles };
  hybrid: Percentiles & { cpu: Percentiles };
}

interface Percentiles {
  p50: number;
  p95: number;
}

/** A deterministic PRNG, so every run searches the same corpus. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function benchSearch(options: SearchBenchOptions = {}): Promise<SearchBenchResult> {
  const { chunks = 100_000, chunksPerDocument = 100, dimensions = 384, queries = 300, k = 5, keepDir } = options;
  const random = mulberry32(9);
  // The questions have their own sequence, so a kept corpus is searched with the same questions.
  const questionRandom = mulberry32(10);
  // Zipf's law (frequency ∝ 1/rank) over 20,000 words, as in real text. Queries draw their content words from
  // below the 100 most frequent: those are the stop words a query drops (toDocumentFtsQuery).
  const vocabulary = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}${'aeiou'[i % 5]}n`);
  const zipf = (from = 1, draw = random) => vocabulary[Math.floor(from * (vocabulary.length / from) ** draw()) - 1]!;
  const word = () => zipf();
  const contentWord = () => zipf(100, questionRandom);
  const sentence = (n: number) => Array.from({ length: n }, word).join(' ');
  const vector = (draw = random) => {
    const v = new Float32Array(dimensions);
    let norm = 0;
    for (let i = 0; i < dimensions; i++) norm += (v[i] = draw() - 0.5) ** 2;
    return v.map((x) => x / Math.sqrt(norm));
  };

  const reuse = keepDir !== undefined && existsSync(join(keepDir, 'enclave.db'));
  if (keepDir) mkdirSync(keepDir, { recursive: true });
  const dir = keepDir ?? mkdtempSync(join(tmpdir(), 'enclave-bench-search-'));
  try {
    const db = openDatabase({ file: join(dir, 'enclave.db') });
    const client = db.$client;
    const index = new DocumentIndex(db);
    if (index.vectorUnavailable) throw new Error(`sqlite-vec did not load: ${index.vectorUnavailable}`);
    index.configureVectors(dimensions);
    const started = performance.now();
    if (!reuse) {
      client.prepare(`INSERT INTO collections(id, name, created_at) VALUES ('bench', 'Bench', 0)`).run();
      const insertDocument = client.prepare(
        `INSERT INTO documents(id, collection_id, name, mime, format, bytes, sha256, status, stored_path, progress, created_at, updated_at)
       VALUES (?, 'bench', ?, 'text/plain', 'text', 0, ?, 'ready', '', 1, 0, 0)`
      );
      const insertChunk = client.prepare(
        `INSERT INTO document_chunks(id, document_id, ordinal, page, heading_path, text, char_start, char_end) VALUES (?, ?, ?, ?, ?, ?, 0, 0)`
      );
      for (let d = 0; d * chunksPerDocument < chunks; d++) {
        const rows: { seq: number; vector: Float32Array }[] = [];
        client.transaction(() => {
          insertDocument.run(`doc${d}`, `${sentence(2)}.pdf`, `sha${d}`);
          for (let c = 0; c < chunksPerDocument && d * chunksPerDocument + c < chunks; c++) {
            const text = `${sentence(60)}. ${sentence(60)}.`;
            const { lastInsertRowid } = insertChunk.run(
              `c${d}-${c}`,
              `doc${d}`,
              c,
              1 + Math.floor(c / 4),
              JSON.stringify([sentence(3)]),
              text
            );
            rows.push({ seq: Number(lastInsertRowid), vector: vector() });
          }
        })();
        index.storeEmbeddings(rows);
      }
    }
    const loadSeconds = (performance.now() - started) / 1000;
    client.pragma('optimize');

    const questions = Array.from(
      { length: queries },
      () => `How do I ${Array.from({ length: 2 + Math.floor(questionRandom() * 3) }, contentWord).join(' ')} with the ${contentWord()}?`
    );
    const vectors = questions.map(() => vector(questionRandom));
    const keywordSearch = new HybridSearch(index, () => null);
    let current = vectors[0]!;
    const hybridSearch = new HybridSearch(index, () => async () => current);
    const measure = async (run: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < 20; i++) await run(i % queries); // warm the page cache
      const times: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < queries; i++) {
        const start = performance.now();
        const startCpu = process.cpuUsage();
        await run(i);
        const used = process.cpuUsage(startCpu);
        times.push(performance.now() - start);
        cpu.push((used.user + used.system) / 1000);
      }
      return { ...percentiles(times), cpu: percentiles(cpu) };
    };
    const keyword = await measure((i) => keywordSearch.search({ query: questions[i]!, k }));
    const hybrid = await measure((i) => {
      current = vectors[i]!;
      return hybridSearch.search({ query: questions[i]!, k });
    });
    client.close();
    console.error(
      `(${chunks} chunks, ${dimensions} dimensions, ${reuse ? `reused from ${dir}` : `stored in ${loadSeconds.toFixed(0)} s`})`
    );
    return { chunks, dimensions, keyword, hybrid };
  } finally {
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)]!, p95: sorted[Math.floor(sorted.length * 0.95)]! };
}

export function formatSearchBench(result: SearchBenchResult): string {
  const row = (name: string, { p50, p95, cpu }: Percentiles & { cpu: Percentiles }) =>
    `${name.padEnd(14)} p50 ${p50.toFixed(2)} ms   p95 ${p95.toFixed(2)} ms   (CPU time p50 ${cpu.p50.toFixed(2)} ms, p95 ${cpu.p95.toFixed(2)} ms)`;
  return [
    `Search, ${result.chunks.toLocaleString('en')} chunks (${result.dimensions}-dim vectors):`,
    row('keyword only', result.keyword),
    row('hybrid', result.hybrid),
    '(hybrid excludes embedding the query; CPU time is what a busy machine inflates less)'
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const chunks = Number(process.env.BENCH_CHUNKS ?? 100_000);
  console.log(formatSearchBench(await benchSearch({ chunks, keepDir: process.env.BENCH_SEARCH_DIR })));
}
