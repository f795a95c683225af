import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { countRows, expectError, expectInvalid } from './assertions';
import { createTestApp, type TestApp } from './harness';
import { inventory } from './support/inventory';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());
afterEach(() => h.setNow(undefined));

type Org = Awaited<ReturnType<TestApp['createOrg']>>;

/** An organisation with warehouses and `n` items, each received 10 into every warehouse. */
async function stocked(codes: string[], n: number) {
  const org = await h.createOrg();
  const inv = inventory(org.api);
  const skus = Array.from({ length: n }, (_, i) => `SKU-${String(i + 1).padStart(2, '0')}`);
  for (const code of codes) await inv.warehouse(code);
  for (const sku of skus) await inv.item(sku);
  for (const code of codes) await inv.post('receipt', code, skus.map((sku) => ({ sku, qty: 10, unitCost: 2 })));
  return { org, inv, skus };
}

/** A posted stocktake of these skus in which the first `off` lines are counted one short. */
async function count(org: Org, warehouse: string, skus: string[], off: number) {
  const doc = await inventory(org.api).post('stocktake', warehouse, skus.map((sku, i) => ({ sku, qty: i < off ? 9 : 10 })));
  expect(doc.status).toBe('posted');
  return doc as { id: string; number: string };
}

const accuracy = async (org: Org, query = '') => {
  const res = await org.api('GET', `/api/v1/metrics/accuracy${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

describe('inventory accuracy', () => {
  it('is the share of counted lines with no variance, per warehouse; null where nothing was counted', async () => {
    const { org, skus } = await stocked(['A', 'B'], 20);
    h.setNow(new Date('2026-01-10T02:00:00Z'));
    await count(org, 'A', skus, 3);
    expect(await accuracy(org, '?from=2026-01-01&to=2026-01-31')).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      warehouses: [
        { warehouse: 'A', name: 'A', countedLines: 20, exactLines: 17, accuracy: '0.8500' },
        { warehouse: 'B', name: 'B', countedLines: 0, exactLines: 0, accuracy: null },
      ],
    });

    // Lines add up across counts: 17 of 20, then 3 of 3 → 20 of 23.
    await count(org, 'A', skus.slice(3, 6), 0);
    await count(org, 'B', skus.slice(0, 3), 3);
    const body = await accuracy(org, '?from=2026-01-10&to=2026-01-10');
    expect(body.warehouses).toEqual([
      { warehouse: 'A', name: 'A', countedLines: 23, exactLines: 20, accuracy: '0.8696' },
      { warehouse: 'B', name: 'B', countedLines: 3, exactLines: 0, accuracy: '0.0000' },
    ]);
  });

  it('leaves out reversed stocktakes, their reversals, drafts and other documents', async () => {
    const { org, inv, skus } = await stocked(['A'], 4);
    h.setNow(new Date('2026-02-03T04:00:00Z'));
    await count(org, 'A', skus, 1);
    const wrong = await count(org, 'A', skus, 4);
    const reversal = await inv.ok('POST', `/api/v1/documents/${wrong.id}/reverse`);
    expect(reversal.status).toBe('posted');
    await inv.ok('POST', '/api/v1/documents', { type: 'stocktake', warehouse: 'A', lines: [{ sku: skus[0], qty: 1 }] });
    await inv.post('adjustment', 'A', [{ sku: skus[0], qty: -1 }]);
    expect((await accuracy(org, '?from=2026-02-01&to=2026-02-28')).warehouses).toEqual([
      { warehouse: 'A', name: 'A', countedLines: 4, exactLines: 3, accuracy: '0.7500' },
    ]);
  });

  it('counts postings by their local date in APP_TIMEZONE, both ends inclusive', async () => {
    const { org, skus } = await stocked(['A'], 2);
    // 2026-01-14 23:30 and 2026-01-15 23:59 in Shanghai (UTC+8); then 2026-01-16 00:30 there.
    h.setNow(new Date('2026-01-14T15:30:00Z'));
    await count(org, 'A', skus.slice(0, 1), 0);
    h.setNow(new Date('2026-01-15T15:59:00Z'));
    await count(org, 'A', skus, 1);
    h.setNow(new Date('2026-01-15T16:30:00Z'));
    await count(org, 'A', skus, 2);

    const lines = async (from: string, to: string) =>
      (await accuracy(org, `?from=${from}&to=${to}`)).warehouses[0].countedLines as number;
    expect(await lines('2026-01-14', '2026-01-14')).toBe(1);
    expect(await lines('2026-01-15', '2026-01-15')).toBe(2);
    expect(await lines('2026-01-16', '2026-01-16')).toBe(2);
    expect(await lines('2026-01-14', '2026-01-16')).toBe(5);
    expect(await lines('2026-01-17', '2026-02-01')).toBe(0);
  });

  it('defaults to the last 30 local days, today included', async () => {
    const { org, skus } = await stocked(['A'], 2);
    h.setNow(new Date('2026-01-01T01:00:00Z'));
    await count(org, 'A', skus, 0);
    h.setNow(new Date('2026-01-20T01:00:00Z'));
    await count(org, 'A', skus, 1);

    // 2026-01-30 20:00 UTC is already the 31st in Shanghai: the period is 01-02 … 01-31.
    h.setNow(new Date('2026-01-30T20:00:00Z'));
    expect(await accuracy(org)).toEqual({
      from: '2026-01-02', to: '2026-01-31',
      warehouses: [{ warehouse: 'A', name: 'A', countedLines: 2, exactLines: 1, accuracy: '0.5000' }],
    });
    expect(await accuracy(org, '?to=2026-01-30')).toMatchObject({ from: '2026-01-01', to: '2026-01-30', warehouses: [{ countedLines: 4 }] });
    expect(await accuracy(org, '?from=2025-12-31')).toMatchObject({ from: '2025-12-31', to: '2026-01-31', warehouses: [{ countedLines: 4 }] });
  });

  it('filters by warehouse, and answers 404 naming an unknown or another organisation\'s one', async () => {
    const { org, skus } = await stocked(['A', 'B'], 2);
    await count(org, 'B', skus, 1);
    const other = await h.createOrg();
    await inventory(other.api).warehouse('THEIRS');
    expect((await accuracy(org, '?warehouse=B')).warehouses).toEqual([
      { warehouse: 'B', name: 'B', countedLines: 2, exactLines: 1, accuracy: '0.5000' },
    ]);
    expect((await accuracy(org, '?warehouse=A')).warehouses).toEqual([
      { warehouse: 'A', name: 'A', countedLines: 0, exactLines: 0, accuracy: null },
    ]);
    expectError(await org.api('GET', '/api/v1/metrics/accuracy?warehouse=NOPE'), 404, 'not_found', /warehouse 'NOPE'/);
    expectError(await org.api('GET', '/api/v1/metrics/accuracy?warehouse=THEIRS'), 404, 'not_found', /THEIRS/);
    // Another organisation never sees these counts.
    expect((await accuracy(other)).warehouses).toEqual([
      { warehouse: 'THEIRS', name: 'THEIRS', countedLines: 0, exactLines: 0, accuracy: null },
    ]);
  });

  it('refuses bad dates and an empty period, needs a key with read, and writes nothing', async () => {
    const org = await h.createOrg({ scopes: ['read'] });
    const before = await countRows(h, org.orgId);
    expect(await accuracy(org)).toMatchObject({ warehouses: [] });
    expectInvalid(await org.api('GET', '/api/v1/metrics/accuracy?from=2026-02-30&to=31.01.2026'), ['from', 'to']);
    expectInvalid(await org.api('GET', '/api/v1/metrics/accuracy?from=2026-02-02&to=2026-02-01'), ['from']);
    expectError(await h.client(undefined)('GET', '/api/v1/metrics/accuracy'), 401, 'unauthorized');
    expect(await countRows(h, org.orgId)).toEqual(before);
  });
});
