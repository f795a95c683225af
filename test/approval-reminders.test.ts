import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../db/schema';
import { runApprovalReminders } from '../jobs/approval-reminders';
import { runOutboxDelivery } from '../src/chat/delivery';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg } from './support/approvals';

// A pending approval level: reminded every APPROVAL_REMIND_HOURS (4) to its approvers, shown once to
// the next role up after APPROVAL_ESCALATE_HOURS (8). The job covers every organisation, so each
// test reads only its own organisation's rows and chats.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterEach(() => h.setNow(undefined));
afterAll(() => h?.close());

const T0 = new Date('2026-11-25T01:00:00Z');
const hoursLater = (n: number) => new Date(T0.getTime() + n * 3_600_000);
const run = (now: Date) => runApprovalReminders({ db: h.db, log: h.deps.log }, now);
const deliver = (now: Date) => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, now);

async function setup(levels: (as: Awaited<ReturnType<typeof approvalOrg>>['as']) => unknown[]) {
  const o = await approvalOrg(h);
  for (const who of ['lead', 'sup1', 'boss'] as const) {
    await o.inv.ok('POST', `/api/v1/users/${o.as[who].id}/identities`, { platform: 'sandbox', externalId: `${o.slug}-${who}` });
  }
  await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: levels(o.as) }]);
  const dm = async (who: string) => (await o.inv.ok('GET', `/sandbox/api/chats/${o.slug}-${who}/messages`)).messages.map((m: any) => m.card);
  const rows = (kind: 'approval_reminder' | 'approval_escalated') =>
    h.db.select().from(outbox).where(and(eq(outbox.orgId, o.orgId), eq(outbox.kind, kind))).orderBy(outbox.id);
  h.setNow(T0);
  const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
  h.setNow(undefined);
  await deliver(T0);
  return { ...o, doc, dm, rows };
}

describe('who is asked', () => {
  it('a level named by a warehouse role goes to its holders at the document\'s warehouse, not to a lead of another', async () => {
    const o = await approvalOrg(h);
    const storeLead = await o.inv.ok('POST', '/api/v1/users', { name: 'Store Lead', roles: ['warehouse_lead'], warehouses: ['ST'] });
    for (const [who, id] of [['lead', o.as.lead.id], ['store', storeLead.id]] as const) {
      await o.inv.ok('POST', `/api/v1/users/${id}/identities`, { platform: 'sandbox', externalId: `${o.slug}-${who}` });
    }
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['warehouse_lead'] }] }]);
    const dm = async (who: string) => (await o.inv.ok('GET', `/sandbox/api/chats/${o.slug}-${who}/messages`)).messages.map((m: any) => m.card?.title);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    await deliver(new Date());
    expect(await dm('lead')).toEqual([expect.stringContaining(doc.number)]);
    expect(await dm('store')).toEqual([]);
  });
});

describe('approval reminders', () => {
  it('reminds the level every interval, escalates once to the next role up, who sees but cannot decide', async () => {
    const o = await setup(() => [{ roles: ['warehouse_lead'] }]);
    expect(await o.dm('lead')).toHaveLength(1);

    await run(hoursLater(3.9));
    expect(await o.rows('approval_reminder')).toEqual([]);
    await run(hoursLater(4));
    await run(hoursLater(5));
    expect((await o.rows('approval_reminder')).map((r) => r.payload)).toEqual([expect.objectContaining({
      documentId: o.doc.id, number: o.doc.number, level: 1, roles: ['warehouse_lead'], users: [], reminder: 1,
    })]);
    await deliver(hoursLater(5));
    const reminded = await o.dm('lead');
    expect(reminded).toHaveLength(2);
    expect(reminded[1].title).toContain(o.doc.number);
    expect(await o.dm('sup1')).toEqual([]);

    await run(hoursLater(8));
    await run(hoursLater(9));
    await run(hoursLater(12));
    expect(await o.rows('approval_reminder')).toHaveLength(3);
    expect((await o.rows('approval_escalated')).map((r) => r.payload)).toEqual([expect.objectContaining({
      documentId: o.doc.id, level: 1, fromRoles: ['warehouse_lead'], roles: ['supervisor'],
    })]);
    await deliver(hoursLater(12));
    expect(await o.dm('lead')).toHaveLength(4);
    const up = await o.dm('sup1');
    expect(up).toHaveLength(1);
    expect(up[0].title).toContain(o.doc.number);
    expect(await o.dm('boss')).toEqual([]);

    // Seeing is not deciding: the level still wants a warehouse lead.
    expect((await o.as.sup1.api('POST', `/api/v1/documents/${o.doc.id}/approve`, {})).status).toBe(403);
    h.setNow(hoursLater(13));
    await o.as.lead.inv.ok('POST', `/api/v1/documents/${o.doc.id}/approve`, {});
    h.setNow(undefined);
    await run(hoursLater(30));
    expect(await o.rows('approval_reminder')).toHaveLength(3);
  });

  it('a reminder queued just before the level is decided reminds nobody', async () => {
    const o = await setup(() => [{ roles: ['warehouse_lead'] }]);
    expect(await o.dm('lead')).toHaveLength(1);
    await run(hoursLater(4));
    expect(await o.rows('approval_reminder')).toHaveLength(1);
    h.setNow(hoursLater(4.1));
    await o.as.lead.inv.ok('POST', `/api/v1/documents/${o.doc.id}/approve`, {});
    h.setNow(undefined);
    await deliver(hoursLater(4.2));
    // The one card, now showing the decision: no second card asking to decide what is decided.
    const cards = await o.dm('lead');
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ status: expect.stringContaining('已批准'), actions: [] });
  });

  it('the next level starts its own clock; a supervisors’ level goes up to an admin, a named one to a supervisor', async () => {
    const o = await setup(() => [{ roles: ['supervisor'] }, { roles: ['admin'] }]);
    await run(hoursLater(8));
    expect((await o.rows('approval_escalated')).map((r) => r.payload.roles)).toEqual([['admin']]);
    await deliver(hoursLater(8));
    expect((await o.dm('boss')).map((c: any) => c.title.includes(o.doc.number))).toEqual([true]);

    h.setNow(hoursLater(9));
    await o.as.sup1.inv.ok('POST', `/api/v1/documents/${o.doc.id}/approve`, {});
    h.setNow(undefined);
    await run(hoursLater(12.9)); // level 2 has waited 3.9 h
    expect((await o.rows('approval_reminder')).map((r) => r.payload.level)).toEqual([1]);
    await run(hoursLater(13));
    await run(hoursLater(17));
    expect((await o.rows('approval_reminder')).map((r) => [r.payload.level, r.payload.reminder])).toEqual([[1, 2], [2, 1], [2, 2]]);
    // Nothing is above an admin: level 2 is reminded, never escalated.
    expect((await o.rows('approval_escalated')).map((r) => r.payload.level)).toEqual([1]);

    const named = await setup((as) => [{ users: [as.lead.id] }]);
    await run(hoursLater(8));
    expect((await named.rows('approval_escalated')).map((r) => r.payload.roles)).toEqual([['supervisor']]);
  });
});
