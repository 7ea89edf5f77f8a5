import fc from 'fast-check';
import { LlamaGrammarEvaluationState, type LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsupportedSchemaError } from '../../src-main/core/engine/errors';
import { ANY_JSON_SCHEMA, toGrammarSchema } from '../../src-main/core/engine/jsonSchemaGrammar';
import { LocalEngine } from '../../src-main/core/engine/LocalEngine';
import type { LocalModel } from '../../src-main/core/engine/LocalModel';
import { ensureTestModel } from '../support/writeTestModel';

const target = { kind: 'responseFormat' } as const;
const compile = (schema: unknown, strict = false) => toGrammarSchema(schema, { target, strict });
const refusal = (schema: unknown, strict = false) => {
  try {
    compile(schema, strict);
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedSchemaError);
    return error as UnsupportedSchemaError;
  }
  throw new Error(`expected ${JSON.stringify(schema)} to be refused`);
};

describe('JSON schemas to grammar schemas', () => {
  it('keeps the structure node-llama-cpp enforces', () => {
    expect(
      compile({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        title: 'Answer',
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 20, description: 'who' },
          when: { type: 'string', format: 'date' },
          email: { type: 'string', format: 'email' },
          tags: { type: 'array', items: { enum: ['a', 'b'] }, minItems: 1, maxItems: 3 },
          pair: { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'number' }], items: false },
          maybe: { anyOf: [{ type: 'null' }, { $ref: '#/definitions/Point' }] },
          either: { type: ['string', 'null'] },
          extra: { type: 'object', additionalProperties: { type: 'boolean' } }
        },
        required: ['name'],
        additionalProperties: false,
        definitions: { Point: { type: 'object', properties: { x: { type: 'number' } } } }
      })
    ).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 20, description: 'who' },
        when: { type: 'string', format: 'date' },
        email: { type: 'string' },
        tags: { type: 'array', items: { enum: ['a', 'b'] }, minItems: 1, maxItems: 3 },
        pair: { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'number' }], maxItems: 2 },
        maybe: { oneOf: [{ type: 'null' }, { $ref: '#/$defs/Point' }] },
        either: { type: ['string', 'null'] },
        extra: { type: 'object', properties: {}, additionalProperties: { type: 'boolean' } }
      },
      $defs: { Point: { type: 'object', properties: { x: { type: 'number' } } } }
    });
    expect(compile({})).toEqual(ANY_JSON_SCHEMA);
    expect(compile(true)).toEqual(ANY_JSON_SCHEMA);
    expect(compile({ type: ['object', 'null'] })).toEqual({ oneOf: [{ type: 'object', properties: {} }, { type: 'null' }] });
  });

  it('drops what a grammar cannot enforce, or refuses it when strict', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer', minimum: 1 }, s: { type: 'string', pattern: '^a' } } };
    expect(compile(schema)).toEqual({ type: 'object', properties: { n: { type: 'integer' }, s: { type: 'string' } } });
    expect(refusal(schema, true).schemaPath).toBe('properties.n.minimum');
    expect(compile({ type: 'string', maxLength: 5000 })).toEqual({ type: 'string' });
    expect(refusal({ type: 'string', maxLength: 5000 }, true).schemaPath).toBe('maxLength');
  });

  it('refuses what cannot become a grammar, saying where', () => {
    expect(refusal({ $ref: '#/$defs/Missing' }).schemaPath).toBe('$ref');
    expect(refusal({ $ref: 'https://example.com/schema.json' }).reason).toMatch(/#\/\$defs\/Name/);
    expect(refusal({ type: 'object', properties: { a: { type: 'date' } } }).schemaPath).toBe('properties.a.type');
    expect(refusal({ enum: [{ a: 1 }] }).schemaPath).toBe('enum[0]');
    expect(refusal({ enum: [] }).schemaPath).toBe('enum');
    expect(refusal(false).reason).toMatch(/allows no value/);
    expect(refusal('string').reason).toMatch(/JSON object/);
    expect(refusal({ type: 'string', minLength: 5, maxLength: 2 }).schemaPath).toBe('maxLength');
    expect(refusal({ type: 'array', minItems: 2000 }).schemaPath).toBe('minItems');
    expect(refusal({ type: 'object', properties: { a: {}, b: {} }, maxProperties: 1 }).schemaPath).toBe('maxProperties');
    let deep: unknown = { type: 'boolean' };
    for (let i = 0; i < 40; i++) deep = { type: 'array', items: deep };
    expect(refusal(deep).reason).toMatch(/nested too deeply/);
    const wide = { type: 'object', properties: Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`p${i}`, { type: 'null' }])) };
    expect(refusal(wide).reason).toMatch(/too large/);
  });

  it('keeps "__proto__" an ordinary property name', () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"boolean"}}}');
    const compiled = compile(schema) as { properties: Record<string, unknown> };
    expect(Object.keys(compiled.properties)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(compiled.properties)).toBe(Object.prototype);
  });

  describe('with llama.cpp', () => {
    let engine: LocalEngine;
    let model: LocalModel;
    /** node-llama-cpp's own model object, which a grammar evaluation state needs. */
    let llamaModel: LlamaModel;
    beforeAll(async () => {
      engine = await LocalEngine.create({ gpu: false });
      model = await engine.loadModel({ path: await ensureTestModel(), threads: 1, contextSize: 512 });
      llamaModel = await engine.llama.loadModel({ modelPath: await ensureTestModel() });
    });
    afterAll(async () => {
      await llamaModel?.dispose();
      await model?.dispose();
      await engine?.dispose();
    });

    it('turns every schema it accepts into a grammar llama.cpp loads (fuzzed)', async () => {
      const leaf = fc.oneof(
        fc.record({ type: fc.constantFrom('string', 'number', 'integer', 'boolean', 'null', 'object', 'array', 'nope') }),
        fc.record({ enum: fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), { maxLength: 4 }) }),
        fc.record({ const: fc.oneof(fc.string(), fc.double(), fc.constant(null)) }),
        fc.record(
          {
            type: fc.constant('string'),
            minLength: fc.integer({ min: -1, max: 30 }),
            maxLength: fc.integer({ min: 0, max: 2000 }),
            format: fc.constantFrom('date', 'time', 'date-time', 'uri')
          },
          { requiredKeys: ['type'] }
        ),
        fc.record({ $ref: fc.constantFrom('#/$defs/A', '#/$defs/B', '#', '#/definitions/A') }),
        fc.jsonValue({ maxDepth: 2 })
      );
      const { schema } = fc.letrec((tie) => ({
        schema: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object'), tie('array'), tie('union')),
        object: fc.record(
          {
            type: fc.constant('object'),
            properties: fc.dictionary(fc.string({ maxLength: 6 }), tie('schema'), { maxKeys: 4 }),
            required: fc.array(fc.string({ maxLength: 6 }), { maxLength: 2 }),
            additionalProperties: fc.oneof(fc.boolean(), tie('schema')),
            minProperties: fc.integer({ min: 0, max: 3 }),
            maxProperties: fc.integer({ min: 0, max: 6 }),
            $defs: fc.record({ A: tie('schema'), B: tie('schema') }, { requiredKeys: [] })
          },
          { requiredKeys: ['type'] }
        ),
        array: fc.record(
          {
            type: fc.constant('array'),
            items: fc.oneof(tie('schema'), fc.constant(false)),
            prefixItems: fc.array(tie('schema'), { maxLength: 3 }),
            minItems: fc.integer({ min: 0, max: 4 }),
            maxItems: fc.integer({ min: 0, max: 6 })
          },
          { requiredKeys: ['type'] }
        ),
        union: fc.oneof(
          fc.record({ oneOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) }),
          fc.record({ anyOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) })
        )
      }));
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(schema, fc.boolean(), async (candidate, strict) => {
          let compiled;
          try {
            compiled = compile(candidate, strict);
          } catch (error) {
            expect(error).toBeInstanceOf(UnsupportedSchemaError);
            return;
          }
          accepted++;
          const grammar = await engine.llama.createGrammarForJsonSchema(compiled as never);
          expect(() => new LlamaGrammarEvaluationState({ model: llamaModel, grammar })).not.toThrow();
        }),
        { numRuns: 200, seed: 4242 }
      );
      expect(accepted).toBeGreaterThan(50);
    });

    it('generates JSON that parses, for a recursive schema', async () => {
      // Greedy decoding recurses forever on this random model; a seeded sample closes the tree.
      const result = await model.generateChat([{ role: 'user', content: 'tree' }], {
        maxTokens: 300,
        temperature: 0.8,
        seed: 1,
        responseFormat: {
          type: 'json_schema',
          schema: {
            $defs: {
              node: {
                type: 'object',
                properties: { kids: { type: 'array', items: { $ref: '#/$defs/node' }, maxItems: 2 }, leaf: { type: 'boolean' } }
              }
            },
            $ref: '#/$defs/node'
          }
        }
      });
      expect(result.stopReason).not.toBe('maxTokens');
      expect(JSON.parse(result.text)).toHaveProperty('leaf');
    });
  });
});
