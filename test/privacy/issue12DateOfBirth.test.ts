import { describe, expect, test } from 'vitest';
import { PiiDetector } from '../../src-main/core/privacy/index';

// Dates of birth in the shapes issue #12 found missed: tables, forms, clinical formats and calls. Examples written for these tests.
const detector = new PiiDetector();

function datesOfBirth(text: string) {
  return detector.detectSync(text, { enabledTypes: ['DATE_OF_BIRTH'] }).map((entity) => entity.text);
}

describe('DATE_OF_BIRTH', () => {
  test.each([
    ['day-month-year of clinical systems', 'DOB 07-Nov-1961, seen in clinic', ['07-Nov-1961']],
    ['eight digits after a birth word', 'dob=19610711 ward=4B', ['19610711']],
    ['year first with dots', 'DOB - 1961.11.07', ['1961.11.07']],
    ['the value on the line after the label', 'Date of birth:\n07/11/1961', ['07/11/1961']],
    ['dot leaders of a printed form', 'Date of birth ........ 07/11/1961', ['07/11/1961']],
    ['a two-digit year after a month name', 'DOB is Nov 7 61', ['Nov 7 61']],
    [
      'a D.O.B. column of a Markdown table',
      '| Patient | D.O.B. |\n|---|---|\n| A | 07/11/1961 |\n| B | 21/02/1975 |',
      ['07/11/1961', '21/02/1975']
    ],
    ['a birth_dt column of a CSV export', 'id;birth_dt;team\n1;1961-11-07;ops\n2;1975-02-21;dev', ['1961-11-07', '1975-02-21']],
    [
      'a column of a fixed-width export',
      'Name              DOB          Ward\nTomasz Wrona      1961-11-07   4B\nIlse Brandtner    1975-02-21   2A',
      ['1961-11-07', '1975-02-21']
    ],
    ['a Portuguese label', 'Data de nascimento: 07/11/1961', ['07/11/1961']],
    ['a Japanese label and date', '生年月日：1961年11月7日', ['1961年11月7日']],
    ['a Turkish column', 'Ad;Soyad;Doğum tarihi\nAyşe;Kaya;07.11.1961\nEmre;Şahin;21.02.1975', ['07.11.1961', '21.02.1975']],
    [
      'an answer that starts with "sure"',
      'Agent: Can I take your date of birth?\nCaller: Sure, it is 7 November 1961.',
      ['7 November 1961']
    ],
    ['an answer read out as numbers', 'Agent: And your DOB?\nCaller: oh seven, eleven, sixty-one', ['oh seven, eleven, sixty-one']],
    [
      'a spoken day and two-digit year',
      'Agent: Date of birth please.\nCaller: Seventh of November, sixty-one.',
      ['Seventh of November, sixty-one']
    ]
  ])('%s', (_, text, expected) => {
    expect(datesOfBirth(text)).toEqual(expected);
  });

  test.each([
    ['eight digits without a birth word', 'order 19610711 shipped'],
    ['numbers read out without a birth question', 'Agent: How many units?\nCaller: three, four, twenty'],
    ['a date of an appointment', 'Appointment: 07/11/2026 at 10:30']
  ])('finds no date of birth in %s', (_, text) => {
    expect(datesOfBirth(text)).toEqual([]);
  });
});
