import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelFromFlags } from '../src-main/cli/options';
import { Enclave } from '../src-main/core/Enclave';
import { useTempDir } from './support/tempDir';
import { ensureTestModel } from './support/writeTestModel';

describe('--model on the command line', () => {
  const tempDir = useTempDir();

  it('takes a path relative to the working folder (the engine itself takes absolute paths only)', async () => {
    const modelPath = await ensureTestModel();
    const enclave = Enclave.open({ dataDir: tempDir(), gpu: false });
    try {
      const info = await loadModelFromFlags(enclave, relative(process.cwd(), modelPath), {}, 'usage');
      expect(info.path).toBe(modelPath);
    } finally {
      await enclave.dispose();
    }
  });
});
