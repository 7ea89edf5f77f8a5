// npm run bench: raw node-llama-cpp against Enclave's engine, in one run, on the same generated
// model and thread count; then the headless core's start time and idle memory.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlamaChat, type ChatHistoryItem, type LlamaModel } from 'node-llama-cpp';
import { Enclave } from '../../src-main/core/Enclave';
import { threadCandidates } from '../../src-main/core/engine/threads';
import { findAppRoot } from '../../src-main/core/paths';
import { ensureTestModel } from '../../test/support/writeTestModel';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MAX_TOKENS = Number(process.env.BENCH_TOKENS ?? 128);
const PROMPT = 'Write a short story about a lighthouse keeper.';

interface Run {
  ttftMs: number;
  tokensPerSecond: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Same clock for both paths: TTFT to the first streamed text, decode speed over the span from
 * the first to the last streamed text, with the token count each path reports.
 */
function streamClock() {
  const start = performance.now();
  let first: number | null = null;
  let last = start;
  return {
    onText(text: string) {
      if (!text) return;
      last = performance.now();
      first ??= last;
    },
    result(completionTokens: number): Run {
      const span = last - (first ?? last);
      return { ttftMs: (first ?? last) - start, tokensPerSecond: completionTokens > 1 && span > 0 ? ((completionTokens - 1) * 1000) / span : 0 };
    }
  };
}

async function rawGeneration(
  model: LlamaModel,
  threads: number,
  maxTokens = MAX_TOKENS
): Promise<{ run: () => Promise<Run>; dispose: () => Promise<void> }> {
  const context = await model.createContext({ contextSize: 1024, threads, sequences: 1 });
  const sequence = context.getSequence();
  const run = async () => {
    const chat = new LlamaChat({ contextSequence: sequence });
    const history: ChatHistoryItem[] = [{ type: 'user', text: PROMPT }, { type: 'model', response: [] }];
    const clock = streamClock();
    let tokens = 0;
    await chat.generateResponse(history, {
      maxTokens,
      temperature: 0,
      onToken: (chunk) => (tokens += chunk.length),
      onTextChunk: (text) => clock.onText(text)
    });
    chat.dispose({ disposeSequence: false });
    return clock.result(tokens);
  };
  return { run, dispose: () => context.dispose() };
}

async function rawBestThreads(model: LlamaModel): Promise<number> {
  let best = { threads: 1, tokensPerSecond: 0 };
  for (const threads of threadCandidates()) {
    // Short runs: an oversubscribed thread count can be 100× slower.
    const { run, dispose } = await rawGeneration(model, threads, 32);
    await run();
    const { tokensPerSecond } = await run();
    await dispose();
    console.log(`  raw sweep: ${threads} thread(s) ${tokensPerSecond.toFixed(1)} tok/s`);
    if (tokensPerSecond > best.tokensPerSecond) best = { threads, tokensPerSecond };
  }
  return best.threads;
}

/** The whole app path: ChatService builds the history, streams events and persists the reply. */
async function enclaveGeneration(enclave: Enclave): Promise<() => Promise<Run>> {
  const conversation = enclave.conversations.create({ sampling: { maxTokens: MAX_TOKENS, temperature: 0, contextSize: 1024 } });
  return async () => {
    // Each round answers one fresh prompt, like the raw path.
    enclave.conversations.get(conversation.id).messages.slice(0, 1).forEach((first) => enclave.conversations.truncateFrom(first.id));
    const clock = streamClock();
    let messageId = '';
    const stop = enclave.events.on('chatToken', (event) => event.messageId === messageId && clock.onText(event.text));
    const exchange = enclave.chat.send(conversation.id, PROMPT);
    messageId = exchange.assistantMessage.id;
    const reply = await exchange.finished;
    stop();
    return clock.result(reply!.metrics!.completionTokens);
  };
}

async function coreStartup(): Promise<{ openMs: number; processReadyMs: number; idleRssMiB: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'enclave-bench-start-'));
  try {
    const t0 = performance.now();
    const enclave = Enclave.open({ dataDir: dir });
    const openMs = performance.now() - t0;
    await enclave.dispose();

    const started = performance.now();
    const child = spawn(process.execPath, [join(findAppRoot(), 'bin', 'enclave.js'), 'serve', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('Enclave core running') && resolve());
      child.once('exit', (code) => reject(new Error(`enclave serve exited with ${code}`)));
    });
    const processReadyMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idleRssMiB = await new Promise<number>((resolve) => {
      const ps = spawn('ps', ['-o', 'rss=', '-p', String(child.pid)]);
      let out = '';
      ps.stdout.on('data', (chunk: Buffer) => (out += chunk));
      ps.on('close', () => resolve(Number(out.trim()) / 1024));
    });
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
    return { openMs, processReadyMs, idleRssMiB };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Some of node-llama-cpp's native work (model loads, context disposal) does not hold Node's event
// loop open: with nothing else pending, a plain script can exit in the middle of an await.
const holdEventLoop = setInterval(() => {}, 1 << 30);
const modelPath = await ensureTestModel('bench');
const dataDir = mkdtempSync(join(tmpdir(), 'enclave-bench-'));
const enclave = Enclave.open({ dataDir });
try {
  const engine = await enclave.engine.engine();
  console.log(`model: ${modelPath}\nbackend: ${engine.backend}, CPUs available: ${engine.cpuCount}, rounds: ${ROUNDS}, tokens per reply: ${MAX_TOKENS}`);
  // Phase 1, raw: the best thread count by a sweep, then the measured rounds. Phase 2, Enclave,
  // with that thread count. One model at a time: two models of one file in one llama.cpp
  // backend stalled node-llama-cpp 3.21.1 here.
  const rawModel = await engine.llama.loadModel({ modelPath });
  const threads = await rawBestThreads(rawModel);
  console.log(`best thread count (raw sweep): ${threads}`);
  const raw = await rawGeneration(rawModel, threads);
  await raw.run();
  const rawRuns: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) rawRuns.push(await raw.run());
  await raw.dispose();
  await rawModel.dispose();

  await enclave.engine.loadModel({ path: modelPath, threads, contextSize: 1024 });
  const ours = await enclaveGeneration(enclave);
  await ours();
  const ourRuns: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) ourRuns.push(await ours());
  await enclave.engine.unloadModel();

  const rawTps = median(rawRuns.map((r) => r.tokensPerSecond));
  const ourTps = median(ourRuns.map((r) => r.tokensPerSecond));
  const rawTtft = median(rawRuns.map((r) => r.ttftMs));
  const ourTtft = median(ourRuns.map((r) => r.ttftMs));

  const startup = await coreStartup();
  console.log('\n| path | tokens/s (median) | time to first token (median) |');
  console.log('|---|---|---|');
  console.log(`| raw node-llama-cpp, ${threads} thread(s) | ${rawTps.toFixed(1)} | ${rawTtft.toFixed(1)} ms |`);
  console.log(`| Enclave engine (chat service, persisted) | ${ourTps.toFixed(1)} | ${ourTtft.toFixed(1)} ms |`);
  console.log(`\nthroughput ratio Enclave/raw: ${(ourTps / rawTps).toFixed(3)} (target ≥ 0.95)`);
  console.log(`time to first token added: ${(ourTtft - rawTtft).toFixed(1)} ms`);
  console.log(`headless core: Enclave.open ${startup.openMs.toFixed(1)} ms, \`enclave serve\` ready in ${startup.processReadyMs.toFixed(0)} ms, idle RSS ${startup.idleRssMiB.toFixed(1)} MiB`);
} finally {
  await enclave.dispose();
  rmSync(dataDir, { recursive: true, force: true });
  clearInterval(holdEventLoop);
}
