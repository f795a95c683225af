import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatIdentities, inboundEvents } from '../db/schema';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg, sandboxPeople } from './support/approvals';
import { deliverAt } from './support/jobs';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

const deliver = () => deliverAt(h, new Date());

/** An approval org whose people also have sandbox identities, and whose warehouse has a sandbox approvals group. */
async function chatOrg() {
  const o = await approvalOrg(h);
  // Sandbox ids are unique across organisations, like a platform's user ids.
  const id = await sandboxPeople(o);
  await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: 'wh-group', purposes: ['approvals'] });
  const say = (userId: string, text: string, chatId = userId) => o.inv.ok('POST', '/sandbox/api/messages', { chatId, userId, text });
  const tap = (userId: string, messageId: string, actionId: string, form?: Record<string, string>) =>
    o.inv.ok('POST', '/sandbox/api/actions', { userId, messageId, actionId, ...(form ? { form } : {}) });
  const chat = async (chatId: string) => (await o.inv.ok('GET', `/sandbox/api/chats/${chatId}/messages`)).messages;
  return { ...o, say, tap, chat, id };
}

describe('sandbox chat', () => {
  it('tells a stranger how to get bound, binds with a one-time code, then answers help', async () => {
    const o = await approvalOrg(h);
    const guy = `${o.slug}-guy`;
    const first = await o.inv.ok('POST', '/sandbox/api/messages', { chatId: guy, userId: guy, text: '库存 可乐' });
    expect(first.replies[0].text).toContain('绑定');
    const { code } = await o.inv.ok('POST', `/api/v1/users/${o.as.lead.id}/bind-codes`);
    expect(code).toMatch(/^\d{6}$/);
    const bound = await o.inv.ok('POST', '/sandbox/api/messages', { chatId: guy, userId: guy, text: `绑定 ${code}` });
    expect(bound.replies[0].text).toContain('Lead');
    const rows = await h.db.select().from(chatIdentities).where(and(eq(chatIdentities.platform, 'sandbox'), eq(chatIdentities.externalId, guy)));
    expect(rows.map((r) => r.userId)).toEqual([o.as.lead.id]);
    const reuse = await o.inv.ok('POST', '/sandbox/api/messages', { chatId: `${o.slug}-other`, userId: `${o.slug}-other`, text: `bind ${code}` });
    expect(reuse.replies[0].text).toContain('无效');
    const help = await o.inv.ok('POST', '/sandbox/api/messages', { chatId: guy, userId: guy, text: '帮助' });
    expect(help.replies[0].text).toContain('库存');
    const history = (await o.inv.ok('GET', `/sandbox/api/chats/${guy}/messages`)).messages;
    expect(history.map((m: any) => m.senderId ?? 'bot')).toEqual([guy, 'bot', guy, 'bot', guy, 'bot']);
  });

  it('a bind code needs an admin', async () => {
    const o = await approvalOrg(h);
    expect((await o.as.sup1.api('POST', `/api/v1/users/${o.as.lead.id}/bind-codes`)).status).toBe(403);
  });
});

describe('approvals in chat, end to end', () => {
  it('a card reaches the approvals group; an approver taps Approve; the document posts and every copy shows the outcome', async () => {
    const o = await chatOrg();
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    await deliver();
    const [card] = await o.chat('wh-group');
    expect(card.card.title).toContain(doc.number);
    expect(card.card.actions.map((a: any) => a.id)).toEqual([`approve:${doc.id}`, `reject:${doc.id}`]);

    const refused = await o.tap(o.id('lead'), card.id, `approve:${doc.id}`);
    expect(refused.toast.kind).toBe('error');
    expect((await o.inv.ok('GET', `/api/v1/documents/${doc.id}`)).status).toBe('awaiting_approval');

    const own = await o.tap(o.id('clerk'), card.id, `approve:${doc.id}`);
    expect(own.toast).toMatchObject({ kind: 'error' });

    const ok = await o.tap(o.id('sup1'), card.id, `approve:${doc.id}`);
    expect(ok.toast).toMatchObject({ kind: 'success' });
    expect(ok.card.actions).toEqual([]);
    expect(ok.card.status).toContain('Sup One');
    expect((await o.inv.ok('GET', `/api/v1/documents/${doc.id}`)).status).toBe('posted');

    const late = await o.tap(o.id('sup2'), card.id, `approve:${doc.id}`);
    expect(late.toast.kind).toBe('error');
    expect(late.toast.text).toContain('Sup One');

    await deliver(); // approval_decided → every copy updated
    const [after] = await o.chat('wh-group');
    expect(after.card.actions).toEqual([]);
    expect(after.card.status).toContain('Sup One');
  });

  it('Reject asks for a reason and records it', async () => {
    const o = await chatOrg();
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    await deliver();
    const [card] = await o.chat('wh-group');
    const reject = card.card.actions.find((a: any) => a.id === `reject:${doc.id}`);
    expect(reject.inputs?.[0]).toMatchObject({ name: 'reason', required: true });
    const noReason = await o.tap(o.id('sup2'), card.id, `reject:${doc.id}`);
    expect(noReason.toast.kind).toBe('error');
    const res = await o.tap(o.id('sup2'), card.id, `reject:${doc.id}`, { reason: '数量太大' });
    expect(res.toast.kind).toBe('success');
    const after = await o.inv.ok('GET', `/api/v1/documents/${doc.id}`);
    expect(after).toMatchObject({ status: 'rejected', rejectReason: '数量太大' });
  });

  it('without an approvals group, the approvers get the card one to one', async () => {
    const o = await approvalOrg(h);
    await o.inv.ok('POST', `/api/v1/users/${o.as.sup1.id}/identities`, { platform: 'sandbox', externalId: `${o.slug}-dm` });
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    await deliver();
    await deliver(); // a second run sends nothing again
    const dm = (await o.inv.ok('GET', `/sandbox/api/chats/${o.slug}-dm/messages`)).messages;
    expect(dm).toHaveLength(1);
    expect(dm[0].card.title).toContain(doc.number);
  });

  it('refuses a tap from someone not bound, and records every event once', async () => {
    const o = await chatOrg();
    const stranger = await o.inv.ok('POST', '/sandbox/api/messages', { chatId: 'x', userId: 'x', text: 'hi' });
    const res = await o.inv.ok('POST', '/sandbox/api/actions', { userId: 'nobody', messageId: stranger.replies[0].id, actionId: 'approve:00000000-0000-0000-0000-000000000000' });
    expect(res.toast.kind).toBe('error');
    const events = await h.db.select().from(inboundEvents).where(eq(inboundEvents.platform, 'sandbox'));
    expect(new Set(events.map((e) => e.eventKey)).size).toBe(events.length);
  });
});

describe('what the sandbox door lets a key do', () => {
  it('a tap sent with another card’s button leaves the group’s approval card as it is; no one writes into another’s 1:1', async () => {
    const o = await chatOrg();
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
    await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    await deliver();
    const [card] = await o.chat('wh-group');
    const before = card.card.actions.map((a: any) => a.id);
    expect(before.map((id: string) => id.split(':')[0])).toEqual(['approve', 'reject']);
    // The clerk's own return draft has a cancel button; tapped with the group card's message id, it must not replace that card.
    await o.inv.item('KL', { name: '可乐', unit: '瓶' });
    await o.inv.receipt('WH', 'KL', 10, 1);
    const draft = await o.as.clerk.inv.ok('POST', '/sandbox/api/messages', { chatId: o.id('clerk'), userId: o.id('clerk'), text: '退货 可乐 1 @WH' });
    const cancel = draft.replies.find((m: any) => m.card).card.actions.find((a: any) => a.id.startsWith('cancel_return')).id;
    await o.as.clerk.inv.ok('POST', '/sandbox/api/actions', { userId: o.id('clerk'), messageId: card.id, actionId: cancel });
    const [after] = await o.chat('wh-group');
    expect(after.card.actions.map((a: any) => a.id)).toEqual(before);
    const into = await o.as.clerk.api('POST', '/sandbox/api/messages', { chatId: o.id('sup1'), userId: o.id('clerk'), text: '帮助' });
    expect(into.status).toBe(403);
    expect((await o.chat(o.id('sup1'))).length).toBe(0);
  });
});

describe('alerts into the bound group', () => {
  it('a low-stock crossing and a submitted return reach the warehouse’s alerts chat', async () => {
    const o = await approvalOrg(h);
    await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: `${o.slug}-alerts`, purposes: ['alerts'] });
    await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 95, reorderQty: 50 });
    await o.inv.issue('WH', 'A', 10); // 100 → 90, below 95
    const ret = await o.inv.post('customer_return', 'WH', [{ sku: 'B', qty: 1 }]);
    await deliver();
    const cards = (await o.inv.ok('GET', `/sandbox/api/chats/${o.slug}-alerts/messages`)).messages.map((m: any) => m.card);
    expect(cards).toHaveLength(2);
    const low = cards.find((c: any) => c.title.includes('低库存'));
    expect(low.fields).toEqual(expect.arrayContaining([{ label: '在库', value: expect.stringContaining('90') }, { label: '安全库存', value: expect.stringContaining('95') }]));
    expect(cards.some((c: any) => JSON.stringify(c).includes(ret.number))).toBe(true);
  });
});
