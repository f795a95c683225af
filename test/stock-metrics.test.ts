import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness';
import { inventory } from './support/inventory';
import { stockOrg } from './support/stock';

// GET /api/v1/metrics/stock and the lists behind it, with a fixed clock (Asia/Shanghai days).
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

describe('stock metrics', () => {
  it('values stock by warehouse and category, counts what is below safety stock and near expiry, and replays the ledger by day', async () => {
    const o = await stockOrg(h);
    const m = await o.inv.ok('GET', '/api/v1/metrics/stock?days=3');
    expect(m.value).toBe('125.00');
    expect(m.byWarehouse).toEqual([
      { warehouse: 'WH', name: 'WH', value: '110.00', items: 2 },
      { warehouse: 'ST', name: 'ST', value: '15.00', items: 1 },
    ]);
    expect(m.byCategory).toEqual([
      { category: 'drinks', value: '60.00', items: 1 },
      { category: null, value: '50.00', items: 1 },
      { category: 'snacks', value: '15.00', items: 1 },
    ]);
    expect(m.belowSafety).toEqual({ items: 1 });
    expect(m.nearExpiry).toEqual({ days: 30, lots: 1, value: '50.00' });
    expect(m.trend).toEqual({
      from: '2026-03-08', to: '2026-03-10', days: [
        { date: '2026-03-08', stockValue: '111.00', issueValue: '0.00', issues: 0 },
        { date: '2026-03-09', stockValue: '137.00', issueValue: '24.00', issues: 1 },
        { date: '2026-03-10', stockValue: '125.00', issueValue: '12.00', issues: 1 },
      ],
    });
    expect((await o.inv.ok('GET', '/api/v1/metrics/stock')).trend.days).toHaveLength(30);

    const st = await o.inv.ok('GET', '/api/v1/metrics/stock?warehouse=ST&days=2');
    expect(st.value).toBe('15.00');
    expect(st.byWarehouse.map((w: { warehouse: string }) => w.warehouse)).toEqual(['ST']);
    expect(st.belowSafety.items).toBe(0);
    expect(st.trend.days.map((d: { stockValue: string }) => d.stockValue)).toEqual(['15.00', '15.00']);
  });

  it('lists the items and lots behind each figure, in units and packs, and the issues behind the trend', async () => {
    const o = await stockOrg(h);
    const all = await o.inv.ok('GET', '/api/v1/metrics/stock/items?view=in_stock');
    expect(all.rows.map((r: { sku: string; value: string }) => [r.sku, r.value])).toEqual([['A', '60.00'], ['C', '50.00'], ['B', '15.00']]);
    const below = await o.inv.ok('GET', '/api/v1/metrics/stock/items?view=below_safety');
    expect(below.rows).toEqual([expect.objectContaining({
      sku: 'A', name: '可乐', warehouse: 'WH', qty: '30', qtyLabel: '30 罐 (1 箱 6 罐)', safetyStock: '40', value: '60.00',
    })]);
    expect((await o.inv.ok('GET', '/api/v1/metrics/stock/items?view=in_stock&category=snacks')).rows.map((r: { sku: string }) => r.sku)).toEqual(['B']);
    expect((await o.inv.ok('GET', '/api/v1/metrics/stock/items?view=in_stock&category=')).rows.map((r: { sku: string }) => r.sku)).toEqual(['C']);
    expect((await o.inv.ok('GET', '/api/v1/metrics/stock/items?view=in_stock&warehouse=ST')).rows.map((r: { sku: string }) => r.sku)).toEqual(['B']);
    const near = await o.inv.ok('GET', '/api/v1/metrics/stock/items?view=near_expiry');
    expect(near.rows).toEqual([expect.objectContaining({ sku: 'C', lot: 'L1', expiresOn: '2026-03-20', qtyLabel: '5 盒', value: '50.00' })]);

    // Beside on hand: reserved by an open sales order, on an open purchase order, and what is available (orderFigures).
    const so = await o.inv.ok('POST', '/api/v1/documents', { type: 'sales_order', warehouse: 'WH', counterparty: 'C', submit: true, lines: [{ sku: 'A', qty: 6 }] });
    const po = await o.inv.ok('POST', '/api/v1/documents', { type: 'purchase_order', warehouse: 'WH', counterparty: 'S', submit: true, lines: [{ sku: 'A', qty: 24, unitCost: 2 }] });
    expect([so.status, po.status]).toEqual(['approved', 'approved']);
    const ordered = (await o.inv.ok('GET', '/api/v1/metrics/stock/items?view=in_stock')).rows;
    expect(ordered.find((r: { sku: string }) => r.sku === 'A')).toMatchObject({ qty: '30', reserved: '6', onOrder: '24', available: '24', availableLabel: '24 罐 (1 箱)' });
    expect(ordered.find((r: { sku: string }) => r.sku === 'B')).toMatchObject({ qty: '10', reserved: '0', onOrder: '0', available: '10' });
    expect((await o.inv.ok('GET', '/api/v1/metrics/stock/items?view=in_stock&warehouse=ST')).rows[0]).toMatchObject({ sku: 'B', reserved: '0', onOrder: '0' });

    const issues = await o.inv.ok('GET', '/api/v1/metrics/stock/issues?from=2026-03-09&to=2026-03-10');
    expect(issues.documents.map((d: { number: string; value: string }) => [d.number, d.value])).toEqual([[o.second.number, '12.00'], [o.first.number, '24.00']]);
    expect((await o.inv.ok('GET', '/api/v1/metrics/stock/issues?from=2026-03-10&to=2026-03-10')).documents).toHaveLength(1);
    expect((await o.inv.ok('GET', '/api/v1/metrics/stock/issues')).documents).toHaveLength(2);
  });

  it('refuses bad input with the field and the reason, and unknown warehouses with 404', async () => {
    const o = await h.createOrg();
    const bad = async (path: string, field: string) => {
      const res = await o.api('GET', path);
      expect(res.status, path).toBe(400);
      expect(JSON.stringify(res.body.error.details), path).toContain(field);
    };
    await bad('/api/v1/metrics/stock?days=0', 'days');
    await bad('/api/v1/metrics/stock?days=abc', 'days');
    await bad('/api/v1/metrics/stock/items?view=everything', 'view');
    await bad('/api/v1/metrics/stock/items', 'view');
    await bad('/api/v1/metrics/stock/issues?from=2026-02-30', 'from');
    await bad('/api/v1/metrics/stock/issues?from=2026-03-10&to=2026-03-01', 'from');
    expect((await o.api('GET', '/api/v1/metrics/stock?warehouse=NOPE')).status).toBe(404);
    expect((await o.api('GET', '/api/v1/metrics/stock/items?view=in_stock&warehouse=NOPE')).status).toBe(404);
    expect((await h.client(undefined)('GET', '/api/v1/metrics/stock')).status).toBe(401);
    // Another organisation's stock is not counted.
    expect((await o.api('GET', '/api/v1/metrics/stock')).body).toMatchObject({ value: '0.00', byWarehouse: [], byCategory: [], belowSafety: { items: 0 } });
  });
});
