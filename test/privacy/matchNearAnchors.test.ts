import { describe, expect, test } from 'vitest';
import { matchNearAnchors } from '../../src-main/core/privacy/detection/matchNearAnchors';

describe('matchNearAnchors', () => {
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
    const found = matchNearAnchors(text, text.matchAll(/password|code/gi), [pattern], 'nextLine').map((match) => [
      match.index,
      match[0],
      match.indices!.groups!.value
    ]);

    expect(found).toEqual(expected);
    expect(found).toHaveLength(4);
  });

  test('a value that starts further than the line after its anchor is not looked for', () => {
    expect(
      matchNearAnchors('password\n\nKx92-hfq', 'password\n\nKx92-hfq'.matchAll(/password/gi), [/password\s+(\S+)/gi], 'nextLine')
    ).toEqual([]);
  });

  test('a block reach runs to the blank line after the anchor, as the rows under a table header', () => {
    const table = 'name,ssn\nAna,512349876\nBen,601227384\n\nlater 709112345';
    const found = matchNearAnchors(table, table.matchAll(/ssn/g), [/\d{9}/g], 'block').map((match) => match[0]);
    expect(found).toEqual(['512349876', '601227384']);
  });

  test('a text without the anchor costs no pattern scan and finds nothing', () => {
    expect(matchNearAnchors('nothing to see here\nat all', 'nothing to see here\nat all'.matchAll(/password/gi), [/./g], 'block')).toEqual(
      []
    );
  });
});
