import { existsSync, readFileSync } from 'node:fs';
import { copyFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { resourcePath } from '../paths';
import type { CatalogueEntry, MachineMemory, ModelFit } from '../shared/types';
import { CatalogueInvalidError, UnknownCatalogueEntryError } from './errors';
import { estimateFit } from './estimateFit';

const entrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/),
    name: z.string().min(1).max(200),
    role: z.enum(['chat', 'embedding']),
    sizeClass: z.enum(['small', 'medium', 'large']).nullable(),
    description: z.string().max(1000),
    // Plain http passes here; the download refuses it except to this machine (tests, a local mirror).
    uri: z.string().regex(/^(hf:|https?:\/\/)\S+$/, 'an hf: URI or https URL'),
    sizeBytes: z.number().int().positive(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
    license: z.string().max(200),
    parameters: z.string().max(40),
    contextLength: z.number().int().positive(),
    quantization: z.string().max(40),
    layers: z.number().int().positive(),
    kvBytesPerToken: z.number().int().positive()
  })
  .strict();
const catalogueSchema = z.object({
  about: z.string().optional(),
  updatedAt: z.string().max(40).nullable().optional(),
  entries: z.array(entrySchema).min(1).max(1000)
});

export type CatalogueRecord = z.infer<typeof entrySchema>;

/** The refreshed catalogue, kept in the data folder; the bundled one stays in resources/. */
export const USER_CATALOGUE_FILE = 'model-catalogue.json';
const BUNDLED_CATALOGUE = 'model-catalogue.json';
/** Compute buffers, roughly: a share of the weights, at least 128 MiB. */
const COMPUTE_BUFFER_SHARE = 0.05;
const MIN_COMPUTE_BUFFER = 128 * 2 ** 20;

/**
 * The recommended models: the bundled list, or the one last refreshed from a file. Needs no
 * network: fit is estimated from each entry's figures and this machine's memory.
 */
export class ModelCatalogue {
  private constructor(
    private readonly dataDir: string,
    private records: CatalogueRecord[],
    private updatedAtValue: string | null,
    private sourceValue: 'bundled' | 'file',
    /** Why a refreshed catalogue in the data folder was ignored, if it was. */
    readonly userFileError: string | null
  ) {}

  static load(dataDir: string, bundledFile = resourcePath(BUNDLED_CATALOGUE)): ModelCatalogue {
    const bundled = parseCatalogue(bundledFile, readFileSync(bundledFile, 'utf8'));
    const userFile = join(dataDir, USER_CATALOGUE_FILE);
    if (!existsSync(userFile)) return new ModelCatalogue(dataDir, bundled.entries, bundled.updatedAt ?? null, 'bundled', null);
    try {
      const user = parseCatalogue(userFile, readFileSync(userFile, 'utf8'));
      return new ModelCatalogue(dataDir, user.entries, user.updatedAt ?? null, 'file', null);
    } catch (error) {
      return new ModelCatalogue(dataDir, bundled.entries, bundled.updatedAt ?? null, 'bundled', (error as Error).message);
    }
  }

  get source(): 'bundled' | 'file' {
    return this.sourceValue;
  }

  get updatedAt(): string | null {
    return this.updatedAtValue;
  }

  get entries(): readonly CatalogueRecord[] {
    return this.records;
  }

  find(id: string): CatalogueRecord | undefined {
    return this.records.find((record) => record.id === id);
  }

  require(id: string): CatalogueRecord {
    const record = this.find(id);
    if (!record) throw new UnknownCatalogueEntryError(id);
    return record;
  }

  /** The entry whose file this is (by file name), if any. */
  findByFileName(fileName: string): CatalogueRecord | undefined {
    return this.records.find((record) => fileNameOf(record) === fileName);
  }

  /** Replaces the catalogue with `file` (validated first; a bad file changes nothing) and keeps a copy in the data folder. */
  async refresh(file: string): Promise<void> {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new CatalogueInvalidError(file, (error as Error).message);
    }
    const parsed = parseCatalogue(file, text);
    const target = join(this.dataDir, USER_CATALOGUE_FILE);
    await copyFile(file, `${target}.tmp`);
    await rename(`${target}.tmp`, target);
    this.records = parsed.entries;
    this.updatedAtValue = parsed.updatedAt ?? null;
    this.sourceValue = 'file';
  }

  /** An entry as the UI shows it: with its fit here, at `contextSize` (capped at the model's), and its local file. */
  describe(record: CatalogueRecord, machine: MachineMemory, contextSize: number, localFileId: string | null): CatalogueEntry {
    const { layers: _layers, kvBytesPerToken: _kv, ...entry } = record;
    return { ...entry, fileName: fileNameOf(record), fit: fitOf(record, machine, contextSize), localFileId };
  }

  /**
   * The chat model to suggest on first run: the largest that fits on the GPU with a fast or moderate
   * speed, else the largest that runs at a moderate speed on the CPU, else the smallest that fits at all.
   */
  recommend(machine: MachineMemory, contextSize: number): CatalogueRecord | null {
    const chat = this.records
      .filter((record) => record.role === 'chat')
      .map((record) => ({ record, fit: fitOf(record, machine, contextSize) }))
      .filter(({ fit }) => fit.verdict !== 'no');
    const bySizeDesc = [...chat].sort((a, b) => b.record.sizeBytes - a.record.sizeBytes);
    const pick =
      bySizeDesc.find(({ fit }) => fit.verdict === 'gpu' && fit.speedClass !== 'slow') ??
      bySizeDesc.find(({ fit }) => fit.speedClass === 'moderate' || fit.speedClass === 'fast') ??
      bySizeDesc.at(-1);
    return pick?.record ?? null;
  }
}

export function fileNameOf(record: Pick<CatalogueRecord, 'uri'>): string {
  const withoutBranch = record.uri.split('#')[0]!;
  return withoutBranch.slice(withoutBranch.lastIndexOf('/') + 1);
}

function fitOf(record: CatalogueRecord, machine: MachineMemory, contextSize: number): ModelFit {
  const context = Math.min(contextSize, record.contextLength);
  const kv = record.kvBytesPerToken * context;
  return estimateFit(
    {
      weightsBytes: record.sizeBytes,
      contextBytes: kv + Math.max(MIN_COMPUTE_BUFFER, record.sizeBytes * COMPUTE_BUFFER_SHARE),
      layers: record.layers,
      contextSize: context
    },
    machine
  );
}

function parseCatalogue(file: string, text: string): z.infer<typeof catalogueSchema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CatalogueInvalidError(file, `it is not JSON (${(error as Error).message})`);
  }
  const parsed = catalogueSchema.safeParse(json);
  if (!parsed.success) throw new CatalogueInvalidError(file, z.prettifyError(parsed.error));
  const ids = new Set<string>();
  for (const entry of parsed.data.entries) {
    if (ids.has(entry.id)) throw new CatalogueInvalidError(file, `the id "${entry.id}" appears twice`);
    ids.add(entry.id);
    if (!fileNameOf(entry).toLowerCase().endsWith('.gguf'))
      throw new CatalogueInvalidError(file, `"${entry.id}": the uri must name a .gguf file (hf:user/repo/file.gguf)`);
  }
  return parsed.data;
}
