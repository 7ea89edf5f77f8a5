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

describe('placeholders in link targets stay placeholders', () => {
  const pseudonymizer = new Pseudonymizer();
  pseudonymizer.redactEntities('Anna anna@example.com', [
    { type: 'PERSON', start: 0, end: 4 },
    { type: 'EMAIL', start: 5, end: 21 }
  ]);

  /** Restored whole, and streamed one character at a time (the hardest split). */
  const restoredBothWays = (text: string) => {
    const restorer = pseudonymizer.createStreamRestorer();
    const streamed = [...text].map((char) => restorer.push(char)).join('') + restorer.end();
    const whole = pseudonymizer.restore(text);
    expect(streamed).toBe(whole);
    return whole;
  };

  // Each case: a model reply, and the same reply as it must reach the user.
  const cases: [string, string, string][] = [
    ['inline link', '[report for [PERSON_1]](https://x.example/r?m=[EMAIL_1])', '[report for Anna](https://x.example/r?m=[EMAIL_1])'],
    ['image', '![[PERSON_1]](https://x.example/p.png?u=[EMAIL_1])', '![Anna](https://x.example/p.png?u=[EMAIL_1])'],
    [
      'link with spaces and a title',
      '[a](  https://x.example/[EMAIL_1] "for [PERSON_1]")',
      '[a](  https://x.example/[EMAIL_1] "for Anna")'
    ],
    ['angle-bracket destination with spaces', '[a](<https://x.example/a b?m=[EMAIL_1]>)', '[a](<https://x.example/a b?m=[EMAIL_1]>)'],
    ['destination on the next line', '[a](\n/relative?m=[EMAIL_1])', '[a](\n/relative?m=[EMAIL_1])'],
    ['balanced parentheses', '[a](https://x.example/(b)?m=[EMAIL_1]) [PERSON_1]', '[a](https://x.example/(b)?m=[EMAIL_1]) Anna'],
    ['escaped parenthesis', '[a](x\\)?m=[EMAIL_1])', '[a](x\\)?m=[EMAIL_1])'],
    ['no-break space inside a destination', '[a](x\u00a0[EMAIL_1])', '[a](x\u00a0[EMAIL_1])'],
    [
      'reference definition',
      'See [the report][r].\n\n[r]: https://x.example/?m=[EMAIL_1]',
      'See [the report][r].\n\n[r]: https://x.example/?m=[EMAIL_1]'
    ],
    ['definition in a list item', '- [r]:\n  <https://x.example/?m=[EMAIL_1]>', '- [r]:\n  <https://x.example/?m=[EMAIL_1]>'],
    ['autolink', 'Open <https://x.example/?m=[EMAIL_1]> now, [PERSON_1].', 'Open <https://x.example/?m=[EMAIL_1]> now, Anna.'],
    ['autolink with another scheme', '<foo:[EMAIL_1]>', '<foo:[EMAIL_1]>'],
    [
      'bare URL',
      'Go to https://x.example/?m=[EMAIL_1] and www.x.example/[PERSON_1] today',
      'Go to https://x.example/?m=[EMAIL_1] and www.x.example/[PERSON_1] today'
    ],
    ['bare mailto', 'mailto:boss@x.example?body=[EMAIL_1]', 'mailto:boss@x.example?body=[EMAIL_1]'],
    [
      'HTML href',
      '<a title="x"href="https://x.example/?m=[EMAIL_1]"> [PERSON_1]</a>',
      '<a title="x"href="https://x.example/?m=[EMAIL_1]"> Anna</a>'
    ],
    [
      'HTML single-quoted and unquoted values',
      "<img src='/p?[EMAIL_1]'><a HREF = /q?[EMAIL_1]>",
      "<img src='/p?[EMAIL_1]'><a HREF = /q?[EMAIL_1]>"
    ],
    ['unquoted HTML value with a no-break space', '<a href=x\u00a0[EMAIL_1]>', '<a href=x\u00a0[EMAIL_1]>']
  ];
  for (const [name, reply, expected] of cases)
    test(name, () => {
      expect(restoredBothWays(reply)).toBe(expected);
    });

  test('text the user reads is restored, also right next to links', () => {
    expect(restoredBothWays('[PERSON_1] (see https://x.example) wrote to [EMAIL_1].')).toBe(
      'Anna (see https://x.example) wrote to anna@example.com.'
    );
    expect(restoredBothWays('[[EMAIL_1]](https://x.example/) and [PERSON_1]: [EMAIL_1]')).toBe(
      '[anna@example.com](https://x.example/) and Anna: anna@example.com'
    );
    expect(restoredBothWays('a = [PERSON_1], title="[EMAIL_1]"')).toBe('a = Anna, title="anna@example.com"');
  });

  test('a restored value is read as part of the text, so it cannot open or hide a link around the next one', () => {
    const withUrl = new Pseudonymizer();
    withUrl.redactEntities('https://shop.example/track?id= and Anna]', [
      { type: 'URL', start: 0, end: 30 },
      { type: 'CUSTOM', start: 35, end: 40 }
    ]);
    // The first value makes a bare URL: the second must not be restored into it.
    expect(withUrl.restore('[URL_1][EMAIL_1]')).toBe('https://shop.example/track?id=[EMAIL_1]');
    // A value ending in "]" followed by "(" is link syntax once restored.
    expect(withUrl.restore('[CUSTOM_1](https://x.example/[URL_1])')).toBe('Anna](https://x.example/[URL_1])');
  });

  test('errs towards keeping a placeholder wherever a renderer might read a URL', () => {
    // marked reads a tag without a space before an attribute as text, and then autolinks up to the next "<".
    expect(restoredBothWays('<a href="https://x.example/">[PERSON_1]</a>')).toBe('<a href="https://x.example/">[PERSON_1]</a>');
    // Link syntax counts in code too: a copied command must not carry the value to the link either.
    expect(restoredBothWays('`curl https://x.example/?m=[EMAIL_1]` for [PERSON_1]')).toBe('`curl https://x.example/?m=[EMAIL_1]` for Anna');
  });

  test('a placeholder split across chunks is decided by the link it ends up in', () => {
    const restorer = pseudonymizer.createStreamRestorer();
    const output = ['[mail](https://x.example/?m=[EM', 'AIL_1]) to [EM', 'AIL_1]'].map((chunk) => restorer.push(chunk));
    expect(output).toEqual(['[mail](https://x.example/?m=', '[EMAIL_1]) to ', 'anna@example.com']);
    expect(restorer.end()).toBe('');
  });
});

test('the system message tells the model to keep placeholders exactly', () => {
  expect(pseudonymizationSystemMessage).toContain('[PERSON_1]');
  expect(pseudonymizationSystemMessage).toMatch(/exactly as written/);
});
