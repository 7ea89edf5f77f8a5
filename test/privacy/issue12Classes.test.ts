import { beforeAll, describe, expect, test } from 'vitest';
import { PiiDetector } from '../../src-main/core/privacy/index';
import { found } from './foundTexts';

// Classes the detectors missed on independent text (project issue #12), each with examples written for these tests.
beforeAll(() => PiiDetector.loadLanguageAnalysis());

describe('PERSON in chat, tables and transcripts', () => {
  test.each([
    ['lower-case name after a chat cue', 'can u ping dariusz about the invoice', ['dariusz']],
    ['lower-case name before a verb', 'no idea, and ingrid said it was fine', ['ingrid']],
    ['lower-case name with diacritics after thanks', 'thanks, zoé', ['zoé']],
    ['given name alone after ask', 'ask Aminata, she has the keys', ['Aminata']],
    ['CSV "Surname, Given" cell', 'name,team\n"Horvat, Ivana",Ops\n"Nieminen, Aino",Ops', ['Horvat, Ivana', 'Nieminen, Aino']],
    ['table header "Surname, Given"', 'Surname, Given | Room\nKovačević, Dragan | 4B', ['Kovačević, Dragan']],
    [
      'Slavic and Nordic names with diacritics',
      'Forwarded to Grażyna Wróbel and Jørgen Kristensen.',
      ['Grażyna Wróbel', 'Jørgen Kristensen']
    ],
    ['West African name', 'The form was signed by Adwoa Frimpong on Monday.', ['Adwoa Frimpong']],
    ['South Asian name', 'Escalated to Meenakshi Chaturvedi yesterday.', ['Meenakshi Chaturvedi']],
    ['East Asian name', 'Results were sent to Yumiko Hasegawa.', ['Yumiko Hasegawa']]
  ])('%s', (_, text, names) => {
    expect(found(text, 'PERSON')).toEqual(names);
  });

  test('speaker lines of a meeting transcript', () => {
    const transcript =
      'Ifeanyi Okonkwo: Shall we begin?\nKatarzyna Zielińska: Yes, the figures are ready.\nIfeanyi Okonkwo: Go ahead.\nAction items: none';
    expect(found(transcript, 'PERSON')).toEqual(['Ifeanyi Okonkwo', 'Katarzyna Zielińska', 'Ifeanyi Okonkwo']);
  });

  test('attendee lists', () => {
    expect(found('Attendees: Timo Laine, Rekha Pillai and Søren Madsen', 'PERSON')).toEqual(['Timo Laine', 'Rekha Pillai', 'Søren Madsen']);
  });

  test.each([
    'Subject: budget\nDate: Friday\nLocation: room 4',
    'Company: Acme\nCodename: Heron\nDuration: 2 years',
    'did u see what happened with the build',
    'lunch w/ everyone at noon?',
    'Panel: CBC, CMP'
  ])('no person in %j', (text) => {
    expect(found(text, 'PERSON')).toEqual([]);
  });
});

describe('ACCOUNT_NUMBER: prefixed ids of people', () => {
  test.each([
    ['Employee ID: EMP-55120 starts Monday', 'EMP-55120'],
    ['the customer CUST-1100487 called twice', 'CUST-1100487'],
    ['staff badge SB88412 was deactivated', 'SB88412'],
    ['member no. GM-440291 renewed', 'GM-440291']
  ])('finds %j', (text, id) => {
    expect(found(text, 'ACCOUNT_NUMBER')).toEqual([id]);
  });

  test('id columns of tables', () => {
    expect(found('staff_id,role\nST-20441,nurse\nST-20442,porter', 'ACCOUNT_NUMBER')).toEqual(['ST-20441', 'ST-20442']);
  });

  test.each([
    'order ORD-448812 shipped',
    'see ticket INC-220914 for the customer',
    'build JOB-88121 failed',
    'row E-12 of the list',
    'the client sent HTTP2048 frames',
    'the payroll 2024-03-31 run',
    'client build CB-20231 was released'
  ])('ignores %j', (text) => {
    expect(found(text, 'ACCOUNT_NUMBER')).toEqual([]);
  });
});

describe('PHONE: national formats', () => {
  test.each([
    ['UK landline without a country code', 'ring the surgery on 01223 496 118', '01223 496 118'],
    ['French dotted pairs', 'tél. 04.78.62.19.44', '04.78.62.19.44'],
    ['German area code with a slash', 'Büro 089/12 34 56 7', '089/12 34 56 7'],
    ['US number with dots', 'text me at 212.736.4401', '212.736.4401'],
    ['E.164 without spaces', 'WhatsApp: +4915123456789', '+4915123456789']
  ])('%s', (_, text, phone) => {
    expect(found(text, 'PHONE')).toEqual([phone]);
  });

  test.each(['release 2.4.1.9 is out', 'dated 06.12.2024 in the log', 'version 1.22.333.4444'])('ignores %j', (text) => {
    expect(found(text, 'PHONE')).toEqual([]);
  });
});

describe('NATIONAL_ID: more formats and contexts', () => {
  test.each([
    ['SSN without separators', 'Her SSN on file is 536221874.', '536221874'],
    ['India PAN', 'PAN card: AKTPR4417L', 'AKTPR4417L'],
    ['Aadhaar after its name', 'Aadhaar number 2341 2341 2346', '2341 2341 2346'],
    ['NHS number with words between', 'NHS no. for the record: 943 476 5919', '943 476 5919'],
    ['Dutch BSN', 'BSN: 123456794', '123456794'],
    ['Polish PESEL', 'PESEL 85120312343', '85120312343'],
    ['Swedish personnummer', 'personnummer 870412-2202', '870412-2202'],
    ['Italian codice fiscale', 'codice fiscale RSSMRA85T10A562S', 'RSSMRA85T10A562S'],
    ['Singapore NRIC', 'NRIC S8712345F', 'S8712345F'],
    ['Norwegian fødselsnummer', 'fødselsnummer: 15038540047', '15038540047']
  ])('%s', (_, text, id) => {
    expect(found(text, 'NATIONAL_ID')).toEqual([id]);
  });

  test.each([
    'PESEL 85120312344',
    'the BSN in the letter is 123456795',
    'Aadhaar number 2341 2341 2347',
    'invoice 536221874',
    'NRIC S8712345A'
  ])('ignores invalid or unlabelled %j', (text) => {
    expect(found(text, 'NATIONAL_ID')).toEqual([]);
  });
});

describe('CREDIT_CARD read out in groups', () => {
  test.each([
    ['commas', 'the card is 5529, 0012, 3456, 7815 thanks', '5529, 0012, 3456, 7815'],
    ['words', 'it is 4917 6123 then 4512 3455', '4917 6123 then 4512 3455'],
    ['dashes as words', '6011 dash 1100 dash 9876 dash 5432', '6011 dash 1100 dash 9876 dash 5432']
  ])('%s', (_, text, card) => {
    expect(found(text, 'CREDIT_CARD')).toEqual([card]);
  });

  test('a grouped number that fails Luhn is not a card', () => {
    expect(found('codes 5529, 0012, 3456, 7816', 'CREDIT_CARD')).toEqual([]);
  });
});

describe('DATE_OF_BIRTH in tables and transcripts', () => {
  test.each([
    ['birth column', 'Name,Born\nAma Mensah,1988-07-30', '1988-07-30'],
    ['DOB column with a unit', 'id;DOB (dd/mm/yyyy)\n7;30/07/1988', '30/07/1988'],
    ['born on the …', 'she was born on the 2nd of June 1971', '2nd of June 1971'],
    ['spoken date', 'my date of birth is the twenty-first of October, nineteen ninety', 'twenty-first of October, nineteen ninety']
  ])('%s', (_, text, date) => {
    expect(found(text, 'DATE_OF_BIRTH')).toEqual([date]);
  });
});

describe('SECRET: passwords in prose', () => {
  test.each([
    ['my password is …', 'fyi my password is Marigold#42 until Friday', 'Marigold#42'],
    ['temporary password:', 'Your temporary password: Pq7-vT2x', 'Pq7-vT2x'],
    ['pw', 'wifi pw: lantern55', 'lantern55'],
    ['set to', 'I set the password to "Orbit!9" for now', 'Orbit!9']
  ])('%s', (_, text, secret) => {
    expect(found(text, 'SECRET')).toEqual([secret]);
  });

  test.each(['The password is required.', 'Your password was reset yesterday.', 'password policy: 12 characters'])('ignores %j', (text) => {
    expect(found(text, 'SECRET')).toEqual([]);
  });
});

describe('ADDRESS: UK house names, India, Japan', () => {
  test.each([
    [
      'UK house name',
      'Deliver to Ivy Cottage, Church Lane, Great Bardfield, Braintree CM7 4RQ please',
      'Ivy Cottage, Church Lane, Great Bardfield, Braintree CM7 4RQ'
    ],
    ['Indian address', 'Ship to No. 12, 2nd Cross, Jayanagar, Bengaluru - 560011.', 'No. 12, 2nd Cross, Jayanagar, Bengaluru - 560011'],
    ['Japanese, romanized', 'Office: 4-chome-2-8 Shibakoen, Minato-ku, Tokyo 105-0011', '4-chome-2-8 Shibakoen, Minato-ku, Tokyo 105-0011'],
    ['Japanese script', '住所は〒060-0001 北海道札幌市中央区北一条西2-1です', '〒060-0001 北海道札幌市中央区北一条西2-1']
  ])('%s', (_, text, address) => {
    expect(found(text, 'ADDRESS')).toEqual([address]);
  });
});

describe('ORGANIZATION: suffixes, practices and role words', () => {
  test.each([
    ['K.K.', 'Invoice from Hoshino Seiki K.K. attached.', 'Hoshino Seiki K.K.'],
    ['S.A.', 'Signed with Ribeira Alimentos S.A. in Porto.', 'Ribeira Alimentos S.A.'],
    ['practice', 'Registered at Elmfield Medical Practice since 2019.', 'Elmfield Medical Practice'],
    ['insurer', 'Our insurer Zephyrion rejected the claim.', 'Zephyrion'],
    ['works at', 'He works at Quantora now.', 'Quantora']
  ])('%s', (_, text, organization) => {
    expect(found(text, 'ORGANIZATION')).toEqual([organization]);
  });

  test.each(['She works at home on Fridays.', 'Our client Maria Lopez called.', 'The supplier was late again.'])(
    'no organisation in %j',
    (text) => {
      expect(found(text, 'ORGANIZATION')).toEqual([]);
    }
  );
});
