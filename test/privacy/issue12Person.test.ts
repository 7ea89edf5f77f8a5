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
    ],
    [
      'a full name no list knows, in English text',
      'The lease was countersigned by Gunnhild Bakketun on the same day.',
      ['Gunnhild Bakketun']
    ],
    [
      'a later mention of a name found once in full',
      'Welcome Aigerim Seitkali to the team! Aigerim starts on the data desk.',
      ['Aigerim Seitkali', 'Aigerim']
    ],
    [
      'no later mention carried over for a name that is also an everyday word',
      'Grace Okafor signed. Grace, as the saying goes, is a gift.',
      ['Grace Okafor']
    ],
    ['lower-case names in the register of chat, without a cue', 'lol sorry, nkechi fell asleep in the standup', ['nkechi']],
    [
      'a roster of "Surname, Given" lines',
      'Rota (week 9)\nKowalczyk, Bożena - nights\nDiallo, Mariama - days\nTran, Thi Lan | on call',
      ['Kowalczyk, Bożena', 'Diallo, Mariama', 'Tran, Thi Lan']
    ],
    [
      'upper-case speaker labels with a surname that is also a word of thanks',
      'YAW ASANTE: Is the truck loaded?\nMEI LING: Nearly.\nYAW ASANTE: Good.',
      ['YAW ASANTE', 'MEI LING', 'YAW ASANTE']
    ]
  ])('%s', (_, text, expected) => {
    expect(names(text)).toEqual(expected);
  });

  test.each([
    ['a foreign thank-you at the start of a line', 'Merci pour votre aide, à demain.'],
    ['a weekday abbreviation before a date', 'Thu, 14 March: deployment window opens.'],
    ['a framework after a preposition', 'The admin pages are built on Django and served by nginx.'],
    ['a park named after a word the list holds', 'The run starts near Hyde Park at nine.'],
    ['a lower-case English word that is also a given name', 'send the invoice to grace period billing'],
    ['a single "Surname, Given"-shaped line', 'Paris, France - offices open'],
    ['a bot account in a chat', 'deploy-bot: build 4812 passed\nci-bot: coverage 91%'],
    ['lower-case prose without the register of chat', 'the renderer calls ghislaine() before layout'],
    ['role labels of a call transcript', 'Dispatcher: Which entrance?\nRep: The north one.\nDispatcher: Sending a unit.\nRep: Thanks.'],
    ['capitalised nouns of German text', 'Bitte senden Sie die Rechnung an die Buchhaltung, danke für die schnelle Bearbeitung.'],
    ['product names made of English words', 'Deploy with Cloud Run and watch Error Reporting for new issues.'],
    ['lettered speaker tags', 'Speaker A: Ready?\nSpeaker B: Yes.\nSpeaker A: Go.']
  ])('finds no name in %s', (_, text) => {
    expect(names(text)).toEqual([]);
  });
});
