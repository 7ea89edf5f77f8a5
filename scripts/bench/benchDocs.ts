/**
 * Documents: how fast ingestion reads a long PDF, and what it costs the host.
 *
 *   npm run bench:docs [-- --pages 300] [--runs 3] [--chunks 100000]
 *
 * benchIngestion: a generated PDF (pdf-lib, about 40 lines of text per page) is ingested without
 * embeddings, and with the generated test model as the embedding model (the figures then include
 * embedding every chunk), `runs` times each into fresh data folders. Figures: pages/s from the document's first
 * 'parsing' event to 'ready' (worker start, parse, chunking, the chunk transaction), the whole
 * ingestFiles-to-ready time, the process's peak RSS while ingesting (the parse worker is a thread of
 * this process, so it is included) over the RSS before, and the longest event-loop stall of the host
 * meanwhile: what the app's UI and the API would feel.
 *
 * Then the search benchmark (benchSearch.ts): keyword-only and hybrid latency with 100k chunks stored.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { Enclave } from '../../src-main/core/Enclave';
import { ensureTestModel } from '../../test/support/writeTestModel';
import { benchSearch, formatSearchBench } from './benchSearch';

const WORDS = 'the report shows revenue costs growth market quarter customer product team plan risk result data value'.split(' ');

async function generatePdf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  let seed = 1;
  const word = () => WORDS[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % WORDS.length]!;
  for (let p = 1; p <= pages; p++) {
    const page = pdf.addPage([612, 792]);
    page.drawText(`Section ${p}`, { x: 50, y: 750, font, size: 14 });
    for (let line = 0; line < 40; line++) {
      const text = Array.from({ length: 12 }, word).join(' ');
      page.drawText(line % 8 === 7 ? '' : text, { x: 50, y: 720 - line * 16, font, size: 10 });
    }
  }
  return pdf.save();
}

export interface IngestionFigures {
  pages: number;
  bytes: number;
  pagesPerSecond: number;
  parseSeconds: number;
  totalSeconds: number;
  chunks: number;
  peakRssDeltaMiB: number;
  maxEventLoopStallMs: number;
}

/**
 * One ingestion of a generated `pages`-page PDF into a fresh data folder; with `embeddingModel` (a GGUF path)
 * set as the embedding model first (loaded before the figures start), so ingestion also embeds every chunk.
 */
export async function benchIngestion(
  pages: number,
  pdf?: Uint8Array,
  { embeddingModel }: { embeddingModel?: string } = {}
): Promise<IngestionFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'enclave-bench-docs-'));
  const bytes = pdf ?? (await generatePdf(pages));
  writeFileSync(join(dir, 'long.pdf'), bytes);
  const enclave = Enclave.open({ dataDir: join(dir, 'data'), gpu: false });
  try {
    if (embeddingModel) await enclave.documentSearch.setEmbeddingModel(embeddingModel);
    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    let parsingAt = 0;
    const off = enclave.events.on('documentProgress', ({ status }) => {
      if (status === 'parsing' && !parsingAt) parsingAt = performance.now();
    });
    stalls.enable();
    const started = performance.now();
    const [result] = await enclave.documents.ingestFiles({ paths: [join(dir, 'long.pdf')] });
    const [doc] = await enclave.documents.waitUntilSettled([result!.document!.id]);
    const finished = performance.now();
    stalls.disable();
    clearInterval(sampler);
    off();
    if (doc!.status !== 'ready') throw new Error(`ingestion failed: ${doc!.error}`);
    const parseSeconds = (finished - parsingAt) / 1000;
    return {
      pages: doc!.pages!,
      bytes: bytes.length,
      pagesPerSecond: doc!.pages! / parseSeconds,
      parseSeconds,
      totalSeconds: (finished - started) / 1000,
      chunks: doc!.chunkCount,
      peakRssDeltaMiB: (peakRss - baseRss) / 1024 / 1024,
      maxEventLoopStallMs: stalls.max / 1e6
    };
  } finally {
    await enclave.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pages: { type: 'string', default: '300' },
      runs: { type: 'string', default: '3' },
      chunks: { type: 'string', default: '100000' }
    }
  });
  const pages = Number(values.pages);
  const pdf = await generatePdf(pages);
  const embeddingModel = await ensureTestModel();
  for (const [label, options] of [
    ['no embeddings', {}],
    ['embedded with the generated test model (64 dimensions)', { embeddingModel }]
  ] as const) {
    const runs: IngestionFigures[] = [];
    for (let i = 0; i < Number(values.runs); i++) runs.push(await benchIngestion(pages, pdf, options));
    const pick = (key: keyof IngestionFigures) => median(runs.map((run) => run[key]));
    console.log(`Ingestion of a ${pages}-page PDF (${(pdf.length / 1024 / 1024).toFixed(1)} MiB), ${label}, median of ${runs.length}:`);
    console.log(
      `  ${pick('pagesPerSecond').toFixed(0)} pages/s (parse${'embeddingModel' in options ? ' and embed' : ''} ${pick('parseSeconds').toFixed(2)} s, whole ingestion ${pick('totalSeconds').toFixed(2)} s, ${pick('chunks')} chunks)`
    );
    console.log(`  peak RSS while ingesting: +${pick('peakRssDeltaMiB').toFixed(0)} MiB over the idle host`);
    console.log(`  longest event-loop stall of the host meanwhile: ${pick('maxEventLoopStallMs').toFixed(0)} ms`);
  }
  console.log(formatSearchBench(await benchSearch({ chunks: Number(values.chunks) })));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
