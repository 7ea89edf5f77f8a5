import type { GbnfJsonSchema } from 'node-llama-cpp';
import { UnsupportedSchemaError } from './errors';

/**
 * Turns a JSON schema as clients send it (OpenAI's response_format and tool parameters) into the
 * subset node-llama-cpp compiles to a llama.cpp grammar, so the model can only produce values
 * that match. The grammar is never looser than the schema's structure:
 * - every listed property is generated (all are required), extra properties only when
 *   `additionalProperties` asks for them;
 * - `anyOf` is treated as `oneOf`; `definitions` as `$defs`; `format` other than date-time, date
 *   and time is an annotation (as the JSON Schema spec has it) and ignored;
 * - keywords a grammar cannot enforce (pattern, minimum, allOf, …) are refused when `strict`,
 *   otherwise dropped: the structure is still enforced, those value constraints are not.
 * Anything that cannot become a grammar, or could make an enormous one, is refused.
 */
export interface SchemaCompileOptions {
  target: UnsupportedSchemaError['target'];
  strict?: boolean;
}

const MAX_DEPTH = 24;
const MAX_NODES = 2000;
/** Repetition bounds above this expand into huge grammars inside llama.cpp. */
const MAX_REPEAT = 1000;

const PRIMITIVE_TYPES = ['string', 'number', 'integer', 'boolean', 'null'] as const;
type PrimitiveType = (typeof PRIMITIVE_TYPES)[number];
type SchemaType = PrimitiveType | 'object' | 'array';
const SCHEMA_TYPES: readonly string[] = [...PRIMITIVE_TYPES, 'object', 'array'];
const GRAMMAR_FORMATS = new Set(['date-time', 'date', 'time']);

/** Keywords that describe but do not constrain: always ignored. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'examples',
  'example',
  '$schema',
  '$id',
  '$comment',
  '$anchor',
  'deprecated',
  'readOnly',
  'writeOnly',
  'contentMediaType',
  'contentEncoding',
  'format',
  'strict'
]);
/** Keywords this compiler understands (the rest are constraints a grammar cannot enforce). */
const HANDLED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'maxProperties',
  'items',
  'prefixItems',
  'additionalItems',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'enum',
  'const',
  'oneOf',
  'anyOf',
  '$ref',
  '$defs',
  'definitions'
]);

/** Any JSON value. */
export const ANY_JSON_SCHEMA: GbnfJsonSchema = {
  oneOf: [{ type: ['string', 'number', 'boolean', 'null'] }, { type: 'object', additionalProperties: true }, { type: 'array' }]
};

type Json = Record<string, unknown>;

class Compiler {
  private nodes = 0;
  constructor(private readonly options: SchemaCompileOptions) {}

  fail(path: string, reason: string): never {
    throw new UnsupportedSchemaError(this.options.target, path, reason);
  }

  /** A keyword the grammar cannot enforce: refused in strict mode, dropped otherwise. */
  private unenforceable(path: string, keyword: string): void {
    if (this.options.strict)
      this.fail(join(path, keyword), `"${keyword}" cannot be enforced by a local model's grammar; remove it or set strict to false`);
  }

  convert(node: unknown, path: string, depth: number, scope: ReadonlySet<string>): GbnfJsonSchema {
    if (++this.nodes > MAX_NODES) this.fail(path, `the schema is too large (more than ${MAX_NODES} subschemas)`);
    if (depth > MAX_DEPTH) this.fail(path, `the schema is nested too deeply (more than ${MAX_DEPTH} levels)`);
    if (node === true) return ANY_JSON_SCHEMA;
    if (node === false) this.fail(path, 'a "false" schema allows no value at all');
    if (!isObject(node)) this.fail(path, 'a schema must be a JSON object');

    for (const key of Object.keys(node))
      if (!HANDLED.has(key) && !ANNOTATIONS.has(key) && !key.startsWith('x-')) this.unenforceable(path, key);

    const { defs, scope: innerScope } = this.collectDefs(node, path, depth, scope);
    const description = typeof node.description === 'string' ? node.description : undefined;
    const withDefs = <T extends object>(schema: T): T => (defs ? { ...schema, $defs: defs } : schema);

    if (node.$ref !== undefined) {
      for (const key of ['type', 'enum', 'const', 'oneOf', 'anyOf', 'properties', 'items'])
        if (node[key] !== undefined) this.unenforceable(path, key);
      return withDefs({ $ref: this.ref(node.$ref, join(path, '$ref'), innerScope) } as GbnfJsonSchema);
    }
    if (node.const !== undefined) {
      if (!isPrimitive(node.const)) this.fail(join(path, 'const'), 'only a string, number, boolean or null constant is supported');
      return { const: node.const };
    }
    if (node.enum !== undefined) {
      if (!Array.isArray(node.enum) || node.enum.length === 0) this.fail(join(path, 'enum'), 'must be a non-empty array');
      for (const [i, value] of node.enum.entries())
        if (!isPrimitive(value)) this.fail(join(path, `enum[${i}]`), 'only string, number, boolean and null values are supported');
      if (node.enum.length > MAX_REPEAT) this.fail(join(path, 'enum'), `at most ${MAX_REPEAT} values are supported`);
      return { enum: node.enum as (string | number | boolean | null)[] };
    }
    const alternatives = node.oneOf ?? node.anyOf;
    if (alternatives !== undefined) {
      const keyword = node.oneOf !== undefined ? 'oneOf' : 'anyOf';
      if (node.oneOf !== undefined && node.anyOf !== undefined) this.unenforceable(path, 'anyOf');
      if (node.type !== undefined) this.unenforceable(path, 'type');
      if (!Array.isArray(alternatives) || alternatives.length === 0) this.fail(join(path, keyword), 'must be a non-empty array of schemas');
      return withDefs({
        oneOf: alternatives.map((alt, i) => this.convert(alt, join(path, `${keyword}[${i}]`), depth + 1, innerScope))
      } as GbnfJsonSchema);
    }

    const types = this.types(node, path);
    if (types.length === 0) return ANY_JSON_SCHEMA;
    const variants = types.map((type) => this.typed(type, node, path, depth, innerScope, description));
    if (variants.length === 1) return withDefs(variants[0]!);
    const primitives = types.filter((t): t is PrimitiveType => t !== 'object' && t !== 'array');
    const plainPrimitives = primitives.length === types.length && node.minLength === undefined && node.maxLength === undefined;
    if (plainPrimitives) return { type: primitives };
    return withDefs({ oneOf: variants } as GbnfJsonSchema);
  }

  private types(node: Json, path: string): SchemaType[] {
    const { type } = node;
    if (type === undefined) {
      if (node.properties !== undefined || node.additionalProperties !== undefined) return ['object'];
      if (node.items !== undefined || node.prefixItems !== undefined) return ['array'];
      if (node.minLength !== undefined || node.maxLength !== undefined) return ['string'];
      return [];
    }
    const list = Array.isArray(type) ? type : [type];
    if (list.length === 0) this.fail(join(path, 'type'), 'must name at least one type');
    for (const t of list)
      if (typeof t !== 'string' || !SCHEMA_TYPES.includes(t)) this.fail(join(path, 'type'), `unknown type ${JSON.stringify(t)}`);
    return [...new Set(list as SchemaType[])];
  }

  private typed(
    type: SchemaType,
    node: Json,
    path: string,
    depth: number,
    scope: ReadonlySet<string>,
    description?: string
  ): GbnfJsonSchema {
    const described = <T extends object>(schema: T): T => (description ? { ...schema, description } : schema);
    if (type === 'object') return described(this.object(node, path, depth, scope));
    if (type === 'array') return described(this.array(node, path, depth, scope));
    if (type === 'string') {
      const minLength = this.count(node, 'minLength', path);
      const maxLength = this.count(node, 'maxLength', path);
      if (minLength !== undefined && maxLength !== undefined && maxLength < minLength)
        this.fail(join(path, 'maxLength'), 'must not be below minLength');
      if (minLength === undefined && maxLength === undefined && typeof node.format === 'string' && GRAMMAR_FORMATS.has(node.format))
        return described({ type: 'string', format: node.format as 'date-time' | 'date' | 'time' });
      return described({ type: 'string', ...(minLength !== undefined && { minLength }), ...(maxLength !== undefined && { maxLength }) });
    }
    return described({ type });
  }

  private object(node: Json, path: string, depth: number, scope: ReadonlySet<string>): GbnfJsonSchema {
    // fromEntries, not assignment: a property named "__proto__" must stay an ordinary key.
    let properties: Record<string, GbnfJsonSchema> = {};
    if (node.properties !== undefined) {
      if (!isObject(node.properties)) this.fail(join(path, 'properties'), 'must be an object of schemas');
      properties = Object.fromEntries(
        Object.entries(node.properties).map(([name, child]) => [
          name,
          this.convert(child, join(path, `properties.${name}`), depth + 1, scope)
        ])
      );
    }
    if (node.required !== undefined) {
      if (!Array.isArray(node.required) || node.required.some((r) => typeof r !== 'string'))
        this.fail(join(path, 'required'), 'must be an array of property names');
      for (const name of node.required as string[])
        if (!Object.hasOwn(properties, name) && this.options.strict)
          this.fail(join(path, 'required'), `"${name}" is not one of the properties`);
    }
    const extra = node.additionalProperties;
    let additionalProperties: boolean | GbnfJsonSchema | undefined;
    if (extra === true || extra === false) additionalProperties = extra;
    else if (extra !== undefined) additionalProperties = this.convert(extra, join(path, 'additionalProperties'), depth + 1, scope);
    const minProperties = this.count(node, 'minProperties', path);
    const maxProperties = this.count(node, 'maxProperties', path);
    const propertyCount = Object.keys(properties).length;
    if (maxProperties !== undefined && maxProperties < propertyCount)
      this.fail(join(path, 'maxProperties'), `every listed property is generated, so it must be at least ${propertyCount}`);
    return {
      type: 'object',
      properties,
      ...(additionalProperties !== undefined && additionalProperties !== false && { additionalProperties }),
      ...(minProperties !== undefined && { minProperties }),
      ...(maxProperties !== undefined && { maxProperties })
    } as GbnfJsonSchema;
  }

  private array(node: Json, path: string, depth: number, scope: ReadonlySet<string>): GbnfJsonSchema {
    let prefixItems: GbnfJsonSchema[] | undefined;
    let items: GbnfJsonSchema | undefined;
    const tuple = Array.isArray(node.items) ? node.items : node.prefixItems;
    if (tuple !== undefined) {
      const keyword = Array.isArray(node.items) ? 'items' : 'prefixItems';
      if (!Array.isArray(tuple)) this.fail(join(path, keyword), 'must be an array of schemas');
      prefixItems = tuple.map((child, i) => this.convert(child, join(path, `${keyword}[${i}]`), depth + 1, scope));
    }
    if (node.items !== undefined && !Array.isArray(node.items)) {
      if (node.items !== false) items = this.convert(node.items, join(path, 'items'), depth + 1, scope);
    } else if (Array.isArray(node.items) && node.additionalItems !== undefined && typeof node.additionalItems !== 'boolean') {
      items = this.convert(node.additionalItems, join(path, 'additionalItems'), depth + 1, scope);
    }
    const minItems = this.count(node, 'minItems', path);
    const maxItems = this.count(node, 'maxItems', path);
    if (minItems !== undefined && maxItems !== undefined && maxItems < minItems)
      this.fail(join(path, 'maxItems'), 'must not be below minItems');
    if (prefixItems && maxItems !== undefined && maxItems < prefixItems.length)
      this.fail(join(path, 'maxItems'), `must be at least the ${prefixItems.length} prefix items`);
    // A tuple without `items` is closed only if "items": false says so; JSON Schema leaves it open.
    const closedTuple = prefixItems && (node.items === false || (Array.isArray(node.items) && node.additionalItems === false));
    return {
      type: 'array',
      ...(items && { items }),
      ...(prefixItems && { prefixItems }),
      ...(minItems !== undefined && { minItems }),
      ...(closedTuple ? { maxItems: prefixItems!.length } : maxItems !== undefined && { maxItems })
    } as GbnfJsonSchema;
  }

  /** A non-negative whole-number bound; huge upper bounds are dropped (or refused when strict). */
  private count(node: Json, keyword: string, path: string): number | undefined {
    const value = node[keyword];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      this.fail(join(path, keyword), 'must be a non-negative whole number');
    if (value > MAX_REPEAT) {
      if (keyword.startsWith('min') || this.options.strict) this.fail(join(path, keyword), `values above ${MAX_REPEAT} are not supported`);
      return undefined;
    }
    return value;
  }

  private collectDefs(node: Json, path: string, depth: number, scope: ReadonlySet<string>) {
    const sources = (['$defs', 'definitions'] as const).filter((key) => node[key] !== undefined);
    if (sources.length === 0) return { defs: undefined, scope };
    const raw = new Map<string, unknown>();
    for (const key of sources) {
      const group = node[key];
      if (!isObject(group)) this.fail(join(path, key), 'must be an object of schemas');
      for (const [name, def] of Object.entries(group)) {
        if (raw.has(name)) this.fail(join(path, `${key}.${name}`), 'is defined twice');
        if (!/^[A-Za-z0-9_.-]{1,100}$/.test(name) || name === '__proto__')
          this.fail(join(path, `${key}.${name}`), 'definition names may use letters, digits, "_", "-" and "."');
        raw.set(name, def);
      }
    }
    const inner = new Set([...scope, ...raw.keys()]);
    const defs: Record<string, GbnfJsonSchema> = Object.fromEntries(
      [...raw].map(([name, def]) => [name, this.convert(def, join(path, `$defs.${name}`), depth + 1, inner)])
    );
    return { defs, scope: inner };
  }

  private ref(ref: unknown, path: string, scope: ReadonlySet<string>): string {
    const match = typeof ref === 'string' ? /^#\/(?:\$defs|definitions)\/([^/]+)$/.exec(ref) : null;
    if (!match) this.fail(path, 'only references of the form "#/$defs/Name" (or "#/definitions/Name") are supported');
    const name = match[1]!;
    if (!scope.has(name)) this.fail(path, `"${ref as string}" does not point to a definition`);
    return `#/$defs/${name}`;
  }
}

/** Compiles `schema` to node-llama-cpp's grammar schema, or throws UnsupportedSchemaError saying where and why. */
export function toGrammarSchema(schema: unknown, options: SchemaCompileOptions): GbnfJsonSchema {
  return new Compiler(options).convert(schema, '', 0, new Set());
}

function join(path: string, key: string): string {
  if (!path) return key;
  return key.startsWith('[') ? `${path}${key}` : `${path}.${key}`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
