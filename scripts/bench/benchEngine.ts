// npm run bench: raw node-llama-cpp against Enclave's engine, in one run, on the same generated
// model and thread count; then the headless core's start time and idle memory.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LlamaChat, type ChatHistoryItem, type LlamaModel } from 'node-llama-cpp';
import { DEFAULT_SAMPLING } from '../../src-main/core/chat/ConversationStore';
import { Enclave } from '../../src-main/core/Enclave';
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
      return {
        ttftMs: (first ?? last) - start,
        tokensPerSecond: completionTokens > 1 && span > 0 ? ((completionTokens - 1) * 1000) / span : 0
      };
    }
  };
}

async function rawGeneration(model: LlamaModel, threads: number): Promise<{ run: () => Promise<Run>; dispose: () => Promise<void> }> {
  const context = await model.createContext({ contextSize: 1024, threads, sequences: 1 });
  const sequence = context.getSequence();
  const run = async () => {
    const chat = new LlamaChat({ contextSequence: sequence });
    const history: ChatHistoryItem[] = [
      { type: 'user', text: PROMPT },
      { type: 'model', response: [] }
    ];
    const clock = streamClock();
    let tokens = 0;
    await chat.generateResponse(history, {
      // The same sampling settings the Enclave conversation uses.
      maxTokens: MAX_TOKENS,
      temperature: 0,
      topP: DEFAULT_SAMPLING.topP,
      onToken: (chunk) => (tokens += chunk.length),
      onTextChunk: (text) => clock.onText(text)
    });
    chat.dispose({ disposeSequence: false });
    return clock.result(tokens);
  };
  return { run, dispose: () => context.dispose() };
}

/** The whole app path: ChatService builds the history, streams events and persists the reply. */
async function enclaveGeneration(enclave: Enclave): Promise<() => Promise<Run>> {
  const conversation = enclave.conversations.create({ sampling: { maxTokens: MAX_TOKENS, temperature: 0, contextSize: 1024 } });
  return async () => {
    // Each round answers one fresh prompt, like the raw path.
    enclave.conversations
      .get(conversation.id)
      .messages.slice(0, 1)
      .forEach((first) => enclave.conversations.truncateFrom(first.id));
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
    const child = spawn(process.execPath, [join(findAppRoot(), 'bin', 'enclave.js'), 'serve', '--port', '0', '--data-dir', dir], {
      stdio: ['ignore', 'pipe', 'inherit']
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('Press Ctrl+C to stop.') && resolve());
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
/** Each phase runs in a fresh process, so neither inherits the other's llama.cpp state or warm caches. */
async function runPhase<T>(phase: string, ...args: string[]): Promise<T> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--phase', phase, ...args], {
    stdio: ['ignore', 'pipe', 'inherit']
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`bench phase ${phase} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

async function phaseMain(phase: string, threads: number): Promise<unknown> {
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-bench-'));
  const enclave = Enclave.open({ dataDir });
  try {
    const engine = await enclave.engine.engine();
    if (phase === 'tune') {
      await enclave.engine.loadModel({ path: modelPath, threads: 1, contextSize: 1024 });
      const tuning = await enclave.engine.tuneThreads({ force: true });
      return { backend: engine.backend, cpuCount: engine.cpuCount, best: tuning.best, samples: tuning.samples };
    }
    let run: () => Promise<Run>;
    if (phase === 'raw') {
      const rawModel = await engine.llama.loadModel({ modelPath });
      run = (await rawGeneration(rawModel, threads)).run;
    } else {
      await enclave.engine.loadModel({ path: modelPath, threads, contextSize: 1024 });
      run = await enclaveGeneration(enclave);
    }
    await run();
    const runs: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) runs.push(await run());
    return runs;
  } finally {
    await enclave.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const modelPath = await ensureTestModel('bench');
const phaseIndex = process.argv.indexOf('--phase');
if (phaseIndex > 0) {
  const result = await phaseMain(process.argv[phaseIndex + 1]!, Number(process.argv[phaseIndex + 2] ?? 1));
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
} else {
  const tuning = await runPhase<{
    backend: string;
    cpuCount: number;
    best: number;
    samples: { threads: number; tokensPerSecond: number }[];
  }>('tune');
  console.log(
    `model: ${modelPath}\nbackend: ${tuning.backend}, CPUs available: ${tuning.cpuCount}, rounds: ${ROUNDS}, tokens per reply: ${MAX_TOKENS}`
  );
  for (const sample of tuning.samples)
    console.log(`  thread sweep: ${sample.threads} thread(s) ${sample.tokensPerSecond.toFixed(1)} tok/s`);
  const threads = tuning.best;
  // ABBA order, so warm-up effects (page cache, CPU clocks) do not favour either path.
  const rawRuns = await runPhase<Run[]>('raw', String(threads));
  const ourRuns = await runPhase<Run[]>('enclave', String(threads));
  ourRuns.push(...(await runPhase<Run[]>('enclave', String(threads))));
  rawRuns.push(...(await runPhase<Run[]>('raw', String(threads))));
  const rawTps = median(rawRuns.map((r) => r.tokensPerSecond));
  const ourTps = median(ourRuns.map((r) => r.tokensPerSecond));
  const rawTtft = median(rawRuns.map((r) => r.ttftMs));
  const ourTtft = median(ourRuns.map((r) => r.ttftMs));
  const startup = await coreStartup();
  console.log('\n| path | tokens/s (median) | time to first token (median) |');
  console.log('|---|---|---|');
  console.log(`| raw node-llama-cpp, ${threads} thread(s) | ${rawTps.toFixed(1)} | ${rawTtft.toFixed(1)} ms |`);
  console.log(`| Enclave (chat service: queue, events, SQLite) | ${ourTps.toFixed(1)} | ${ourTtft.toFixed(1)} ms |`);
  console.log(`\nthroughput ratio Enclave/raw: ${(ourTps / rawTps).toFixed(3)} (target ≥ 0.95)`);
  console.log(`time to first token added: ${(ourTtft - rawTtft).toFixed(1)} ms`);
  console.log(
    `headless core: Enclave.open ${startup.openMs.toFixed(1)} ms, \`enclave serve\` ready in ${startup.processReadyMs.toFixed(0)} ms, idle RSS ${startup.idleRssMiB.toFixed(1)} MiB`
  );
}
clearInterval(holdEventLoop);
