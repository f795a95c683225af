import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg, sandboxPeople } from './support/approvals';

// The card actions not covered elsewhere, each: allowed, forbidden (wrong person), stale (already done).
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

async function setup() {
  const o = await approvalOrg(h);
  // Sandbox ids are unique across organisations, like a platform's user ids.
  const id = await sandboxPeople(o);
  // The card among the replies: a warning (a return far above sales and stock) may come before it.
  const say = async (who: string, text: string) => {
    const { replies } = await o.inv.ok('POST', '/sandbox/api/messages', { chatId: id(who), userId: id(who), text });
    return replies.find((r: any) => r.card) ?? replies[0];
  };
  const tap = async (who: string, messageId: string, actionId: string, form?: Record<string, string>) =>
    (await o.inv.ok('POST', '/sandbox/api/actions', { userId: id(who), messageId, actionId, ...(form ? { form } : {}) })).toast;
  return { ...o, say, tap };
}

it('reject: a non-approver is refused, an approver rejects, a later tap is stale', async () => {
  const o = await setup();
  await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
  const doc = await o.submit('issue', [{ sku: 'A', qty: 1 }]);
  const msg = await o.say('lead', '帮助');
  expect((await o.tap('lead', msg.id, `reject:${doc.id}`, { reason: 'no' })).kind).toBe('error');
  expect((await o.tap('sup1', msg.id, `reject:${doc.id}`, { reason: '不需要' })).kind).toBe('success');
  expect((await o.tap('sup2', msg.id, `reject:${doc.id}`, { reason: 'again' })).text).toContain('Sup One');
});

it('receive short: staff are refused; the lead records it; a second tap is stale', async () => {
  const o = await setup();
  const tr = await o.inv.ok('POST', '/api/v1/documents', { type: 'transfer', warehouse: 'WH', toWarehouse: 'ST', lines: [{ sku: 'A', qty: 2 }], submit: true });
  const msg = await o.say('lead', '帮助');
  expect((await o.tap('clerk', msg.id, `receive_short:${tr.id}`, { shortage: '1' })).kind).toBe('error');
  expect((await o.tap('lead', msg.id, `receive_short:${tr.id}`, { shortage: '1' })).kind).toBe('success');
  expect((await o.tap('lead', msg.id, `receive_short:${tr.id}`, { shortage: '1' })).kind).toBe('error');
});

it('cancel a return draft and pick an item: only the person who asked, and once', async () => {
  const o = await setup();
  await o.inv.item('RB250', { name: '红牛 250ml', unit: '瓶' });
  await o.inv.item('RB500', { name: '红牛 500ml', unit: '瓶' });
  const draft = await o.say('clerk', '退货 红牛 250ml 1瓶 破损 @WH');
  const cancel = draft.card.actions.find((a: any) => a.id.startsWith('cancel_return:')).id;
  expect((await o.tap('lead', draft.id, cancel)).kind).toBe('error');
  expect((await o.tap('clerk', draft.id, cancel)).kind).toBe('info');
  expect((await o.tap('clerk', draft.id, cancel)).kind).toBe('error');

  const ask = await o.say('clerk', '库存 红牛');
  const pick = ask.card.actions[0].id as string;
  expect(pick).toMatch(/^pick_item:/);
  expect((await o.tap('lead', ask.id, pick)).kind).toBe('error');
  const ok = await o.inv.ok('POST', '/sandbox/api/actions', { userId: `${o.slug}-clerk`, messageId: ask.id, actionId: pick });
  expect(ok.card.title).toContain('红牛');
  expect((await o.tap('clerk', ask.id, pick)).kind).toBe('error');
});
