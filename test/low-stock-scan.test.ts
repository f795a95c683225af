import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client';
import { alerts, outbox } from '../db/schema';
import { runLowStockScan } from '../jobs/low-stock-scan';
import { runOutboxDelivery } from '../src/chat/delivery';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg } from './support/approvals';

// The periodic low-stock scan, on a fake clock. The scan covers every organisation in the database,
// so each test looks only at its own organisation's rows and chats.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterEach(() => h.setNow(undefined));
afterAll(() => h?.close());

const T0 = new Date('2026-11-25T02:00:00Z');
const hoursLater = (n: number) => new Date(T0.getTime() + n * 3_600_000);
const scan = (now: Date) => runLowStockScan({ db: h.db, log: h.deps.log }, now);
const deliver = (now: Date) => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, now);

async function setup() {
  const o = await approvalOrg(h); // WH holds 100 of A
  await o.inv.ok('POST', `/api/v1/users/${o.as.sup1.id}/identities`, { platform: 'sandbox', externalId: `${o.slug}-sup1` });
  const group = `${o.slug}-alerts`;
  await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: group, purposes: ['alerts'] });
  const cards = async () => (await o.inv.ok('GET', `/sandbox/api/chats/${group}/messages`)).messages.filter((m: any) => m.card);
  const rows = () => h.db.select().from(alerts).where(eq(alerts.orgId, o.orgId)).orderBy(alerts.openedAt);
  const announcements = () => h.db.select().from(outbox).where(and(eq(outbox.orgId, o.orgId), eq(outbox.kind, 'low_stock'))).orderBy(outbox.id);
  const tap = async (messageId: string, actionId: string) =>
    (await o.inv.ok('POST', '/sandbox/api/actions', { userId: `${o.slug}-sup1`, messageId, actionId })).toast;
  return { ...o, cards, rows, announcements, tap };
}

describe('low-stock scan', () => {
  it('alerts for a rule set after the stock was already low, once however often it runs', async () => {
    const o = await setup();
    h.setNow(T0);
    await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 150, reorderQty: 60 });
    expect(await o.rows()).toEqual([]); // no posting crossed the line
    await scan(T0);
    await scan(T0);
    await scan(hoursLater(1));
    expect((await o.rows()).map((a) => [a.status, a.lastNotifiedAt])).toEqual([['open', T0]]);
    expect((await o.announcements()).map((r) => r.payload)).toEqual([expect.objectContaining({
      sku: 'A', warehouse: 'WH', qty: '100', minQty: '150', reorderQty: '60', documentId: null,
    })]);
    await deliver(hoursLater(1));
    const [card, ...more] = await o.cards();
    expect(more).toEqual([]);
    expect(card.card.title).toContain('低库存');
    // The suggestion is the replenishment's: no demand yet, so safety stock 150 − on hand 100 = 50
    // (the rule's reorderQty 60 is what the payload keeps; the card suggests what is short).
    expect(card.card.fields).toEqual(expect.arrayContaining([
      { label: '在库', value: '100 pcs' }, { label: '安全库存', value: '150 pcs' }, { label: '建议补货', value: '50 pcs' },
    ]));
  });

  it('ends a snooze: open again and announced again; then reminds after the interval; recovery resolves every copy', async () => {
    const o = await setup();
    h.setNow(T0);
    await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 95, reorderQty: 50 });
    await o.inv.issue('WH', 'A', 10); // 90 < 95: opened at posting time
    await deliver(T0);
    const [first] = await o.cards();
    const snooze = first.card.actions.find((a: any) => a.id.startsWith('snooze_alert:'));
    expect((await o.tap(first.id, snooze.id)).kind).toBe('success'); // 4 hours
    h.setNow(undefined);

    await scan(hoursLater(3.9));
    expect((await o.rows())[0]!.status).toBe('snoozed');
    await scan(hoursLater(4));
    expect((await o.rows()).map((a) => [a.status, a.lastNotifiedAt])).toEqual([['open', hoursLater(4)]]);
    await deliver(hoursLater(4));
    const afterSnooze = await o.cards();
    expect(afterSnooze).toHaveLength(2);
    expect(afterSnooze[1].card.actions.map((a: any) => a.label)).toContain('知道了');

    // Nobody acted: announced again once LOW_STOCK_REMIND_HOURS (24) have passed since the last time.
    await scan(hoursLater(27.9));
    expect(await o.announcements()).toHaveLength(2);
    await scan(hoursLater(28));
    await scan(hoursLater(28.5));
    expect(await o.announcements()).toHaveLength(3);
    expect((await o.rows())[0]!.lastNotifiedAt).toEqual(hoursLater(28));
    await deliver(hoursLater(28));
    expect(await o.cards()).toHaveLength(3);

    // Back above the line: resolved, and every copy shows it recovered.
    h.setNow(hoursLater(30));
    await o.inv.receipt('WH', 'A', 10, 10); // 100 ≥ 95
    h.setNow(undefined);
    await scan(hoursLater(30));
    expect((await o.rows()).map((a) => [a.status, a.resolvedAt])).toEqual([['resolved', hoursLater(30)]]);
    await deliver(hoursLater(30));
    const recovered = await o.cards();
    expect(recovered).toHaveLength(3);
    for (const m of recovered) {
      expect(m.card.title).toContain('库存已恢复');
      expect(m.card.status).toContain('已恢复');
      expect(m.card.actions).toEqual([]);
    }
    await scan(hoursLater(60)); // a resolved alert is never reminded
    expect(await o.announcements()).toHaveLength(3);

    // A new crossing after recovery alerts again, and the scan adds nothing to it.
    h.setNow(hoursLater(61));
    await o.inv.issue('WH', 'A', 10);
    h.setNow(undefined);
    await scan(hoursLater(61));
    expect((await o.rows()).map((a) => a.status)).toEqual(['resolved', 'open']);
    expect(await o.announcements()).toHaveLength(4);
    await deliver(hoursLater(61));
    const cards = await o.cards();
    expect(cards).toHaveLength(4);
    expect(cards[3].card.title).toContain('低库存');
  });

  it('an acknowledged alert is not reminded; a raised minimum is found by the scan', async () => {
    const o = await setup();
    h.setNow(T0);
    await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 95 });
    await o.inv.issue('WH', 'A', 10);
    await deliver(T0);
    const [card] = await o.cards();
    const ack = card.card.actions.find((a: any) => a.id.startsWith('ack_alert:'));
    expect((await o.tap(card.id, ack.id)).kind).toBe('success');
    await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'B', warehouse: 'WH', minQty: 120 }); // B: 100 < 120
    h.setNow(undefined);
    await scan(hoursLater(48));
    const rows = await o.rows();
    expect(rows.map((a) => a.status)).toEqual(['acknowledged', 'open']);
    expect((await o.announcements()).map((r) => [r.payload.sku, r.payload.reorderQty])).toEqual([['A', null], ['B', null]]);
  });
  it('finds an item never stocked in the warehouse, follows a lowered rule and a rule written by plain SQL', async () => {
    const o = await setup(); // WH holds 100 of A and of B; ST holds nothing
    // A rule on A at ST, where A never moved: 0 on hand is under 5.
    await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'ST', minQty: 5 });
    await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'B', warehouse: 'WH', minQty: 150 });
    await scan(T0);
    const open = () => queryRows<{ k: string; status: string }>(h.db, sql`select i.sku || '@' || w.code as k, a.status from alerts a
      join items i on i.id = a.item_id join warehouses w on w.id = a.warehouse_id where a.org_id = ${o.orgId} order by k, a.created_at`);
    expect(await open()).toEqual([{ k: 'A@ST', status: 'open' }, { k: 'B@WH', status: 'open' }]);
    // The lists read the same copy: the dashboard's below-safety view names both, A at ST with nothing on hand.
    const below = await o.inv.ok('GET', '/api/v1/metrics/stock/items?view=below_safety');
    expect(below.rows.map((r: any) => [r.sku, r.warehouse, Number(r.qty), Number(r.safetyStock)]).sort())
      .toEqual([['A', 'ST', 0, 5], ['B', 'WH', 100, 150]]);
    // The ST card says 0 on hand.
    expect((await o.announcements()).map((r) => [r.payload.sku, r.payload.warehouse, r.payload.qty, r.payload.minQty]))
      .toEqual(expect.arrayContaining([['A', 'ST', '0', '5'], ['B', 'WH', '100', '150']]));

    // B's minimum lowered under what is on hand: the next pass resolves it.
    await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'B', warehouse: 'WH', minQty: 50 });
    await scan(hoursLater(1));
    expect(await open()).toEqual([{ k: 'A@ST', status: 'open' }, { k: 'B@WH', status: 'resolved' }]);

    // A rule written around the API (an import script, a DBA): the trigger keeps the scan's copy.
    await h.db.execute(sql`update reorder_rules set min_qty = 500, reorder_qty = 80 where org_id = ${o.orgId}
      and warehouse_id = (select id from warehouses where org_id = ${o.orgId} and code = 'WH')
      and item_id = (select id from items where org_id = ${o.orgId} and sku = 'B')`);
    await scan(hoursLater(2));
    expect((await open()).filter((r: any) => r.k === 'B@WH').map((r: any) => r.status)).toEqual(['resolved', 'open']);
    const [copy] = await queryRows<{ m: string; r: string }>(h.db, sql`select trim_scale(v.min_qty)::text m, trim_scale(v.reorder_qty)::text r
      from valuations v join items i on i.id = v.item_id
      join warehouses w on w.id = v.warehouse_id where v.org_id = ${o.orgId} and i.sku = 'B' and w.code = 'WH'`);
    expect(copy).toEqual({ m: '500', r: '80' });
    // The new alert's announcement carries the rule as it now stands, read from the same copy.
    expect((await o.announcements()).filter((r) => r.payload.sku === 'B').map((r) => [r.payload.minQty, r.payload.reorderQty]))
      .toEqual([['150', null], ['500', '80']]);
    // A rule removed: the copy goes with it, and the next pass resolves its alert.
    await h.db.execute(sql`delete from reorder_rules where org_id = ${o.orgId}
      and item_id = (select id from items where org_id = ${o.orgId} and sku = 'B')`);
    const gone = await queryRows<{ m: string | null; r: string | null }>(h.db, sql`select v.min_qty::text m, v.reorder_qty::text r
      from valuations v join items i on i.id = v.item_id
      join warehouses w on w.id = v.warehouse_id where v.org_id = ${o.orgId} and i.sku = 'B' and w.code = 'WH'`);
    expect(gone).toEqual([{ m: null, r: null }]);
    await scan(hoursLater(3));
    expect((await open()).filter((r: any) => r.k === 'B@WH').map((r: any) => r.status)).toEqual(['resolved', 'resolved']);
  });
});
