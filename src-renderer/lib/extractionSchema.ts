// The Extract fields tool's schema field: what it starts with, and the check before anything is sent.

/** Parses the extraction schema the user typed: a JSON object, or the reason it is not one. */
export function parseSchema(text: string): { schema: Record<string, unknown> } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `The schema is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: 'The schema must be a JSON object, e.g. {"type":"object","properties":{…}}.' };
  return { schema: value as Record<string, unknown> };
}

export const EXAMPLE_SCHEMA = JSON.stringify(
  {
    type: 'object',
    properties: { title: { type: 'string' }, date: { type: 'string' }, total: { type: 'number' } },
    required: ['title']
  },
  null,
  2
);
