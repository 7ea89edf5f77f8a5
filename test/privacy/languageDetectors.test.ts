import { beforeAll, describe, expect, test } from 'vitest';
import { PiiDetector } from '../../src-main/core/privacy/index';
import { found } from './foundTexts';

// detectSync finds names and places only once the language model is loaded (detect loads it itself).
beforeAll(() => PiiDetector.loadLanguageAnalysis());

describe('PERSON', () => {
  test.each([
    ['title', 'Please ask Dr. Amara Okafor to sign.', 'Amara Okafor'],
    ['title without period', 'Referral for Mr Chukwuemeka Eze today', 'Chukwuemeka Eze'],
    ['greeting', 'Hi Anna,\nthanks for the call.', 'Anna'],
    ['greeting with title', 'Dear Mr. Okonkwo,\nThank you.', 'Okonkwo'],
    ['sign-off', 'See you soon.\n\nBest regards,\nPriya Raghunathan\nSenior Engineer', 'Priya Raghunathan'],
    ['self-introduction', 'Hello, my name is Oluwadamilare Balogun and I need help.', 'Oluwadamilare Balogun'],
    ["I'm", "I'm Daniel Cohen and my order is late.", 'Daniel Cohen'],
    ['form field', 'Patient: KHALID AL-MANSOURI   MRN: 00482913', 'KHALID AL-MANSOURI'],
    ['relation', 'Seen with his daughter Layla today.', 'Layla'],
    ['possessive', "That is Fatima's laptop.", 'Fatima'],
    ['Chinese, family name first', 'Progress note for Zhang Wei, day 3.', 'Zhang Wei'],
    ['Vietnamese', 'Triage: Nguyen Van An, 72F, dizzy.', 'Nguyen Van An'],
    ['Spanish double surname', 'I, Alejandro Ruiz Castillo, authorise the transfer.', 'Alejandro Ruiz Castillo'],
    ['Slavic', 'Signed by Katarzyna Wiśniewska on Monday.', 'Katarzyna Wiśniewska'],
    ['Arabic with particle', 'Meeting with Abdullah bin Hamad at noon', 'Abdullah bin Hamad'],
    ['Irish apostrophe', "This is Siobhán O'Sullivan speaking.", "Siobhán O'Sullivan"],
    ['hyphenated', 'Customer Anna-Lena Krüger called.', 'Anna-Lena Krüger'],
    ['lower-case chat', 'hey its nguyen van an from class', 'nguyen van an'],
    ['chat speaker', '[10:02] layla: can someone cover my shift?', 'layla'],
    ['ambiguous name used as a name', 'lol Bill just texted me', 'Bill'],
    ["name before 'and I'", 'Grace and I are driving up.', 'Grace'],
    ['initial and surname', 'TRANSFER TO C MENDOZA', 'C MENDOZA'],
    ['email display name', 'On Tue, 4 Jun 2024, Seo-yeon Choi <seoyeon.choi@hanmail.net> wrote:', 'Seo-yeon Choi'],
    ['git author', 'Author: László Nagy <laszlo.nagy@protonmail.com>', 'László Nagy'],
    ['patient without colon', 'Pt Somchai Srisuk, 61M, hx T2DM', 'Somchai Srisuk'],
    ['coordination with the speaker', 'Rhys and I will be in Cardiff.', 'Rhys'],
    ['home directory', 'File "C:\\Users\\rafiqul.islam\\etl\\run.py", line 42', 'rafiqul.islam'],
    ['code annotation', '// TODO(mkowalski): remove before release', 'mkowalski'],
    ['transcript speaker', 'budi: send me the address\nme: 12 George St\nbudi: sweet', 'budi']
  ])('finds a name by %s', (_rule, text, name) => {
    expect(found(text, 'PERSON')).toContain(name);
  });

  test.each([
    'The May release includes the new billing page.',
    'Will the new schedule work for everyone?',
    'The bill for the venue is due Friday.',
    'Apple and Microsoft announced price changes.',
    'Jordan and Lebanon offices report strong growth.',
    'Dear Sir or Madam,',
    'Hi team,\nthe build is green.',
    'Best regards,\nCustomer Onboarding',
    'Kind regards,\nFront Desk',
    'The Will and Testament template renders headings correctly.',
    'Version 10.0.0.1 of the SDK is deprecated.',
    'Customer: EC1A 1BB',
    'i am writing to complain about the delay',
    'The Paris Agreement targets 1.5 degrees.',
    'Victoria Falls and Lake Victoria are in Africa.',
    'err.name = "AssertionError";',
    'Patient Portal is down again'
  ])('finds no name in %j', (text) => {
    expect(found(text, 'PERSON')).toEqual([]);
  });
});

describe('ADDRESS', () => {
  test.each([
    ['US', 'Ship to 1600 Pennsylvania Ave NW, Washington, DC 20500 by Friday.', '1600 Pennsylvania Ave NW, Washington, DC 20500'],
    [
      'US with suite',
      'at 455 Market Street, Suite 900, San Francisco, CA 94105 (Client)',
      '455 Market Street, Suite 900, San Francisco, CA 94105'
    ],
    ['UK', 'Lives at 10 Downing Street, London SW1A 2AA now.', '10 Downing Street, London SW1A 2AA'],
    ['UK flat', 'Flat 3, 88 Wilmslow Road, Manchester M20 3BY', 'Flat 3, 88 Wilmslow Road, Manchester M20 3BY'],
    ['German', 'Lieferung an Hauptstraße 5, 10115 Berlin bitte.', 'Hauptstraße 5, 10115 Berlin'],
    ['German two words', 'Mariahilfer Straße 77, 1060 Wien', 'Mariahilfer Straße 77, 1060 Wien'],
    ['French', "j'habite au 12 rue de la Paix, 75002 Paris.", '12 rue de la Paix, 75002 Paris'],
    ['Spanish', 'el piso en Calle de Alcalá 48, 28014 Madrid.', 'Calle de Alcalá 48, 28014 Madrid'],
    ['Canadian', 'I live at 90 Queen Street West, Toronto, ON M5H 2N2.', '90 Queen Street West, Toronto, ON M5H 2N2'],
    ['two lines', 'Mail it to\n1600 Pennsylvania Ave NW\nWashington, DC 20500\n', '1600 Pennsylvania Ave NW\nWashington, DC 20500']
  ])('finds a %s address', (_format, text, address) => {
    expect(found(text, 'ADDRESS')).toEqual([address]);
  });

  test.each(['We shipped 3 items on Main Street day.', 'Order 1600 was received', 'version 2 Road map'])(
    'finds no address in %j',
    (text) => {
      expect(found(text, 'ADDRESS')).toEqual([]);
    }
  );
});

describe('ORGANIZATION and LOCATION', () => {
  test('finds organisations by legal suffix and prefix', () => {
    const text = 'Agreement between Brightwater Analytics GmbH and Meridian Health Partners LLC, paid via Bank of Valletta.';
    expect(found(text, 'ORGANIZATION')).toEqual(['Brightwater Analytics GmbH', 'Meridian Health Partners LLC', 'Bank of Valletta']);
  });

  test('finds places by lexicon and context', () => {
    expect(found('She moved from Zagreb to Munich last year.', 'LOCATION')).toEqual(['Zagreb', 'Munich']);
    expect(found('Works as a driver in Pune.', 'LOCATION')).toEqual(['Pune']);
  });

  test('finds places named by their kind, whole', () => {
    expect(found('Victoria Falls and Lake Victoria', 'LOCATION')).toEqual(['Victoria Falls', 'Lake Victoria']);
    expect(found('stuck on MG Road traffic', 'LOCATION')).toEqual(['MG Road']);
    expect(found('We met near Hyde Park, then walked to Baker Street.', 'LOCATION')).toEqual(['Hyde Park', 'Baker Street']);
  });

  test('needs context for places that are also names', () => {
    expect(found('Jordan fixed the bug.', 'LOCATION')).toEqual([]);
    expect(found('They flew to Jordan in May.', 'LOCATION')).toEqual(['Jordan']);
  });
});
