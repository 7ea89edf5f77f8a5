import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StopStringFilter } from '../src-main/core/engine/StopStringFilter';

/** Where the reply ends: before the earliest occurrence of any stop string. */
function expectedCut(text: string, stops: string[]): { text: string; stopped: boolean } {
  const hits = stops
    .filter((stop) => stop)
    .map((stop) => text.indexOf(stop))
    .filter((index) => index >= 0);
  return hits.length ? { text: text.slice(0, Math.min(...hits)), stopped: true } : { text, stopped: false };
}

/** Streams `chunks` through a filter, as a generation would, and returns what it released. */
function stream(chunks: string[], stops: string[]) {
  const released: string[] = [];
  const filter = new StopStringFilter(stops, (text) => released.push(text));
  for (const chunk of chunks) {
    filter.push(chunk);
    if (filter.stopped) break;
  }
  filter.end();
  return { released, text: filter.text, stopped: filter.stopped };
}

/** `text` cut into pieces at the given positions. */
function split(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  return [0, ...points].map((start, i) => text.slice(start, points[i] ?? text.length)).filter((piece) => piece);
}

describe('StopStringFilter', () => {
  it('passes text through unchanged without stop strings', () => {
    expect(stream(['Hel', 'lo', ' world'], [])).toEqual({ released: ['Hel', 'lo', ' world'], text: 'Hello world', stopped: false });
  });

  it('holds back a tail that may start a stop string, and releases it when it does not', () => {
    const released: string[] = [];
    const filter = new StopStringFilter(['END'], (text) => released.push(text));
    filter.push('one E');
    expect(released).toEqual(['one ']);
    filter.push('N');
    expect(released).toEqual(['one ']);
    filter.push('d');
    expect(released).toEqual(['one ', 'ENd']);
    filter.push(' E');
    filter.end();
    expect(filter.text).toBe('one ENd E');
    expect(filter.stopped).toBe(false);
  });

  it('keeps the space before a stop string and drops everything from it on', () => {
    expect(stream(['Ye one fi wri', ' messa', ' time'], ['messa'])).toMatchObject({ text: 'Ye one fi wri ', stopped: true });
  });

  it('stops at the earliest occurrence, even when a longer stop string started first', () => {
    // "abcd" starts before "c" but never completes: the reply ends before "c".
    expect(stream(['ab', 'c', 'x'], ['abcd', 'c'])).toMatchObject({ text: 'ab', stopped: true });
    // "abcd" completes and starts first: the reply ends before it.
    expect(stream(['ab', 'c', 'd'], ['abcd', 'c'])).toMatchObject({ text: '', stopped: true });
  });

  it('releases, in any chunking, exactly the whole text cut before the first stop string (fuzzed)', () => {
    const alphabet = fc.constantFrom('a', 'b', ' ', 'é', '😀');
    const text = fc.array(alphabet, { maxLength: 30 }).map((chars) => chars.join(''));
    const stop = fc.array(alphabet, { minLength: 0, maxLength: 4 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(text, fc.array(stop, { maxLength: 3 }), fc.array(fc.nat(), { maxLength: 10 }), (whole, stops, cuts) => {
        const result = stream(split(whole, cuts), stops);
        const expected = expectedCut(whole, stops);
        expect(result.text).toBe(expected.text);
        expect(result.released.join('')).toBe(expected.text);
        expect(result.stopped).toBe(expected.stopped);
      }),
      { numRuns: 500, seed: 1313 }
    );
  });
});
