import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client';
import { createTestApp, type TestApp } from './harness';
import { operationsOf, requestOf, type OpenApiDoc, type Pools } from './support/openapi-fuzz';
import { inventory } from './support/inventory';

// Property-based fuzzing of every operation in /api/v1/openapi.json against the in-process app: bodies
// and parameters generated from the document's own schemas, valid-looking (some succeed) or mutated.
// Properties: never a 5xx; a 4xx wrote nothing of the organisation's (row counts of every table with
// an org_id); another organisation's id is never served. FUZZ_RUNS requests per operation (default
// 20: 800 requests, under a minute on PGlite on 2 cores); FUZZ_SEED replays a failure (the failure
// prints its seed, operation and request).
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);

let h: TestApp;
let doc: OpenApiDoc;
let pools: Pools;
let orgId: string;
let key: string;
let tables: string[];

beforeAll(async () => {
  h = await createTestApp();
  doc = (await h.client(undefined)('GET', '/api/v1/openapi.json')).body;
  const a = await seed('A');
  const b = await seed('B');
  orgId = a.orgId;
  key = a.key;
  pools = { ...a.pool, foreign: b.pool };
  tables = (await queryRows<{ table_name: string }>(h.db, sql`
    select table_name from information_schema.columns
    where table_schema = 'public' and column_name = 'org_id' order by table_name`)).map((r) => r.table_name);
});
afterAll(() => h?.close());

/** An organisation with stock, documents in several states, a user and a spare API key, so valid requests can succeed. */
async function seed(tag: string) {
  const org = await h.createOrg();
  const inv = inventory(org.api);
  await inv.item(`${tag}-AVG`);
  await inv.item(`${tag}-FIFO`, { valuationMethod: 'fifo' });
  await inv.item(`${tag}-LOT`, { lotTracked: true, shelfLifeDays: 365 });
  await inv.warehouse(`${tag}-WH1`);
  await inv.warehouse(`${tag}-WH2`, 'store');
  const docs = [
    await inv.receipt(`${tag}-WH1`, `${tag}-AVG`, 1000, 2),
    await inv.receipt(`${tag}-WH1`, `${tag}-FIFO`, 1000, 3),
    await inv.receipt(`${tag}-WH1`, `${tag}-LOT`, 500, 1, { lot: 'L1', expiresOn: '2027-06-30' }),
    await inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: `${tag}-WH1`, lines: [{ sku: `${tag}-AVG`, qty: 5 }] }),
    await inv.post('transfer', `${tag}-WH1`, [{ sku: `${tag}-FIFO`, qty: 10 }], { toWarehouse: `${tag}-WH2` }),
    await inv.ok('POST', '/api/v1/documents', { type: 'customer_return', warehouse: `${tag}-WH1`, lines: [{ sku: `${tag}-AVG`, qty: 1 }], submit: true }),
  ];
  const user = await inv.ok('POST', '/api/v1/users', { name: `${tag} staff`, roles: ['staff'], warehouses: [`${tag}-WH1`] });
  const spare = await inv.ok('POST', '/api/v1/api-keys', { name: 'spare' });
  return {
    orgId: org.orgId,
    key: org.key,
    pool: {
      skus: [`${tag}-AVG`, `${tag}-FIFO`, `${tag}-LOT`], warehouses: [`${tag}-WH1`, `${tag}-WH2`],
      documentIds: docs.map((d) => d.id), documentNumbers: docs.map((d) => d.number), userIds: [user.id],
      // Never the fuzzer's own key: revoking it would end the run with 401s.
      apiKeyIds: [spare.id],
    },
  };
}

/** Rows per table that belong to the fuzzed organisation: a refusal must leave every count as it was. */
async function counts(): Promise<Record<string, number>> {
  const parts = tables.map((t) => sql`select ${t} as t, count(*)::int as n from ${sql.identifier(t)} where org_id = ${orgId}`);
  const rows = await queryRows<{ t: string; n: number }>(h.db, sql.join(parts, sql` union all `));
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

describe('API fuzz: every operation of the OpenAPI document', () => {
  it(`never answers 5xx, writes nothing on a refusal, and never serves another organisation's ids (${RUNS} runs per operation, seed ${SEED})`, async () => {
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(30);
    const seen = new Map<string, Map<number, number>>();
    let before = await counts();
    for (const op of operations) {
      const name = `${op.method} ${op.path}`;
      const statuses = new Map<number, number>();
      seen.set(name, statuses);
      await fc.assert(fc.asyncProperty(requestOf(op, doc, pools), async (request) => {
        const headers = { ...(request.init.headers as Record<string, string>), authorization: `Bearer ${key}` };
        const res = await h.app.request(request.url, { ...request.init, headers });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const after = await counts();
        const where = `${request.describe}\n→ ${res.status} ${text.slice(0, 500)}`;
        expect(res.status, `a 5xx: ${where}`).toBeLessThan(500);
        if (res.status >= 400) expect(after, `a ${res.status} that wrote: ${where}`).toEqual(before);
        if (request.foreign) expect(res.status, `another organisation's id served: ${where}`).toBeGreaterThanOrEqual(400);
        before = after;
      }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
    }
    // The generator must reach the handlers, not only the validators: many operations succeed sometimes.
    const succeeded = [...seen].filter(([, s]) => [...s.keys()].some((code) => code < 300)).map(([n]) => n);
    console.log(`api fuzz (seed ${SEED}, ${RUNS} runs per operation): ${succeeded.length} of ${operations.length} operations succeeded at least once\n`
      + [...seen].map(([n, s]) => `  ${n}: ${[...s].sort(([x], [y]) => x - y).map(([code, k]) => `${code}×${k}`).join(' ')}`).join('\n'));
    expect(succeeded.length).toBeGreaterThan(operations.length / 2);
  }, Math.max(90_000, RUNS * 6_000));
});
