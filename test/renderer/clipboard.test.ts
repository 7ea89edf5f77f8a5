import { afterEach, describe, expect, it, vi } from 'vitest';
import { COPIED_FEEDBACK_MS, copyWithFeedback } from '../../src-renderer/lib/clipboard';

function stubClipboard(writeText: (text: string) => Promise<void>) {
  vi.stubGlobal('navigator', { clipboard: { writeText } });
}

describe('copyWithFeedback', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('says "copied" until COPIED_FEEDBACK_MS have passed', async () => {
    vi.useFakeTimers();
    const written: string[] = [];
    stubClipboard(async (text) => void written.push(text));
    const states: boolean[] = [];
    await copyWithFeedback('the payload', (copied) => states.push(copied));
    expect(written).toEqual(['the payload']);
    expect(states).toEqual([true]);
    vi.advanceTimersByTime(COPIED_FEEDBACK_MS - 1);
    expect(states).toEqual([true]);
    vi.advanceTimersByTime(1);
    expect(states).toEqual([true, false]);
  });

  it('says "not copied" at once, and nothing later, when the clipboard refuses', async () => {
    vi.useFakeTimers();
    stubClipboard(() => Promise.reject(new Error('denied')));
    const states: boolean[] = [];
    await copyWithFeedback('secret', (copied) => states.push(copied));
    vi.runAllTimers();
    expect(states).toEqual([false]);
  });
});
