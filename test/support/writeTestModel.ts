/**
 * Writes a real, tiny llama-architecture GGUF model with deterministic pseudo-random F32 weights,
 * so tests and benchmarks can drive node-llama-cpp end to end (load, tokenize, sample, stream,
 * grammar, embeddings) without downloading a model or committing binaries.
 *
 * The weights are random, so the output is gibberish, but it is *stable* gibberish:
 * - every token embedding has a large constant component in dimension 0, so after the final
 *   RMS norm the hidden state is dominated by a positive dimension 0;
 * - `output.weight` puts a very negative weight in column 0 for end/control tokens (`</s>`,
 *   `<|im_end|>`, `<|im_start|>`, `<s>`, `<unk>`) and for non-printable byte tokens.
 * So those tokens get logits ~80 below the rest: generation runs until `maxTokens` and emits
 * printable text, unless a grammar masks everything else and forces the end token.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GgufType, arr, bool, f32, str, u32, writeGguf } from './ggufWriter';
import type { GgufTensor, GgufValue } from './ggufWriter';

export interface TestModelOptions {
  /** PRNG seed for all weights. Default 1. */
  seed?: number;
  /** n_embd. Default 64. */
  embeddingLength?: number;
  /** Number of transformer blocks. Default 2. */
  layers?: number;
  /** Attention heads. Default 4. */
  headCount?: number;
  /** KV heads (GQA when < headCount). Default headCount / 2. */
  headCountKv?: number;
  /** FFN hidden size. Default 3 × embeddingLength. */
  feedForwardLength?: number;
  /** llama.context_length (trainContextSize). Default 2048. */
  contextLength?: number;
  /** Pad the vocabulary with synthetic pieces up to this size (bigger output matmul). Default: 709 built-in tokens. */
  vocabSize?: number;
  /** general.name. Default "Enclave Test Model". */
  name?: string;
}

export const TEST_MODEL_PRESETS = {
  /** ~0.19M params, 709 tokens, ~0.8 MB: loads in ~20 ms. */
  tiny: {},
  /** ~23M params, ~92 MB F32: for benchmarks that need measurable per-token cost. */
  bench: { embeddingLength: 512, layers: 6, headCount: 8, headCountKv: 4, feedForwardLength: 1536, vocabSize: 4096 }
} as const satisfies Record<string, TestModelOptions>;
export type TestModelPreset = keyof typeof TEST_MODEL_PRESETS;

/** Standard ChatML template (OpenHermes / Qwen style); node-llama-cpp maps it to ChatMLChatWrapper. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const WORDS = (
  'the of and to in is it you that he was for on are as with his they at be this have from or one had by ' +
  'word but not what all were we when your can said there use an each which she do how their if will up ' +
  'other about out many then them these so some her would make like him into time has look two more write ' +
  'go see number no way could people my than first water been call who its now find long down day did get ' +
  'come made may part hello world model local private data chat cloud text token file test name email phone ' +
  'address secret key user assistant system message answer question yes good new help please thank'
).split(' ');
const CAPITALIZED = ['The', 'I', 'A', 'It', 'Hello', 'We', 'You', 'This', 'Yes', 'No'];
const SUFFIXES = ['ing', 'ed', 'er', 'es', 'ly', 'tion', 'ment', 'ness', 'ful'];
const SP = '\u2581'; // SentencePiece space marker "▁"

/** llama_token_type values used in tokenizer.ggml.token_type. */
const TokenType = { Normal: 1, Unknown: 2, Control: 3, Byte: 6 } as const;
type TokenType = (typeof TokenType)[keyof typeof TokenType];

interface Vocab {
  tokens: string[];
  scores: number[];
  types: number[];
  /** Approximate logit offset per token (written into column 0 of output.weight). */
  bias: number[];
  imEnd: number;
}

function buildVocab(vocabSize: number | undefined): Vocab {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const bias: number[] = [];
  const seen = new Set<string>();
  const FORBID = -80;
  const add = (text: string, type: TokenType, b: number, score = 0): number => {
    if (seen.has(text)) return -1;
    seen.add(text);
    tokens.push(text);
    scores.push(score);
    types.push(type);
    bias.push(b);
    return tokens.length - 1;
  };
  add('<unk>', TokenType.Unknown, FORBID);
  add('<s>', TokenType.Control, FORBID);
  add('</s>', TokenType.Control, FORBID);
  for (let b = 0; b < 256; b++) {
    const hex = b.toString(16).toUpperCase().padStart(2, '0');
    const printable = (b >= 0x20 && b < 0x7f) || b === 0x0a;
    add(`<0x${hex}>`, TokenType.Byte, printable ? -2 : FORBID);
  }
  // Normal pieces: "▁", printable ASCII, then words with every prefix (SPM merges pairwise, so
  // each intermediate piece must exist for a whole word to be reachable).
  const pieces: string[] = [SP];
  for (let c = 0x21; c < 0x7f; c++) pieces.push(String.fromCharCode(c));
  pieces.push('é', 'ü', 'ñ');
  const withPrefixes = (w: string): string[] => Array.from(w, (_, i) => w.slice(0, i + 1));
  for (const w of [...WORDS, ...CAPITALIZED]) pieces.push(...withPrefixes(SP + w).slice(1));
  for (const s of SUFFIXES) pieces.push(...withPrefixes(s).slice(1));
  let rank = 0;
  for (const p of pieces) {
    if (add(p, TokenType.Normal, p.length > 2 ? 1.5 : 0, -rank) >= 0) rank++;
  }
  // Optional padding with synthetic (unreachable by the tokenizer, but sampleable) pieces.
  const target = (vocabSize ?? 0) - 2;
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let n = 27; tokens.length < target; n++) {
    let s = ''; // bijective base 26: 27 → "aa", 28 → "ab", …
    for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = letters[(k - 1) % 26]! + s;
    if (add(SP + s, TokenType.Normal, 0.5, -rank) >= 0) rank++;
    if (tokens.length < target && add(s, TokenType.Normal, 0.5, -rank) >= 0) rank++;
  }
  add('<|im_start|>', TokenType.Control, FORBID);
  const imEnd = add('<|im_end|>', TokenType.Control, FORBID);
  return { tokens, scores, types, bias, imEnd };
}

/** mulberry32 seeded from FNV-1a of `seed:tensorName`: each tensor is independent of the others. */
function rng(seed: number, name: string): () => number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}:${name}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values with standard deviation `std` (uniform on ±std·√3). */
function randomTensor(seed: number, name: string, n: number, std: number): Float32Array {
  const r = rng(seed, name);
  const out = new Float32Array(n);
  const a = std * Math.sqrt(3);
  for (let i = 0; i < n; i++) out[i] = (2 * r() - 1) * a;
  return out;
}

type Resolved = Required<Omit<TestModelOptions, 'vocabSize'>> & { vocabSize: number | undefined };

function resolveOptions(options: TestModelOptions | TestModelPreset = {}): Resolved {
  const o: TestModelOptions = typeof options === 'string' ? TEST_MODEL_PRESETS[options] : options;
  const embeddingLength = o.embeddingLength ?? 64;
  const headCount = o.headCount ?? 4;
  const r: Resolved = {
    seed: o.seed ?? 1,
    embeddingLength,
    layers: o.layers ?? 2,
    headCount,
    headCountKv: o.headCountKv ?? (headCount % 2 === 0 ? headCount / 2 : headCount),
    feedForwardLength: o.feedForwardLength ?? embeddingLength * 3,
    contextLength: o.contextLength ?? 2048,
    vocabSize: o.vocabSize,
    name: o.name ?? 'Enclave Test Model'
  };
  for (const [k, val] of Object.entries(r)) {
    if (typeof val === 'number' && !(Number.isInteger(val) && val >= (k === 'seed' ? 0 : 1))) throw new Error(`invalid ${k}: ${val}`);
  }
  const headDim = embeddingLength / headCount;
  if (!Number.isInteger(headDim) || headDim % 2 !== 0) throw new Error('embeddingLength / headCount must be an even integer');
  if (headCount % r.headCountKv !== 0) throw new Error('headCount must be a multiple of headCountKv');
  return r;
}

/** Writes the test model to `filePath` (overwriting). Same options → byte-identical file. */
export async function writeTestModel(
  filePath: string,
  options: TestModelOptions | TestModelPreset = {},
  { sparse = false }: { sparse?: boolean } = {}
): Promise<void> {
  const o = resolveOptions(options);
  const v = buildVocab(o.vocabSize);
  const E = o.embeddingLength;
  const V = v.tokens.length;
  const F = o.feedForwardLength;
  const headDim = E / o.headCount;
  const kvDim = headDim * o.headCountKv;

  // Residual stream = embedding (dim 0 = 1, other dims std EMB_STD) + small per-layer updates.
  // After the final RMS norm, dim 0 ≈ hn0 and other dims ≈ EMB_STD·hn0.
  const EMB_STD = 0.1;
  const RESIDUAL_SCALE = 0.02; // attn_output / ffn_down contribute ~2% of a unit vector per layer
  const LOGIT_STD = 2; // spread of logits among allowed tokens (sampling diversity)
  const hn0 = 1 / Math.sqrt((1 + (E - 1) * EMB_STD * EMB_STD) / E);
  const outStd = LOGIT_STD / (Math.sqrt(E - 1) * EMB_STD * hn0);

  const seed = o.seed;
  const ones = (n: number) => () => new Float32Array(n).fill(1);
  const rand = (name: string, rows: number, cols: number, std: number): GgufTensor => ({
    name,
    dims: [cols, rows],
    data: () => randomTensor(seed, name, rows * cols, std)
  });
  const tensors: GgufTensor[] = [
    {
      name: 'token_embd.weight',
      dims: [E, V],
      data: () => {
        const t = randomTensor(seed, 'token_embd.weight', E * V, EMB_STD);
        for (let i = 0; i < V; i++) t[i * E] = 1;
        return t;
      }
    }
  ];
  for (let l = 0; l < o.layers; l++) {
    const p = `blk.${l}.`;
    tensors.push(
      { name: `${p}attn_norm.weight`, dims: [E], data: ones(E) },
      rand(`${p}attn_q.weight`, E, E, 1 / Math.sqrt(E)),
      rand(`${p}attn_k.weight`, kvDim, E, 1 / Math.sqrt(E)),
      rand(`${p}attn_v.weight`, kvDim, E, 1 / Math.sqrt(E)),
      rand(`${p}attn_output.weight`, E, E, RESIDUAL_SCALE / Math.sqrt(E)),
      { name: `${p}ffn_norm.weight`, dims: [E], data: ones(E) },
      rand(`${p}ffn_gate.weight`, F, E, 1 / Math.sqrt(E)),
      rand(`${p}ffn_up.weight`, F, E, 1 / Math.sqrt(E)),
      rand(`${p}ffn_down.weight`, E, F, (2 * RESIDUAL_SCALE) / Math.sqrt(F))
    );
  }
  tensors.push(
    { name: 'output_norm.weight', dims: [E], data: ones(E) },
    {
      name: 'output.weight',
      dims: [E, V],
      data: () => {
        const t = randomTensor(seed, 'output.weight', E * V, outStd);
        for (let i = 0; i < V; i++) t[i * E] = v.bias[i]! / hn0;
        return t;
      }
    }
  );

  const metadata: Array<[string, GgufValue]> = [
    ['general.architecture', str('llama')],
    ['general.name', str(o.name)],
    ['general.file_type', u32(0)], // ALL_F32
    ['llama.context_length', u32(o.contextLength)],
    ['llama.embedding_length', u32(E)],
    ['llama.block_count', u32(o.layers)],
    ['llama.feed_forward_length', u32(F)],
    ['llama.rope.dimension_count', u32(headDim)],
    ['llama.rope.freq_base', f32(10000)],
    ['llama.attention.head_count', u32(o.headCount)],
    ['llama.attention.head_count_kv', u32(o.headCountKv)],
    ['llama.attention.layer_norm_rms_epsilon', f32(1e-5)],
    ['llama.vocab_size', u32(V)],
    ['tokenizer.ggml.model', str('llama')],
    ['tokenizer.ggml.tokens', arr(GgufType.STRING, v.tokens)],
    ['tokenizer.ggml.scores', arr(GgufType.FLOAT32, v.scores)],
    ['tokenizer.ggml.token_type', arr(GgufType.INT32, v.types)],
    ['tokenizer.ggml.bos_token_id', u32(1)],
    ['tokenizer.ggml.eos_token_id', u32(v.imEnd)],
    ['tokenizer.ggml.eot_token_id', u32(v.imEnd)],
    ['tokenizer.ggml.unknown_token_id', u32(0)],
    ['tokenizer.ggml.padding_token_id', u32(0)],
    ['tokenizer.ggml.add_bos_token', bool(true)],
    ['tokenizer.ggml.add_eos_token', bool(false)],
    ['tokenizer.chat_template', str(CHATML_TEMPLATE)]
  ];
  await writeGguf(filePath, metadata, tensors, { sparse });
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TEST_MODEL_CACHE_DIR = path.join(REPO_ROOT, '.cache', 'test-models');

let generatorSource: string | undefined;
/** The generator's own source: any edit to it changes every cache key, so stale files are never reused. */
function getGeneratorSource(): string {
  generatorSource ??= ['./writeTestModel.ts', './ggufWriter.ts']
    .map((f) => {
      try {
        return readFileSync(new URL(f, import.meta.url), 'utf8');
      } catch {
        return f; // bundled/compiled: fall back to the option hash alone
      }
    })
    .join('\0');
  return generatorSource;
}

/** Cache file name: readable dims + a hash of every resolved option and of the generator source. */
export function testModelFileName(options: TestModelOptions | TestModelPreset = {}): string {
  const o = resolveOptions(options);
  const hash = createHash('sha256').update(JSON.stringify(o)).update(getGeneratorSource()).digest('hex').slice(0, 10);
  return `enclave-test-model-e${o.embeddingLength}-l${o.layers}-s${o.seed}-${hash}.gguf`;
}

const pending = new Map<string, Promise<string>>();

/**
 * Returns the path of the cached test model for `options`, generating it on first use.
 * Safe across concurrent processes: each writes a private temp file and renames it into place.
 */
export function ensureTestModel(
  options: TestModelOptions | TestModelPreset = {},
  cacheDir: string = TEST_MODEL_CACHE_DIR
): Promise<string> {
  const target = path.join(cacheDir, testModelFileName(options));
  let p = pending.get(target);
  if (!p) {
    p = (async () => {
      if (await exists(target)) return target;
      await mkdir(cacheDir, { recursive: true });
      const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      try {
        await writeTestModel(tmp, options);
        await rename(tmp, target);
      } catch (err) {
        // Another process may have won the race (e.g. rename over an mmapped file on Windows).
        if (!(await exists(target))) throw err;
      } finally {
        await rm(tmp, { force: true });
      }
      return target;
    })();
    p.catch(() => pending.delete(target));
    pending.set(target, p);
  }
  return p;
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Copies the first `bytes` bytes of `src` to `dest` (for corrupt/truncated-model tests). */
export async function writeTruncatedCopy(src: string, dest: string, bytes: number): Promise<void> {
  const fh = await open(src, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    const out = await open(dest, 'w');
    try {
      await out.write(buf.subarray(0, bytesRead));
    } finally {
      await out.close();
    }
  } finally {
    await fh.close();
  }
}
