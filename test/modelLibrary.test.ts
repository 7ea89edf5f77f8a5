import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Enclave } from '../src-main/core/Enclave';
import { estimateFit } from '../src-main/core/models/estimateFit';
import { ModelCatalogue } from '../src-main/core/models/ModelCatalogue';
import type { MachineMemory } from '../src-main/core/shared/types';
import { useTempDir } from './support/tempDir';
import { ensureTestModel, writeTruncatedCopy } from './support/writeTestModel';

const tempDir = useTempDir('enclave-library-');
let modelPath: string;
const open: Enclave[] = [];
const GiB = 2 ** 30;

function openEnclave(dataDir = tempDir()): Enclave {
  const enclave = Enclave.open({ dataDir, gpu: false });
  open.push(enclave);
  return enclave;
}

beforeAll(async () => {
  modelPath = await ensureTestModel();
});

afterEach(async () => {
  for (const enclave of open.splice(0)) await enclave.dispose();
});

describe('model files', () => {
  it('reads a GGUF header without loading it', async () => {
    const enclave = openEnclave();
    const metadata = await enclave.models.inspect(modelPath);
    expect(metadata).toMatchObject({
      architecture: 'llama',
      hasChatTemplate: true,
      contextLength: 2048,
      layers: 3,
      quantization: 'F32',
      role: 'chat'
    });
    expect(metadata.parameterCount).toBeGreaterThan(0);
  });

  it('answers malformed or truncated metadata with a clear error, and the core keeps working', async () => {
    const enclave = openEnclave();
    const dir = tempDir();
    for (const bytes of [3, 24, 200, 5000]) {
      const broken = join(dir, `broken-${bytes}.gguf`);
      await writeTruncatedCopy(modelPath, broken, bytes);
      await expect(enclave.models.inspect(broken)).rejects.toMatchObject({ code: 'INVALID_GGUF' });
    }
    // A broken file in the models folder is listed with its error (so it can be removed), not fatal.
    mkdirSync(enclave.models.dir, { recursive: true });
    await writeTruncatedCopy(modelPath, join(enclave.models.dir, 'half.gguf'), 200);
    copyFileSync(modelPath, join(enclave.models.dir, 'good.gguf'));
    const files = await enclave.models.list();
    expect(files.map((file) => [file.id, file.error === null])).toEqual([
      ['good', true],
      ['half', false]
    ]);
    await enclave.models.remove('half');
    expect((await enclave.models.list()).map((file) => file.id)).toEqual(['good']);
  });

  it('estimates a load with the chosen options, then loads by id with them and reports the memory used', async () => {
    const enclave = openEnclave();
    await enclave.models.import(modelPath, 'copy');
    const id = modelPath.slice(modelPath.lastIndexOf('/') + 1).replace(/\.gguf$/, '');
    const estimate = await enclave.models.estimate({ id }, { contextSize: 512, kvCacheType: 'q8_0' });
    expect(estimate).toMatchObject({ totalLayers: 3, trainContextSize: 2048, fit: { verdict: 'cpu', contextSize: 512 } });
    expect(estimate.fit.estimatedMemoryBytes).toBeGreaterThan(0);
    const info = await enclave.models.load({ id }, { contextSize: 512, batchSize: 128, kvCacheType: 'f16', flashAttention: true });
    // f16: the test model's 16-wide attention heads do not fit q8_0's 32-value blocks.
    expect(info).toMatchObject({ id, contextSize: 512, batchSize: 128, kvCacheType: 'f16' });
    expect(info.memory.ramBytes).toBeGreaterThan(0);
    await expect(enclave.models.load({ id: 'qwen2.5-7b-instruct-q4_k_m' })).rejects.toMatchObject({ code: 'UNKNOWN_MODEL_FILE' });
  });

  it('uses the models folder the settings name (absolute only)', async () => {
    const enclave = openEnclave();
    await expect(enclave.engine.updateSettings({ modelsDir: 'relative/models' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENTS' });
    const elsewhere = join(tempDir(), 'my-models');
    await enclave.engine.updateSettings({ modelsDir: elsewhere });
    const file = await enclave.models.import(modelPath, 'link');
    expect(file.path).toBe(join(elsewhere, file.fileName));
    expect(file.linked).toBe(true);
  });

  it('reloads the last model when a host starts', async () => {
    const dataDir = tempDir();
    const first = openEnclave(dataDir);
    await first.engine.loadModel({ path: modelPath });
    await first.dispose();
    open.splice(open.indexOf(first), 1);
    const second = openEnclave(dataDir);
    second.startHost({ warmUpDelayMs: 60_000 });
    const reloaded = await second.lastModelReload;
    expect(reloaded?.path).toBe(modelPath);
    expect(second.engine.loadedModel?.path).toBe(modelPath);
  });
});

describe('fit and recommendation', () => {
  const machine = (ramGiB: number, vramGiB: number): MachineMemory => ({
    backend: vramGiB > 0 ? 'cuda' : 'cpu',
    totalRamBytes: ramGiB * GiB,
    freeRamBytes: ramGiB * GiB,
    totalVramBytes: vramGiB * GiB,
    freeVramBytes: vramGiB * GiB
  });
  const needs = (weightsGiB: number) => ({ weightsBytes: weightsGiB * GiB, contextBytes: 0.5 * GiB, layers: 32, contextSize: 4096 });

  it('says GPU, CPU (partly offloaded or not) or no, with a speed class', () => {
    expect(estimateFit(needs(4), machine(16, 8))).toMatchObject({ verdict: 'gpu', speedClass: 'fast', gpuLayers: 32 });
    expect(estimateFit(needs(12), machine(32, 8))).toMatchObject({ verdict: 'cpu' });
    expect(estimateFit(needs(12), machine(32, 8)).gpuLayers).toBeGreaterThan(0);
    expect(estimateFit(needs(2), machine(16, 0))).toMatchObject({ verdict: 'cpu', speedClass: 'moderate', gpuLayers: 0 });
    expect(estimateFit(needs(40), machine(16, 0))).toMatchObject({ verdict: 'no', speedClass: null });
  });

  it('recommends the largest chat model that fits well, and none when nothing fits', () => {
    const catalogue = ModelCatalogue.load(tempDir());
    expect(catalogue.recommend(machine(64, 24), 4096)?.id).toBe('mistral-small-24b-instruct-2501-q4_k_m');
    expect(catalogue.recommend(machine(16, 8), 4096)?.sizeClass).toBe('medium');
    expect(catalogue.recommend(machine(8, 0), 4096)?.sizeClass).toBe('small');
    expect(catalogue.recommend(machine(1, 0), 4096)).toBeNull();
  });

  it('refuses a catalogue file that is not valid, keeping the current one', async () => {
    const dataDir = tempDir();
    const catalogue = ModelCatalogue.load(dataDir);
    const bad = join(dataDir, 'bad.json');
    (await import('node:fs')).writeFileSync(bad, JSON.stringify({ entries: [{ id: 'x' }] }));
    await expect(catalogue.refresh(bad)).rejects.toMatchObject({ code: 'CATALOGUE_INVALID' });
    expect(catalogue.source).toBe('bundled');
    expect(catalogue.entries.length).toBeGreaterThan(4);
  });
});
