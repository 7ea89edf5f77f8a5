import { beforeAll, describe, expect, test } from 'vitest';
import { PiiDetector } from '../../src-main/core/privacy/index';

// Given names from gender-detection-from-name's multi-culture lists (issue #12): names compromise does not know,
// and the everyday and foreign words among them that must stay unredacted. Examples written for these tests.
const detector = new PiiDetector();

beforeAll(() => PiiDetector.loadLanguageAnalysis());

function names(text: string) {
  return detector
    .detectSync(text)
    .filter((entity) => entity.type === 'PERSON')
    .map((entity) => entity.text);
}

describe('PERSON from the multi-culture given-name list', () => {
  test.each([
    ['a French given name alone mid-sentence', 'The slides went to Clémence this morning.', ['Clémence']],
    ['a West African given name alone', 'We asked Oluwaseun for the signed copy.', ['Oluwaseun']],
    ['a lower-case name that is no English word after a weak cue', 'can you forward the deck to ghislaine too?', ['ghislaine']],
    [
      'lower-case names without a cue in a speaker-labelled chat',
      'radek: ok\nvenkat: fine by me\nfolasade and babajide will cover the night shift',
      ['radek', 'venkat', 'folasade', 'babajide']
    ]
  ])('%s', (_, text, expected) => {
    expect(names(text)).toEqual(expected);
  });

  test.each([
    ['a foreign thank-you at the start of a line', 'Merci pour votre aide, à demain.'],
    ['a weekday abbreviation before a date', 'Thu, 14 March: deployment window opens.'],
    ['a framework after a preposition', 'The admin pages are built on Django and served by nginx.'],
    ['a park named after a word the list holds', 'The run starts near Hyde Park at nine.'],
    ['a lower-case English word that is also a given name', 'send the invoice to grace period billing']
  ])('finds no name in %s', (_, text) => {
    expect(names(text)).toEqual([]);
  });
});
