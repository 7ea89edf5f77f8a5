import { beforeAll, describe, expect, test } from 'vitest';
import { PiiDetector } from '../../src-main/core/privacy/index';
import type { PiiType } from '../../src-main/core/privacy/index';

const detector = new PiiDetector();

// detectSync finds names and places only once the language model is loaded (detect loads it itself).
beforeAll(() => PiiDetector.loadLanguageAnalysis());

function found(text: string, type: PiiType) {
  return detector
    .detectSync(text, { structuredOnly: true })
    .filter((entity) => entity.type === type)
    .map((entity) => entity.text);
}

describe('EMAIL', () => {
  test.each([
    ['Write to priya.r@acmecorp.com today', 'priya.r@acmecorp.com'],
    ['<ngozi.adeyemi+billing@mail.example.co.uk>', 'ngozi.adeyemi+billing@mail.example.co.uk'],
    ['email=c.eze@lagosfintech.ng ip=1', 'c.eze@lagosfintech.ng']
  ])('finds %j', (text, email) => {
    expect(found(text, 'EMAIL')).toEqual([email]);
  });

  test.each(['user@localhost', '@handle on social', 'a@b', 'john@ example.com', 'x@y.c'])('ignores %j', (text) => {
    expect(found(text, 'EMAIL')).toEqual([]);
  });
});

describe('PHONE', () => {
  test.each([
    ['call me on +44 20 4260 6534 tomorrow', '+44 20 4260 6534'],
    ['Callback: (617) 555-0199', '(617) 555-0199'],
    ['cell 415-555-0132', '415-555-0132'],
    ['Mi móvil es +34 614 66 41 09.', '+34 614 66 41 09'],
    ['Mon portable : 06 19 08 95 33', '06 19 08 95 33'],
    ['next of kin, 07894 843895', '07894 843895'],
    ['0049 30 75195229', '0049 30 75195229']
  ])('finds %j', (text, phone) => {
    expect(found(text, 'PHONE')).toEqual([phone]);
  });

  test.each([
    'Order 4155550100 shipped',
    'released on 2024-05-14 10:00',
    'version 1.2.3.4',
    '192.168.1.1',
    'Invoice 2024-0481 paid',
    '+1 555 0000 00000000'
  ])('ignores %j', (text) => {
    expect(found(text, 'PHONE')).toEqual([]);
  });

  test('uses the configured default region for national numbers', () => {
    const german = new PiiDetector({ defaultPhoneRegion: 'DE' });
    const text = 'Ruf an: 030 75195229';
    expect(german.detectSync(text, { enabledTypes: ['PHONE'] }).map((entity) => entity.text)).toEqual(['030 75195229']);
  });
});

describe('CREDIT_CARD', () => {
  test.each([
    ['card 4111 1111 1111 1111 exp 12/27', '4111 1111 1111 1111'],
    ['pan=5198046854992439 amount', '5198046854992439'],
    ['Amex 3782 822463 10005.', '3782 822463 10005'],
    ['Card: 6011-8100-9140-4851', '6011-8100-9140-4851']
  ])('finds %j', (text, card) => {
    expect(found(text, 'CREDIT_CARD')).toEqual([card]);
  });

  test.each(['4111 1111 1111 1112', 'order 4421789367345406', '1234567812345670', '4111-1111 1111-1111', '4111 11111 1111 111'])(
    'ignores Luhn-invalid, unknown-issuer or oddly grouped %j',
    (text) => {
      expect(found(text, 'CREDIT_CARD')).toEqual([]);
    }
  );
});

describe('IBAN', () => {
  test.each([
    ['IBAN: DE89 3704 0044 0532 0130 00 EUR', 'DE89 3704 0044 0532 0130 00'],
    ['to GB97BARC08423916312021.', 'GB97BARC08423916312021'],
    ['my iban is nl67 ingb 4263 3544 54', 'nl67 ingb 4263 3544 54']
  ])('finds %j', (text, iban) => {
    expect(found(text, 'IBAN')).toEqual([iban]);
  });

  test.each(['DE88 3704 0044 0532 0130 00', 'XX89 3704 0044 0532 0130 00', 'DE89 3704 0044 0532 0130'])('ignores %j', (text) => {
    expect(found(text, 'IBAN')).toEqual([]);
  });
});

describe('NATIONAL_ID', () => {
  test.each([
    ['SSN 553-28-4468', '553-28-4468'],
    ['social security number: 432275493', '432275493'],
    ['NINO RY 95 75 63 B', 'RY 95 75 63 B'],
    ['NHS number 943 476 5919', '943 476 5919'],
    ['Steuer-ID: 34769180238', '34769180238'],
    ['sécurité sociale 2 86 07 31 742 897 31', '2 86 07 31 742 897 31'],
    ['DNI 45409804F', '45409804F'],
    ['NIE X-1234567-L', 'X-1234567-L'],
    ['Aadhaar 5269 8992 7158', '5269 8992 7158'],
    ['CPF 964.464.008-02', '964.464.008-02'],
    ['my SIN is 662 358 829', '662 358 829'],
    ['PPS number 8183761GA', '8183761GA']
  ])('finds %j', (text, id) => {
    expect(found(text, 'NATIONAL_ID')).toEqual([id]);
  });

  test.each([
    ['000-12-3456', 'area 000'],
    ['666-45-1234', 'area 666'],
    ['900-11-2222', 'area 9xx'],
    ['123-00-4567', 'group 00'],
    ['123-45-0000', 'serial 0000'],
    ['GB 12 34 56 A', 'NINO prefix GB'],
    ['DQ 12 34 56 A', 'NINO letter D'],
    ['NHS number 943 476 5918', 'NHS check digit'],
    ['Steuer-ID: 34769180239', 'tax ID check digit'],
    ['call 432275493', 'bare nine digits without SSN context'],
    ['DNI 45409804G', 'DNI letter'],
    ['CPF 964.464.008-03', 'CPF check digits'],
    ['5269 8992 7158', 'Aadhaar without context']
  ])('ignores %j (%s)', (text) => {
    expect(found(text, 'NATIONAL_ID')).toEqual([]);
  });
});

describe('IP_ADDRESS', () => {
  test.each([
    ['from 203.0.113.54 port 22', '203.0.113.54'],
    ['src=2001:db8:85a3::8a2e:370:7334 ok', '2001:db8:85a3::8a2e:370:7334'],
    ['peer fe80::1ff:fe23:4567:890a.', 'fe80::1ff:fe23:4567:890a'],
    ['host is 10.0.0.1.', '10.0.0.1']
  ])('finds %j', (text, ip) => {
    expect(found(text, 'IP_ADDRESS')).toEqual([ip]);
  });

  test.each([
    'version 1.2.3.4',
    'v10.0.0.1',
    'Build 4.18.2.1107',
    'APP_VERSION = "2.4.1.9"',
    '999.1.1.1',
    '1.2.3.4.5',
    'bind 0.0.0.0 and 127.0.0.1',
    'at 12:30:45',
    'std::vector',
    'mac 00:1A:2B:3C:4D:5E'
  ])('ignores %j', (text) => {
    expect(found(text, 'IP_ADDRESS')).toEqual([]);
  });
});

describe('MAC_ADDRESS', () => {
  test.each([
    ['mac=3c:22:fb:91:0a:4e', '3c:22:fb:91:0a:4e'],
    ['hw F0-18-98-3A-B2-C1', 'F0-18-98-3A-B2-C1'],
    ['cisco 001a.2b3c.4d5e', '001a.2b3c.4d5e']
  ])('finds %j', (text, mac) => {
    expect(found(text, 'MAC_ADDRESS')).toEqual([mac]);
  });

  test.each(['00:1A:2B:3C:4D', '00:1A-2B:3C:4D:5E', '1234.5678.9012'])('ignores %j', (text) => {
    expect(found(text, 'MAC_ADDRESS')).toEqual([]);
  });
});

describe('URL', () => {
  test('finds web URLs without trailing punctuation', () => {
    expect(found('See https://example.com/docs?page=2.', 'URL')).toEqual(['https://example.com/docs?page=2']);
    expect(found('(www.example.org/path)', 'URL')).toEqual(['www.example.org/path']);
  });

  test.each([
    'https://api.example.com/v1/reset?token=e3b0c44298fc1c149afbf4c8996fb924',
    'https://maps.googleapis.com/maps/api/js?key=AIzaMryoNdOvBQTXaaEC3Fg6xLDO5wV7SFWoebd',
    'postgres://app:Tr0ub4dor&3@db.internal:5432/prod',
    'https://hooks.slack.com/services/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'
  ])('reports a URL carrying a credential as a SECRET: %j', (url) => {
    expect(found(`url: ${url}`, 'SECRET')).toEqual([url]);
    expect(found(`url: ${url}`, 'URL')).toEqual([]);
  });

  test('keeps URLs with ordinary query parameters as URLs', () => {
    expect(found('https://example.com/search?q=token&page=10', 'URL')).toHaveLength(1);
  });
});

describe('SECRET', () => {
  test.each([
    ['OpenAI', 'key sk-proj-oSn9qpK2rztUxLjOMw20GdtWRW41ZayKJTXf8cuNb2yTh0rG', 'sk-proj-oSn9qpK2rztUxLjOMw20GdtWRW41ZayKJTXf8cuNb2yTh0rG'],
    [
      'Anthropic',
      'x-api-key: sk-ant-api03-kFqYrPXYZ6aBPIpARRZNxdh0mrBibfpSe7Mg4lA',
      'sk-ant-api03-kFqYrPXYZ6aBPIpARRZNxdh0mrBibfpSe7Mg4lA'
    ],
    ['AWS', 'AKIASGVOKVLMHKDR7WQ2 leaked', 'AKIASGVOKVLMHKDR7WQ2'],
    ['GitHub', 'token ghp_QIvBIecWrmjVaakT55mY2QCZY68BZXK3S7s9', 'ghp_QIvBIecWrmjVaakT55mY2QCZY68BZXK3S7s9'],
    [
      'GitHub fine-grained',
      'github_pat_wcp3TwlmiF4uBoRyt6g3MH_N4xQU1wrrMzzvNJFPVde',
      'github_pat_wcp3TwlmiF4uBoRyt6g3MH_N4xQU1wrrMzzvNJFPVde'
    ],
    ['Slack', 'xoxb-722018430198-5977896617364-4cCpHJ9ZbD5bn8wwXNsDB0Z1', 'xoxb-722018430198-5977896617364-4cCpHJ9ZbD5bn8wwXNsDB0Z1'],
    ['Stripe', 'sk_live_oQJFkjoERQFLGR0Ge4DrqZAI', 'sk_live_oQJFkjoERQFLGR0Ge4DrqZAI'],
    ['Google', 'AIzaMryoNdOvBQTXaaEC3Fg6xLDO5wV7SFWoebd', 'AIzaMryoNdOvBQTXaaEC3Fg6xLDO5wV7SFWoebd'],
    [
      'JWT',
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMDAwIn0.ohBi2u1WdIhTdxeZy7eYayi477HksScI0REIzKAuS3N',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMDAwIn0.ohBi2u1WdIhTdxeZy7eYayi477HksScI0REIzKAuS3N'
    ],
    ['env assignment', 'DB_PASSWORD=supersecret', 'supersecret'],
    ['quoted assignment', 'const dbPassword = "%1Xc%aWXwEcx";', '%1Xc%aWXwEcx'],
    ['JSON', '{"password":"Qz7!vR2m#Lp9","host":"db"}', 'Qz7!vR2m#Lp9'],
    ['YAML', 'client_secret: 8f3a9c77e1b04d2c', '8f3a9c77e1b04d2c'],
    ['high-entropy key', 'signing key: TcMtgR9cBxA2Sz2F2VZ7fiIZdeXf5Yly3', 'TcMtgR9cBxA2Sz2F2VZ7fiIZdeXf5Yly3'],
    // A final "!" is kept: many passwords end in one, and redacting prose's "!" with them costs nothing
    ['stated password', 'my password is hunter2!', 'hunter2!']
  ])('finds a %s secret', (_provider, text, secret) => {
    expect(found(text, 'SECRET')).toEqual([secret]);
  });

  test('finds the body of a PEM private key', () => {
    const body =
      'MIIEowIBAAKCAQEAx7Yt3K9ZqH2mV1Lq8fW0pE5nR6cS4dT7uB1yA9gJ2kM3lN0o\nP5qR8sT1uV4wX7yZ0aB3cD6eF9gH2iJ5kL8mN1oP4qR7sT0uV3wX6yZ9aB2cD5eF';
    expect(found(`-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`, 'SECRET')).toEqual([body]);
    expect(found(`-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n\ntruncated`, 'SECRET')).toEqual([body]);
  });

  test.each([
    'max_tokens: 1024',
    'Passenger: John',
    'password: ${DB_PASSWORD}',
    'api_key = "<your-api-key>"',
    'SECRET_KEY=YOUR_SECRET_KEY_GOES_HERE',
    'authDomain: "demo-app.firebaseapp.com"',
    'the password is incorrect',
    'Failed password for invalid user admin',
    'monkey=bananas123',
    'token: ********',
    'primary key: id',
    'commit 9c5c09fc46715533af891090d663df67c89690e8'
  ])('ignores %j', (text) => {
    expect(found(text, 'SECRET')).toEqual([]);
  });
});

describe('DATE_OF_BIRTH', () => {
  test.each([
    ['DOB: 07/22/1961', '07/22/1961'],
    ['date of birth 14 February 1978', '14 February 1978'],
    ['(born 3 November 1952)', '3 November 1952'],
    ['born on May 4, 1966', 'May 4, 1966'],
    ['né le 12/03/1985 à Lyon', '12/03/1985'],
    ['Date of birth: 23.08.1975', '23.08.1975'],
    ['birthdate=1984-09-30', '1984-09-30']
  ])('finds %j', (text, date) => {
    expect(found(text, 'DATE_OF_BIRTH')).toEqual([date]);
  });

  test.each(['appointment on 07/22/2024', 'born in Lyon in 1985', 'May 4, 1966'])('ignores %j', (text) => {
    expect(found(text, 'DATE_OF_BIRTH')).toEqual([]);
  });
});

describe('ACCOUNT_NUMBER', () => {
  test.each([
    ['account number 0123456789', '0123456789'],
    ['Sort code 20-45-77', '20-45-77'],
    ['MRN: 00482913', '00482913'],
    ['Insurance member ID: XKP-4410-2298-07', 'XKP-4410-2298-07'],
    ['policy number is POL-88120456', 'POL-88120456']
  ])('finds %j', (text, number) => {
    expect(found(text, 'ACCOUNT_NUMBER')).toEqual([number]);
  });

  test.each(['order number 4482913307', 'account 2019', 'my account was locked', 'ticket 88213'])('ignores %j', (text) => {
    expect(found(text, 'ACCOUNT_NUMBER')).toEqual([]);
  });
});

describe('keyed values', () => {
  test('labels JSON, YAML and SQL values by their key', () => {
    const text = [
      '{"customer": {"firstName": "Zeynep", "lastName": "Kaya", "city": "Ankara"}, "name": "build-service"}',
      'city: Izmir',
      "INSERT INTO patients (name, dob, ssn) VALUES ('Abebe Bekele', '1971-08-14', '141-91-8563');"
    ].join('\n');
    const labelled = detector.detectSync(text).map((entity) => [entity.type, entity.text]);
    expect(labelled).toEqual(
      expect.arrayContaining([
        ['PERSON', 'Zeynep'],
        ['PERSON', 'Kaya'],
        ['LOCATION', 'Ankara'],
        ['LOCATION', 'Izmir'],
        ['PERSON', 'Abebe Bekele'],
        ['DATE_OF_BIRTH', '1971-08-14'],
        ['NATIONAL_ID', '141-91-8563']
      ])
    );
    expect(labelled.some(([, value]) => value === 'build-service')).toBe(false);
  });
});

describe('table columns', () => {
  test('labels CSV cells by their header', () => {
    const csv = 'id,first_name,last_name,city,dob\n1042,Emre,Yılmaz,Izmir,1990-01-02\n1043,"Kwame",Mensah,Accra,';
    const entities = detector.detectSync(csv).filter((entity) => entity.detector === 'tableColumn' || entity.type !== 'URL');
    const labelled = entities.map((entity) => [entity.type, entity.text]);
    expect(labelled).toEqual(
      expect.arrayContaining([
        ['PERSON', 'Emre'],
        ['PERSON', 'Yılmaz'],
        ['LOCATION', 'Izmir'],
        ['DATE_OF_BIRTH', '1990-01-02'],
        ['PERSON', 'Kwame'],
        ['PERSON', 'Mensah'],
        ['LOCATION', 'Accra']
      ])
    );
    expect(labelled.some(([, text]) => text === '1042' || text === 'id')).toBe(false);
  });

  test('reads Markdown tables', () => {
    const table = '| Name | Role |\n|------|------|\n| Sanne de Vries | Designer |\n| Callum MacLeod | Developer |';
    const names = detector
      .detectSync(table)
      .filter((entity) => entity.type === 'PERSON')
      .map((entity) => entity.text);
    expect(names).toEqual(['Sanne de Vries', 'Callum MacLeod']);
  });
});
