import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { PiiDetector } from '../src-main/core/privacy/PiiDetector';
import { PII_TYPES, type DetectedEntity, type PiiType } from '../src-main/core/privacy/types';

export type CorpusSplit = 'dev' | 'holdout' | 'independent';
export type GoldEntity = { type: PiiType; start: number; end: number };
export type CorpusDocument = { id: string; genre: string; text: string; entities: GoldEntity[] };

const corpusDirectory = fileURLToPath(new URL('../resources/privacy/corpus/', import.meta.url));

/** Structured types, which must never leak whole (issue 12's list). */
const structuredTargetTypes: readonly PiiType[] = [
  'EMAIL',
  'PHONE',
  'CREDIT_CARD',
  'IBAN',
  'NATIONAL_ID',
  'IP_ADDRESS',
  'MAC_ADDRESS',
  'SECRET',
  'ACCOUNT_NUMBER'
];

/** Reads `resources/privacy/corpus/<split>.txt`; its format is described in the README next to it. */
export function loadPrivacyCorpus(split: CorpusSplit): CorpusDocument[] {
  return parseCorpus(readFileSync(path.join(corpusDirectory, `${split}.txt`), 'utf8'));
}

/** Parses a corpus file; a file without `=== ` headers (a plain negatives list) is split at blank lines into documents. */
export function parseCorpus(source: string): CorpusDocument[] {
  if (!/^=== /m.test(source))
    return source
      .split(/\n[ \t]*\n/)
      .map((block) => block.replace(/^(?:#[^\n]*(?:\n|$))+/, '').trim())
      .filter((block) => block.length > 0)
      .map((block, index) => ({ id: `n${index + 1}`, genre: 'negatives', ...parseAnnotations(block, `n${index + 1}`) }));

  const documents: CorpusDocument[] = [];
  for (const block of source.split(/^=== /m).slice(1)) {
    const newline = block.indexOf('\n');
    const [id = '', genre = ''] = block.slice(0, newline).trim().split(/\s+/);
    const annotated = block.slice(newline + 1).replace(/\n+$/, '');
    documents.push({ id, genre, ...parseAnnotations(annotated, id) });
  }

  return documents;
}

function parseAnnotations(annotated: string, documentId: string) {
  const entities: GoldEntity[] = [];
  let text = '';
  let index = 0;
  for (let open = annotated.indexOf('⟦'); open !== -1; open = annotated.indexOf('⟦', index)) {
    const separator = annotated.indexOf('|', open);
    const close = annotated.indexOf('⟧', open);
    const type = annotated.slice(open + 1, separator) as PiiType;
    if (separator === -1 || close === -1 || separator > close || !PII_TYPES.includes(type))
      throw new Error(`Malformed annotation in corpus document ${documentId} at ${open}`);

    text += annotated.slice(index, open);
    const value = annotated.slice(separator + 1, close);
    entities.push({ type, start: text.length, end: text.length + value.length });
    text += value;
    index = close + 1;
  }

  return { text: text + annotated.slice(index), entities };
}

type Counts = { goldFound: number; gold: number; predictedCorrect: number; predicted: number };

function emptyCounts(): Counts {
  return { goldFound: 0, gold: 0, predictedCorrect: 0, predicted: 0 };
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }) {
  return a.start < b.end && b.start < a.end;
}

type SplitReport = {
  byType: Map<PiiType, Counts>;
  byGenre: Map<string, Counts>;
  /** Gold values no finding overlaps at all, by type */
  leakedWhole: Map<PiiType, number>;
  anyType: Counts;
  structured: Counts;
  goldChars: number;
  leakedChars: number;
  misses: string[];
  partialLeaks: string[];
  falsePositives: string[];
};

function evaluate(documents: CorpusDocument[], predictions: DetectedEntity[][]): SplitReport {
  const report: SplitReport = {
    byType: new Map(),
    byGenre: new Map(),
    leakedWhole: new Map(),
    anyType: emptyCounts(),
    structured: emptyCounts(),
    goldChars: 0,
    leakedChars: 0,
    misses: [],
    partialLeaks: [],
    falsePositives: []
  };
  const countsOf = (type: PiiType) => report.byType.get(type) ?? report.byType.set(type, emptyCounts()).get(type)!;

  documents.forEach((document, index) => {
    const predicted = predictions[index]!;
    const genre = report.byGenre.get(document.genre) ?? report.byGenre.set(document.genre, emptyCounts()).get(document.genre)!;
    for (const gold of document.entities) {
      const sameType = predicted.some((entity) => entity.type === gold.type && overlaps(entity, gold));
      const anyType = predicted.some((entity) => overlaps(entity, gold));
      const counts = countsOf(gold.type);
      counts.gold++;
      counts.goldFound += sameType ? 1 : 0;
      genre.gold++;
      genre.goldFound += sameType ? 1 : 0;
      if (!anyType) report.leakedWhole.set(gold.type, (report.leakedWhole.get(gold.type) ?? 0) + 1);
      report.anyType.gold++;
      report.anyType.goldFound += anyType ? 1 : 0;
      if (structuredTargetTypes.includes(gold.type)) {
        report.structured.gold++;
        report.structured.goldFound += sameType ? 1 : 0;
      }
      if (!sameType)
        report.misses.push(
          `${document.id} ${gold.type} ${JSON.stringify(document.text.slice(gold.start, gold.end))}` +
            (anyType ? ' (found as another type)' : '')
        );

      report.goldChars += gold.end - gold.start;
      let leaked = '';
      for (let char = gold.start; char < gold.end; char++)
        if (!predicted.some((entity) => entity.start <= char && char < entity.end)) leaked += document.text[char];

      report.leakedChars += leaked.length;
      if (anyType && leaked.trim().length > 0)
        report.partialLeaks.push(
          `${document.id} ${gold.type} ${JSON.stringify(document.text.slice(gold.start, gold.end))} ` + `leaves ${JSON.stringify(leaked)}`
        );
    }

    for (const entity of predicted) {
      const sameType = document.entities.some((gold) => gold.type === entity.type && overlaps(entity, gold));
      const anyType = document.entities.some((gold) => overlaps(entity, gold));
      const counts = countsOf(entity.type);
      counts.predicted++;
      counts.predictedCorrect += sameType ? 1 : 0;
      genre.predicted++;
      genre.predictedCorrect += sameType ? 1 : 0;
      report.anyType.predicted++;
      report.anyType.predictedCorrect += anyType ? 1 : 0;
      if (structuredTargetTypes.includes(entity.type)) {
        report.structured.predicted++;
        report.structured.predictedCorrect += sameType ? 1 : 0;
      }
      if (!anyType) report.falsePositives.push(`${document.id} ${entity.type} ${JSON.stringify(entity.text)} by ${entity.detector}`);
    }
  });

  return report;
}

function ratio(numerator: number, denominator: number) {
  return denominator === 0 ? undefined : numerator / denominator;
}

function formatScores({ goldFound, gold, predictedCorrect, predicted }: Counts) {
  const precision = ratio(predictedCorrect, predicted);
  const recall = ratio(goldFound, gold);
  const f1 = precision == null || recall == null || precision + recall === 0 ? undefined : (2 * precision * recall) / (precision + recall);
  const format = (value: number | undefined) => (value == null ? '-' : value.toFixed(3)).padStart(9);
  return `${format(precision)}${format(recall)}${format(f1)}${String(gold).padStart(7)}${String(predicted).padStart(7)}`;
}

function printReport(name: string, documents: CorpusDocument[], report: SplitReport) {
  console.log(`\n${name}: ${documents.length} documents, ${report.anyType.gold} labelled entities`);
  console.log(`${'type'.padEnd(22)}precision   recall       F1   gold   pred  leaked whole`);
  for (const type of PII_TYPES) {
    const counts = report.byType.get(type);
    if (counts != null) console.log(`${type.padEnd(22)}${formatScores(counts)}${String(report.leakedWhole.get(type) ?? 0).padStart(14)}`);
  }
  console.log(`${'structured (target)'.padEnd(22)}${formatScores(report.structured)}`);
  console.log(`${'any type, overlap'.padEnd(22)}${formatScores(report.anyType)}`);

  console.log(`\n${'domain (genre)'.padEnd(22)}precision   recall       F1   gold   pred`);
  for (const [genre, counts] of [...report.byGenre].sort(([a], [b]) => a.localeCompare(b)))
    console.log(`${genre.padEnd(22)}${formatScores(counts)}`);

  const leaked = [...report.leakedWhole.values()].reduce((sum, count) => sum + count, 0);
  const structuredLeaked = structuredTargetTypes.reduce((sum, type) => sum + (report.leakedWhole.get(type) ?? 0), 0);
  console.log(
    `\nValues leaked whole (no overlap with any finding): ${leaked} of ${report.anyType.gold}, ` +
      `structured: ${structuredLeaked} of ${report.structured.gold}`
  );
  console.log(
    `PII characters left unredacted: ${((100 * report.leakedChars) / report.goldChars).toFixed(2)}% ` +
      `(${report.leakedChars} of ${report.goldChars})`
  );
}

/** Over-redaction on text with no personal data: every finding is a false positive. */
function printNegatives(name: string, documents: CorpusDocument[], predictions: DetectedEntity[][]) {
  const characters = documents.reduce((sum, document) => sum + document.text.length, 0);
  const findings = predictions.reduce((sum, entities) => sum + entities.length, 0);
  const flagged = predictions.filter((entities) => entities.length > 0).length;
  const byType = new Map<PiiType, number>();
  for (const entity of predictions.flat()) byType.set(entity.type, (byType.get(entity.type) ?? 0) + 1);

  console.log(`\n${name} (over-redaction): ${documents.length} documents, ${characters} characters`);
  console.log(
    `findings per 10,000 characters: ${characters === 0 ? '-' : ((10_000 * findings) / characters).toFixed(2)} (${findings} findings)`
  );
  console.log(
    `documents with any finding: ${documents.length === 0 ? '-' : ((100 * flagged) / documents.length).toFixed(1)}% (${flagged})`
  );
  if (byType.size > 0) console.log(`by type: ${[...byType].map(([type, count]) => `${type} ${count}`).join(', ')}`);
}

/**
 * Which corpus files to score: `--corpus FILE` and `--negatives FILE` (repeatable) replace the defaults, which are
 * dev and holdout plus independent.txt and negatives.txt when they exist; `--dev` scores the development files
 * (dev.txt and dev-*.txt) alone.
 */
function corpusFiles(argv: readonly string[]) {
  const valuesOf = (flag: string) => argv.flatMap((arg, index) => (arg === flag && argv[index + 1] != null ? [argv[index + 1]!] : []));
  const corpora = valuesOf('--corpus');
  const negatives = valuesOf('--negatives');
  if (corpora.length > 0 || negatives.length > 0) return { corpora, negatives };

  const developmentFiles = readdirSync(corpusDirectory)
    .filter((file) => /^dev(?:-[\w-]+)?\.txt$/.test(file))
    .sort()
    .map((file) => path.join(corpusDirectory, file));
  if (argv.includes('--dev')) return { corpora: developmentFiles, negatives: [] };

  return {
    corpora: [...developmentFiles, ...['holdout', 'independent'].map((split) => path.join(corpusDirectory, `${split}.txt`))].filter(
      (file) => existsSync(file)
    ),
    negatives: [path.join(corpusDirectory, 'negatives.txt')].filter((file) => existsSync(file))
  };
}

async function main() {
  const showErrors = process.argv.includes('--errors');
  const { corpora, negatives } = corpusFiles(process.argv.slice(2));
  const detector = new PiiDetector();
  await PiiDetector.loadLanguageAnalysis();
  for (const file of corpora) {
    const documents = parseCorpus(readFileSync(file, 'utf8'));
    const predictions = documents.map((document) => detector.detectSync(document.text));
    const report = evaluate(documents, predictions);
    const name = path.basename(file, '.txt');
    printReport(name, documents, report);

    // Only development files' individual errors are shown (dev.txt, dev-*.txt): other corpora must not steer tuning
    if (showErrors && /^dev(?:-|$)/.test(name)) {
      console.log(`\nmisses:\n  ${report.misses.join('\n  ')}`);
      console.log(`\npartly redacted:\n  ${report.partialLeaks.join('\n  ')}`);
      console.log(`\nfalse positives:\n  ${report.falsePositives.join('\n  ')}`);
    }
  }

  for (const file of negatives) {
    const documents = parseCorpus(readFileSync(file, 'utf8'));
    printNegatives(
      path.basename(file, '.txt'),
      documents,
      documents.map((document) => detector.detectSync(document.text))
    );
  }
}

if (process.argv[1] != null && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
