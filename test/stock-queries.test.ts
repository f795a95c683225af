import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costLayers, documents, items, ledgerEntries, lots, stockBalances, valuations, warehouses } from '../db/schema';
import { expectError, expectInvalid } from './assertions';
import { createTestApp, type TestApp } from './harness';
import { inventory } from './support/inventory';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

// Postings come from the engine; here the rows it would write are inserted directly to test the read shape.
async function seed() {
  const org = await h.createOrg();
  await org.api('POST', '/api/v1/items', { sku: 'A', name: 'Apple', unit: 'kg', lotTracked: true });
  await org.api('POST', '/api/v1/items', { sku: 'F', name: 'Flour', unit: 'kg', valuationMethod: 'fifo' });
  await org.api('POST', '/api/v1/warehouses', { code: 'WH1', name: 'Central', type: 'central' });
  await org.api('POST', '/api/v1/warehouses', { code: 'WH2', name: 'Store', type: 'store' });
  const idOf = async (sku: string) => (await h.db.select().from(items).where(and(eq(items.orgId, org.orgId), eq(items.sku, sku))))[0]!.id;
  const whOf = async (code: string) =>
    (await h.db.select().from(warehouses).where(and(eq(warehouses.orgId, org.orgId), eq(warehouses.code, code))))[0]!.id;
  const [a, f, wh1, wh2] = [await idOf('A'), await idOf('F'), await whOf('WH1'), await whOf('WH2')];
  const orgId = org.orgId;

  await h.db.insert(lots).values([
    { orgId, itemId: a, code: 'L1', expiresOn: '2027-01-31' },
    { orgId, itemId: a, code: 'L3', expiresOn: '2027-03-31' },
  ]);
  await h.db.insert(valuations).values([
    { orgId, itemId: a, warehouseId: wh1, qty: '3', value: '10.00', lastUnitCost: '3.5' },
    { orgId, itemId: a, warehouseId: wh2, qty: '0', value: '0', transitQty: '2', transitValue: '9.00', lastUnitCost: '4.5' },
    { orgId, itemId: f, warehouseId: wh1, qty: '0', value: '0', lastUnitCost: '7.25' },
  ]);
  await h.db.insert(stockBalances).values([
    { orgId, itemId: a, warehouseId: wh1, lot: 'L3', qty: '1' },
    { orgId, itemId: a, warehouseId: wh1, lot: 'L1', qty: '1' },
    { orgId, itemId: a, warehouseId: wh1, lot: 'L2', qty: '1' },
    { orgId, itemId: a, warehouseId: wh2, lot: 'L1', qty: '0', transitQty: '2' },
    { orgId, itemId: f, warehouseId: wh1, lot: '', qty: '0' },
  ]);
  const [rc, is] = await h.db.insert(documents).values([
    { orgId, number: 'RC-20261125-0001', type: 'receipt', status: 'posted', warehouseId: wh1, createdVia: 'api' },
    { orgId, number: 'IS-20261125-0001', type: 'issue', status: 'posted', warehouseId: wh1, createdVia: 'api' },
  ]).returning();
  const t = (s: string) => new Date(`2026-11-25T0${s}:00:00Z`);
  const layer = { orgId, itemId: f, warehouseId: wh1, documentId: rc!.id };
  await h.db.insert(costLayers).values([
    { ...layer, lineNo: 2, receivedAt: t('3'), qtyIn: '5', qtyRemaining: '5', unitCost: '2.5', valueRemaining: '12.50' },
    { ...layer, lineNo: 1, receivedAt: t('1'), qtyIn: '4', qtyRemaining: '1.5', unitCost: '2', valueRemaining: '3.00' },
    { ...layer, lineNo: 3, receivedAt: t('2'), qtyIn: '4', qtyRemaining: '0', unitCost: '9', valueRemaining: '0' },
  ]);
  const entry = { orgId, itemId: f, warehouseId: wh1, postedAt: t('4') };
  await h.db.insert(ledgerEntries).values([
    { ...entry, documentId: rc!.id, lineNo: 1, qty: '4', value: '8.00', unitCost: '2', balanceQty: '4', balanceValue: '8.00' },
    { ...entry, documentId: rc!.id, lineNo: 2, qty: '5', value: '12.50', unitCost: '2.5', balanceQty: '9', balanceValue: '20.50' },
    { ...entry, documentId: is!.id, lineNo: 1, qty: '-2.5', value: '-5.00', unitCost: '2', balanceQty: '6.5', balanceValue: '15.50' },
    { ...entry, itemId: a, documentId: is!.id, lineNo: 2, lot: 'L1', qty: '-1', value: '-3.33', unitCost: '3.333333', balanceQty: '3', balanceValue: '10.00' },
  ]);
  return { ...org, rc: rc!, is: is! };
}

describe('GET /stock', () => {
  it('lists stock per lot; the lots of one valuation sum exactly to it; empty rows are left out', async () => {
    const org = await seed();
    const res = await org.api('GET', '/api/v1/stock');
    expect(res.status).toBe(200);
    expect(res.body.balances).toEqual([
      { sku: 'A', warehouse: 'WH1', lot: 'L1', expiresOn: '2027-01-31', qty: '1', value: '3.33', unitCost: '3.33', inTransit: '0', reserved: '0', onOrder: '0', available: '1' },
      { sku: 'A', warehouse: 'WH1', lot: 'L2', expiresOn: null, qty: '1', value: '3.33', unitCost: '3.33', inTransit: '0', reserved: '0', onOrder: '0', available: '1' },
      { sku: 'A', warehouse: 'WH1', lot: 'L3', expiresOn: '2027-03-31', qty: '1', value: '3.34', unitCost: '3.34', inTransit: '0', reserved: '0', onOrder: '0', available: '1' },
      // Nothing on the shelf: the last cost stands in for value / qty.
      { sku: 'A', warehouse: 'WH2', lot: 'L1', expiresOn: '2027-01-31', qty: '0', value: '0.00', unitCost: '4.5', inTransit: '2', reserved: '0', onOrder: '0', available: '0' },
    ]);
  });

  it('filters by sku and warehouse, showing an empty row only when both are given', async () => {
    const org = await seed();
    const lotsOf = async (q: string) => ((await org.api('GET', `/api/v1/stock?${q}`)).body.balances as { lot: string }[]).map((b) => b.lot);
    expect(await lotsOf('sku=A')).toEqual(['L1', 'L2', 'L3', 'L1']);
    expect(await lotsOf('warehouse=WH2')).toEqual(['L1']);
    expect(await lotsOf('sku=F')).toEqual([]);
    expect((await org.api('GET', '/api/v1/stock?sku=F&warehouse=WH1')).body.balances).toEqual([
      { sku: 'F', warehouse: 'WH1', lot: null, expiresOn: null, qty: '0', value: '0.00', unitCost: '7.25', inTransit: '0', reserved: '0', onOrder: '0', available: '0' },
    ]);
    expect((await org.api('GET', '/api/v1/stock?sku=F&warehouse=WH2')).body.balances).toEqual([]);
    expectError(await org.api('GET', '/api/v1/stock?sku=NOPE'), 404, 'not_found', /NOPE/);
    expectError(await org.api('GET', '/api/v1/stock?sku=A&warehouse=WH9'), 404, 'not_found', /WH9/);
  });

  it('pages with limit and next; a page that cuts a balance between its lots still values each lot as the whole list does', async () => {
    const org = await seed();
    // Order figures on the first page's item, and an item ordered where it was never stocked (listed last).
    for (const [sku, warehouse] of [['A', 'WH1'], ['F', 'WH2']]) {
      const po = await org.api('POST', '/api/v1/documents', { type: 'purchase_order', warehouse, counterparty: '供应商', expectedOn: '2026-12-31', submit: true, lines: [{ sku, qty: 5, unitCost: '1' }] });
      expect(po.status, JSON.stringify(po.body)).toBe(201);
    }
    const whole = (await org.api('GET', '/api/v1/stock')).body;
    expect(whole.next).toBeNull();
    expect(whole.balances[0]).toMatchObject({ sku: 'A', warehouse: 'WH1', onOrder: '5' });
    expect(whole.balances.at(-1)).toMatchObject({ sku: 'F', warehouse: 'WH2', qty: '0', onOrder: '5' });
    for (const limit of [1, 2, 3]) {
      const seen: unknown[] = [];
      let after: string | null = null;
      do {
        const page: any = (await org.api('GET', `/api/v1/stock?limit=${limit}${after ? `&after=${after}` : ''}`)).body;
        expect(page.balances.length).toBeLessThanOrEqual(limit);
        seen.push(...page.balances);
        after = page.next;
      } while (after);
      expect(seen).toEqual(whole.balances);
    }
    expectInvalid(await org.api('GET', '/api/v1/stock?limit=0'), ['limit']);
    expectInvalid(await org.api('GET', '/api/v1/stock?after=bm90LWEtY3Vyc29y'), ['after']);
  });
});

describe('GET /stock?warehouse=', () => {
  it('walks one warehouse in sku order, page by page, rows written by a posting and by hand alike', async () => {
    const org = await seed(); // WH1: A (three lots); WH2: A in transit
    const inv = inventory(org.api);
    // Received in an order unlike the skus', so the walk's order is the index's, not the rows'.
    for (const sku of ['Z9', 'B2', 'M5', 'C1']) {
      await inv.item(sku);
      await inv.receipt('WH1', sku, 4, '2.5');
    }
    await inv.receipt('WH2', 'B2', 1, '2.5');
    const listed = async (q: string) => {
      const seen: { sku: string; lot: string | null; warehouse: string }[] = [];
      let after: string | null = null;
      do {
        const page: any = (await org.api('GET', `/api/v1/stock?${q}${after ? `&after=${after}` : ''}`)).body;
        seen.push(...page.balances);
        after = page.next;
      } while (after);
      return seen.map((b) => `${b.sku}/${b.lot ?? ''}@${b.warehouse}`);
    };
    const wh1 = ['A/L1@WH1', 'A/L2@WH1', 'A/L3@WH1', 'B2/@WH1', 'C1/@WH1', 'M5/@WH1', 'Z9/@WH1'];
    for (const limit of [1, 2, 3, 500]) expect(await listed(`warehouse=WH1&limit=${limit}`)).toEqual(wh1);
    expect(await listed('warehouse=WH2&limit=1')).toEqual(['A/L1@WH2', 'B2/@WH2']);
    // Every balance knows its item's sku, whoever wrote it: the posting passes it, the seed's rows got it from their trigger.
    const rows = await h.db.select({ sku: stockBalances.sku, item: items.sku }).from(stockBalances)
      .innerJoin(items, eq(items.id, stockBalances.itemId)).where(eq(stockBalances.orgId, org.orgId));
    expect(rows.length).toBe(10);
    for (const r of rows) expect(r.sku).toBe(r.item);
  });
});

describe('GET /stock/valuation', () => {
  it('answers quantity, value and unit cost, zero where the item never moved', async () => {
    const org = await seed();
    const get = async (sku: string, wh: string) => (await org.api('GET', `/api/v1/stock/valuation?sku=${sku}&warehouse=${wh}`)).body;
    expect(await get('A', 'WH1')).toEqual({ sku: 'A', warehouse: 'WH1', qty: '3', value: '10.00', unitCost: '3.333333' });
    expect(await get('F', 'WH1')).toEqual({ sku: 'F', warehouse: 'WH1', qty: '0', value: '0.00', unitCost: '7.25' });
    expect(await get('F', 'WH2')).toEqual({ sku: 'F', warehouse: 'WH2', qty: '0', value: '0.00', unitCost: '0' });
  });

  it('needs both sku and warehouse, and names an unknown one', async () => {
    const org = await seed();
    expectInvalid(await org.api('GET', '/api/v1/stock/valuation?sku=A'), ['warehouse']);
    expectInvalid(await org.api('GET', '/api/v1/stock/valuation'), ['sku', 'warehouse']);
    expectError(await org.api('GET', '/api/v1/stock/valuation?sku=NOPE&warehouse=WH1'), 404, 'not_found', /NOPE/);
    expectError(await org.api('GET', '/api/v1/stock/valuation?sku=A&warehouse=WH9'), 404, 'not_found', /WH9/);
  });
});

describe('GET /stock/layers', () => {
  it('lists the open layers oldest first with their document', async () => {
    const org = await seed();
    const res = await org.api('GET', '/api/v1/stock/layers?sku=F&warehouse=WH1');
    expect(res.body).toEqual({
      layers: [
        { qty: '1.5', unitCost: '2', document: org.rc.id, number: 'RC-20261125-0001', receivedAt: '2026-11-25T01:00:00.000Z' },
        { qty: '5', unitCost: '2.5', document: org.rc.id, number: 'RC-20261125-0001', receivedAt: '2026-11-25T03:00:00.000Z' },
      ],
    });
    expect((await org.api('GET', '/api/v1/stock/layers?sku=A&warehouse=WH1')).body).toEqual({ layers: [] });
    expectError(await org.api('GET', '/api/v1/stock/layers?sku=NOPE&warehouse=WH1'), 404, 'not_found', /NOPE/);
    expectInvalid(await org.api('GET', '/api/v1/stock/layers?warehouse=WH1'), ['sku']);
  });
});

describe('GET /ledger', () => {
  it('lists entries in posting order with the balance after each', async () => {
    const org = await seed();
    const res = await org.api('GET', '/api/v1/ledger?sku=F');
    expect(res.status).toBe(200);
    expect(res.body.entries).toHaveLength(3);
    expect(res.body.entries[2]).toEqual({
      id: expect.any(Number), document: org.is.id, number: 'IS-20261125-0001', line: 1, sku: 'F', warehouse: 'WH1',
      lot: null, bucket: 'stock', qty: '-2.5', value: '-5.00', unitCost: '2', balanceQty: '6.5', balanceValue: '15.50',
      postedAt: '2026-11-25T04:00:00.000Z',
    });
    const ids = res.body.entries.map((e: { id: number }) => e.id);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
  });

  it('filters by document number or id, and pages with limit and after', async () => {
    const org = await seed();
    const lines = async (q: string) =>
      ((await org.api('GET', `/api/v1/ledger?${q}`)).body.entries as { sku: string; line: number }[]).map((e) => `${e.sku}${e.line}`);
    expect(await lines('document=IS-20261125-0001')).toEqual(['F1', 'A2']);
    expect(await lines(`document=${org.is.id}`)).toEqual(['F1', 'A2']);
    expect(await lines('sku=A&warehouse=WH1')).toEqual(['A2']);
    const page1 = (await org.api('GET', '/api/v1/ledger?limit=2')).body.entries;
    expect(page1.map((e: { line: number }) => e.line)).toEqual([1, 2]);
    expect(await lines(`after=${page1[1].id}&limit=2`)).toEqual(['F1', 'A2']);
    expect(await lines(`after=${page1[1].id + 1000}`)).toEqual([]);
  });

  it('names an unknown filter and refuses a bad page size', async () => {
    const org = await seed();
    expectError(await org.api('GET', '/api/v1/ledger?document=XX-1'), 404, 'not_found', /XX-1/);
    expectError(await org.api('GET', '/api/v1/ledger?document=00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    expectError(await org.api('GET', '/api/v1/ledger?warehouse=WH9'), 404, 'not_found', /WH9/);
    expectInvalid(await org.api('GET', '/api/v1/ledger?limit=0'), ['limit']);
    expectInvalid(await org.api('GET', '/api/v1/ledger?limit=5001'), ['limit']);
    expectInvalid(await org.api('GET', '/api/v1/ledger?after=-1&limit=x'), ['after', 'limit']);
  });
});

describe('scoping and auth', () => {
  it("never shows one organisation another's stock", async () => {
    const a = await seed();
    const b = await h.createOrg();
    expect((await b.api('GET', '/api/v1/stock')).body).toEqual({ balances: [], next: null });
    expect((await b.api('GET', '/api/v1/ledger')).body).toEqual({ entries: [] });
    expectError(await b.api('GET', '/api/v1/stock?sku=A'), 404, 'not_found', /'A'/);
    expectError(await b.api('GET', '/api/v1/stock/valuation?sku=A&warehouse=WH1'), 404, 'not_found');
    expectError(await b.api('GET', `/api/v1/ledger?document=${a.is.id}`), 404, 'not_found');
    // B's own item and warehouse of the same codes see none of A's rows.
    await b.api('POST', '/api/v1/items', { sku: 'F', name: 'Flour', unit: 'kg' });
    await b.api('POST', '/api/v1/warehouses', { code: 'WH1', name: 'Central', type: 'central' });
    expect((await b.api('GET', '/api/v1/stock/layers?sku=F&warehouse=WH1')).body).toEqual({ layers: [] });
    expect((await b.api('GET', '/api/v1/stock/valuation?sku=F&warehouse=WH1')).body.unitCost).toBe('0');
  });

  it('reads with a read-only key and refuses without one', async () => {
    const reader = await h.createOrg({ scopes: ['read'] });
    expect((await reader.api('GET', '/api/v1/stock')).status).toBe(200);
    expect((await reader.api('GET', '/api/v1/ledger')).status).toBe(200);
    expectError(await h.client(undefined)('GET', '/api/v1/stock'), 401, 'unauthorized');
  });

  it('documents the stock paths in the OpenAPI document', async () => {
    const doc = (await h.client(undefined)('GET', '/api/v1/openapi.json')).body;
    for (const path of ['/api/v1/stock', '/api/v1/stock/valuation', '/api/v1/stock/layers', '/api/v1/ledger']) {
      expect(doc.paths[path]?.get, path).toBeDefined();
    }
  });
});
