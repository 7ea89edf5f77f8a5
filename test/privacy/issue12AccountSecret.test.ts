import { beforeAll, describe, expect, test } from 'vitest';
import { PiiDetector } from '../../src-main/core/privacy/index';
import { found } from './foundTexts';

// Account numbers, secrets and cards the detectors missed on independent text (project issue #12), with examples written for these tests.
beforeAll(() => PiiDetector.loadLanguageAnalysis());

describe('ACCOUNT_NUMBER: ids of people in logs, tables and prose', () => {
  test.each([
    ['a key in a log line', 'auth ok customer_id="CUST-220871" ip=10.0.0.4', 'CUST-220871'],
    ['a key=value pair', 'retry employee_id=EMP-40412 attempt=2', 'EMP-40412'],
    ['the owner\'s "ref"', 'Customer ref CUST-7781204 was charged twice', 'CUST-7781204'],
    ['a prefix that names its owner', 'User EMP-00123 logged in from the kiosk', 'EMP-00123'],
    ['"emp id" before digits', 'can u check emp id 48213 in the portal', '48213'],
    ['a one-letter prefix after its owner', 'Leave approved for the employee E-10482 today', 'E-10482'],
    ['a bare ID after the person', 'Patient: Ana Silva, ID: 4471820', '4471820'],
    ['a loyalty card number', 'Loyalty card: 6200 1188 4471', '6200 1188 4471'],
    ['"cust. no."', 'cust. no. 10092837 for the staff shop', '10092837']
  ])('%s', (_, text, id) => {
    expect(found(text, 'ACCOUNT_NUMBER')).toEqual([id]);
  });

  test('a Markdown "Member #" column', () => {
    const table = '| Member # | Name | Plan |\n|---|---|---|\n| MB-44120 | Sigrid Halvorsen | Gold |\n| MB-44121 | Thabo Nkosi | Silver |';
    expect(found(table, 'ACCOUNT_NUMBER')).toEqual(['MB-44120', 'MB-44121']);
  });

  test('"Acct #" and "Sort Code" columns', () => {
    const table = 'Name,Acct #,Sort Code\nOlumide Bakare,73849201,20-45-77';
    expect(found(table, 'ACCOUNT_NUMBER')).toEqual(['73849201', '20-45-77']);
  });

  test('two numbers under one label', () => {
    expect(found('Routing/account: 026009593 / 4839201175', 'ACCOUNT_NUMBER')).toEqual(['026009593', '4839201175']);
  });

  test('a number answered on the line after its question', () => {
    expect(found("AGENT: What's your customer number?\nCALLER: 2025550143", 'ACCOUNT_NUMBER')).toEqual(['2025550143']);
  });

  test('a national or social insurance number is not an insurance account', () => {
    expect(found('Social insurance number 046 454 286', 'ACCOUNT_NUMBER')).toEqual([]);
  });

  test('a routing number and account with their words', () => {
    expect(found('Routing number 121000358, account 4839201175.', 'ACCOUNT_NUMBER')).toEqual(['121000358', '4839201175']);
  });

  test.each([
    'Order ORD-558812 shipped; invoice INV-2024-0012; ticket TKT-44120',
    'SKU AB-12345, model XT-4471, build 20931, commit 3f2a9c1e',
    'request_id=REQ-20931 job=JOB-4471 version=3.12.0',
    'Customer: Bruno Costa, order ID 558812, transaction ID 99120345',
    'Customer satisfaction survey ID 55120 closed'
  ])('no account number in %j', (text) => {
    expect(found(text, 'ACCOUNT_NUMBER')).toEqual([]);
  });
});

describe('SECRET: passwords and PINs in prose, keys next to their ids', () => {
  test.each([
    ['a PIN in digits', 'his PIN is 4821 and it is rejected', ['4821']],
    ['a passcode with a colon', 'door passcode: 77412', ['77412']],
    ['an alarm code written after its word', 'alarm code 7719 (disarm within 30s)', ['7719']],
    ['a password straight after its word', 'online banking password Bluebell#1954, change it', ['Bluebell#1954']],
    ['a short word for the password', 'reset it, temp pw Kx92-hfq', ['Kx92-hfq']],
    ['letters with a capital inside', 'the wifi password is OrangeKettle', ['OrangeKettle']],
    ['a user name and password pair', 'Username / password: asilva / 9Gk!m2Lx', ['9Gk!m2Lx']],
    ['user:password after login', 'Router: login admin:S3cret!99 (change it)', ['S3cret!99']],
    ['a password in Polish', 'Hasło: Mleko#2024', ['Mleko#2024']],
    ['a password on the line after its label', 'Password:\nTq8vLm2Zx\nLogin time: 10:30', ['Tq8vLm2Zx']],
    ['a one-time code', 'the one-time code 482913 expires in ten minutes', ['482913']],
    ['the value before the word', 'use Xk92!mq as your password for now', ['Xk92!mq']],
    ['"… is the new wifi password"', 'btw Lumen-4471 is the new wifi password', ['Lumen-4471']],
    ['an answer on the next line', '[08:12] rahul: whats the password for the staging box?\n[08:13] femi: St4ging#Box', ['St4ging#Box']],
    ['one capitalised word after a verb', 'For the kiosk, the wifi password is Sunflower.', ['Sunflower']],
    [
      'a reset link with its token',
      'set it here: https://portal.example.com/reset-password?reset_token=9f8e7d6c5b4a3928 today',
      ['https://portal.example.com/reset-password?reset_token=9f8e7d6c5b4a3928']
    ],
    [
      'a Telegram bot URL',
      'bot: https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage',
      ['https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage']
    ],
    ['a made-up lower-case word', 'The password is xupogixu for the guest account.', ['xupogixu']],
    ['a password column of a user export', 'username,password,role\nakowalski,Zebra!Lamp9,admin', ['Zebra!Lamp9']],
    ['a password column in another language', 'Benutzer;Passwort\nmkeller;Sonne#2024', ['Sonne#2024']],
    ['a wireless network key', 'The Wi-Fi key is BlueMoon#88 and the guest network has none.', ['BlueMoon#88']],
    ['a WPA key after a colon', 'new wpa key: k8Rt-22pq-Vx (router in the hall)', ['k8Rt-22pq-Vx']],
    ['a key box code', 'Check-in from 15:00. The key box code is 4471.', ['4471']],
    ['an everyday noun stated as the password', 'the wifi password is sunflower. Enjoy!', ['sunflower']],
    ['a noun password before a conjunction', 'my password was monkey and now it is changed', ['monkey']],
    ['digits stated as a password', 'the one-time password for the first login is 48213901', ['48213901']],
    ['a verification code', 'Your verification code is 482913.', ['482913']],
    ['a purpose before "is"', 'the password for the shared drive is Bl@ckbird', ['Bl@ckbird']],
    [
      'a password in the userinfo of an ssh URL',
      'git clone ssh://deploy:Gh7-wq2Lp@git.internal.example:2222/app.git',
      ['ssh://deploy:Gh7-wq2Lp@git.internal.example:2222/app.git']
    ],
    ['a password in an SMB share URL', 'mount smb://ana:Pine2Cones@fs01/share first', ['smb://ana:Pine2Cones@fs01/share']],
    [
      'an AWS key pair on one line',
      'AWS: AKIAJ4TAKG55B7443DD3 / wVMPSIobFpU6EpN4dQJzEI66h+aJF//WFGNdC4Oq',
      ['AKIAJ4TAKG55B7443DD3', 'wVMPSIobFpU6EpN4dQJzEI66h+aJF//WFGNdC4Oq']
    ]
  ])('%s', (_, text, secrets) => {
    expect(found(text, 'SECRET')).toEqual(secrets);
  });

  test.each([
    'Your password is case-sensitive.',
    'The password (optional) can be set later.',
    'PIN entry is locked after 3 attempts.',
    'The password reset flow ships in v2.3; the PIN pad in 2024.',
    'the wifi password is written on the router',
    'login at 10:30 for the training; Login: 2024-05-02 10:11:03',
    'Users see "Username / password" fields; credentials are checked against LDAP.',
    "what's the password for the shared drive?\nask IT, it is in the vault",
    'This is the password manager we picked.',
    'The password is Password. Password: Required',
    'Docs: https://portal.example.com/help?topic=password-reset',
    'Passwords are stored hashed; the password is required on every visit.',
    'password: xxxxxxxx (set in the vault)',
    'clone ssh://git@github.com/acme/app.git and open file:///home/ana/notes.txt',
    'Your password is reset every 90 days.',
    'The password is stored in plaintext.',
    'the password is mine, not the team account',
    'user,password\nana,n/a\nben,not set\ncai,********',
    'Flight,Seat,Pass\nBA117,14C,Mobile pass',
    'Name,City,PIN\nRahul,Mumbai,400050',
    'Wi-Fi network: HarbourGuest (no network key needed).'
  ])('no secret in %j', (text) => {
    expect(found(text, 'SECRET')).toEqual([]);
  });
});

describe('CREDIT_CARD: issuers and groupings', () => {
  test.each([
    ['Maestro 50', 'Card number: 5018 5702 2217 9997', '5018 5702 2217 9997'],
    ['Maestro 63 without separators', 'card 6304109643424236 exp 04/26', '6304109643424236'],
    ['19 digits', 'card_number=6759072850261002055', '6759072850261002055'],
    ['dashes', 'card 6771-7256-7151-8088 was charged twice', '6771-7256-7151-8088']
  ])('%s', (_, text, card) => {
    expect(found(text, 'CREDIT_CARD')).toEqual([card]);
  });

  test.each(['tracking 6304 1096 4342 4237', 'EAN 4006381333931 on the box', 'ids 1234 5678 9012 3452'])('no card in %j', (text) => {
    expect(found(text, 'CREDIT_CARD')).toEqual([]);
  });
});
