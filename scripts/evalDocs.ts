// Retrieval quality on real documents (resources/documents/eval): hit@1, hit@5 and MRR for the document and
// the page, and how often a question the documents do not answer is recognised (top relevance below the
// threshold). The threshold is chosen on the dev questions and reported on the test questions.
//   npm run eval:docs                                   keyword only
//   ENCLAVE_EVAL_EMBEDDING_MODEL=/abs/model.gguf npm run eval:docs   keyword and hybrid
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkDocument } from '../src-main/core/documents/chunking/chunkDocument';
import type { TextBlock } from '../src-main/core/documents/parsers/ParsedDocument';
import { splitParagraphs } from '../src-main/core/documents/parsers/parseText';
import { DocumentSearch } from '../src-main/core/documents/retrieval/DocumentSearch';
import { openDatabase } from '../src-main/core/db/openDatabase';
import { EnclaveEvents } from '../src-main/core/EnclaveEvents';
import { EngineService } from '../src-main/core/engine/EngineService';
import { ThreadTuningStore } from '../src-main/core/engine/ThreadTuningStore';
import { SettingsStore } from '../src-main/core/settings/SettingsStore';
import { resourcePath } from '../src-main/core/paths';

interface Question {
  split: 'dev' | 'test';
  style: 'keyword' | 'paraphrase' | 'none';
  question: string;
  document: string | null;
  pages: number[] | null;
}

const K = 5;
const folder = resourcePath('documents', 'eval');
const questions = JSON.parse(readFileSync(join(folder, 'questions.json'), 'utf8')) as Question[];
const dir = mkdtempSync(join(tmpdir(), 'enclave-eval-docs-'));
const db = openDatabase({ file: join(dir, 'enclave.db') });
const settings = new SettingsStore(db);
const events = new EnclaveEvents();
const engine = new EngineService(settings, new ThreadTuningStore(db), events, { gpu: false });
const search = new DocumentSearch(db, settings, engine, events);

try {
  load();
  const modes: ('keyword' | 'hybrid')[] = ['keyword'];
  const modelPath = process.env.ENCLAVE_EVAL_EMBEDDING_MODEL;
  if (modelPath) {
    await search.setEmbeddingModel(modelPath);
    await search.startEmbedding()?.done;
    modes.push('hybrid');
  }
  for (const mode of modes) {
    const runs = [];
    for (const q of questions) {
      const { results } = await search.search({ query: q.question, k: K, keywordOnly: mode === 'keyword' });
      runs.push({ q, results });
    }
    const dev = runs.filter((run) => run.q.split === 'dev');
    const threshold = calibrate(dev);
    console.log(
      `\n== ${mode}${mode === 'hybrid' ? ` (${modelPath})` : ''}; "nothing relevant" below relevance ${threshold.toFixed(2)} (chosen on dev)`
    );
    console.log('split  questions  doc hit@1  doc hit@5  doc MRR  page hit@1  page hit@5  page MRR  no-answer acc  answerable kept');
    for (const split of ['dev', 'test'] as const) {
      for (const style of ['keyword', 'paraphrase', 'all'] as const) {
        const part = runs.filter((run) => run.q.split === split && (style === 'all' ? true : run.q.style === style));
        console.log(row(`${split} ${style}`, part, threshold));
      }
    }
  }
} finally {
  await search.dispose();
  await engine.dispose();
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
}

function load(): void {
  const client = db.$client;
  client.prepare(`INSERT INTO collections(id, name, created_at) VALUES ('eval', 'Eval', 0)`).run();
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.txt'))) {
    const name = file.replace(/\.txt$/, '');
    const pages = readFileSync(join(folder, file), 'utf8').split('\f');
    const paged = pages.length > 1;
    const blocks: TextBlock[] = pages.flatMap((text, i) =>
      splitParagraphs(text).map((paragraph) => ({
        kind: 'paragraph' as const,
        text: paragraph,
        headingPath: [],
        page: paged ? i + 1 : null
      }))
    );
    const { chunks } = chunkDocument({ blocks, pages: paged ? pages.length : null });
    client
      .prepare(
        `INSERT INTO documents(id, collection_id, name, mime, format, bytes, sha256, status, stored_path, progress, created_at, updated_at)
         VALUES (?, 'eval', ?, 'text/plain', ?, 0, ?, 'ready', '', 1, 0, 0)`
      )
      .run(name, name, paged ? 'pdf' : 'text', name);
    const insert = client.prepare(
      `INSERT INTO document_chunks(id, document_id, ordinal, page, heading_path, text, char_start, char_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
    );
    client.transaction(() => {
      for (const c of chunks)
        insert.run(`${name}#${c.ordinal}`, name, c.ordinal, c.page, JSON.stringify(c.headingPath), c.text, c.charStart, c.charEnd);
    })();
  }
}

type Run = { q: Question; results: { name: string; page: number | null; relevance: number }[] };

function rank(run: Run, page: boolean): number | null {
  const index = run.results.findIndex((hit) => hit.name === run.q.document && (!page || run.q.pages!.includes(hit.page ?? -1)));
  return index < 0 ? null : index + 1;
}

function topRelevance(run: Run): number {
  return run.results[0]?.relevance ?? 0;
}

/** The threshold that best separates answerable from unanswerable dev questions (mean of both accuracies). */
function calibrate(dev: Run[]): number {
  let best = { threshold: 0, score: -1 };
  for (let t = 0.05; t < 1; t += 0.05) {
    const score = (noAnswerAccuracy(dev, t) + keptRate(dev, t)) / 2;
    if (score > best.score) best = { threshold: t, score };
  }
  return best.threshold;
}

function noAnswerAccuracy(runs: Run[], threshold: number): number {
  const none = runs.filter((run) => run.q.style === 'none');
  return none.filter((run) => topRelevance(run) < threshold).length / Math.max(1, none.length);
}

function keptRate(runs: Run[], threshold: number): number {
  const answerable = runs.filter((run) => run.q.style !== 'none');
  return answerable.filter((run) => topRelevance(run) >= threshold).length / Math.max(1, answerable.length);
}

function row(label: string, runs: Run[], threshold: number): string {
  const answerable = runs.filter((run) => run.q.style !== 'none');
  const paged = answerable.filter((run) => run.q.pages !== null);
  const stats = (list: Run[], page: boolean) => {
    const ranks = list.map((run) => rank(run, page));
    const n = Math.max(1, list.length);
    return [
      ranks.filter((r) => r === 1).length / n,
      ranks.filter((r) => r !== null && r <= K).length / n,
      ranks.reduce((sum: number, r) => sum + (r === null ? 0 : 1 / r), 0) / n
    ];
  };
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`.padStart(9);
  const doc = stats(answerable, false);
  const page = stats(paged, true);
  const hasNone = runs.some((run) => run.q.style === 'none');
  return [
    label.padEnd(16),
    String(runs.length).padStart(3),
    pct(doc[0]!),
    pct(doc[1]!),
    doc[2]!.toFixed(2).padStart(8),
    pct(page[0]!),
    pct(page[1]!),
    page[2]!.toFixed(2).padStart(8),
    hasNone ? pct(noAnswerAccuracy(runs, threshold)).padStart(14) : '—'.padStart(14),
    answerable.length ? pct(keptRate(runs, threshold)).padStart(14) : '—'.padStart(14)
  ].join(' ');
}
