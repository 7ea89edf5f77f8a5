import { PiiDetector, type DetectOptions } from '../../src-main/core/privacy/index';
import { loadPrivacyCorpus } from '../evalPrivacy';

const mixedTextSize = 8_000_000;
const fullSampleSize = 1_000_000;
const promptSize = 2_000;
const promptRuns = 300;

const proseSentences = [
  'The quarterly review covers onboarding, billing and the migration of the reporting pipeline.',
  'We agreed to postpone the rollout until the load tests pass on the staging cluster.',
  'Please update the runbook with the new escalation steps before the next on-call rotation.',
  'The vendor confirmed that the replacement parts will ship within ten business days.',
  'Customers reported slow page loads after the cache configuration changed on Tuesday.',
  'Our retention numbers improved once the reminder emails were sent in the morning.',
  'The contract renewal includes a price adjustment tied to the consumer price index.',
  'Remember to attach the signed form and the latest invoice when you submit the claim.',
  'The team will demo the new search experience at the all-hands meeting next week.',
  'Legal asked us to keep the audit logs for seven years instead of five.'
];

const logTemplates = [
  (n: number) =>
    `2024-06-${String(1 + (n % 28)).padStart(2, '0')}T10:${String(n % 60).padStart(2, '0')}:07.118Z INFO  http  GET /api/v2/orders/${n} 200 ${n % 900}ms req=7f9c2d4e-8b1a-4c3e-9f0d-${String(n).padStart(12, '0')}`,
  (n: number) =>
    `2024-06-04 11:20:${String(n % 60).padStart(2, '0')},442 WARN  [worker-${n % 8}] retry ${n % 5} for job ${n} after timeout (build 4.18.2.${n % 999})`,
  (n: number) =>
    `Jun 02 03:14:07 web-02 sshd[${n}]: Failed password for invalid user admin from 185.220.${n % 255}.${((n * 7) % 254) + 1} port ${40000 + (n % 20000)} ssh2`,
  (n: number) => `{"ts":"2024-06-01T12:00:03Z","level":"info","msg":"cache hit","key":"user:${n}:profile","latency_ms":${n % 50}}`
];

const codeSnippets = [
  'export function total(items) {\n    return items.reduce((sum, item) => sum + item.price * item.quantity, 0);\n}\n',
  'const config = {\n  retries: 3,\n  timeoutMs: 20_000,\n  region: "eu-west-1",\n  endpoint: "https://api.example.com/v1",\n};\n',
  'def parse(line):\n    parts = line.strip().split(",")\n    return {"id": int(parts[0]), "amount": float(parts[2])}\n',
  "SELECT id, created_at, status FROM orders WHERE status = 'open' ORDER BY created_at DESC LIMIT 100;\n"
];

/** Deterministic mix: 30% labelled corpus documents (PII-dense), 40% prose, 20% logs, 10% code. */
function buildMixedText(size: number) {
  const documents = [...loadPrivacyCorpus('dev'), ...loadPrivacyCorpus('holdout')].map((document) => document.text);
  let seed = 42;
  const next = (limit: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % limit;
  };

  const parts: string[] = [];
  let length = 0;
  for (let n = 0; length < size; n++) {
    const roll = next(10);
    const part =
      roll < 3
        ? documents[next(documents.length)]!
        : roll < 7
          ? Array.from({ length: 3 + next(4) }, () => proseSentences[next(proseSentences.length)]).join(' ')
          : roll < 9
            ? Array.from({ length: 4 }, () => logTemplates[next(logTemplates.length)]!(n * 31 + next(1000))).join('\n')
            : codeSnippets[next(codeSnippets.length)]!;
    parts.push(part);
    length += part.length + 2;
  }

  return parts.join('\n\n').slice(0, size);
}

function throughput(detector: PiiDetector, text: string, options: DetectOptions) {
  detector.detectSync(text.slice(0, 200_000), options);
  const started = performance.now();
  const entities = detector.detectSync(text, options);
  const seconds = (performance.now() - started) / 1000;
  return { megabytesPerSecond: text.length / 1_000_000 / seconds, seconds, entities: entities.length };
}

/** Prompts cut at paragraph starts spread over the text. */
function cutPrompts(text: string) {
  return Array.from({ length: 100 }, (_, index) => {
    const start = text.indexOf('\n\n', (index * 7919 * 13) % (text.length - 3 * promptSize)) + 2;
    return text.slice(start, start + promptSize);
  });
}

/** Text made only of prose: emails, tickets, chats and notes from the corpus, the costliest case for name finding. */
function buildProseText() {
  const proseGenres = new Set(['email', 'email-thread', 'support-ticket', 'chat', 'clinical-note', 'contract']);
  const documents = [...loadPrivacyCorpus('dev'), ...loadPrivacyCorpus('holdout')]
    .filter((document) => proseGenres.has(document.genre))
    .map((document) => document.text);
  return Array.from({ length: 8 }, (_, round) => documents.slice(round).concat(documents.slice(0, round)).join('\n\n')).join('\n\n');
}

function promptLatency(detector: PiiDetector, prompts: string[], options: DetectOptions) {
  prompts.slice(0, 20).forEach((prompt) => detector.detectSync(prompt, options));

  const timings = Array.from({ length: promptRuns }, (_, run) => {
    const started = performance.now();
    detector.detectSync(prompts[run % prompts.length]!, options);
    return performance.now() - started;
  }).sort((a, b) => a - b);

  return { median: timings[Math.floor(timings.length / 2)]!, p90: timings[Math.floor(timings.length * 0.9)]! };
}

async function main() {
  const detector = new PiiDetector();
  // Loaded before anything is timed, as in an app that has already detected once.
  await PiiDetector.loadLanguageAnalysis();
  const text = buildMixedText(mixedTextSize);
  const structured = throughput(detector, text, { structuredOnly: true });
  const full = throughput(detector, text.slice(0, fullSampleSize), {});
  const mixedPrompts = cutPrompts(text);
  const structuredPrompt = promptLatency(detector, mixedPrompts, { structuredOnly: true });
  const fullPrompt = promptLatency(detector, mixedPrompts, {});
  const prosePrompt = promptLatency(detector, cutPrompts(buildProseText()), {});

  const row = (label: string, value: string, target: string) => console.log(`${label.padEnd(44)}${value.padStart(16)}   ${target}`);
  console.log(`PII detection benchmark, one core (Node ${process.version})\n`);
  row('measure', 'result', 'target');
  row(`structured only, ${(text.length / 1e6).toFixed(0)} MB mixed text`, `${structured.megabytesPerSecond.toFixed(2)} MB/s`, '>= 5 MB/s');
  row(`with names and places, ${(fullSampleSize / 1e6).toFixed(0)} MB of the same text`, `${full.megabytesPerSecond.toFixed(2)} MB/s`, '-');
  row(`${promptSize}-char prompt, structured only (median)`, `${structuredPrompt.median.toFixed(2)} ms`, '-');
  row(`${promptSize}-char prompt, all detectors (median)`, `${fullPrompt.median.toFixed(2)} ms`, '< 10 ms');
  row(`${promptSize}-char prompt, all detectors (p90)`, `${fullPrompt.p90.toFixed(2)} ms`, '-');
  row(`${promptSize}-char prose-only prompt, all (median)`, `${prosePrompt.median.toFixed(2)} ms`, '< 20 ms (prose only)');
  row(`${promptSize}-char prose-only prompt, all (p90)`, `${prosePrompt.p90.toFixed(2)} ms`, '-');
  console.log(
    `\n${structured.entities} entities in the structured pass (${structured.seconds.toFixed(2)} s), ` +
      `${full.entities} in the full pass (${full.seconds.toFixed(2)} s)`
  );
}

await main();
