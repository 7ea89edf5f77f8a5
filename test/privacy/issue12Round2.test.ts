import { beforeAll, describe, expect, test } from 'vitest';
import { PiiDetector } from '../../src-main/core/privacy/index';
import { found } from './foundTexts';

// Second round of project issue #12's classes; the examples were written for these tests.
const detector = new PiiDetector();

beforeAll(() => PiiDetector.loadLanguageAnalysis());

describe('values read aloud in transcripts', () => {
  test('a card number read digit by digit in words', () => {
    const text = 'CALLER: four nine two nine, one one nine zero, four five four zero, seven six one four.';
    expect(found(text, 'CREDIT_CARD')).toEqual(['four nine two nine, one one nine zero, four five four zero, seven six one four']);
  });

  test('a phone number read in words after the question', () => {
    const text = 'AGENT: And the best number to reach you?\nCALLER: oh seven seven double oh, nine one eight three four two.';
    expect(found(text, 'PHONE')).toEqual(['oh seven seven double oh, nine one eight three four two']);
  });

  test('a member number read in words is an account number', () => {
    expect(found('my membership number is four four one eight two zero nine three', 'ACCOUNT_NUMBER')).toEqual([
      'four four one eight two zero nine three'
    ]);
  });

  test('an email address spelled with dot and at', () => {
    expect(found("It's ama dot boateng at yahoo dot co dot uk, thanks", 'EMAIL')).toEqual(['ama dot boateng at yahoo dot co dot uk']);
  });

  test.each([
    ['counting aloud', 'she counted one two three four five six seven eight and stopped'],
    ['an order number read out', 'Your order number is four four one eight two zero nine three.'],
    ['"at" and "dot" in prose', 'We met at the cafe and I drew a dot at the end of the line.']
  ])('no finding for %s', (_, text) => {
    expect(detector.detectSync(text).map((entity) => entity.type)).toEqual([]);
  });
});

describe('answers on the line after the question', () => {
  test('an SSN without separators answers the question before', () => {
    const text = '[00:02:30] Agent: Your social security number, no dashes is fine.\n[00:02:34] Mai: 512349876.';
    expect(found(text, 'NATIONAL_ID')).toEqual(['512349876']);
  });

  test('a date answers "when were you born?"', () => {
    const text = 'Agent: And when were you born?\nCaller: March 3rd, 1994.\nAgent: And the date of the accident?\nCaller: May 2nd, 2024.';
    expect(found(text, 'DATE_OF_BIRTH')).toEqual(['March 3rd, 1994']);
  });

  test('a form line whose birth date is filled in does not make the next date a birth date', () => {
    const text = 'D.O.B.: 02/11/1957\nADMITTED: 05/28/2024';
    expect(found(text, 'DATE_OF_BIRTH')).toEqual(['02/11/1957']);
  });

  test('nine digits after an unrelated question stay unlabelled', () => {
    expect(found('Agent: Which order is it?\nCaller: 512349876.', 'NATIONAL_ID')).toEqual([]);
  });
});

describe('names in chats and bookings', () => {
  test('a multicultural given name in a lower-case chat needs no cue', () => {
    const chat = 'radek: is the build green?\nivana: nope, grzegorz broke it again\nradek: ugh, cover for adebayo on friday then';
    expect(found(chat, 'PERSON')).toEqual(expect.arrayContaining(['grzegorz', 'adebayo']));
  });

  test('lower-case English words that are also names stay words, and prose is not a chat', () => {
    expect(found('dev: ping the server\nops: long queue, grant access later', 'PERSON')).toEqual([]);
    expect(found('We asked whether grzegorz is a valid test string.', 'PERSON')).toEqual([]);
  });

  test('Korean hyphenated and Icelandic given names are known', () => {
    expect(found('Thanks, Sigrún. Ask Jae-won about it.', 'PERSON')).toEqual(['Sigrún', 'Jae-won']);
  });

  test('airline "SURNAME/GIVEN MR" names', () => {
    expect(found('Passenger: WIŚNIEWSKA/AGNIESZKA MRS\nPassenger: OKAFOR/CHINEDU', 'PERSON')).toEqual([
      'WIŚNIEWSKA/AGNIESZKA',
      'OKAFOR/CHINEDU'
    ]);
    expect(found('Supports TCP/IP and AND/OR filters.', 'PERSON')).toEqual([]);
  });

  test('role labels of a booking form are not transcript speakers', () => {
    expect(found('Passenger: ADEYEMI/TOLU MS\nPassenger: ADEYEMI/KUNLE MR', 'PERSON')).not.toContain('Passenger');
  });
});

describe('national ids and places', () => {
  test('Czech rodné číslo with its slash, and without it after its name', () => {
    expect(found('Jan Novák, r.č. 790308/4563, Brno', 'NATIONAL_ID')).toEqual(['790308/4563']);
    expect(found('rodné číslo 8562151235', 'NATIONAL_ID')).toEqual(['8562151235']);
    expect(found('ratio 790308/4564 and 8562151236', 'NATIONAL_ID')).toEqual([]);
  });

  test('a month after "moved to" is not a place', () => {
    expect(found('The meeting moved to March 14 and then to Lisbon.', 'LOCATION')).toEqual(['Lisbon']);
  });
});

describe('passwords in prose', () => {
  test.each([
    ['what the password is for, then "is"', 'the wifi password for the flat is Tulsi#Garden42 if u need it', ['Tulsi#Garden42']],
    ['what the password is for, then a colon', 'password for the supplier portal: Kx9!mangrove (dont share)', ['Kx9!mangrove']]
  ])('%s', (_, text, secrets) => {
    expect(found(text, 'SECRET')).toEqual(secrets);
  });

  test('prose about passwords without a value', () => {
    expect(found('The password for the staging portal is in the vault. Reset the pin for the office: ask IT.', 'SECRET')).toEqual([]);
  });
});

describe('organisations by legal form or trade', () => {
  test.each([
    ['Croatian d.o.o.', 'Counsel: Babić & Partneri d.o.o. will reply.', ['Babić & Partneri d.o.o.']],
    ['Czech a.s.', 'Invoice from Moravia Strojírny a.s. attached.', ['Moravia Strojírny a.s.']],
    ['a hotel named by its trade', 'We stay at the Shinagawa Bay Hotel tonight.', ['Shinagawa Bay Hotel']],
    ['a prefixed hotel keeps its full name', 'Booked the Grand Hotel Europa for two nights.', ['Grand Hotel Europa']]
  ])('%s', (_, text, organizations) => {
    expect(found(text, 'ORGANIZATION')).toEqual(organizations);
  });
});

describe('Central European addresses', () => {
  test.each([
    [
      'Czech postcode with a space and a Prague district',
      'residing at Vinohradská 112, 130 00 Praha 3, and',
      ['Vinohradská 112, 130 00 Praha 3']
    ],
    ['Croatian street and postcode', 'Ured: Ilica 242, 10000 Zagreb.', ['Ilica 242, 10000 Zagreb']]
  ])('%s', (_, text, addresses) => {
    expect(found(text, 'ADDRESS')).toEqual(addresses);
  });

  test('a count and a year are not an address', () => {
    expect(found('Version 12, 2024 Edition and Chapter 3, 150 Pages', 'ADDRESS')).toEqual([]);
  });
});

describe('fields and account numbers', () => {
  test('form fields with their owner before them, and plural name fields', () => {
    const form = 'Applicant surname: Nakashima\nGiven names: Rie\nPatient DOB: 30/01/1996';
    expect(found(form, 'PERSON')).toEqual(['Nakashima', 'Rie']);
    expect(found(form, 'DATE_OF_BIRTH')).toEqual(['30/01/1996']);
  });

  test('hospital numbers and frequent flyer numbers with an airline code', () => {
    expect(found('hospital no. RX0448129, ward 4', 'ACCOUNT_NUMBER')).toEqual(['RX0448129']);
    expect(found('Frequent flyer no.: LO 4418 2093 71', 'ACCOUNT_NUMBER')).toEqual(['LO 4418 2093 71']);
  });

  test('a lower-case word after an account word is not a prefix', () => {
    expect(found('The policy for 2024 covers 12000 claims; account via 123456', 'ACCOUNT_NUMBER')).toEqual([]);
  });
});

describe('more names and addresses', () => {
  test.each([
    ['Yoruba given name after "with"', 'Drove out with Babajide to see the warehouse.', ['Babajide']],
    ['Icelandic given name opening a sentence', 'Also: Dagný says the gate code changed.', ['Dagný']],
    ['Finnish full name with a middle name', 'the estate of Hannu Kalevi Mäkelä, deceased', ['Hannu Kalevi Mäkelä']]
  ])('%s', (_, text, names) => {
    expect(found(text, 'PERSON')).toEqual(names);
  });

  test('a Finnish street with its staircase and flat', () => {
    expect(found('late of Mannerheimintie 42 B 7, 00260 Helsinki (henkilötunnus', 'ADDRESS')).toEqual([
      'Mannerheimintie 42 B 7, 00260 Helsinki'
    ]);
  });
});

test('a spoken run right after a word ending in a digit word still counts', () => {
  expect(found('call someone two zero seven nine four six one three eight two', 'PHONE')).toEqual([
    'two zero seven nine four six one three eight two'
  ]);
});
