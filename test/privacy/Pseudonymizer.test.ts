import { describe, expect, test } from 'vitest';
import {
  InMemoryPseudonymVault,
  InvalidEntitySpanError,
  Pseudonymizer,
  pseudonymizationSystemMessage,
  type PseudonymVault,
  type PseudonymVaultEntry
} from '../../src-main/core/privacy/index';

const message = "Hi Anna, please email anna.k@example.com or call +44 20 4260 6534. Anna's IBAN is DE89 3704 0044 0532 0130 00.";

describe('Pseudonymizer', () => {
  test('replaces entities with typed, numbered placeholders and restores them', async () => {
    const pseudonymizer = new Pseudonymizer();
    const redaction = await pseudonymizer.redact(message);
    expect(redaction.text).toBe("Hi [PERSON_1], please email [EMAIL_1] or call [PHONE_1]. [PERSON_1]'s IBAN is [IBAN_1].");
    expect(redaction.replacements.map((replacement) => replacement.placeholder)).toEqual([
      '[PERSON_1]',
      '[EMAIL_1]',
      '[PHONE_1]',
      '[PERSON_1]',
      '[IBAN_1]'
    ]);
    expect(pseudonymizer.restore(redaction.text)).toBe(message);
  });

  test('keeps one placeholder per value across messages, ignoring case and spacing', () => {
    const pseudonymizer = new Pseudonymizer();
    const first = pseudonymizer.redactEntities('Priya  Raghunathan wrote', [{ type: 'PERSON', start: 0, end: 18 }]);
    const second = pseudonymizer.redactEntities('PRIYA RAGHUNATHAN and Wei', [
      { type: 'PERSON', start: 0, end: 17 },
      { type: 'PERSON', start: 22, end: 25 }
    ]);
    expect(first.text).toBe('[PERSON_1] wrote');
    expect(second.text).toBe('[PERSON_1] and [PERSON_2]');
    // The first spelling is the one restored
    expect(pseudonymizer.restore(second.text)).toBe('Priya  Raghunathan and Wei');
  });

  test('identifies numbers by their digits', () => {
    const pseudonymizer = new Pseudonymizer();
    const text = '4111 1111 1111 1111 or 4111-1111-1111-1111';
    const redaction = pseudonymizer.redactEntities(text, [
      { type: 'CREDIT_CARD', start: 0, end: 19 },
      { type: 'CREDIT_CARD', start: 23, end: 42 }
    ]);
    expect(redaction.text).toBe('[CREDIT_CARD_1] or [CREDIT_CARD_1]');
  });

  test('leaves placeholders it never issued as they are', () => {
    const pseudonymizer = new Pseudonymizer();
    pseudonymizer.redactEntities('Anna', [{ type: 'PERSON', start: 0, end: 4 }]);
    expect(pseudonymizer.restore('[PERSON_1] met [PERSON_7] and [FOO_1] at [EMAIL_0].')).toBe(
      'Anna met [PERSON_7] and [FOO_1] at [EMAIL_0].'
    );
  });

  test('restores text made only of placeholders, and empty text', () => {
    const pseudonymizer = new Pseudonymizer();
    const redaction = pseudonymizer.redactEntities('Anna Bob', [
      { type: 'PERSON', start: 0, end: 4 },
      { type: 'PERSON', start: 5, end: 8 }
    ]);
    expect(pseudonymizer.restore('[PERSON_2][PERSON_1][PERSON_2]')).toBe('BobAnnaBob');
    expect(pseudonymizer.restore(redaction.text)).toBe('Anna Bob');
    expect(pseudonymizer.restore('')).toBe('');
    expect(pseudonymizer.redactEntities('', [])).toEqual({ text: '', replacements: [] });
  });

  test('pseudonymises text that merely looks like a placeholder, so it round-trips', () => {
    const pseudonymizer = new Pseudonymizer();
    const text = 'Anna wrote [PERSON_1] literally';
    const redaction = pseudonymizer.redactEntities(text, [{ type: 'PERSON', start: 0, end: 4 }]);
    expect(redaction.text).toBe('[PERSON_1] wrote [CUSTOM_1] literally');
    expect(pseudonymizer.restore(redaction.text)).toBe(text);
  });

  test('continues a conversation from its vault', () => {
    const vault = new InMemoryPseudonymVault();
    const first = new Pseudonymizer({ vault });
    first.redactEntities('Anna and Bob', [
      { type: 'PERSON', start: 0, end: 4 },
      { type: 'PERSON', start: 9, end: 12 }
    ]);
    expect(vault.load()).toEqual([
      { placeholder: '[PERSON_1]', type: 'PERSON', value: 'Anna' },
      { placeholder: '[PERSON_2]', type: 'PERSON', value: 'Bob' }
    ]);

    const resumed = new Pseudonymizer({ vault });
    expect(
      resumed.redactEntities('Carl and anna', [
        { type: 'PERSON', start: 0, end: 4 },
        { type: 'PERSON', start: 9, end: 13 }
      ]).text
    ).toBe('[PERSON_3] and [PERSON_1]');
    expect(resumed.restore('[PERSON_2]')).toBe('Bob');
  });

  test('saves only new entries, and stays unchanged when the vault fails', () => {
    const saved: PseudonymVaultEntry[][] = [];
    let failing = false;
    const vault: PseudonymVault = {
      load: () => [],
      save: (entries) => {
        if (failing) throw new Error('disk full');
        saved.push([...entries]);
      }
    };
    const pseudonymizer = new Pseudonymizer({ vault });
    pseudonymizer.redactEntities('Anna', [{ type: 'PERSON', start: 0, end: 4 }]);
    pseudonymizer.redactEntities('Anna', [{ type: 'PERSON', start: 0, end: 4 }]);
    expect(saved).toEqual([[{ placeholder: '[PERSON_1]', type: 'PERSON', value: 'Anna' }]]);

    failing = true;
    expect(() => pseudonymizer.redactEntities('Bob', [{ type: 'PERSON', start: 0, end: 3 }])).toThrow('disk full');
    expect(pseudonymizer.entries).toHaveLength(1);
    expect(pseudonymizer.restore('[PERSON_2]')).toBe('[PERSON_2]');
  });

  test('rejects overlapping or out-of-range entities instead of leaking part of them', () => {
    const pseudonymizer = new Pseudonymizer();
    expect(() =>
      pseudonymizer.redactEntities('Anna Bob', [
        { type: 'PERSON', start: 0, end: 5 },
        { type: 'PERSON', start: 4, end: 8 }
      ])
    ).toThrow(InvalidEntitySpanError);
    expect(() => pseudonymizer.redactEntities('Anna', [{ type: 'PERSON', start: 2, end: 9 }])).toThrow(InvalidEntitySpanError);
    expect(() => pseudonymizer.redactEntities('Anna', [{ type: 'PERSON', start: 2, end: 2 }])).toThrow(InvalidEntitySpanError);
  });
});

describe('stream restorer', () => {
  const pseudonymizer = new Pseudonymizer();
  pseudonymizer.redactEntities('Anna anna@example.com', [
    { type: 'PERSON', start: 0, end: 4 },
    { type: 'EMAIL', start: 5, end: 21 }
  ]);

  test('restores placeholders split across chunks', () => {
    const restorer = pseudonymizer.createStreamRestorer();
    const output = ['Dear [PER', 'SON_', '1], write to [EM', 'AIL_1', ']', ' now.'].map((chunk) => restorer.push(chunk));
    expect(output).toEqual(['Dear ', '', 'Anna, write to ', '', 'anna@example.com', ' now.']);
    expect(restorer.end()).toBe('');
  });

  test('holds back only a possible placeholder prefix', () => {
    const restorer = pseudonymizer.createStreamRestorer();
    expect(restorer.push('array[0] and [x')).toBe('array[0] and [x');
    expect(restorer.push(' see [PERSON_1')).toBe(' see ');
    expect(restorer.push('2')).toBe('');
    expect(restorer.push('] ok [')).toBe('[PERSON_12] ok ');
    expect(restorer.end()).toBe('[');
  });
});

test('the system message tells the model to keep placeholders exactly', () => {
  expect(pseudonymizationSystemMessage).toContain('[PERSON_1]');
  expect(pseudonymizationSystemMessage).toMatch(/exactly as written/);
});
