import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderStockAnswerCard } from '../cards/stock-answer-card';
import { items, warehouses } from '../db/schema';
import { stockAnswer } from '../src/chat/conversations/stock-answer';
import { NotFoundError } from '../src/errors';
import { createTestApp, type TestApp } from './harness';
import { inventory } from './support/inventory';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp({ now: () => new Date('2026-11-25T02:00:00Z') });
});
afterAll(() => h?.close());

/**
 * Cola in CENTRAL: 240 of lot L1 (March) after lot L2 (January) went out — 24 shipped to S01 and
 * still on the road, 24 issued. Safety stock in CENTRAL and in S02, which holds none. Another item
 * stocks S02 and EMPTY; nothing of cola was ever in EMPTY.
 */
async function colaShop() {
  const org = await h.createOrg();
  const inv = inventory(org.api);
  for (const [code, type] of [['CENTRAL', 'central'], ['S01', 'store'], ['S02', 'store'], ['EMPTY', 'store']] as const) {
    await inv.ok('POST', '/api/v1/warehouses', { code, name: code === 'CENTRAL' ? '总仓' : code, type });
  }
  await inv.item('COLA', { name: '可口可乐 330ml', unit: '瓶', lotTracked: true, packUnits: [{ name: '箱', factor: 24 }] });
  await inv.item('CHIPS');
  await inv.ok('POST', '/api/v1/documents', {
    type: 'receipt', warehouse: 'CENTRAL', submit: true, lines: [
      { sku: 'COLA', qty: 240, unitCost: 2, lot: 'L1', expiresOn: '2027-03-01' },
      { sku: 'COLA', qty: 48, unitCost: 2, lot: 'L2', expiresOn: '2027-01-15' },
    ],
  });
  // First expiry first out: the transfer takes 24 of L2.
  await inv.post('transfer', 'CENTRAL', [{ sku: 'COLA', qty: 24 }], { toWarehouse: 'S01' });
  await inv.issue('CENTRAL', 'COLA', 24, { lot: 'L2' });
  await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'COLA', warehouse: 'CENTRAL', minQty: 100 });
  await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'COLA', warehouse: 'S02', minQty: '48' });
  await inv.receipt('S02', 'CHIPS', 5, 1);
  await inv.receipt('EMPTY', 'CHIPS', 5, 1);
  const idOf = async (sku: string) => (await h.db.select().from(items).where(and(eq(items.orgId, org.orgId), eq(items.sku, sku))))[0]!.id;
  const whs = await h.db.select().from(warehouses).where(eq(warehouses.orgId, org.orgId));
  const wh = (code: string) => whs.find((w) => w.code === code)!.id;
  return { ...org, ctx: h.jobCtx(org.orgId), cola: await idOf('COLA'), wh };
}

describe('stockAnswer', () => {
  let shop: Awaited<ReturnType<typeof colaShop>>;
  beforeAll(async () => {
    shop = await colaShop();
  });

  it('gives on hand, in transit, available, safety stock and the nearest lot per warehouse, by code', async () => {
    const answer = await stockAnswer(shop.ctx, shop.cola);
    expect(answer.item).toEqual({ sku: 'COLA', name: '可口可乐 330ml', unit: '瓶', packUnits: [{ name: '箱', factor: '24' }] });
    expect(answer.rows).toEqual([
      {
        warehouseId: shop.wh('CENTRAL'), warehouse: 'CENTRAL', name: '总仓', onHand: '240', inTransit: '0', available: '240',
        reserved: '0', onOrder: '0', safetyStock: '100', nearestExpiry: { lot: 'L1', expiresOn: '2027-03-01', qty: '240' },
      },
      // In transit is not on the shelf, so it has no lot to expire here yet.
      { warehouseId: shop.wh('S01'), warehouse: 'S01', name: 'S01', onHand: '0', inTransit: '24', available: '0', reserved: '0', onOrder: '0', safetyStock: null, nearestExpiry: null },
      { warehouseId: shop.wh('S02'), warehouse: 'S02', name: 'S02', onHand: '0', inTransit: '0', available: '0', reserved: '0', onOrder: '0', safetyStock: '48', nearestExpiry: null },
    ]);
    expect(answer.asOf).toEqual(new Date('2026-11-25T02:00:00Z'));
  });

  it('shows the nearest expiry while an earlier lot still has stock', async () => {
    const org = await h.createOrg();
    const inv = inventory(org.api);
    await inv.warehouse('WH');
    await inv.item('MILK', { unit: '盒', lotTracked: true });
    await inv.receipt('WH', 'MILK', 10, 3, { lot: 'LATE', expiresOn: '2027-06-30' });
    await inv.receipt('WH', 'MILK', 6, 3, { lot: 'SOON', expiresOn: '2026-12-05' });
    const [milk] = await h.db.select().from(items).where(eq(items.orgId, org.orgId));
    const [row] = (await stockAnswer(h.jobCtx(org.orgId), milk!.id)).rows;
    expect(row).toMatchObject({ onHand: '16', nearestExpiry: { lot: 'SOON', expiresOn: '2026-12-05', qty: '6' } });
  });

  it("puts the preferred warehouses first, in the order given, and shows them even when they hold none", async () => {
    const codes = async (prefer: string[]) =>
      (await stockAnswer(shop.ctx, shop.cola, { preferWarehouseIds: prefer.map(shop.wh) })).rows.map((r) => r.warehouse);
    expect(await codes(['S02'])).toEqual(['S02', 'CENTRAL', 'S01']);
    expect(await codes(['S01', 'S02'])).toEqual(['S01', 'S02', 'CENTRAL']);
    expect(await codes(['EMPTY'])).toEqual(['EMPTY', 'CENTRAL', 'S01', 'S02']);
  });

  it('renders as the stock answer card, in base units and the largest pack', async () => {
    const card = renderStockAnswerCard(await stockAnswer(shop.ctx, shop.cola, { preferWarehouseIds: [shop.wh('S01')] }));
    expect(card.fields).toContainEqual({ label: '合计在库', value: '240 瓶 (10 箱)' });
    expect(card.fields).toContainEqual({ label: '合计在途', value: '24 瓶 (1 箱)' });
    expect(card.table!.rows[0]![0]).toContain('S01');
    expect(card.table!.rows.map((r) => r[0])).toContainEqual('总仓');
    // S02 holds none against a safety stock of 48.
    expect(card.tone).toBe('warning');
  });

  it("never shows another organisation's item or warehouses", async () => {
    const other = await h.createOrg();
    await inventory(other.api).warehouse('THEIRS');
    await expect(stockAnswer(h.jobCtx(other.orgId), shop.cola)).rejects.toBeInstanceOf(NotFoundError);
    const rows = (await stockAnswer(shop.ctx, shop.cola)).rows.map((r) => r.warehouse);
    expect(rows).not.toContain('THEIRS');
    // Preferring someone else's warehouse adds nothing.
    const [theirs] = await h.db.select().from(warehouses).where(eq(warehouses.orgId, other.orgId));
    expect((await stockAnswer(shop.ctx, shop.cola, { preferWarehouseIds: [theirs!.id] })).rows).toHaveLength(3);
  });
});
