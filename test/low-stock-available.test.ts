import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alerts, outbox } from '../db/schema';
import { runLowStockScan } from '../jobs/low-stock-scan';
import { runOutboxDelivery } from '../src/chat/delivery';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg, sandboxPeople } from './support/approvals';

// Low stock is judged on what is available — on hand less what open sales orders reserve (SPEC,
// "Alerts pushed into chat") — wherever it is judged: a posting's crossing, an order opening or
// called off, the periodic scan, the card and chat's 低库存. WH holds 100 of A; the rule's minimum is 30.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterEach(() => h.setNow(undefined));
afterAll(() => h?.close());

const T0 = new Date('2026-12-07T02:00:00Z');
const scan = (now: Date) => runLowStockScan({ db: h.db, log: h.deps.log }, now);
const deliver = () => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, new Date());

async function setup() {
  const o = await approvalOrg(h);
  const group = `${o.slug}-alerts`;
  await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: group, purposes: ['alerts'] });
  await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 30, reorderQty: 50 });
  const rows = async () => (await h.db.select().from(alerts).where(eq(alerts.orgId, o.orgId)).orderBy(alerts.openedAt)).map((a) => a.status);
  const events = async (kind: 'low_stock' | 'alert_changed') =>
    (await h.db.select().from(outbox).where(and(eq(outbox.orgId, o.orgId), eq(outbox.kind, kind))).orderBy(outbox.id)).map((r) => r.payload as any);
  const cards = async () => (await o.inv.ok('GET', `/sandbox/api/chats/${group}/messages`)).messages.filter((m: any) => m.card);
  const salesOrder = (qty: number) => o.inv.ok('POST', '/api/v1/documents',
    { type: 'sales_order', warehouse: 'WH', counterparty: '全家 漕河泾店', lines: [{ sku: 'A', qty }], submit: true });
  return { ...o, rows, events, cards, salesOrder };
}

describe('low stock on available stock', () => {
  it('a sales order reserving below the safety stock alerts when it opens; the card shows what is available; cancelling it recovers', async () => {
    const o = await setup();
    const so = await o.salesOrder(80); // on hand 100, reserved 80: available 20 < 30
    expect(so.status).toBe('approved');
    expect(await o.rows()).toEqual(['open']);
    expect(await o.events('low_stock')).toEqual([expect.objectContaining({ sku: 'A', warehouse: 'WH', qty: '100', minQty: '30', documentId: so.id })]);
    await deliver();
    const [card, ...more] = (await o.cards()).filter((m: any) => m.card.title.startsWith('低库存'));
    expect(more).toEqual([]);
    expect(card.card.title).toBe('低库存：A');
    // Suggested: the forecast's (no demand yet): safety stock 30 − position (100 on hand − 80 reserved) = 10.
    expect(card.card.fields).toEqual(expect.arrayContaining([
      { label: '在库', value: '100 pcs' }, { label: '可用', value: '20 pcs' }, { label: '安全库存', value: '30 pcs' }, { label: '建议补货', value: '10 pcs' },
    ]));

    await o.inv.ok('POST', `/api/v1/documents/${so.id}/cancel`, { comment: '客户取消' });
    expect(await o.rows()).toEqual(['resolved']);
    expect(await o.events('alert_changed')).toHaveLength(1);
  });

  it('a posting that leaves on hand above the minimum but available below it alerts; a receipt lifting available back resolves', async () => {
    const o = await setup();
    await o.salesOrder(60); // available 40: no alert
    expect(await o.rows()).toEqual([]);
    await o.inv.issue('WH', 'A', 15); // on hand 85 ≥ 30, available 25 < 30
    expect(await o.rows()).toEqual(['open']);
    expect(await o.events('low_stock')).toEqual([expect.objectContaining({ qty: '85', minQty: '30' })]);
    await o.inv.receipt('WH', 'A', 10, 10); // available 35
    expect(await o.rows()).toEqual(['resolved']);
  });

  it('an issue that fulfils the order leaves available stock as it was, and so does its reversal: no alert, nothing resolved', async () => {
    const o = await setup();
    const so = await o.salesOrder(50); // available 50
    const issue = await o.inv.ok('POST', '/api/v1/documents',
      { type: 'issue', warehouse: 'WH', orderOf: so.number, lines: [{ sku: 'A', qty: 50 }], submit: true });
    expect(issue.status).toBe('posted'); // on hand 50, reserved 0: available 50
    await o.inv.ok('POST', `/api/v1/documents/${issue.id}/reverse`, {}); // on hand 100, the order open again: available 50
    expect((await o.inv.ok('GET', `/api/v1/documents/${so.id}`)).status).toBe('approved');
    expect(await o.rows()).toEqual([]);
    // Then an issue of 25 more, not against the order: available 25 < 30, an alert after all.
    await o.inv.issue('WH', 'A', 25);
    expect(await o.rows()).toEqual(['open']);
  });

  it('an order opened by its last approval alerts in that approval', async () => {
    const o = await setup();
    await o.rules([{ name: 'sales orders', documentTypes: ['sales_order'], levels: [{ roles: ['supervisor'] }] }]);
    const so = await o.submit('sales_order', [{ sku: 'A', qty: 75 }], { counterparty: 'C' });
    expect(so.status).toBe('awaiting_approval');
    expect(await o.rows()).toEqual([]); // nothing reserved while it waits
    await o.as.sup1.inv.ok('POST', `/api/v1/documents/${so.id}/approve`, {});
    expect(await o.rows()).toEqual(['open']);
  });

  it('the scan opens on available stock and keeps open what is reserved away, where on hand alone looks fine', async () => {
    const o = await setup();
    await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'B', warehouse: 'WH', minQty: 30 });
    await o.inv.ok('POST', '/api/v1/documents',
      { type: 'sales_order', warehouse: 'WH', counterparty: 'C', lines: [{ sku: 'A', qty: 80 }, { sku: 'B', qty: 20 }], submit: true });
    expect(await o.rows()).toEqual(['open']); // A: available 20; B: 80
    await h.db.delete(alerts).where(eq(alerts.orgId, o.orgId)); // as if the rule had come after the order
    await scan(T0);
    expect(await o.rows()).toEqual(['open']);
    // A later pass must not take on hand (100 ≥ 30) for recovery.
    await scan(new Date(T0.getTime() + 60_000));
    expect(await o.rows()).toEqual(['open']);
    // The rule lowered to 20: available 20 is enough, and the pass resolves it.
    await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 20 });
    await scan(new Date(T0.getTime() + 120_000));
    expect(await o.rows()).toEqual(['resolved']);
  });

  it('chat 低库存 lists an item by what is available, with what is reserved', async () => {
    const o = await setup();
    const id = await sandboxPeople(o);
    await o.salesOrder(80);
    const res = await o.inv.ok('POST', '/sandbox/api/messages', { chatId: id('sup1'), userId: id('sup1'), text: '低库存 @WH' });
    const text: string = res.replies[0].text;
    expect(text).toContain('A（A）WH 现有 100 pcs，预留 80 pcs，可用 20 pcs，安全库存 30 pcs');
    expect(text).not.toContain('（B）'); // B: 100, no rule
  });

  it('the dashboard counts and lists what is below its safety stock by available stock', async () => {
    const o = await setup();
    await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'B', warehouse: 'WH', minQty: 30 });
    await o.salesOrder(80);
    expect((await o.inv.ok('GET', '/api/v1/metrics/stock?warehouse=WH')).belowSafety).toEqual({ items: 1 });
    const { rows } = await o.inv.ok('GET', '/api/v1/metrics/stock/items?view=below_safety&warehouse=WH');
    expect(rows.map((r: any) => [r.sku, r.qty, r.reserved, r.available, r.safetyStock])).toEqual([['A', '100', '80', '20', '30']]);
  });
});
