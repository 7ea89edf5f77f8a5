/**
 * What does the HTTP API cost over calling the engine directly?
 *
 *   npx tsx scripts/bench/benchApi.ts [--rounds 15] [--tokens 128] [--requests 300]
 *
 * On the generated bench model (threads 1): streamed chat completions through the API (SSE over a
 * keep-alive connection to 127.0.0.1) and direct LocalModel.generateChat calls with the same prompt,
 * seed and length, interleaved (ABBA) over several rounds; medians of decode tokens/s and time to
 * first token. Then requests/s for a 1-token completion over keep-alive. The HTTP client runs in a
 * worker thread, as a real client runs in its own process: on the server's event loop it would
 * compete with the generation it is timing.
 * The ratio and the added latency are medians of per-round pairs (each API run against the direct
 * run next to it), which keeps a busy machine's bursts from landing on one side only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Enclave } from '../../src-main/core/Enclave';
import type { ChatTurn, LocalModel } from '../../src-main/core/engine/LocalModel';
import { startApiServer, type ApiServer } from '../../src-main/server';
import { ensureTestModel } from '../../test/support/writeTestModel';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    tokens: { type: 'string', default: '128' },
    requests: { type: 'string', default: '300' }
  }
});
const ROUNDS = Number(values.rounds);
const TOKENS = Number(values.tokens);
const REQUESTS = Number(values.requests);
const TURNS: ChatTurn[] = [{ role: 'user', content: 'Tell me a story about a fox who finds a lantern in the forest.' }];
const SAMPLING = { temperature: 0.8, seed: 1234 };

interface Run {
  ttftMs: number;
  tokensPerSecond: number;
  completionTokens: number;
  /** CPU time of the server's (this process's) main thread per generated token; absent off Linux. */
  mainThreadUsPerToken?: number;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Decode speed after the first token, measured the same way on both paths: token count over first-to-last chunk time. */
function toRun(startedAt: number, firstAt: number, lastAt: number, completionTokens: number): Run {
  return { ttftMs: firstAt - startedAt, tokensPerSecond: ((completionTokens - 1) * 1000) / (lastAt - firstAt), completionTokens };
}

/** CPU time of this process's main thread, in µs (Linux: schedstat, precise and blind to other processes' load). */
function mainThreadCpuUs(): number | null {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
  } catch {
    return null;
  }
}

/** Runs `measure` and adds the main thread's CPU time per generated token (the server's own cost shows here). */
async function withMainThreadCpu(measure: () => Promise<Run>): Promise<Run> {
  const before = mainThreadCpuUs();
  const run = await measure();
  const after = mainThreadCpuUs();
  return before === null || after === null ? run : { ...run, mainThreadUsPerToken: (after - before) / run.completionTokens };
}

async function direct(model: LocalModel): Promise<Run> {
  let firstAt = 0;
  let lastAt = 0;
  const startedAt = performance.now();
  const result = await model.generateChat(TURNS, {
    ...SAMPLING,
    maxTokens: TOKENS,
    onTextChunk: () => {
      lastAt = performance.now();
      firstAt ||= lastAt;
    }
  });
  return toRun(startedAt, firstAt, lastAt, result.metrics.completionTokens);
}

/**
 * The HTTP client, in plain JavaScript for a worker thread: streams one chat completion and times it
 * with the same definitions as the direct path, or runs sequential 1-token completions.
 */
const CLIENT_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { Agent, request } = require('node:http');
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function post(url, token, body, onData) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      if (res.statusCode !== 200) reject(new Error('HTTP ' + res.statusCode));
      res.setEncoding('utf8');
      res.on('data', onData);
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
parentPort.on('message', async (job) => {
  try {
    if (job.kind === 'stream') {
      const startedAt = performance.now();
      let firstAt = 0, lastAt = 0, completionTokens = 0, buffer = '';
      await post(job.url, job.token, job.body, (chunk) => {
        const now = performance.now();
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\\n\\n')) >= 0) {
          const event = buffer.slice(6, end);
          buffer = buffer.slice(end + 2);
          if (event === '[DONE]') continue;
          const parsed = JSON.parse(event);
          if (parsed.choices[0] && parsed.choices[0].delta.content) { lastAt = now; firstAt = firstAt || now; }
          if (parsed.usage) completionTokens = parsed.usage.completion_tokens;
        }
      });
      parentPort.postMessage({ startedAt, firstAt, lastAt, completionTokens });
    } else {
      const startedAt = performance.now();
      for (let i = 0; i < job.count; i++) await post(job.url, job.token, job.body, () => {});
      parentPort.postMessage({ ms: performance.now() - startedAt });
    }
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
});
`;

class HttpClient {
  private readonly worker = new Worker(CLIENT_SOURCE, { eval: true });

  constructor(
    private readonly server: ApiServer,
    private readonly token: string,
    private readonly modelId: string
  ) {}

  async stream(): Promise<Run> {
    const body = JSON.stringify({
      model: this.modelId,
      messages: TURNS,
      max_tokens: TOKENS,
      ...SAMPLING,
      stream: true,
      stream_options: { include_usage: true }
    });
    const r = await this.ask<{ startedAt: number; firstAt: number; lastAt: number; completionTokens: number }>({
      kind: 'stream',
      url: `${this.server.url}/v1/chat/completions`,
      token: this.token,
      body
    });
    return toRun(r.startedAt, r.firstAt, r.lastAt, r.completionTokens);
  }

  /** Milliseconds for `count` sequential 1-token completions. */
  async tinyCompletions(count: number): Promise<number> {
    const body = JSON.stringify({ model: this.modelId, prompt: 'Hi', max_tokens: 1 });
    return (await this.ask<{ ms: number }>({ kind: 'tiny', url: `${this.server.url}/v1/completions`, token: this.token, body, count })).ms;
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }

  private ask<T>(job: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.worker.once('message', (reply: T & { error?: string }) => (reply.error ? reject(new Error(reply.error)) : resolve(reply)));
      this.worker.postMessage(job);
    });
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-bench-api-'));
  const enclave = Enclave.open({ dataDir });
  let client: HttpClient | undefined;
  try {
    const info = await enclave.engine.loadModel({ path: await ensureTestModel('bench'), threads: 1, contextSize: 1024 });
    const model = enclave.engine.requireModel();
    const server = await startApiServer(enclave, { port: 0 });
    const token = enclave.apiTokens.token();
    client = new HttpClient(server, token, model.id);
    const status = await enclave.engine.status();
    process.stderr.write(
      `bench model ${model.id} · ${status.backend} · ${info.threads} thread · ${TOKENS} tokens × ${ROUNDS} rounds per path\n`
    );

    // Warm up both paths (context, grammar-free sampler, sockets).
    await direct(model);
    await client.stream();

    const directRuns: Run[] = [];
    const apiRuns: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // ABBA: alternate which path goes first, so drift (thermal, caches) cancels out.
      const order = round % 2 === 0 ? (['direct', 'api'] as const) : (['api', 'direct'] as const);
      for (const path of order) {
        const run = await withMainThreadCpu(() => (path === 'direct' ? direct(model) : client!.stream()));
        if (run.completionTokens !== TOKENS) throw new Error(`${path} produced ${run.completionTokens} tokens, expected ${TOKENS}`);
        (path === 'direct' ? directRuns : apiRuns).push(run);
        process.stderr.write(
          `  round ${round + 1} ${path.padEnd(6)} ${run.tokensPerSecond.toFixed(1)} tok/s, first token ${run.ttftMs.toFixed(2)} ms, ` +
            (run.mainThreadUsPerToken === undefined ? '\n' : `main thread ${run.mainThreadUsPerToken.toFixed(0)} µs CPU/token\n`)
        );
      }
    }

    // Requests/s for the smallest useful request: one token, sequential, over one keep-alive connection.
    await client.tinyCompletions(20);
    const apiRequestsPerSecond = (REQUESTS * 1000) / (await client.tinyCompletions(REQUESTS));
    for (let i = 0; i < 20; i++) await model.generateCompletion('Hi', { maxTokens: 1, strictContext: true });
    const startedAt = performance.now();
    for (let i = 0; i < REQUESTS; i++) await model.generateCompletion('Hi', { maxTokens: 1, strictContext: true });
    const directCallsPerSecond = (REQUESTS * 1000) / (performance.now() - startedAt);

    const directTps = median(directRuns.map((r) => r.tokensPerSecond));
    const apiTps = median(apiRuns.map((r) => r.tokensPerSecond));
    const directTtft = median(directRuns.map((r) => r.ttftMs));
    const apiTtft = median(apiRuns.map((r) => r.ttftMs));
    const ttftAdded = median(apiRuns.map((r, i) => r.ttftMs - directRuns[i]!.ttftMs));
    const ratio = median(apiRuns.map((r, i) => r.tokensPerSecond / directRuns[i]!.tokensPerSecond));
    const cpuKnown = directRuns.every((r) => r.mainThreadUsPerToken !== undefined);
    const directBusy = cpuKnown ? median(directRuns.map((r) => r.mainThreadUsPerToken!)) : NaN;
    const apiBusy = cpuKnown ? median(apiRuns.map((r) => r.mainThreadUsPerToken!)) : NaN;
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

    const rows = [
      [
        'Decode tokens/s (median)',
        directTps.toFixed(1),
        apiTps.toFixed(1),
        `ratio ${ratio.toFixed(3)} (paired median)`,
        `≥ 0.95 (${verdict(ratio >= 0.95)})`
      ],
      [
        'Time to first token, ms (median)',
        directTtft.toFixed(2),
        apiTtft.toFixed(2),
        `+${ttftAdded.toFixed(2)} ms (paired median)`,
        `< 5 ms (${verdict(ttftAdded < 5)})`
      ],
      ...(cpuKnown
        ? [
            [
              'Main-thread CPU µs per token (median)',
              directBusy.toFixed(0),
              apiBusy.toFixed(0),
              `+${(apiBusy - directBusy).toFixed(0)} µs (${(((apiBusy - directBusy) / (1e6 / directTps)) * 100).toFixed(1)}% of a token's time)`,
              '—'
            ]
          ]
        : []),
      [
        `1-token completions/s (${REQUESTS} sequential, keep-alive)`,
        directCallsPerSecond.toFixed(0),
        apiRequestsPerSecond.toFixed(0),
        `${(1000 / apiRequestsPerSecond - 1000 / directCallsPerSecond).toFixed(2)} ms added per request`,
        '—'
      ]
    ];
    const header = ['Metric', 'Direct LocalModel', 'HTTP API (SSE)', 'Difference', 'Target'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
    process.stdout.write(
      `\nEnclave API benchmark · ${model.id} (${(info.sizeBytes / 1e6).toFixed(0)} MB F32) · ${status.backend}, 1 thread · ` +
        `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(1)} · Node ${process.version}\n` +
        `${TOKENS}-token streamed chat replies, ${ROUNDS} interleaved rounds per path; HTTP client in a worker thread\n\n` +
        [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') +
        '\n'
    );
    await server.close();
  } finally {
    await client?.close();
    await enclave.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
