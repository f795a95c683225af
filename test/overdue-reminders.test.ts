import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../db/schema';
import { runOutboxDelivery } from '../src/chat/delivery';
import { runOverdueReminders } from '../jobs/overdue';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg } from './support/approvals';

// Overdue documents: one card per warehouse, re-reminded every OVERDUE_REMIND_HOURS (4) and taken to
// the supervisors once the oldest is overdue more than OVERDUE_ESCALATE_HOURS (24). The job covers
// every organisation, so each test reads only its own organisation's rows and chats.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterEach(() => h.setNow(undefined));
afterAll(() => h?.close());

const at = (iso: string) => new Date(iso);
const remind = (now: Date) => runOverdueReminders({ db: h.db, log: h.deps.log }, now);
const deliver = (now: Date) => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, now);

describe('overdue reminders', () => {
  it('one grouped card per warehouse to its alerts chat and lead, again after the interval, escalated to a supervisor later', async () => {
    const o = await approvalOrg(h);
    // The chats also hold the returns' QC cards: only the overdue cards count here.
    const chat = async (id: string) => (await o.inv.ok('GET', `/sandbox/api/chats/${id}/messages`)).messages
      .map((m: any) => m.card).filter((c: any) => c?.title.includes('超时单据'));
    for (const who of ['lead', 'sup1'] as const) {
      await o.inv.ok('POST', `/api/v1/users/${o.as[who].id}/identities`, { platform: 'sandbox', externalId: `${o.slug}-${who}` });
    }
    for (const wh of ['WH', 'ST']) {
      await o.inv.ok('POST', `/api/v1/warehouses/${wh}/chats`, { platform: 'sandbox', chatId: `${o.slug}-${wh}`, purposes: ['alerts'] });
    }
    // Customer returns wait for QC: due 24 h after submission (2026-11-26T01:00Z).
    h.setNow(at('2026-11-25T01:00:00Z'));
    const r1 = await o.inv.post('customer_return', 'WH', [{ sku: 'A', qty: 1 }]);
    const r2 = await o.inv.post('customer_return', 'WH', [{ sku: 'B', qty: 2 }]);
    const r3 = await o.inv.post('customer_return', 'ST', [{ sku: 'B', qty: 1 }]);
    h.setNow(undefined);
    const rows = () => h.db.select().from(outbox).where(and(eq(outbox.orgId, o.orgId), eq(outbox.kind, 'overdue')));

    await remind(at('2026-11-26T00:59:00Z'));
    expect(await rows()).toEqual([]);

    await remind(at('2026-11-26T01:30:00Z'));
    await remind(at('2026-11-26T01:31:00Z'));
    expect((await rows()).map((r) => [r.payload.warehouse, r.payload.documents, r.payload.escalated]).sort()).toEqual([['ST', 1, false], ['WH', 2, false]]);
    await deliver(at('2026-11-26T01:30:00Z'));
    const [whCard, ...moreWh] = await chat(`${o.slug}-WH`);
    expect(moreWh).toEqual([]);
    expect(whCard.title).toBe('超时单据：2 张');
    expect(JSON.stringify(whCard)).toContain(r1.number);
    expect(JSON.stringify(whCard)).toContain(r2.number);
    expect(JSON.stringify(whCard)).not.toContain(r3.number);
    expect((await chat(`${o.slug}-ST`)).map((c: any) => c.title)).toEqual(['超时单据：1 张']);
    expect(await chat(`${o.slug}-lead`)).toHaveLength(2); // the lead works in both: one card each
    expect(await chat(`${o.slug}-sup1`)).toEqual([]);

    // Not again within the interval, even across a window boundary (04:00)…
    await remind(at('2026-11-26T04:30:00Z'));
    expect(await rows()).toHaveLength(2);
    // …and again once it has passed.
    await remind(at('2026-11-26T05:30:00Z'));
    expect(await rows()).toHaveLength(4);
    await deliver(at('2026-11-26T05:30:00Z'));
    expect(await chat(`${o.slug}-WH`)).toHaveLength(2);
    expect(await chat(`${o.slug}-sup1`)).toEqual([]);

    // The oldest overdue more than 24 h: the supervisors get the escalated card, besides the usual reminder.
    await remind(at('2026-11-27T01:30:00Z'));
    expect((await rows()).filter((r) => r.payload.escalated).map((r) => r.payload.warehouse).sort()).toEqual(['ST', 'WH']);
    await deliver(at('2026-11-27T01:30:00Z'));
    const escalated = await chat(`${o.slug}-sup1`);
    expect(escalated.map((c: any) => c.title).sort()).toEqual(['【升级】超时单据：1 张', '【升级】超时单据：2 张']);
    expect(await chat(`${o.slug}-WH`)).toHaveLength(3);
    expect((await chat(`${o.slug}-WH`)).every((c: any) => !c.title.includes('升级'))).toBe(true);
  });

  it('says nothing for a warehouse with nothing overdue', async () => {
    const o = await approvalOrg(h);
    h.setNow(at('2026-11-25T01:00:00Z'));
    await o.inv.post('customer_return', 'WH', [{ sku: 'A', qty: 1 }]);
    h.setNow(undefined);
    await remind(at('2026-11-25T20:00:00Z'));
    expect(await h.db.select().from(outbox).where(and(eq(outbox.orgId, o.orgId), eq(outbox.kind, 'overdue')))).toEqual([]);
  });
});
