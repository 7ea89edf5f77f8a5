import { describe, expect, it } from 'vitest';
import { EXAMPLE_SCHEMA, parseSchema } from '../../src-renderer/lib/extractionSchema';

describe('the extraction schema field', () => {
  it('takes a JSON object and says why anything else is refused', () => {
    expect(parseSchema(EXAMPLE_SCHEMA)).toEqual({ schema: JSON.parse(EXAMPLE_SCHEMA) });
    expect(parseSchema('{"type": "object", ')).toEqual({ error: expect.stringMatching(/^The schema is not valid JSON: /) });
    for (const text of ['[]', '"text"', '42', 'null'])
      expect(parseSchema(text)).toEqual({ error: expect.stringMatching(/must be a JSON object/) });
  });
});
