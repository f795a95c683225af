import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts, deliveries, outbox } from '../db/schema';
import { fanOut, type Reach } from '../src/outbox/fan-out';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg, sandboxPeople } from './support/approvals';
import { inventory } from './support/inventory';
import { deliverAt } from './support/jobs';

// Everyone hears what they wait for: approvers when their group cannot hear a push, requesters
// when their document is decided, and a low-stock alert settled by the posting itself.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

// A WeCom AI bot in webhook mode can only answer; everything else can push.
const aibotAnswersOnly: Reach = { canPush: (platform) => platform !== 'wecom-aibot' };

async function approvalAt(o: Awaited<ReturnType<typeof approvalOrg>>) {
  await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
  const doc = await o.submit('issue', [{ sku: 'A', qty: 1 }]);
  const [row] = await h.db.select().from(outbox).where(and(eq(outbox.orgId, o.orgId), eq(outbox.kind, 'approval_requested')));
  const fanned = async (reach: Reach) => {
    await fanOut(h.db, row!, new Date(), reach);
    return (await h.db.select().from(deliveries).where(eq(deliveries.outboxId, row!.id))).map((d) => `${d.platform}:${d.targetKind}:${d.targetId}`).sort();
  };
  return { doc, fanned };
}

describe('an approval card reaches someone who can act', () => {
  it('a group that can only answer (AI bot, webhook mode) does not count: the supervisors hear one to one', async () => {
    const o = await approvalOrg(h);
    const id = await sandboxPeople(o);
    await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'wecom-aibot', chatId: `${o.slug}-aibot`, purposes: ['approvals'] });
    const { fanned } = await approvalAt(o);
    expect(await fanned(aibotAnswersOnly)).toEqual([`sandbox:user:${id('sup1')}`, `sandbox:user:${id('sup2')}`]);
  });

  it('a group that can hear it is enough', async () => {
    const o = await approvalOrg(h);
    await sandboxPeople(o);
    await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: `${o.slug}-group`, purposes: ['approvals'] });
    const { fanned } = await approvalAt(o);
    expect(await fanned(aibotAnswersOnly)).toEqual([`sandbox:chat:${o.slug}-group`]);
  });
});

describe('overdue documents where nobody is bound and nobody leads', () => {
  it('go to the supervisors one to one, and to nobody else', async () => {
    const org = await h.createOrg();
    const inv = inventory(org.api);
    const wh = await inv.warehouse('LONELY');
    await inv.ok('POST', '/api/v1/users', { name: '店员', roles: ['staff'], warehouses: ['LONELY'], identities: [{ platform: 'sandbox', externalId: `${org.slug}-staff` }] });
    await inv.ok('POST', '/api/v1/users', { name: '主管', roles: ['supervisor'], identities: [{ platform: 'sandbox', externalId: `${org.slug}-sup` }] });
    const [row] = await h.db.insert(outbox).values({
      orgId: org.orgId, kind: 'overdue', dedupeKey: `overdue:${wh.id}:test`,
      payload: { warehouseId: wh.id, warehouse: 'LONELY', documents: 1, oldestDueAt: new Date().toISOString(), escalated: false },
    }).returning();
    await fanOut(h.db, row!, new Date(), aibotAnswersOnly);
    const sent = await h.db.select().from(deliveries).where(eq(deliveries.outboxId, row!.id));
    expect(sent.map((d) => [d.targetKind, d.targetId, d.subject])).toEqual([['user', `${org.slug}-sup`, `overdue:${wh.id}`]]);
  });
});

describe('the requester hears the outcome', () => {
  it('a rejection reaches who asked, one to one, with the reason', async () => {
    const o = await approvalOrg(h);
    const id = await sandboxPeople(o);
    const { doc } = await approvalAt(o);
    await o.as.sup1.inv.ok('POST', `/api/v1/documents/${doc.id}/reject`, { reason: '数量不对，重新提交' });
    await deliverAt(h, new Date());
    const told = (await o.inv.ok('GET', `/sandbox/api/chats/${id('clerk')}/messages`)).messages.filter((m: any) => m.card);
    expect(told.map((m: any) => [m.card.title, m.card.status])).toEqual([
      [`已驳回：出库单 ${doc.number}`, expect.stringMatching(/^已驳回 · Sup One · .* · 原因：数量不对，重新提交$/)],
    ]);
  });

  it('a posting by someone else is told to who asked; one’s own is not', async () => {
    const o = await approvalOrg(h);
    const id = await sandboxPeople(o);
    const { doc } = await approvalAt(o);
    await o.as.sup1.inv.ok('POST', `/api/v1/documents/${doc.id}/approve`, {});
    await o.as.clerk.inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH', lines: [{ sku: 'B', qty: 1 }], submit: true });
    await deliverAt(h, new Date());
    const titles = (await o.inv.ok('GET', `/sandbox/api/chats/${id('clerk')}/messages`)).messages.filter((m: any) => m.card).map((m: any) => m.card.title);
    expect(titles).toEqual([`已批准：出库单 ${doc.number}`, `出库单 ${doc.number}：已过账`]);
  });
});

describe('low stock, settled by the posting', () => {
  it('resolves in the posting that lifts stock back, and a later crossing alerts again, with no scan between', async () => {
    const o = await approvalOrg(h); // WH holds 100 of A
    await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 95 });
    const rows = () => h.db.select().from(alerts).where(eq(alerts.orgId, o.orgId)).orderBy(alerts.openedAt);
    await o.inv.issue('WH', 'A', 10); // 90 < 95
    expect((await rows()).map((a) => a.status)).toEqual(['open']);
    await o.inv.receipt('WH', 'A', 10, 10); // 100 ≥ 95: resolved in this posting
    expect((await rows()).map((a) => a.status)).toEqual(['resolved']);
    await o.inv.issue('WH', 'A', 6); // 94 < 95 again
    expect((await rows()).map((a) => a.status)).toEqual(['resolved', 'open']);
    const events = await h.db.select().from(outbox).where(eq(outbox.orgId, o.orgId));
    expect(events.filter((e) => e.kind === 'low_stock')).toHaveLength(2);
    expect(events.filter((e) => e.kind === 'alert_changed')).toHaveLength(1);
  });
});
