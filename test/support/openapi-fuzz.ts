/**
 * Request generators for the OpenAPI boundary test (test/e2e/openapi-fuzz.e2e-spec.ts).
 * Everything is derived from the contract: its operations, parameters and schemas. A case
 * starts from a plausible request (examples, enums, bounds of the schema) and breaks one
 * thing in it: a string at its maxLength or one past, an array at maxItems or one past, a
 * number at or past its bounds, an impossible date, a wrong type, an unknown field, a
 * missing required field, an empty object, a unicode edge case, a path parameter that is not
 * a UUID, a bad query or header value.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';

export type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  description?: string;
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  default?: unknown;
};

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: Schema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
}

export interface ApiOperation {
  method: string;
  path: string;
  op: Operation;
  /** Declares bearer security (send the tenant admin's token). */
  secured: boolean;
  bodySchema?: Schema;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the contract, in document order. */
export function operationsOf(doc: OpenApiDocument): ApiOperation[] {
  const out: ApiOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      out.push({
        method,
        path,
        op,
        secured: (op.security ?? []).some((s) => Object.keys(s).length > 0),
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return out;
}

/** Stands for the record's current ETag; the test asks for it just before sending. */
export const ETAG_CURRENT = '<current etag>';

/** What the test knows about its tenant: ids that exist, ETags, the caller's credentials. */
export interface FuzzContext {
  tenantId: string;
  token: string;
  /** Ids of records that exist, by the collection path they were created under (`/api/v1/patients`). */
  existing: Record<string, string>;
}

export interface FuzzCase {
  /** What was broken, for the failure message. */
  mutation: string;
  method: string;
  /** Path with its parameters substituted and already percent-encoded. */
  url: string;
  headers: Record<string, string>;
  /** A JSON value to send, or `raw` text sent as application/json as is. */
  body?: { json: unknown } | { raw: string };
  authenticated: boolean;
}

// ---------------------------------------------------------------------------------------- schema

export class SchemaResolver {
  constructor(private readonly doc: OpenApiDocument) {}

  /** $ref followed and allOf merged, so a caller sees one flat schema. */
  resolve(schema: Schema | undefined): Schema {
    if (!schema) return {};
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      const target = this.doc.components?.schemas?.[name];
      if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
      const rest: Schema = { ...schema };
      delete rest.$ref;
      return this.resolve({ ...target, ...rest });
    }
    if (schema.allOf) {
      const { allOf, ...rest } = schema;
      const merged: Schema = { ...rest };
      for (const part of allOf.map((s) => this.resolve(s))) {
        merged.properties = { ...merged.properties, ...part.properties };
        merged.required = [...(merged.required ?? []), ...(part.required ?? [])];
        for (const [k, v] of Object.entries(part)) {
          if (
            k !== 'properties' &&
            k !== 'required' &&
            (merged as Record<string, unknown>)[k] === undefined
          ) {
            (merged as Record<string, unknown>)[k] = v;
          }
        }
      }
      if (!merged.type && merged.properties) merged.type = 'object';
      return merged;
    }
    return schema;
  }
}

function isDateLike(s: Schema): boolean {
  return s.format === 'date' || s.format === 'date-time' || /YYYY/.test(s.description ?? '');
}

const realDay = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** A value the schema accepts, preferring its examples, so a case reaches past validation. */
export function plausible(r: SchemaResolver, raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = r.resolve(raw);
  if (s.enum && s.enum.length > 0) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'string': {
      if (s.format === 'uuid') return fc.uuid();
      if (s.format === 'date') return realDay;
      if (s.format === 'date-time') return realDay.map((d) => `${d}T10:00:00.000Z`);
      if (s.format === 'password') return fc.constant('Plausible-Passphrase-2024!');
      const max = Math.max(1, Math.min(s.maxLength ?? 24, 24));
      const word = fc.string({
        unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
        minLength: 1,
        maxLength: max,
      });
      if (isDateLike(s)) return realDay;
      return typeof s.example === 'string' ? fc.oneof(fc.constant(s.example), word) : word;
    }
    case 'number':
    case 'integer': {
      const min = s.minimum ?? 0;
      const max = s.maximum ?? Math.max(min, 1000);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      if (depth > 4) return fc.constant([]);
      const item = plausible(r, s.items, depth + 1);
      if (s.example !== undefined && Array.isArray(s.example)) {
        return fc.oneof(fc.constant(s.example), fc.array(item, { maxLength: Math.min(s.maxItems ?? 2, 2) }));
      }
      return fc.array(item, { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 2, 2) });
    }
    case 'object':
    default: {
      if (!s.properties || depth > 4) return fc.constant({});
      const props = Object.fromEntries(
        Object.entries(s.properties).map(([k, v]) => [k, plausible(r, v, depth + 1)]),
      );
      return fc.record(props, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
  }
}

/** The smallest acceptable value: required properties only, examples first (to create seed records). */
export function minimalExample(r: SchemaResolver, raw: Schema | undefined): unknown {
  const s = r.resolve(raw);
  if (s.example !== undefined) return s.example;
  if (s.enum && s.enum.length > 0) return s.enum[0];
  switch (s.type) {
    case 'string':
      if (s.format === 'date' || isDateLike(s)) return '1990-05-17';
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'password') return 'Plausible-Passphrase-2024!';
      return 'Seed';
    case 'number':
    case 'integer':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return [minimalExample(r, s.items)];
    default:
      return Object.fromEntries((s.required ?? []).map((k) => [k, minimalExample(r, s.properties?.[k])]));
  }
}

// ---------------------------------------------------------------------------------------- values

/** Unicode a text field must survive or refuse cleanly. */
export const UNICODE_EDGES = [
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'a\uDC00b',
  '\u0000', // NUL
  'abc\u0000def',
  '\u202Eevil\u202C', // right-to-left override
  'مريض محمد', // Arabic, right to left
  'שלום',
  '\u200B', // zero-width space alone
  'a\u200Db\uFEFF', // zero-width joiner, BOM
  '\u00A0\u2028\u2029', // nbsp, line and paragraph separators
  '👨‍👩‍👧‍👦', // emoji ZWJ sequence
  '😀'.repeat(3),
  'e\u0301\u0301\u0301', // stacked combining marks
  'अनिल कुमार',
  '\uFFFF\uFFFE',
  '\u001B[31m\r\n\t',
  '%00%s%n{{7*7}}${x}',
  "'; DROP TABLE clinical.patients; --",
  ' ',
  '',
];

const repeatUnit = fc.constantFrom('a', 'é', 'अ', '😀', '\u200B', '9');

/** A string of exactly `length` UTF-16 code units (a surrogate pair counts 2, as JS and class-validator count). */
function stringOfLength(length: number): fc.Arbitrary<string> {
  return repeatUnit.map((u) => {
    const s = u.repeat(Math.ceil(length / u.length));
    return s.length === length ? s : s.slice(0, length - 1) + 'x';
  });
}

const IMPOSSIBLE_DATES = [
  '2023-02-29',
  '2024-13-45',
  '2024-04-31',
  '0000-00-00',
  '2024-00-10',
  '99999-01-01',
  '+275760-09-14',
  '-000001-01-01',
  '2024-02-30T10:00:00Z',
  '2024-06-01T24:00:01Z',
  '2024-06-01T10:00:00+25:00',
  '1969-12-31T23:59:60Z',
  '2024-1-1',
  '20240101',
  '1e3',
];

const WRONG_TYPES: unknown[] = [0, -1, 1.5, true, false, null, [], {}, [1, 'a'], { a: 1 }, 'text', '1'];

const NUMBER_EDGES = (s: Schema) => {
  const min = s.minimum ?? 0;
  const max = s.maximum ?? 100;
  return [min, max, min - 1, max + 1, min + 0.5, -0, 1e21, 2 ** 31, 2 ** 53 + 2, -(2 ** 63)];
};

interface Slot {
  /** Path of property names / indexes into the body. */
  at: (string | number)[];
  schema: Schema;
}

/** Every property (at any depth) of a plausible body, with its schema. */
function slotsOf(
  r: SchemaResolver,
  raw: Schema | undefined,
  value: unknown,
  at: (string | number)[] = [],
): Slot[] {
  const s = r.resolve(raw);
  const out: Slot[] = [{ at, schema: s }];
  if (s.properties) {
    for (const [k, child] of Object.entries(s.properties)) {
      const v = value && typeof value === 'object' ? (value as Record<string, unknown>)[k] : undefined;
      out.push(...slotsOf(r, child, v, [...at, k]));
    }
  }
  if (s.items && Array.isArray(value) && value.length > 0)
    out.push(...slotsOf(r, s.items, value[0], [...at, 0]));
  return out;
}

function getAt(value: unknown, at: (string | number)[]): unknown {
  return at.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    value,
  );
}

function setAt(value: unknown, at: (string | number)[], next: unknown): unknown {
  if (at.length === 0) return next;
  const [head, ...rest] = at;
  const base = (
    Array.isArray(value)
      ? [...value]
      : value && typeof value === 'object'
        ? { ...value }
        : typeof head === 'number'
          ? []
          : {}
  ) as Record<string | number, unknown>;
  base[head] = setAt(base[head], rest, next);
  return base;
}

function deleteAt(value: unknown, at: (string | number)[]): unknown {
  if (at.length === 1 && value && typeof value === 'object') {
    const copy = { ...(value as Record<string, unknown>) };
    delete copy[at[0] as string];
    return copy;
  }
  return setAt(value, at.slice(0, -1), deleteAt(getAt(value, at.slice(0, -1)), at.slice(-1)));
}

type Mutated = { mutation: string; value: unknown };

/** The ways to break one slot of a JSON body, as its schema allows. */
function breakSlot(r: SchemaResolver, slot: Slot, base: unknown): fc.Arbitrary<Mutated>[] {
  const s = slot.schema;
  const name = slot.at.join('.') || '(body)';
  const put =
    (what: string) =>
    (v: unknown): Mutated => ({ mutation: `${name}: ${what}`, value: setAt(base, slot.at, v) });
  const current = getAt(base, slot.at);
  const out: fc.Arbitrary<Mutated>[] = [fc.constantFrom(...WRONG_TYPES).map(put('wrong type'))];
  if (slot.at.length > 0) out.push(fc.constant(null).map(put('null')));

  if (s.type === 'string' || s.enum) {
    if (s.maxLength !== undefined) {
      out.push(stringOfLength(s.maxLength).map(put(`at maxLength ${s.maxLength}`)));
      out.push(stringOfLength(s.maxLength + 1).map(put(`one past maxLength ${s.maxLength}`)));
    } else {
      out.push(
        fc
          .constantFrom(256, 1001, 10_001, 60_000)
          .chain((n) => stringOfLength(n))
          .map((v) => ({
            mutation: `${name}: unbounded string of ${v.length}`,
            value: setAt(base, slot.at, v),
          })),
      );
    }
    const around = typeof current === 'string' ? current : '';
    out.push(
      fc
        .tuple(fc.constantFrom(...UNICODE_EDGES), fc.constantFrom('alone', 'prefix', 'suffix'))
        .map(([edge, where]) => {
          const v = where === 'alone' ? edge : where === 'prefix' ? edge + around : around + edge;
          return {
            mutation: `${name}: unicode ${JSON.stringify(edge)} ${where}`,
            value: setAt(base, slot.at, v),
          };
        }),
    );
    out.push(fc.string({ unit: 'binary', maxLength: 40 }).map(put('random code points')));
    if (s.enum)
      out.push(
        fc
          .constantFrom('NOT_IN_ENUM', String(s.enum[0]).toUpperCase(), ` ${String(s.enum[0])}`)
          .map(put('not in enum')),
      );
    if (isDateLike(s)) out.push(fc.constantFrom(...IMPOSSIBLE_DATES).map(put('impossible date')));
    if (s.format === 'uuid')
      out.push(fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-00000000000g').map(put('not a uuid')));
  }
  if (s.type === 'number' || s.type === 'integer') {
    out.push(fc.constantFrom(...NUMBER_EDGES(s)).map(put('number at/past bounds')));
  }
  if (s.type === 'array') {
    const item = plausible(r, s.items, 1);
    if (s.maxItems !== undefined) {
      out.push(
        fc
          .array(item, { minLength: s.maxItems, maxLength: s.maxItems })
          .map(put(`at maxItems ${s.maxItems}`)),
      );
      out.push(
        fc
          .array(item, { minLength: s.maxItems + 1, maxLength: s.maxItems + 1 })
          .map(put(`one past maxItems ${s.maxItems}`)),
      );
    } else {
      out.push(
        fc
          .constantFrom(50, 1000)
          .chain((n) => fc.array(item, { minLength: n, maxLength: n }))
          .map(put('unbounded array')),
      );
    }
    out.push(fc.constant([[]]).map(put('nested array')));
  }
  if (s.type === 'object' || s.properties) {
    out.push(fc.constant({}).map(put('empty object')));
    out.push(
      fc
        .tuple(
          fc.constantFrom('unknownField', 'constructor', '__proto__', 'tenantId', 'id', 'version'),
          fc.jsonValue({ maxDepth: 1 }),
        )
        .map(([k, v]) => {
          const obj = { ...((getAt(base, slot.at) as object) ?? {}) } as Record<string, unknown>;
          Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
          return { mutation: `${name}: unknown field ${k}`, value: setAt(base, slot.at, obj) };
        }),
    );
    const required = (s.required ?? []).filter((k) => current && typeof current === 'object' && k in current);
    if (required.length > 0) {
      out.push(
        fc.constantFrom(...required).map((k) => ({
          mutation: `${name}: required ${k} missing`,
          value: deleteAt(base, [...slot.at, k]),
        })),
      );
    }
  }
  return out;
}

const depthBomb = (n: number) => '['.repeat(n) + ']'.repeat(n);

/** Bodies broken as a whole (not JSON, wrong top-level type, nesting). */
const WHOLE_BODY: { mutation: string; body: FuzzCase['body'] }[] = [
  { mutation: 'body: empty object', body: { json: {} } },
  { mutation: 'body: array', body: { json: [] } },
  { mutation: 'body: string', body: { json: 'text' } },
  { mutation: 'body: number', body: { json: 42 } },
  { mutation: 'body: null', body: { raw: 'null' } },
  { mutation: 'body: not JSON', body: { raw: '{"a":' } },
  { mutation: 'body: deeply nested', body: { raw: depthBomb(5000) } },
  { mutation: 'body: deeply nested object', body: { raw: '{"a":'.repeat(2000) + '1' + '}'.repeat(2000) } },
  { mutation: 'body: duplicate keys', body: { raw: '{"a":1,"a":2}' } },
  { mutation: 'body: NUL in a key', body: { raw: '{"\\u0000":1}' } },
];

// ---------------------------------------------------------------------------------------- URLs

/** Percent-encodes a string as UTF-8, encoding lone surrogates as their WTF-8 bytes (which no decoder accepts). */
export function encodeLoose(value: string): string {
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += `%${(0xe0 | (cp >> 12)).toString(16).toUpperCase()}%${(0x80 | ((cp >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (cp & 0x3f)).toString(16).toUpperCase()}`;
    } else out += encodeURIComponent(ch);
  }
  return out;
}

const BAD_PATH_IDS = [
  'abc',
  '1',
  '-1',
  '00000000-0000-0000-0000-00000000000g',
  '00000000000000000000000000000000',
  '{00000000-0000-0000-0000-000000000000}',
  '00000000-0000-0000-0000-0000000000000',
  'null',
  'undefined',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '%ED%A0%80',
  '..%2F..%2Fhealth',
  '%20',
  'x'.repeat(5000),
  encodeURIComponent('مريض'),
  encodeURIComponent('😀'),
];

const BAD_QUERY_NUMBERS = [
  '0',
  '-1',
  '101',
  '1000000',
  '1.5',
  'abc',
  '1e3',
  'NaN',
  'Infinity',
  ' 1',
  '0x10',
  '',
  '99999999999999999999',
];
const BAD_QUERY_BOOLEANS = ['yes', 'TRUE', '2', '', 'null'];

interface Request0 {
  pathValues: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body: unknown;
}

/** The raw `name=value` pairs of a query, encoded; lone surrogates and NULs survive as bytes. */
function queryString(pairs: [string, string][]): string {
  if (pairs.length === 0) return '';
  return '?' + pairs.map(([k, v]) => `${encodeLoose(k)}=${v}`).join('&');
}

function urlOf(path: string, values: Record<string, string>, query: [string, string][]): string {
  return (
    path.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? encodeURIComponent(randomUUID())) +
    queryString(query)
  );
}

/** A query value for a parameter's schema, already percent-encoded. */
function plausibleQuery(r: SchemaResolver, p: Parameter): fc.Arbitrary<string> {
  return plausible(r, p.schema).map((v) => encodeLoose(String(v)));
}

// ---------------------------------------------------------------------------------------- cases

export interface CaseOptions {
  /** Share of cases sent without credentials (secured operations only). */
  unauthenticatedShare: number;
}

/** One broken request for an operation. */
export function brokenRequest(
  doc: OpenApiDocument,
  api: ApiOperation,
  ctx: FuzzContext,
  opts: CaseOptions = { unauthenticatedShare: 0.1 },
): fc.Arbitrary<FuzzCase> {
  const r = new SchemaResolver(doc);
  const params = api.op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const headerParams = params.filter((p) => p.in === 'header');
  const collection = api.path.replace(/\/\{[^}]+\}.*$/, '');
  const existing = ctx.existing[collection];

  const validHeader = (p: Parameter): string | undefined => {
    const n = p.name.toLowerCase();
    if (n === 'x-tenant-id') return ctx.tenantId;
    if (n === 'if-match') return ETAG_CURRENT;
    return undefined; // optional headers (Idempotency-Key) are left out of the plausible request
  };

  const base: fc.Arbitrary<Request0> = fc.record({
    pathValues: fc.constant(
      Object.fromEntries(pathParams.map((p) => [p.name, existing ?? randomUUID()])) as Record<string, string>,
    ),
    query: fc
      .tuple(
        ...queryParams.map((p) =>
          p.required
            ? plausibleQuery(r, p).map((v) => [p.name, v] as [string, string])
            : fc.option(
                plausibleQuery(r, p).map((v) => [p.name, v] as [string, string]),
                { nil: undefined },
              ),
        ),
      )
      .map((pairs) => pairs.filter((x): x is [string, string] => x !== undefined)),
    headers: fc.constant(
      Object.fromEntries(
        headerParams.map((p) => [p.name, validHeader(p)]).filter(([, v]) => v !== undefined),
      ) as Record<string, string>,
    ),
    body: api.bodySchema ? plausible(r, api.bodySchema) : fc.constant(undefined),
  });

  const mutations = (
    b: Request0,
  ): fc.Arbitrary<{ mutation: string; req: Request0; body?: FuzzCase['body'] }>[] => {
    const out: fc.Arbitrary<{ mutation: string; req: Request0; body?: FuzzCase['body'] }>[] = [];
    if (api.bodySchema) {
      const slots = slotsOf(r, api.bodySchema, b.body);
      const perSlot = slots.flatMap((slot) => breakSlot(r, slot, b.body));
      out.push(fc.oneof(...perSlot).map((m) => ({ mutation: m.mutation, req: { ...b, body: m.value } })));
      out.push(fc.constantFrom(...WHOLE_BODY).map((w) => ({ mutation: w.mutation, req: b, body: w.body })));
    } else if (api.method !== 'get') {
      out.push(
        fc.constant({ mutation: 'unexpected body', req: { ...b, body: { unexpected: 'x'.repeat(100) } } }),
      );
    }
    for (const p of pathParams) {
      out.push(
        fc
          .oneof(
            fc.constantFrom(...BAD_PATH_IDS),
            fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map(encodeLoose),
          )
          .map((v) => ({
            mutation: `path ${p.name}: ${v.slice(0, 40)}`,
            req: { ...b, pathValues: { ...b.pathValues, [p.name]: v } },
          })),
      );
    }
    for (const p of queryParams) {
      const s = r.resolve(p.schema);
      const values: fc.Arbitrary<[string, string]>[] = [
        stringOfLength(s.maxLength !== undefined ? s.maxLength + 1 : 5000).map((v) => [
          `too long`,
          encodeLoose(v),
        ]),
        fc.constantFrom(...UNICODE_EDGES).map((v) => [`unicode ${JSON.stringify(v)}`, encodeLoose(v)]),
        fc.constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '%00').map((v) => [`bad encoding ${v}`, v]),
      ];
      if (s.type === 'number' || s.type === 'integer') {
        values.push(
          fc
            .constantFrom(...BAD_QUERY_NUMBERS, ...NUMBER_EDGES(s).map(String))
            .map((v) => ['bad number', encodeLoose(v)]),
        );
      }
      if (s.type === 'boolean')
        values.push(fc.constantFrom(...BAD_QUERY_BOOLEANS).map((v) => ['bad boolean', v]));
      if (isDateLike(s) || s.format === 'date')
        values.push(fc.constantFrom(...IMPOSSIBLE_DATES).map((v) => ['impossible date', encodeLoose(v)]));
      if (s.format === 'uuid') values.push(fc.constantFrom('abc', '1', '{x}').map((v) => ['not a uuid', v]));
      out.push(
        fc.oneof(...values).map(([what, v]) => ({
          mutation: `query ${p.name}: ${what}`,
          req: { ...b, query: [...b.query.filter(([k]) => k !== p.name), [p.name, v]] as [string, string][] },
        })),
      );
      out.push(
        fc.constant({
          mutation: `query ${p.name}: given twice`,
          req: { ...b, query: [...b.query, [p.name, '1'], [p.name, '2']] as [string, string][] },
        }),
      );
      out.push(
        fc.constant({
          mutation: `query ${p.name}: bracket syntax`,
          req: { ...b, query: [...b.query, [`${p.name}[a]`, '1']] as [string, string][] },
        }),
      );
    }
    out.push(
      fc.constantFrom('unknownParam', '__proto__', 'constructor', 'tenantId').map((k) => ({
        mutation: `query: unknown parameter ${k}`,
        req: { ...b, query: [...b.query, [k, 'x']] as [string, string][] },
      })),
    );
    for (const p of headerParams) {
      const n = p.name.toLowerCase();
      const bad =
        n === 'x-tenant-id'
          ? [
              'not-a-uuid',
              '',
              '00000000-0000-0000-0000-000000000000',
              randomUUID(),
              `${ctx.tenantId},${ctx.tenantId}`,
              ctx.tenantId.toUpperCase(),
            ]
          : n === 'if-match'
            ? ['', '*', '"x"', '"-1"', '"0"', 'W/"1"', '"99999999999999999999"', '"1e400"', '1', '"1", "2"']
            : ['', '""', '"' + 'k'.repeat(256) + '"', 'a,b', '"\\"', 'k'.repeat(5000)];
      out.push(
        fc.constantFrom(...bad).map((v) => ({
          mutation: `header ${p.name}: ${v.slice(0, 40)}`,
          req: { ...b, headers: { ...b.headers, [p.name]: v } },
        })),
      );
      if (p.required) {
        out.push(
          fc.constant({
            mutation: `header ${p.name}: missing`,
            req: {
              ...b,
              headers: Object.fromEntries(Object.entries(b.headers).filter(([k]) => k !== p.name)),
            },
          }),
        );
      }
    }
    return out;
  };

  return base.chain((b) =>
    fc.tuple(fc.oneof(...mutations(b)), fc.double({ min: 0, max: 1, noNaN: true })).map(([m, dice]) => {
      const authenticated = api.secured && dice >= opts.unauthenticatedShare;
      const headers: Record<string, string> = { ...m.req.headers };
      if (authenticated) headers.Authorization = `Bearer ${ctx.token}`;
      const body: FuzzCase['body'] = m.body ?? (m.req.body !== undefined ? { json: m.req.body } : undefined);
      return {
        mutation: api.secured && !authenticated ? `${m.mutation} (no credentials)` : m.mutation,
        method: api.method,
        url: urlOf(api.path, m.req.pathValues, m.req.query),
        headers,
        body,
        authenticated,
      };
    }),
  );
}
