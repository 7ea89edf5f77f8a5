import { describe, expect, test } from 'vitest';
import { matchInAnchoredLines } from '../../src-main/core/privacy/detection/matchInAnchoredLines';

describe('matchInAnchoredLines', () => {
  const text = [
    'intro line without the word',
    'the wifi password is Kx92-hfq!',
    'what is the door code?',
    'ines: 4471',
    'a PASSWORD: Tr0ub4dor at the end of a line',
    'filler',
    'password',
    'on the next line: Zq81-mmx'
  ].join('\n');
  const pattern = /(?<word>password|code)\b[^\n]{0,30}?[:?]?[ \t]*\r?\n?[^\n:]*?:?[ \t]*(?<value>[A-Z][\w!-]{3,}|\d{4})/dgiu;

  test('finds what a scan of the whole text finds, at the same places', () => {
    const expected = [...text.matchAll(pattern)].map((match) => [match.index, match[0], match.indices!.groups!.value]);
    const found = matchInAnchoredLines(text, /password|code/gi, [pattern]).map((match) => [
      match.index,
      match[0],
      match.indices!.groups!.value
    ]);

    expect(found).toEqual(expected);
    expect(found).toHaveLength(4);
  });

  test('a value that starts further than the line after its anchor is not looked for', () => {
    expect(matchInAnchoredLines('password\n\nKx92-hfq', /password/gi, [/password\s+(\S+)/gi])).toEqual([]);
  });

  test('a text without the anchor costs no pattern scan and finds nothing', () => {
    expect(matchInAnchoredLines('nothing to see here\nat all', /password/gi, [/./g])).toEqual([]);
  });
});
