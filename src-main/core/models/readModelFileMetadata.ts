import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { GgufFileType, GgufInsights, readGgufFileInfo, type GgufFileInfo, type Llama } from 'node-llama-cpp';
import type { ModelFileMetadata } from '../shared/types';
import { InvalidModelFileError } from './errors';

const GGUF_MAGIC = 'GGUF';
/** Architectures whose models only embed (BERT family, encoders). */
const EMBEDDING_ARCHITECTURES = new Set(['bert', 'nomic-bert', 'nomic-bert-moe', 'jina-bert-v2', 'modern-bert', 't5encoder']);

export interface ParsedModelFile {
  metadata: ModelFileMetadata;
  info: GgufFileInfo;
  insights: GgufInsights;
}

/**
 * Reads a .gguf file's header (metadata and tensor descriptors) from disk only, never the network.
 * The file is untrusted: anything malformed becomes InvalidModelFileError with what was wrong.
 */
export async function parseModelFile(path: string, llama?: Llama): Promise<ParsedModelFile> {
  const sizeBytes = await fileSize(path);
  await assertMagic(path);
  let info: GgufFileInfo;
  let insights: GgufInsights;
  try {
    info = await readGgufFileInfo(path, {
      sourceType: 'filesystem',
      readTensorInfo: true,
      ignoreKeys: ['tokenizer.ggml.tokens', 'tokenizer.ggml.merges', 'tokenizer.ggml.token_type', 'tokenizer.ggml.scores']
    });
    insights = await GgufInsights.from(info, llama);
  } catch (error) {
    throw new InvalidModelFileError(path, `its header is malformed (${(error as Error)?.message ?? error})`);
  }
  assertComplete(path, sizeBytes, info, insights);
  return { metadata: describe(path, sizeBytes, info, insights), info, insights };
}

export async function readModelFileMetadata(path: string, llama?: Llama): Promise<ModelFileMetadata> {
  return (await parseModelFile(path, llama)).metadata;
}

function describe(path: string, sizeBytes: number, info: GgufFileInfo, insights: GgufInsights): ModelFileMetadata {
  const general = info.metadata?.general;
  const architecture = typeof general?.architecture === 'string' ? general.architecture : null;
  const parameterCount = safe(() => insights.totalParameters) || null;
  const archMetadata = architecture ? (info.architectureMetadata as Record<string, unknown> | undefined) : undefined;
  const pooling = archMetadata?.pooling_type;
  const embedding = (architecture !== null && EMBEDDING_ARCHITECTURES.has(architecture)) || (typeof pooling === 'number' && pooling > 0);
  return {
    fileName: basename(path),
    path,
    sizeBytes,
    name: typeof general?.name === 'string' ? general.name.slice(0, 200) : null,
    architecture,
    parameters:
      typeof general?.size_label === 'string' ? general.size_label.slice(0, 40) : parameterCount ? formatCount(parameterCount) : null,
    parameterCount,
    quantization: quantizationOf(general?.file_type) ?? quantizationFromName(basename(path)),
    contextLength: safe(() => insights.trainContextSize) ?? null,
    layers: safe(() => insights.totalLayers) ?? null,
    hasChatTemplate: typeof info.metadata?.tokenizer?.chat_template === 'string' && info.metadata.tokenizer.chat_template.length > 0,
    role: embedding ? 'embedding' : 'chat'
  };
}

/** A cut-off file can parse (the reader stops where the bytes end): its tensor count and size must add up. */
function assertComplete(path: string, sizeBytes: number, info: GgufFileInfo, insights: GgufInsights): void {
  const declared = Number(info.tensorCount);
  const read = info.tensorInfo?.length ?? 0;
  if (info.splicedParts === 1 && read < declared)
    throw new InvalidModelFileError(path, `it is incomplete: its header declares ${declared} tensors but describes only ${read}`);
  const expected = info.infoEndOffset !== undefined ? info.infoEndOffset + (safe(() => insights.modelSize) ?? 0) : null;
  if (info.splicedParts === 1 && expected !== null && sizeBytes < expected)
    throw new InvalidModelFileError(
      path,
      `it is incomplete: ${sizeBytes} of ${expected} bytes (the download was probably cut; download it again)`
    );
}

/** A getter over malformed metadata may throw; the field is then unknown. */
function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function quantizationOf(fileType: unknown): string | null {
  if (typeof fileType !== 'number') return null;
  const name = GgufFileType[fileType];
  return name ? name.replace(/^(MOSTLY|ALL)_/, '') : null;
}

function quantizationFromName(fileName: string): string | null {
  return (
    /(?:^|[-_.])((?:I?Q\d(?:_[0-9KSMLXS]+)*)|F16|BF16|F32)(?=[-_.]|$)/i.exec(fileName.replace(/\.gguf$/i, ''))?.[1]?.toUpperCase() ?? null
  );
}

export function formatCount(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${Math.round(count / 1e6)}M`;
  return `${Math.round(count / 1e3)}K`;
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new InvalidModelFileError(path, 'it is not a file');
    return info.size;
  } catch (error) {
    if (error instanceof InvalidModelFileError) throw error;
    throw new InvalidModelFileError(
      path,
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message
    );
  }
}

async function assertMagic(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    const magic = head.subarray(0, bytesRead).toString('latin1');
    if (magic !== GGUF_MAGIC)
      throw new InvalidModelFileError(
        path,
        `it does not start with "GGUF" (it starts with ${JSON.stringify(magic)}); choose a model in GGUF format`
      );
  } finally {
    await handle.close();
  }
}
