import { describe, expect, it } from 'vitest';
import { KNOWN_EXTENSIONS } from '../../src-main/core/documents/sniffFormat';
import { MAX_UPLOAD_BYTES } from '../../src-preload/contract';
import { coalesce } from '../../src-renderer/lib/coalesce';
import {
  DOCUMENT_EXTENSIONS,
  isDocumentFileName,
  isModelFileName,
  uploadBatches,
  uploadRefusal
} from '../../src-renderer/lib/documentFiles';

const MiB = 1024 * 1024;

describe('dropped and picked files in the renderer', () => {
  it('knows the same document extensions as the library', () => {
    expect([...DOCUMENT_EXTENSIONS].sort()).toEqual([...KNOWN_EXTENSIONS].sort());
    expect(isDocumentFileName('Report.PDF')).toBe(true);
    expect(isDocumentFileName('notes')).toBe(false);
    expect(isDocumentFileName('.md')).toBe(false);
    expect(isModelFileName('qwen.Q4_K_M.GGUF')).toBe(true);
    expect(isModelFileName('gguf.md')).toBe(false);
  });

  it('splits uploads into calls of at most 100 files and about 64 MiB, a bigger file alone', () => {
    const sizes = (batches: { size: number }[][]) => batches.map((batch) => batch.map((file) => file.size / MiB));
    expect(uploadBatches([])).toEqual([]);
    expect(
      sizes(uploadBatches([{ size: 30 * MiB }, { size: 30 * MiB }, { size: 30 * MiB }, { size: 100 * MiB }, { size: 1 * MiB }]))
    ).toEqual([[30, 30], [30], [100], [1]]);
    const small = Array.from({ length: 250 }, () => ({ size: 10 }));
    expect(uploadBatches(small).map((batch) => batch.length)).toEqual([100, 100, 50]);
  });

  it('refuses a file over the contract limit before reading it', () => {
    expect(uploadRefusal({ name: 'big.pdf', size: MAX_UPLOAD_BYTES + 1 })).toBe(
      'big.pdf is larger than the 256 MiB limit for a dropped file.'
    );
    expect(uploadRefusal({ name: 'fits.pdf', size: MAX_UPLOAD_BYTES })).toBeNull();
  });

  it('coalesces refreshes: one at a time, calls made during a run fold into one more', async () => {
    let runs = 0;
    let release!: () => void;
    const refresh = coalesce(async () => {
      runs += 1;
      if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = refresh();
    const second = refresh();
    const third = refresh();
    expect(runs).toBe(1);
    release();
    await Promise.all([first, second, third]);
    expect(runs).toBe(2);
    await refresh();
    expect(runs).toBe(3);
  });
});
