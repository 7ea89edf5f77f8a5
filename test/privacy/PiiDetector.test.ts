import { beforeAll, describe, expect, test } from 'vitest';
import {
  DetectionAbortedError,
  DetectionTimeoutError,
  InvalidUserDictionaryTermError,
  PiiDetector
} from '../../src-main/core/privacy/index';

const detector = new PiiDetector();

// detectSync finds names and places only once the language model is loaded (detect loads it itself).
beforeAll(() => PiiDetector.loadLanguageAnalysis());

const ticket = [
  'From: Ngozi Adeyemi <ngozi.adeyemi@gmail.com>',
  'Hello team, my card 4818 3761 6916 4884 was charged twice. Call me on +234 803 150 2493.',
  'I live at 10 Downing Street, London SW1A 2AA.',
  'Thanks,',
  'Ngozi'
].join('\n');

describe('PiiDetector', () => {
  test('returns nothing for empty or blank text', async () => {
    expect(detector.detectSync('')).toEqual([]);
    expect(await detector.detect('   \n\t ')).toEqual([]);
  });

  test('returns sorted, non-overlapping entities whose text matches their span', () => {
    const entities = detector.detectSync(ticket);
    expect(entities.map((entity) => entity.type)).toEqual(['PERSON', 'EMAIL', 'CREDIT_CARD', 'PHONE', 'ADDRESS', 'PERSON']);
    entities.forEach((entity, index) => {
      expect(entity.text).toBe(ticket.slice(entity.start, entity.end));
      expect(entity.score).toBeGreaterThan(0);
      expect(entity.score).toBeLessThanOrEqual(1);
      if (index > 0) expect(entity.start).toBeGreaterThanOrEqual(entities[index - 1]!.end);
    });
  });

  test('gives the same result synchronously and asynchronously', async () => {
    expect(await detector.detect(ticket)).toEqual(detector.detectSync(ticket));
  });

  test('reports only enabled types', () => {
    expect(detector.detectSync(ticket, { enabledTypes: ['EMAIL', 'PHONE'] }).map((entity) => entity.type)).toEqual(['EMAIL', 'PHONE']);
  });

  test('skips names, places and addresses when structured only', () => {
    const types = detector.detectSync(ticket, { structuredOnly: true }).map((entity) => entity.type);
    expect(types).toEqual(['EMAIL', 'CREDIT_CARD', 'PHONE']);
  });

  test('fails closed with a typed error when the time budget runs out', async () => {
    const text = ticket.repeat(2000);
    const error = await detector.detect(text, { timeBudgetMs: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DetectionTimeoutError);
    expect((error as DetectionTimeoutError).budgetMs).toBe(1);
    expect((error as DetectionTimeoutError).totalChars).toBe(text.length);
    expect(() => detector.detectSync(text, { timeBudgetMs: 1 })).toThrow(DetectionTimeoutError);
  });

  test('stops when its abort signal fires', async () => {
    await expect(detector.detect(ticket, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(DetectionAbortedError);

    const controller = new AbortController();
    const pending = detector.detect(ticket.repeat(500), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 5);
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DetectionAbortedError);
    expect((error as Error).cause).toEqual(new Error('user cancelled'));
  });
});

describe('user dictionary', () => {
  const withDictionary = new PiiDetector({
    userDictionary: {
      alwaysRedact: ['Project Bluebird', { term: 'Northwind', type: 'ORGANIZATION' }],
      neverRedact: ['Acme Corp', 'Jordan']
    }
  });

  test('always redacts listed terms as whole words, ignoring case and spacing', () => {
    const text = 'Status of project  BLUEBIRD for Northwind; northwinds is another word.';
    const entities = withDictionary.detectSync(text);
    expect(entities.map((entity) => [entity.type, entity.text])).toEqual([
      ['CUSTOM', 'project  BLUEBIRD'],
      ['ORGANIZATION', 'Northwind']
    ]);
    expect(entities.every((entity) => entity.detector === 'userDictionary')).toBe(true);
  });

  test('never redacts listed terms, nor entities inside them', () => {
    const text = 'Jordan Smith from Acme Corp met Jordan.';
    const texts = withDictionary.detectSync(text).map((entity) => entity.text);
    expect(texts).not.toContain('Jordan');
    expect(texts).not.toContain('Acme Corp');
    expect(texts).toContain('Jordan Smith');
  });

  test('rejects empty and oversized terms', () => {
    expect(() => new PiiDetector({ userDictionary: { alwaysRedact: ['  '] } })).toThrow(InvalidUserDictionaryTermError);
    expect(() => new PiiDetector({ userDictionary: { neverRedact: ['x'.repeat(300)] } })).toThrow(InvalidUserDictionaryTermError);
  });
});
