import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/lib/calendar';
import { dec } from '../src/lib/decimal';
import { suggestQuantity } from '../src/replenishment/suggest';
import { createTestApp, type TestApp } from './harness';
import { toCsv, uploader } from './support/imports';
import { inventory } from './support/inventory';
import { expectError } from './assertions';
import { expectNoWrites } from './support/documents';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(async () => h.close());

// Monday 2026-12-07, noon in Asia/Shanghai. The 28 days before: 10 a weekday, 20 a weekend day.
const MONDAY_NOON = new Date('2026-12-07T04:00:00Z');
const weekly = (date: string) => ([0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()) ? 20 : 10);
const history = (warehouse: string, sku: string, perDay: (date: string) => number = weekly) =>
  Array.from({ length: 28 }, (_, i) => addDays('2026-11-09', i)).map((d) => [d, warehouse, sku, perDay(d)]);

/**
 * 可乐 (packs of 6 and cases of 24) bought from 可口可乐 with 2 days' lead time and 48 at least;
 * a rule at WH with 5 days' cover and 20 safety stock: the next 7 days' forecast is 90.
 */
async function setUp() {
  h.setNow(MONDAY_NOON);
  const org = await h.createOrg();
  const inv = inventory(org.api);
  await inv.warehouse('WH');
  await inv.warehouse('WH2');
  await inv.warehouse('S1', 'store');
  await inv.item('A', { name: '可乐', unit: '罐', packUnits: [{ name: '包', factor: 6 }, { name: '箱', factor: 24 }], supplier: '可口可乐', leadTimeDays: 2, minOrderQty: 48 });
  await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 10, safetyStock: 20, coverDays: 5 });
  const upload = uploader(h, org.key);
  await upload('demand', toCsv([['date', 'warehouse', 'sku', 'qty'], ...history('WH', 'A')]));
  await inv.receipt('WH', 'A', 30, '1.5');
  return { org, inv, upload };
}

describe('the suggestion arithmetic (pure)', () => {
  const base = { onHand: dec(30), inTransit: dec(0), onOrder: dec(0), reserved: dec(0), demand: dec(90), safetyStock: dec(20), minOrderQty: null, packFactor: null };
  it('orders the shortfall, raised to the minimum, then up to whole packs', () => {
    expect(suggestQuantity(base)!.suggestedQty.toFixed()).toBe('80');
    // 80 is 3⅓ cases of 24: 4 cases.
    const cased = suggestQuantity({ ...base, packFactor: dec(24) })!;
    expect([cased.suggestedQty.toFixed(), cased.packs!.toFixed()]).toEqual(['96', '4']);
    // 8 short, 30 at least, cases of 12: 30 → 3 cases.
    const small = suggestQuantity({ ...base, onHand: dec(102), minOrderQty: dec(30), packFactor: dec(12) })!;
    expect([small.shortfall.toFixed(), small.raised.toFixed(), small.suggestedQty.toFixed()]).toEqual(['8', '30', '36']);
  });
  it('rounds a quantity of packs of a fractional size up to the three places a quantity keeps', () => {
    // 107 short of 110; a pack of 1.2345: 87 packs are 107.4015, ordered as 107.402.
    const odd = suggestQuantity({ ...base, onHand: dec(3), packFactor: dec('1.2345') })!;
    expect([odd.packs!.toFixed(), odd.suggestedQty.toFixed()]).toEqual(['87', '107.402']);
  });
  it('subtracts what is in transit and on order, adds back what is reserved', () => {
    // 30 + 12 + 24 − 6 = 60 will be there; 110 − 60 = 50.
    const p = suggestQuantity({ ...base, inTransit: dec(12), onOrder: dec(24), reserved: dec(6) })!;
    expect([p.position.toFixed(), p.shortfall.toFixed(), p.suggestedQty.toFixed()]).toEqual(['60', '50', '50']);
  });
  it('suggests nothing when nothing is short', () => {
    expect(suggestQuantity({ ...base, onHand: dec(110) })).toBeNull();
    expect(suggestQuantity({ ...base, onHand: dec(200), minOrderQty: dec(48) })).toBeNull();
  });
});

describe('how items are bought, from an items import', () => {
  it('takes supplier, lead time and minimum order as POST /items does, and refuses a bad one by row', async () => {
    const { org, upload } = await setUp();
    const header = ['sku', 'name', 'unit', 'supplier', 'leadTimeDays', 'minOrderQty'];
    const bad = await upload('items', toCsv([header, ['X1', '雪碧', '罐', '可口可乐', 3, '-1']]));
    expect(bad.body.errors).toEqual([{ row: 2, column: 'minOrderQty', message: 'must be 0 or more' }]);
    expect((await upload('items', toCsv([header, ['X1', '雪碧', '罐', '可口可乐', 3, 48]]))).status).toBe(200);
    expect((await org.api('GET', '/api/v1/items/X1')).body).toMatchObject({ supplier: '可口可乐', leadTimeDays: 3, minOrderQty: '48' });
  });
});

describe('GET /replenishment', () => {
  it('shows each suggestion with its parts, in whole cases above the minimum order', async () => {
    const { org } = await setUp();
    const res = await org.api('GET', '/api/v1/replenishment?warehouse=WH');
    expect(res.status).toBe(200);
    // demand 90 (7 days: lead 2 + cover 5) + safety 20 − on hand 30 = 80 → 4 cases of 24 = 96.
    expect(res.body.suggestions).toEqual([{
      sku: 'A', name: '可乐', unit: '罐', warehouse: 'WH', source: 'supplier', supplier: '可口可乐',
      onHand: '30', inTransit: '0', onOrder: '0', reserved: '0',
      dailyDemand: '12.857', leadTimeDays: 2, coverDays: 5, safetyStock: '20', demand: '90', method: 'holt_winters_additive',
      position: '30', shortfall: '80', minOrderQty: '48', pack: { name: '箱', factor: '24' }, packs: '4', suggestedQty: '96',
    }]);
  });

  it('counts stock in transit to the warehouse', async () => {
    const { org, inv } = await setUp();
    await inv.receipt('WH2', 'A', 100, '1.5');
    await inv.post('transfer', 'WH2', [{ sku: 'A', qty: 30 }], { toWarehouse: 'WH' }); // shipped, not received
    const [s] = (await org.api('GET', '/api/v1/replenishment?warehouse=WH')).body.suggestions;
    // 90 + 20 − (30 + 30) = 50 → 3 cases = 72.
    expect(s).toMatchObject({ onHand: '30', inTransit: '30', position: '60', shortfall: '50', packs: '3', suggestedQty: '72' });
  });

  it('subtracts what is on order and adds back what is reserved', async () => {
    const { org, inv } = await setUp();
    // Open: a purchase order of 24 still to come, a sales order holding 6 of the 30 on hand.
    await inv.post('purchase_order', 'WH', [{ sku: 'A', qty: 24, unitCost: '1.5' }], { counterparty: '可口可乐' });
    await inv.post('sales_order', 'WH', [{ sku: 'A', qty: 6 }], { counterparty: '张三饭店' });
    // A cancelled order counts for nothing.
    const gone = await inv.post('purchase_order', 'WH', [{ sku: 'A', qty: 100, unitCost: '1.5' }], { counterparty: '可口可乐' });
    await inv.ok('POST', `/api/v1/documents/${gone.id}/cancel`);
    const [s] = (await org.api('GET', '/api/v1/replenishment?warehouse=WH')).body.suggestions;
    // 90 + 20 − (30 + 24 − 6) = 62 → 3 cases of 24 = 72.
    expect(s).toMatchObject({ onHand: '30', onOrder: '24', reserved: '6', position: '48', shortfall: '62', packs: '3', suggestedQty: '72' });
  });

  it('raises a small need to the minimum order and lists nothing where nothing is short', async () => {
    const { org, inv, upload } = await setUp();
    await inv.item('B', { name: '红牛', unit: '罐', packUnits: [{ name: '箱', factor: 12 }], supplier: '红牛', minOrderQty: 30 });
    await inv.item('C', { name: '雪碧', unit: '罐', supplier: '可口可乐' });
    await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'B', warehouse: 'WH', minQty: 0 });
    await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'C', warehouse: 'WH', minQty: 5 });
    await upload('demand', toCsv([['date', 'warehouse', 'sku', 'qty'], ...history('WH', 'B', () => 1), ...history('WH', 'C', () => 2)]));
    await inv.receipt('WH', 'C', 500, 1);
    const res = await org.api('GET', '/api/v1/replenishment?warehouse=WH');
    expect(res.body.suggestions.map((s: { sku: string }) => s.sku)).toEqual(['A', 'B']);
    // B: 7 days × 1 = 7 short (cover 7, no lead time) → raised to 30 → 3 cases of 12 = 36.
    expect(res.body.suggestions[1]).toMatchObject({ demand: '7', leadTimeDays: 0, coverDays: 7, shortfall: '7', minOrderQty: '30', packs: '3', suggestedQty: '36' });
  });

  it('needs ingredients for the dishes sold, through their recipes', async () => {
    const { org, inv, upload } = await setUp();
    await inv.item('EGG', { name: '鸡蛋', unit: '个', packUnits: [{ name: '托', factor: 30 }], supplier: '蛋场' });
    await inv.item('DISH', { name: '番茄炒蛋', unit: '份' });
    await inv.ok('PUT', '/api/v1/boms/DISH', { lines: [{ sku: 'EGG', qty: 2, scrapPct: 10 }] });
    await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'EGG', warehouse: 'WH', minQty: 0 });
    await upload('demand', toCsv([['date', 'warehouse', 'sku', 'qty'], ...history('WH', 'DISH')]));
    const egg = (await org.api('GET', '/api/v1/replenishment?warehouse=WH')).body.suggestions.find((s: { sku: string }) => s.sku === 'EGG');
    // 90 portions in the next 7 days × 2.2 eggs = 198 → 7 trays of 30 = 210.
    expect(egg).toMatchObject({ demand: '198', shortfall: '198', packs: '7', suggestedQty: '210' });
  });

  it('404 names an unknown warehouse', async () => {
    const { org } = await setUp();
    const res = await org.api('GET', '/api/v1/replenishment?warehouse=NOPE');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('NOPE');
  });
});

describe('POST /replenishment/drafts', () => {
  it('drafts one purchase order per supplier at the last cost, and nothing is submitted', async () => {
    const { org, inv, upload } = await setUp();
    await inv.item('D', { name: '零度可乐', unit: '罐', supplier: '可口可乐' });
    await inv.item('B', { name: '红牛', unit: '罐', supplier: '红牛' });
    for (const sku of ['B', 'D']) await inv.ok('PUT', '/api/v1/reorder-rules', { sku, warehouse: 'WH', minQty: 0, coverDays: 7 });
    await upload('demand', toCsv([['date', 'warehouse', 'sku', 'qty'], ...history('WH', 'B', () => 1), ...history('WH', 'D', () => 2)]));
    await inv.receipt('WH2', 'B', 10, '4.2'); // B's last cost, from another warehouse
    const res = await org.api('POST', '/api/v1/replenishment/drafts', { warehouse: 'WH' });
    expect(res.status).toBe(201);
    const docs = res.body.documents;
    expect(docs.map((d: { type: string; status: string; counterparty: string }) => [d.type, d.status, d.counterparty]))
      .toEqual([['purchase_order', 'draft', '可口可乐'], ['purchase_order', 'draft', '红牛']]);
    expect(docs[0].lines.map((l: { sku: string; qty: string; unitCost: string }) => [l.sku, l.qty, l.unitCost])).toEqual([['A', '96', '1.5'], ['D', '14', '0']]);
    expect(docs[1].lines.map((l: { sku: string; qty: string; unitCost: string }) => [l.sku, l.qty, l.unitCost])).toEqual([['B', '7', '4.2']]);
    expect(docs[0].number).toMatch(/^PO-/);
  });

  it('an sku the organisation does not have is 404 naming it, and nothing is drafted', async () => {
    const { org } = await setUp();
    const res = await expectNoWrites(h, org.orgId, () => org.api('POST', '/api/v1/replenishment/drafts', { warehouse: 'WH', skus: ['NOPE'] }));
    expectError(res, 404, 'not_found', /NOPE/);
  });

  it('drafts one requisition per supplying warehouse, counting open requisitions as on order', async () => {
    const { org, inv, upload } = await setUp();
    await inv.warehouse('K', 'central');
    await inv.item('EGG', { name: '鸡蛋', unit: '个', packUnits: [{ name: '托', factor: 30 }] });
    await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'S1', minQty: 5, leadTimeDays: 0, source: 'WH' });
    await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'EGG', warehouse: 'S1', minQty: 0, leadTimeDays: 1, coverDays: 6, source: 'K' });
    await upload('demand', toCsv([['date', 'warehouse', 'sku', 'qty'], ...history('S1', 'A'), ...history('S1', 'EGG', () => 10)]));
    // The store already asked WH for 24 cans.
    await inv.post('requisition', 'S1', [{ sku: 'A', qty: 24 }], { toWarehouse: 'WH' });
    const res = await org.api('POST', '/api/v1/replenishment/drafts', { warehouse: 'S1' });
    expect(res.status).toBe(201);
    const docs = res.body.documents;
    expect(docs.map((d: { type: string; status: string; warehouse: string; toWarehouse: string }) => [d.type, d.status, d.warehouse, d.toWarehouse]))
      .toEqual([['requisition', 'draft', 'S1', 'WH'], ['requisition', 'draft', 'S1', 'K']]);
    // A: 90 over 7 days + 5 − 24 on order = 71 → 48 at least → 3 cases = 72. EGG: 70 → 3 trays of 30 = 90.
    expect(docs[0].lines.map((l: { sku: string; qty: string }) => [l.sku, l.qty])).toEqual([['A', '72']]);
    expect(docs[1].lines.map((l: { sku: string; qty: string }) => [l.sku, l.qty])).toEqual([['EGG', '90']]);
  });

  it("a requisition without a supplying warehouse asks the one its reorder rules name", async () => {
    const { inv } = await setUp();
    await inv.warehouse('K', 'central'); // two central warehouses: the rule decides, not the type
    await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'S1', minQty: 5, source: 'K' });
    const rq = await inv.ok('POST', '/api/v1/documents', { type: 'requisition', warehouse: 'S1', lines: [{ sku: 'A', qty: 24 }] });
    expect(rq.toWarehouse).toBe('K');
  });

  it('refuses a bought item without a supplier, naming it, and writes nothing', async () => {
    const { org, inv } = await setUp();
    await org.api('PATCH', '/api/v1/items/A', { supplier: null });
    const res = await org.api('POST', '/api/v1/replenishment/drafts', { warehouse: 'WH' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain("no supplier for A");
    expect((await inv.ok('GET', '/api/v1/replenishment?warehouse=WH')).suggestions).toHaveLength(1);
  });

  it('replays an Idempotency-Key instead of drafting twice', async () => {
    const { org } = await setUp();
    const first = await org.api('POST', '/api/v1/replenishment/drafts', { warehouse: 'WH' }, { 'idempotency-key': 'k1' });
    const again = await org.api('POST', '/api/v1/replenishment/drafts', { warehouse: 'WH' }, { 'idempotency-key': 'k1' });
    expect(again.body.documents[0].id).toBe(first.body.documents[0].id);
  });
});
