// Runs in a fresh module registry: nothing here loads the language model before the tests do.
import { describe, expect, test } from 'vitest';
import { PiiDetector } from '../../src-main/core/privacy/index';
import { isLanguageModelLoaded } from '../../src-main/core/privacy/language/languageModel';

const detector = new PiiDetector();
const text = [
  'Dear Priya Raman, call me on +44 20 7946 0958 or write to priya.raman@example.com.',
  'name,email',
  'Anna Kowalska,anna@example.com'
].join('\n');

describe('the language model (compromise) loads on the first detection that needs it', () => {
  test('structured-only detection neither needs nor loads it, even where a name column is checked', async () => {
    expect(detector.detectSync(text, { structuredOnly: true }).map((entity) => entity.type)).toEqual(['PHONE', 'EMAIL', 'EMAIL']);
    await detector.detect(text, { structuredOnly: true });
    await detector.detect(text, { enabledTypes: ['EMAIL', 'PHONE'] });
    expect(isLanguageModelLoaded()).toBe(false);
  });

  test('detectSync asks for it when names and places are enabled', () => {
    expect(() => detector.detectSync(text)).toThrow(/loadLanguageAnalysis/);
    expect(() => detector.detectSync(text, { enabledTypes: ['LOCATION'] })).toThrow(/loadLanguageAnalysis/);
  });

  test('detect loads it', async () => {
    const entities = await detector.detect(text);
    expect(isLanguageModelLoaded()).toBe(true);
    expect(entities.filter((entity) => entity.type === 'PERSON').map((entity) => entity.text)).toEqual(['Priya Raman', 'Anna Kowalska']);
    expect(detector.detectSync(text)).toEqual(entities);
  });
});
