import { beforeAll, describe, expect, test } from 'vitest';
import { DetectionTimeoutError, PiiDetector, type DetectedEntity } from '../../src-main/core/privacy/index';

const detector = new PiiDetector();

// detectSync finds names and places only once the language model is loaded (detect loads it itself).
beforeAll(() => PiiDetector.loadLanguageAnalysis());

function repeatTo(unit: string, length: number) {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

function pseudoRandomCodeUnits(length: number) {
  let seed = 7;
  let text = '';
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    text += String.fromCharCode(seed % 65536);
  }

  return text;
}

function expectSane(text: string, entities: DetectedEntity[]) {
  let previousEnd = 0;
  for (const entity of entities) {
    expect(entity.start).toBeGreaterThanOrEqual(previousEnd);
    expect(entity.end).toBeLessThanOrEqual(text.length);
    previousEnd = entity.end;
  }
}

/** Inputs that make naive patterns backtrack: long runs of one character class, or many near-matches. */
const adversarialUnits: Record<string, string> = {
  digits: '1',
  'spaced digits': '1 ',
  'dotted digits': '1.',
  dots: '.',
  'at signs': '@',
  'local parts': 'a@',
  spaces: ' ',
  'hex and colons': 'a:',
  'PEM headers without footers': '-----BEGIN PRIVATE KEY-----\n',
  'key assignments': 'key=',
  'unterminated quotes': 'password="',
  brackets: '[',
  'IBAN prefixes': 'DE89 ',
  titles: 'Mr. ',
  greetings: 'Hi ',
  'street fragments': '1 Main Street, ',
  'capitalised words': 'Anna Bob Carl ',
  'header-like cells': 'name,email\n',
  'unpaired surrogates': '\uD800a\uDC00'
};

describe('adversarial input finishes in bounded time', () => {
  test.each(Object.entries(adversarialUnits))(
    '%s, 1 MB structured and 20 KB with names',
    (_name, unit) => {
      const large = repeatTo(unit, 1_000_000);
      expectSane(large, detector.detectSync(large, { structuredOnly: true }));

      const small = repeatTo(unit, 20_000);
      expectSane(small, detector.detectSync(small));
    },
    60_000
  );

  test('binary garbage', () => {
    const garbage = pseudoRandomCodeUnits(1_000_000);
    expectSane(garbage, detector.detectSync(garbage, { structuredOnly: true }));
    expectSane(garbage.slice(0, 50_000), detector.detectSync(garbage.slice(0, 50_000)));
  }, 60_000);

  test('10 MB of mixed text, structured', () => {
    const line = '2024-05-14 INFO user=ngozi.adeyemi@gmail.com ip=102.89.34.17 card=4818 3761 6916 4884 order=55102934 note="all good"\n';
    const text = repeatTo(line, 10_000_000);
    const entities = detector.detectSync(text, { structuredOnly: true });
    expectSane(text, entities);
    expect(entities.filter((entity) => entity.type === 'CREDIT_CARD').length).toBeGreaterThan(80_000);
  }, 60_000);

  test('a time budget turns a huge input into a typed failure instead of a hang', async () => {
    const text = repeatTo('Dear Anna Kowalczyk, the report from Berlin is attached. ', 10_000_000);
    const started = performance.now();
    await expect(detector.detect(text, { timeBudgetMs: 300 })).rejects.toBeInstanceOf(DetectionTimeoutError);
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 60_000);
});
