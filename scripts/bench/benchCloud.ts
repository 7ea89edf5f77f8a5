/**
 * What does Enclave add to a cloud call? The router, the privacy gate (redaction, vault, restoring the
 * streamed reply) and the egress ledger, against the provider's own SDK calling the same server directly.
 *
 *   npx tsx scripts/bench/benchCloud.ts [--requests 60] [--reply-chars 2000]
 *
 * A loopback OpenAI-wire server (test/support/fakeProviders.ts) streams a reply of --reply-chars in
 * 4-character chunks. Three paths, interleaved request by request so drift hits all alike:
 *   raw      the official openai SDK, streaming, straight to the server
 *   off      Enclave's router → gate (privacy Off: no detection) → same SDK → ledger
 *   redact   the same with privacy Redact on a 2,000-character prompt holding names, emails and numbers
 * Medians of time to first token and total time per request, and the ratio of totals to raw.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import { Enclave } from '../../src-main/core/Enclave';
import { startFakeProvider } from '../../test/support/fakeProviders';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '60' }, 'reply-chars': { type: 'string', default: '2000' } }
});
const REQUESTS = Number(values.requests);
const REPLY = 'The lantern glowed as the fox padded through the ferns. '.repeat(100).slice(0, Number(values['reply-chars']));
const PROMPT = (
  'Please draft a reply to Margaret Okafor (margaret.okafor@example.com, +1 415 555 0134) about invoice 8841: ' +
  'her card 4111 1111 1111 1111 was charged twice on 3 March and she wants a refund to IBAN DE89 3704 0044 0532 0130 00. ' +
  'Our agent Tomasz Wiśniewski promised a call back. Keep it short and friendly, and mention the refund timeline. '
)
  .repeat(6)
  .slice(0, 2000);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Sample {
  ttftMs: number;
  totalMs: number;
}

async function main() {
  const fake = await startFakeProvider({ wire: 'openai', reply: () => REPLY, chunkDelayMs: 0 });
  const dataDir = mkdtempSync(join(tmpdir(), 'enclave-bench-cloud-'));
  const enclave = Enclave.open({ dataDir, gpu: false });
  try {
    await enclave.cloud.addProvider({ name: 'bench', kind: 'openai-compatible', baseUrl: fake.baseUrl });
    const raw = new OpenAI({ baseURL: fake.baseUrl, apiKey: 'none', maxRetries: 0 });
    // A new prompt each request, as in a chat: nothing is answered from the detection cache.
    let sequence = 0;
    const nextMessages = () => [{ role: 'user' as const, content: `${PROMPT.slice(0, 1980)} (ticket ${++sequence})` }];

    const viaRaw = async (): Promise<Sample> => {
      const start = performance.now();
      let first = 0;
      const stream = await raw.chat.completions.create({
        model: 'gpt-fake-1',
        messages: nextMessages(),
        stream: true,
        stream_options: { include_usage: true }
      });
      for await (const chunk of stream) if (!first && chunk.choices[0]?.delta.content) first = performance.now();
      return { ttftMs: first - start, totalMs: performance.now() - start };
    };
    const viaEnclave = (mode: 'off' | 'redact') => async (): Promise<Sample> => {
      const start = performance.now();
      let first = 0;
      await enclave.router.generate(
        {
          conversationId: null,
          requested: 'bench/gpt-fake-1',
          policy: null,
          privacyMode: mode,
          turns: nextMessages(),
          sampling: {},
          source: 'api'
        },
        { onTextChunk: () => (first ||= performance.now()) }
      );
      return { ttftMs: first - start, totalMs: performance.now() - start };
    };
    const paths = { raw: viaRaw, off: viaEnclave('off'), redact: viaEnclave('redact') };
    const samples: Record<keyof typeof paths, Sample[]> = { raw: [], off: [], redact: [] };

    for (const run of Object.values(paths)) for (let i = 0; i < 3; i++) await run(); // warm up
    for (let i = 0; i < REQUESTS; i++) {
      const order = (i % 2 ? ['redact', 'off', 'raw'] : ['raw', 'off', 'redact']) as (keyof typeof paths)[];
      for (const name of order) samples[name].push(await paths[name]());
    }

    const rawTotal = median(samples.raw.map((s) => s.totalMs));
    console.log(`cloud path overhead: ${REQUESTS} requests per path, ${REPLY.length}-char streamed reply, ${PROMPT.length}-char prompt`);
    console.log(`machine: ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`);
    for (const [name, list] of Object.entries(samples)) {
      const total = median(list.map((s) => s.totalMs));
      const ttft = median(list.map((s) => s.ttftMs));
      console.log(
        `${name.padEnd(7)} TTFT ${ttft.toFixed(2).padStart(7)} ms   total ${total.toFixed(2).padStart(7)} ms   ratio to raw ${(total / rawTotal).toFixed(3)}   added ${(total - rawTotal).toFixed(2)} ms`
      );
    }
    console.log(`ledger rows written: ${enclave.egressLedger.list().total}`);
  } finally {
    await enclave.dispose();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
