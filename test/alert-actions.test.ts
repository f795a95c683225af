import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts, outbox } from '../db/schema';
import { runOutboxDelivery } from '../src/chat/delivery';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg, sandboxPeople } from './support/approvals';

// A low-stock alert: one per item and warehouse while unresolved; acknowledge and snooze from the card.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

const deliver = () => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, new Date());

async function setup() {
  const o = await approvalOrg(h);
  // Sandbox ids are unique across organisations, like a platform's user ids.
  const id = await sandboxPeople(o);
  await o.inv.ok('POST', '/api/v1/users', { name: 'Store Mgr', roles: ['store_manager'], warehouses: ['ST'], identities: [{ platform: 'sandbox', externalId: id('store') }] });
  const group = `${o.slug}-alerts`;
  await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: group, purposes: ['alerts'] });
  await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 95, reorderQty: 50 });
  const tap = async (who: string, messageId: string, actionId: string) =>
    (await o.inv.ok('POST', '/sandbox/api/actions', { userId: id(who), messageId, actionId })).toast;
  const cards = async () => (await o.inv.ok('GET', `/sandbox/api/chats/${group}/messages`)).messages.filter((m: any) => m.card?.title.includes('低库存'));
  return { ...o, tap, cards };
}

describe('low-stock alerts', () => {
  it('opens one alert per item and warehouse, however often stock keeps falling', async () => {
    const o = await setup();
    await o.inv.issue('WH', 'A', 10);
    await o.inv.issue('WH', 'A', 10);
    await deliver();
    expect(await o.cards()).toHaveLength(1);
    const open = await h.db.select().from(alerts).where(eq(alerts.orgId, o.orgId));
    expect(open.map((a) => a.status)).toEqual(['open']);
  });

  it('a warehouse lead acknowledges: every copy shows it, buttons gone; a second tap is told who did', async () => {
    const o = await setup();
    await o.inv.issue('WH', 'A', 10);
    await deliver();
    const [card] = await o.cards();
    const ack = card.card.actions.find((a: any) => a.id.startsWith('ack_alert:'));
    expect((await o.tap('clerk', card.id, ack.id)).kind).toBe('error'); // staff: no
    expect((await o.tap('store', card.id, ack.id)).kind).toBe('error'); // another store's manager: no
    expect((await o.tap('lead', card.id, ack.id)).kind).toBe('success');
    const again = await o.tap('sup1', card.id, ack.id);
    expect(again).toMatchObject({ kind: 'error' });
    expect(again.text).toContain('Lead');
    await deliver();
    const [updated] = await o.cards();
    expect(updated.card.actions).toEqual([]);
    expect(updated.card.status).toContain('Lead');
    // Still below safety stock: no new alert while this one is unresolved.
    await o.inv.issue('WH', 'A', 1);
    expect(await h.db.select().from(outbox).where(and(eq(outbox.orgId, o.orgId), eq(outbox.kind, 'low_stock')))).toHaveLength(1);
  });

  it('snoozes for the chosen hours', async () => {
    const o = await setup();
    h.setNow(new Date('2026-11-25T02:00:00Z'));
    try {
      await o.inv.issue('WH', 'A', 10);
      await deliver();
      const [card] = await o.cards();
      const snooze = card.card.actions.find((a: any) => a.id.startsWith('snooze_alert:'));
      expect((await o.tap('sup2', card.id, snooze.id)).kind).toBe('success');
      const [row] = await h.db.select().from(alerts).where(eq(alerts.orgId, o.orgId));
      expect(row).toMatchObject({ status: 'snoozed', snoozedUntil: new Date('2026-11-25T06:00:00Z') });
      expect((await o.tap('sup1', card.id, snooze.id)).kind).toBe('error'); // already snoozed
    } finally {
      h.setNow(undefined);
    }
  });
});
