import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatMLChatWrapper, LlamaChatSession, getLlama, resolveChatWrapper } from 'node-llama-cpp';
import type { Llama, LlamaContext, LlamaModel } from 'node-llama-cpp';
import { ensureTestModel, testModelFileName, writeTestModel, writeTruncatedCopy } from './support/writeTestModel';

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
// Printable ASCII, newline, and the few non-ASCII letters that are whole tokens in the test vocab.
const PRINTABLE = /^[\x20-\x7e\néüñ]*$/;

let tmp: string;
let llama: Llama;
let model: LlamaModel;
let context: LlamaContext;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'enclave-test-model-'));
  llama = await getLlama({ gpu: false, maxThreads: 1 });
  model = await llama.loadModel({ modelPath: await ensureTestModel() });
  // Always pass threads explicitly: the default is ~100× slower on 2-CPU machines.
  context = await model.createContext({ contextSize: 1024, threads: 1 });
});

afterAll(async () => {
  await llama?.dispose();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('generated GGUF file', () => {
  it('is byte-identical for the same options and differs for another seed', async () => {
    const a = path.join(tmp, 'a.gguf');
    const b = path.join(tmp, 'b.gguf');
    const c = path.join(tmp, 'c.gguf');
    await Promise.all([writeTestModel(a), writeTestModel(b, { seed: 1 }), writeTestModel(c, { seed: 2 })]);
    expect(await sha256(a)).toBe(await sha256(b));
    expect(await sha256(a)).not.toBe(await sha256(c));
    expect(await sha256(a)).toBe(await sha256(await ensureTestModel()));
    expect(testModelFileName({ seed: 2 })).not.toBe(testModelFileName());
    expect(testModelFileName('bench')).toMatch(/^enclave-test-model-e512-l6-s1-[0-9a-f]{10}\.gguf$/);
  });

  it('is generated once when several processes race for the same cache entry', async () => {
    const cacheDir = path.join(tmp, 'race');
    const modulePath = fileURLToPath(new URL('./support/writeTestModel.ts', import.meta.url));
    const script =
      `const m = await import(${JSON.stringify(modulePath)});` +
      `console.log(await m.ensureTestModel({ seed: 5 }, ${JSON.stringify(cacheDir)}));`;
    const run = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: fileURLToPath(new URL('..', import.meta.url))
      });
    const results = await Promise.all([run(), run(), run()]);
    const paths = new Set(results.map((r) => r.stdout.trim()));
    expect(paths.size).toBe(1);
    const [modelPath] = [...paths];
    const expected = path.join(tmp, 'race-expected.gguf');
    await writeTestModel(expected, { seed: 5 });
    expect(await sha256(modelPath!)).toBe(await sha256(expected));
  });

  it('loads with the expected llama metadata', () => {
    const meta = model.fileInfo.metadata;
    expect(meta.general.architecture).toBe('llama');
    expect(model.trainContextSize).toBe(2048);
    expect(model.embeddingVectorSize).toBe(64);
    expect(model.fileInfo.version).toBe(3);
    expect(model.fileInfo.tensorInfo?.length).toBe(2 + 2 * 9 + 1);
    expect(model.tokens.bosString).toBe('<s>');
    expect(model.tokens.eosString).toBe('<|im_end|>');
    expect(model.isEogToken(model.tokens.eos!)).toBe(true);
  });

  it('writes truncated copies for the bad-file tests', async () => {
    // Loading them is the engine's test (test/engine.test.ts): handing a truncated file straight to
    // llama.cpp leaks a dispose guard in node-llama-cpp 3.21.1, and llama.dispose() then hangs.
    const src = await ensureTestModel();
    const truncated = path.join(tmp, 'truncated.gguf');
    await writeTruncatedCopy(src, truncated, Math.floor((await stat(src)).size / 2));
    expect((await stat(truncated)).size).toBe(Math.floor((await stat(src)).size / 2));
    expect((await readFile(truncated)).subarray(0, 4).toString('latin1')).toBe('GGUF');
  });
});

describe('tokenizer', () => {
  it('round-trips ASCII, accents and emoji, using word pieces and byte fallback', () => {
    const text = 'Hello world, this is a test. Café naïve — 😀 done!';
    const tokens = model.tokenize(text);
    expect(model.detokenize(tokens)).toBe(text);
    // Whole-word pieces exist, so text needs far fewer tokens than characters.
    expect(model.tokenize('hello world')).toHaveLength(2);
    expect(tokens.length).toBeLessThan([...text].length * 0.7);
    // The emoji has no piece of its own, so it must be spelled with byte tokens.
    const emoji = model.tokenize('😀', false, 'trimLeadingSpace');
    expect(emoji.filter((t) => model.getTokenAttributes(t).byte)).toHaveLength(4);
    expect(model.detokenize(emoji)).toBe('😀');
  });

  it('parses ChatML control tokens only when asked to', () => {
    const special = model.tokenize('<|im_start|>user\nhi<|im_end|>', true);
    expect(special[0]).toBe(model.tokenize('<|im_start|>', true)[0]);
    expect(special.at(-1)).toBe(model.tokens.eos);
    expect(model.tokenize('<|im_end|>', false)).not.toContain(model.tokens.eos);
  });
});

describe('chat', () => {
  it('resolves the ChatML chat template to the ChatML chat wrapper', () => {
    expect(resolveChatWrapper(model)).toBeInstanceOf(ChatMLChatWrapper);
    const sequence = context.getSequence();
    const session = new LlamaChatSession({ contextSequence: sequence });
    expect(session.chatWrapper.wrapperName).toBe('ChatML');
    session.dispose();
    sequence.dispose();
  });

  it.each([
    { seed: 1, temperature: 0.8 },
    { seed: 2, temperature: 1.5 },
    { seed: 3, temperature: 0 }
  ])('streams printable text until maxTokens (seed $seed, temperature $temperature)', async ({ seed, temperature }) => {
    const sequence = context.getSequence();
    const session = new LlamaChatSession({ contextSequence: sequence });
    const maxTokens = 150;
    const chunks: string[] = [];
    let tokenCount = 0;
    const result = await session.promptWithMeta('Hello, who are you?', {
      maxTokens,
      seed,
      temperature,
      onTextChunk: (chunk) => chunks.push(chunk),
      onToken: (tokens) => (tokenCount += tokens.length)
    });
    expect(result.stopReason).toBe('maxTokens');
    expect(tokenCount).toBe(maxTokens);
    expect(chunks.filter((c) => c !== '').length).toBeGreaterThan(maxTokens / 2);
    expect(chunks.join('')).toBe(result.responseText);
    expect(result.responseText).toMatch(PRINTABLE);
    session.dispose();
    sequence.dispose();
  });

  it('finishes when a JSON schema grammar forces the end token', async () => {
    const grammar = await llama.createGrammarForJsonSchema({
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 12 },
        mood: { enum: ['happy', 'sad', 'neutral'] },
        ok: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string', maxLength: 8 }, maxItems: 3 }
      }
    } as const);
    // No "integer" on purpose: node-llama-cpp's number grammar allows exponents ("403e3909"),
    // which random weights happily produce and which then fail validation as Infinity.
    const sequence = context.getSequence();
    const session = new LlamaChatSession({ contextSequence: sequence });
    for (const seed of [1, 2]) {
      const result = await session.promptWithMeta('Describe yourself as JSON.', {
        grammar,
        maxTokens: 400,
        seed,
        temperature: 0.8
      });
      expect(result.stopReason).not.toBe('maxTokens');
      const value = grammar.parse(result.responseText);
      expect(value.name.length).toBeLessThanOrEqual(12);
      expect(['happy', 'sad', 'neutral']).toContain(value.mood);
      expect(typeof value.ok).toBe('boolean');
      expect(Array.isArray(value.tags)).toBe(true);
      session.resetChatHistory();
    }
    session.dispose();
    sequence.dispose();
  });
});

describe('embeddings', () => {
  it('returns n_embd-sized vectors that differ between texts', async () => {
    const embedding = await model.createEmbeddingContext({ contextSize: 256, threads: 1 });
    try {
      const a = await embedding.getEmbeddingFor('hello world');
      const a2 = await embedding.getEmbeddingFor('hello world');
      const b = await embedding.getEmbeddingFor('my private data stays local');
      expect(a.vector).toHaveLength(64);
      expect(a.vector.every(Number.isFinite)).toBe(true);
      expect(a.vector).toEqual(a2.vector);
      expect(a.vector).not.toEqual(b.vector);
      expect(a.calculateCosineSimilarity(b)).toBeLessThan(0.99);
    } finally {
      await embedding.dispose();
    }
  });
});
