import { beforeAll, describe, expect, test } from 'vitest';
import { PiiDetector } from '../../src-main/core/privacy/index';
import { found } from './foundTexts';

// Phone and national-id classes the detectors missed on independent text (project issue #12), with examples written
// for these tests; numbers are libphonenumber-valid and ids pass their check digits.
beforeAll(() => PiiDetector.loadLanguageAnalysis());

describe('PHONE: national numbers read in the regions the text implies', () => {
  test.each([
    ['a country named in the text', 'the vendor in Poland is reachable on 512 811 874 most mornings', '512 811 874'],
    ['a country domain of an email', 'Giulia <giulia@studio.it>: cellulare 313 134 4967', '313 134 4967'],
    ['a country named in another language', 'Ahoj, jsem v Praze, Česko. Volej mi na 608 701 303', '608 701 303'],
    ['a trunk-prefixed mobile run next to a named country', 'moved back to France, 0612493490 is her mobile now', '0612493490'],
    ['French pairs with dashes', 'Bureau : 01-18-95-24-06', '01-18-95-24-06'],
    ['German area code with a slash and a compact number', 'Festnetz 02233/748510', '02233/748510'],
    ['Swedish layout', 'reach her on 070-146 24 37 after four', '070-146 24 37'],
    ['a compact number after "reach me on"', 'reach me on 07400625580 tonight', '07400625580'],
    ['a US number with dots', 'text 206.789.5414 when it arrives', '206.789.5414'],
    ['digits read out one by one after phone words', 'Caller: you can call me on 0 7 4 0 0 6 2 5 5 8 0', '0 7 4 0 0 6 2 5 5 8 0'],
    ['a compact number right after phone words', 'You can reach me on 612245431 tomorrow.', '612245431'],
    ['a table column named in another language', 'imie;telefon;miasto\nAgnieszka;513 100 624;Kraków', '513 100 624']
  ])('%s', (_, text, phone) => {
    expect(found(text, 'PHONE')).toEqual([phone]);
  });

  test.each([
    ['a year and a serial', 'Your order 2012-270408 has shipped.'],
    ['pairs that break the country layout', 'We logged 66 02 06 12 62 in the sheet.'],
    ['a batch number in a country-named text', 'Reach the depot in Germany about batch 9663 5722 7891.'],
    ['an amount with space separators', 'Kwota 512 811 874 zł do zapłaty'],
    ['an amount after a currency sign', 'Total: €1 234 567 due'],
    ['a reference number after "number"', 'My reference number is 2024-11-3381.'],
    ['a job number after "call"', 'Call the build farm about job 88120045 before Friday.'],
    ['a date and time', 'Exported 20131020 171716 by the nightly job'],
    ['a version and a dotted build', 'Version 10.4.12.3301, build 20250311.7'],
    ['digits one by one without phone words', 'Steps: 1 2 3 4 5 6 7 8 9 done']
  ])('no phone in %s', (_, text) => {
    expect(found(text, 'PHONE')).toEqual([]);
  });

  test('a country named in another part of a long text implies nothing about a number', () => {
    const number = '0612493490 is her mobile now';
    const filler = 'The quarterly review covers onboarding, billing and the reporting pipeline. '.repeat(40);
    expect(found(`moved back to France, ${number}`, 'PHONE')).toEqual(['0612493490']);
    expect(found(`moved back to France.\n\n${filler}\n\n${number}`, 'PHONE')).toEqual([]);
  });

  test('an order column next to a phone column keeps its numbers', () => {
    expect(found('name;tel;order_no\nAnna;+44 7700 900123;07400625580', 'PHONE')).toEqual(['+44 7700 900123']);
  });
});

describe('NATIONAL_ID: compact ids after their labels', () => {
  test.each([
    ['CPF without punctuation', 'CPF (somente números) 31820467139', '31820467139'],
    ['personnummer with the century and no separator', 'personnummer 199207224818', '199207224818'],
    ['SSN without separators', 'SSN (no dashes): 512349876', '512349876'],
    ['a CSV column header with underscores', 'full_name,social_security_number\nDaniel Kowalski,512349876', '512349876'],
    ['a Markdown table column', '| Patient | NHS Number |\n|---|---|\n| Thomas Hughes | 485 777 3457 |', '485 777 3457'],
    ['a PESEL column in a semicolon table', 'imie;numer_pesel\nAgnieszka;92051403819', '92051403819'],
    ['an SSN after "soc sec no"', 'soc sec no 512349876', '512349876'],
    ['a German social insurance number', 'Sozialversicherungsnummer: 15 070649 C 103', '15 070649 C 103'],
    ['a Polish NIP', 'NIP 123-456-32-18', '123-456-32-18'],
    ['an Australian Medicare number', 'Medicare number 2123 45670 1', '2123 45670 1']
  ])('%s', (_, text, id) => {
    expect(found(text, 'NATIONAL_ID')).toEqual([id]);
  });

  test.each([
    ['eleven digits without the CPF label', 'Pedido 31820467139 enviado'],
    ['twelve digits without the personnummer label', 'Order 199207224818 confirmed'],
    ['a personnummer label over digits that fail Luhn', 'personnummer 199207224819'],
    ['a column other than the one the header names', 'sku,batch_no,ssn_check_status\nA-100,512349876,pending'],
    ['a social insurance shape with a wrong check digit', 'Versicherungsnummer 15 070649 C 104'],
    ['NIP and Medicare shapes without their labels', 'Artikel 1234563218 und 2123 45670 1 im Lager']
  ])('no national id in %s', (_, text) => {
    expect(found(text, 'NATIONAL_ID')).toEqual([]);
  });
});
