import { describe, expect, it } from 'vitest';
import { citedNumbers, findCitations } from '../../src-main/core/shared/citations';
import { excerptLocation, groundingSystemMessage } from '../../src-main/core/documents/groundingPrompt';

describe('citation parsing', () => {
  it('finds single, grouped and adjacent citations with their offsets', () => {
    const text = 'Costs rose [1]. Both agree [2, 3][1]; see also [3;2].';
    expect(findCitations(text, 3)).toEqual([
      { start: 11, end: 14, numbers: [1] },
      { start: 27, end: 33, numbers: [2, 3] },
      { start: 33, end: 36, numbers: [1] },
      { start: 47, end: 52, numbers: [3, 2] }
    ]);
    expect(citedNumbers(text, 3)).toEqual([1, 2, 3]);
  });

  it('ignores numbers that name no excerpt, links, reference definitions and placeholders', () => {
    const text = 'See [4] and [0], [1](https://example.com), [PERSON_1], [2a], [ 1 ] and\n[1]: https://x.example';
    expect(findCitations(text, 3)).toEqual([]);
    // A bracket is cited only when every number in it is an excerpt.
    expect(findCitations('[1, 9]', 3)).toEqual([]);
  });

  it('counts a repeated number once, in order of first appearance', () => {
    expect(citedNumbers('[2] then [1] then [2, 2]', 2)).toEqual([2, 1]);
  });
});

describe('grounding prompt', () => {
  it('numbers each excerpt with where it comes from, and holds nothing else of the documents', () => {
    const message = groundingSystemMessage([
      { n: 1, documentName: 'report.pdf', page: 3, headingPath: ['Results', 'Costs'], text: '  Costs rose 4%.  ' },
      { n: 2, documentName: 'notes.md', page: null, headingPath: [], text: 'Budget approved.' }
    ]);
    expect(message).toContain('[1] report.pdf, page 3, Results › Costs\nCosts rose 4%.');
    expect(message).toContain('[2] notes.md\nBudget approved.');
    expect(message).toMatch(/cite it by its number in square brackets/);
    expect(message.split('Excerpts:\n\n')[1]).toBe(
      '[1] report.pdf, page 3, Results › Costs\nCosts rose 4%.\n\n[2] notes.md\nBudget approved.'
    );
  });

  it('writes a location without the parts a format lacks', () => {
    expect(excerptLocation({ documentName: 'a.txt', page: null, headingPath: [] })).toBe('a.txt');
  });
});
