import { describe, expect, it } from 'vitest';
import { packWindows } from '../../src-main/core/documents/tools/packWindows';

describe('packWindows', () => {
  it('packs passages in order into windows under the budget', () => {
    expect(packWindows(['aaaa', 'bbbb', 'cccc'], 10)).toEqual(['aaaa\n\nbbbb', 'cccc']);
    expect(packWindows(['aa', 'bb'], 100)).toEqual(['aa\n\nbb']);
  });

  it('splits a passage longer than the budget', () => {
    expect(packWindows(['abcdefghij'], 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('in a reduce step, always shrinks the list: passages are cut so two fit a window', () => {
    const parts = ['x'.repeat(50), 'y'.repeat(50), 'z'.repeat(50)];
    const windows = packWindows(parts, 40, { minPerWindow: 2 });
    expect(windows.length).toBeLessThan(parts.length);
    for (const window of windows) expect(window.length).toBeLessThanOrEqual(40);
  });
});
