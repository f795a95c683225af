import fc from 'fast-check';

/**
 * Requests for property-based fuzzing, generated from the service's own OpenAPI document: for each
 * operation, bodies and parameters built from its schemas (valid-looking, using real codes and ids
 * where a field names one, so that some succeed), then mutated — a field removed or set to a wrong
 * type, a huge or negative number, NUL, odd unicode, an unknown enum value, another organisation's id.
 */

type Schema = {
  $ref?: string; type?: string | string[]; enum?: unknown[]; format?: string; properties?: Record<string, Schema>;
  required?: string[]; items?: Schema; minItems?: number; maxItems?: number; minLength?: number; maxLength?: number;
  minimum?: number; maximum?: number; exclusiveMinimum?: number; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[];
};
type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Schema };
export type OpenApiDoc = {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
};

export type Operation = { method: string; path: string; params: Parameter[]; body?: { contentType: string; schema: Schema; required: boolean } };

/** What the fuzzer may use as real values: codes and ids of the fuzzed organisation, and another's. */
export type Pools = {
  skus: string[]; warehouses: string[]; documentIds: string[]; documentNumbers: string[]; userIds: string[]; apiKeyIds: string[];
  foreign: { skus: string[]; warehouses: string[]; documentIds: string[]; documentNumbers: string[]; userIds: string[]; apiKeyIds: string[] };
};

export type FuzzRequest = { url: string; init: RequestInit; foreign: boolean; describe: string };

export function operationsOf(doc: OpenApiDoc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => {
    const [contentType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
    return {
      method: method.toUpperCase(), path, params: op.parameters ?? [],
      ...(contentType && media ? { body: { contentType, schema: media.schema, required: op.requestBody?.required ?? false } } : {}),
    };
  }));
}

/** Values no schema should let through unchecked. */
const WEIRD: unknown[] = [
  null, true, false, 0, -1, -0.5, 1e308, -1e308, 2 ** 53 + 1, 1e-9, '', ' ', '0', '-5', '-0.001', 'NaN', 'Infinity', '1e5', '0x1F',
  '12.3456789', '99999999999999999999', 'a\u0000b', '\u0000', '\ud800', '\u202egnp.exe', '\u200b', '𝄞'.repeat(30), 'ｘ'.repeat(70),
  'x'.repeat(3000), 'zzz_unknown', '../../etc/passwd', '%00', "'; drop table items; --", '2026-13-45', '2026-02-30', '0000-00-00',
  [], {}, [null], { a: 1 }, [[[]]],
];
/** Text that may stand in a query string or path segment (a header refuses NUL and line breaks before any server sees it). */
const WEIRD_TEXT = WEIRD.filter((v): v is string => typeof v === 'string');

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
const decimal = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom('1', '2.5', '0.001', '10', '3.333'));
const date = fc.constantFrom('2026-01-01', '2026-06-30', '2026-12-31', '2027-02-28');

const ABSENT = Symbol('absent');
/** Optional in the schema, needed by most requests (a document's warehouse, a receipt's unit cost). */
const USUALLY_GIVEN = new Set(['warehouse', 'unitCost', 'submit']);
/** Optional, and wrong on most requests (a destination, a returned document, a lot on an item without lots). */
const RARELY_GIVEN = new Set(['toWarehouse', 'returnOf', 'previousQty', 'lot', 'expiresOn']);

/** Arbitraries for a property or parameter by its name, where the name says what it holds. */
function hinted(name: string, pools: Pools): fc.Arbitrary<unknown> | undefined {
  const pick = <T>(xs: T[]) => (xs.length ? fc.constantFrom(...xs) : undefined);
  switch (name) {
    // Known codes, so references resolve; new ones, so creates can succeed.
    case 'sku': case 'code': return fc.oneof(fc.constantFrom(...(name === 'sku' ? pools.skus : pools.warehouses)), word.map((w) => `N-${w}`));
    case 'warehouse': case 'toWarehouse': case 'warehouses': return pick(pools.warehouses);
    case 'returnOf': case 'number': case 'document': return pick([...pools.documentNumbers, ...pools.documentIds]);
    case 'before': return pick(pools.documentIds);
    case 'user': case 'users': return pick(pools.userIds);
    case 'factor': return fc.integer({ min: 2, max: 48 });
    case 'qty': case 'unitCost': case 'minQty': case 'reorderQty': case 'acceptedQty': case 'minValue':
    case 'previousQty': case 'hours': return decimal;
    case 'expiresOn': case 'from': case 'to': return date;
    case 'line': return fc.integer({ min: 1, max: 3 });
    case 'lot': return fc.constantFrom('L1', 'L2');
    default: return undefined;
  }
}

/** A value the schema describes, biased towards values that can succeed. */
export function valueOf(schema: Schema, doc: OpenApiDoc, pools: Pools, name = '', depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return valueOf(doc.components.schemas[schema.$ref.split('/').pop()!]!, doc, pools, name, depth);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((s) => valueOf(s, doc, pools, name, depth)));
  if (schema.allOf) return valueOf(Object.assign({}, ...schema.allOf), doc, pools, name, depth);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'string'];
  const type = types.find((t) => t !== 'null') ?? 'null';
  const base = baseValue(schema, type, doc, pools, name, depth);
  return types.includes('null') ? fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: base }) : base;
}

function baseValue(schema: Schema, type: string, doc: OpenApiDoc, pools: Pools, name: string, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (type === 'object') {
    const props = Object.entries(schema.properties ?? {});
    if (props.length === 0 || depth > 4) return fc.constant({});
    // An optional field is left out more often than not: most depend on others (a destination only
    // on a transfer), and a body with every option set is refused for it before anything else.
    const required = schema.required ?? [];
    const field = (k: string, s: Schema) => {
      const value = valueOf(s, doc, pools, k, depth + 1);
      if (required.includes(k)) return value;
      const absent = fc.constant(ABSENT);
      // Out of 8 (absent) + weight: given 3 in 4, 1 in 3 or 1 in 9.
      const weight = USUALLY_GIVEN.has(k) ? 24 : RARELY_GIVEN.has(k) ? 1 : 4;
      return fc.oneof({ weight: 8, arbitrary: absent }, { weight, arbitrary: value });
    };
    return fc.record(Object.fromEntries(props.map(([k, s]) => [k, field(k, s)])))
      .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ABSENT)));
  }
  if (type === 'array') {
    const items = valueOf(schema.items ?? {}, doc, pools, name, depth + 1);
    const min = schema.minItems ?? 0;
    return fc.array(items, { minLength: min, maxLength: Math.max(min, Math.min(schema.maxItems ?? 3, 3)) });
  }
  const hint = hinted(name, pools);
  if (hint) return hint;
  if (type === 'integer') {
    const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
    return fc.integer({ min, max: Math.min(schema.maximum ?? min + 100, min + 100) });
  }
  if (type === 'number') return fc.double({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000, noNaN: true });
  if (type === 'boolean') return fc.boolean();
  if (schema.format === 'uuid') return fc.uuid();
  return word;
}

/** Every place in a JSON value, as a path of keys; the empty path is the value itself. */
function placesIn(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [at, ...value.flatMap((v, i) => placesIn(v, [...at, i]))];
  if (value && typeof value === 'object') return [at, ...Object.entries(value).flatMap(([k, v]) => placesIn(v, [...at, k]))];
  return [at];
}

type Mutation = { kind: 'delete' } | { kind: 'set'; value: unknown };

/** The value with one place removed or replaced. */
function mutate(value: unknown, which: number, mutation: Mutation): unknown {
  const places = placesIn(value);
  const place = places[which % places.length]!;
  if (place.length === 0) return mutation.kind === 'delete' ? undefined : mutation.value;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of place.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = place.at(-1)!;
  if (mutation.kind === 'set') parent[last] = mutation.value;
  else if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return copy;
}

const mutation = (pools: Pools): fc.Arbitrary<Mutation> => fc.oneof(
  fc.constant({ kind: 'delete' } as const),
  fc.constantFrom(...WEIRD).map((value) => ({ kind: 'set', value }) as const),
  fc.constantFrom(...pools.foreign.skus, ...pools.foreign.warehouses, ...pools.foreign.documentIds, ...pools.foreign.userIds)
    .map((value) => ({ kind: 'set', value }) as const),
  fc.uuid().map((value) => ({ kind: 'set', value }) as const),
);

const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');

/** A path segment: encoded, with lone surrogates (which encodeURIComponent refuses) replaced. */
const segment = (v: string) => encodeURIComponent(v.replace(/[\ud800-\udfff]/g, (c, i, s) => (/[\ud800-\udbff][\udc00-\udfff]/.test(s.slice(i - 1, i + 1) + s.slice(i, i + 2)) ? c : '\ufffd')));

/** A CSV file for the imports route: a header of known columns and rows of plausible or weird cells. */
const csvFile = (pools: Pools) => {
  const cell = fc.oneof(word, decimal.map(String), date, fc.constantFrom(...pools.skus, ...pools.warehouses), fc.constantFrom(...WEIRD_TEXT));
  const header = fc.constantFrom('sku,name,unit', 'code,name,type', 'warehouse,sku,qty,unitCost,lot,expiresOn', 'sku,name,unit,barcodes,packUnits,valuationMethod', 'nonsense');
  return fc.tuple(header, fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 4 }))
    .map(([h, rows]) => [h, ...rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(','))].join('\n'));
};

/** One request to `op`: parameters and body valid-looking or mutated; `foreign` when a path id is another organisation's. */
export function requestOf(op: Operation, doc: OpenApiDoc, pools: Pools): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const ours = (p: Parameter) => p.name === 'id'
    ? (op.path.startsWith('/api/v1/users') ? pools.userIds : op.path.startsWith('/api/v1/api-keys') ? pools.apiKeyIds : [...pools.documentIds, ...pools.documentNumbers])
    : p.name === 'sku' ? pools.skus : pools.warehouses;
  const theirs = (p: Parameter) => p.name === 'id'
    ? (op.path.startsWith('/api/v1/users') ? pools.foreign.userIds : op.path.startsWith('/api/v1/api-keys') ? pools.foreign.apiKeyIds : pools.foreign.documentIds)
    : p.name === 'sku' ? pools.foreign.skus : pools.foreign.warehouses;
  const pathValue = (p: Parameter) => fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...ours(p)).map((v) => ({ v, foreign: false })) },
    // Another organisation's id must never be served; its codes are only names, which this one may create too.
    { weight: 2, arbitrary: fc.constantFrom(...theirs(p)).map((v) => ({ v, foreign: p.name === 'id' })) },
    { weight: 1, arbitrary: fc.uuid().map((v) => ({ v, foreign: false })) },
    { weight: 2, arbitrary: fc.constantFrom(...WEIRD_TEXT.filter((t) => t !== '')).map((v) => ({ v, foreign: false })) },
  );
  const queryValue = (p: Parameter) => fc.oneof(
    { weight: 4, arbitrary: valueOf(p.schema, doc, pools, p.name).map(asText) },
    { weight: 2, arbitrary: fc.constantFrom(...WEIRD_TEXT) },
  );
  const query = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, queryValue(p)])),
    { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) });
  const idempotencyKey = op.params.some((p) => p.name === 'idempotency-key')
    // Non-ASCII arrives as its UTF-8 bytes read one per character, as Node reads a header.
    ? fc.option(fc.oneof(word, fc.constantFrom('x'.repeat(201), ' ', Buffer.from('𝄞键', 'utf8').toString('latin1'))), { freq: 4 }) : fc.constant(null);
  const body: fc.Arbitrary<{ text: string | undefined; type: string } | undefined> = !op.body ? fc.constant(undefined)
    : op.body.contentType === 'application/json'
      ? fc.oneof(
        { weight: 3, arbitrary: valueOf(op.body.schema, doc, pools) },
        { weight: 4, arbitrary: fc.tuple(valueOf(op.body.schema, doc, pools), fc.nat(), mutation(pools)).map(([v, i, m]) => mutate(v, i, m)) },
      ).chain((v) => fc.oneof(
        { weight: 9, arbitrary: fc.constant(v === undefined ? undefined : { text: JSON.stringify(v), type: 'application/json' }) },
        { weight: 1, arbitrary: fc.constantFrom('not json', '{', '{"a":', '\u0000', '[1,').map((text) => ({ text, type: 'application/json' })) },
      ))
      : fc.oneof(
        { weight: 4, arbitrary: csvFile(pools).map((text) => ({ text, type: 'text/csv' })) },
        { weight: 1, arbitrary: fc.constantFrom('PK\u0003\u0004garbage', '').map((text) => ({ text, type: op.body!.contentType })) },
        { weight: 1, arbitrary: word.map((text) => ({ text, type: 'application/x-unknown' })) },
      );
  return fc.record({ path: fc.tuple(...pathParams.map(pathValue)), query, idempotencyKey, body }).map(({ path, query, idempotencyKey, body }) => {
    let url = op.path;
    pathParams.forEach((p, i) => { url = url.replace(`{${p.name}}`, segment(path[i]!.v)); });
    const search = new URLSearchParams(Object.entries(query) as [string, string][]).toString();
    const headers: Record<string, string> = {
      ...(body ? { 'content-type': body.type } : {}), ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    };
    const init: RequestInit = { method: op.method, headers, ...(body?.text !== undefined ? { body: body.text } : {}) };
    const full = search ? `${url}?${search}` : url;
    return {
      url: full, init, foreign: path.some((p) => p.foreign),
      describe: `${op.method} ${full}${idempotencyKey ? ` [Idempotency-Key: ${idempotencyKey}]` : ''}${body ? ` (${body.type}) ${body.text?.slice(0, 400)}` : ''}`,
    };
  });
}
