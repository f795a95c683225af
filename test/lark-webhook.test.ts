import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { chatIdentities, deliveries, inboundEvents } from '../db/schema';
import { deliveryKey, runOutboxDelivery } from '../src/chat/delivery';
import { larkCardAction, larkChallenge, larkMessageEvent, type FakeLark } from './fakes/lark-server';
import { type TestApp } from './harness';
import { pushLark, withLarkApp } from './support/lark-app';
import { approvalOrg } from './support/approvals';

/**
 * Lark end to end through HTTP: every push signed and encrypted as Lark does it, sent to
 * POST /webhooks/lark/default; every answer read off the fake Lark server after the outbox runs.
 * The published decryption vector is checked in test/lark-verify.test.ts; the refusals (bad
 * signature, stale timestamp, bad ciphertext…) in test/webhook-contract.test.ts.
 */
const ENCRYPT_KEY = 'test key';
const VTOK = 'vtok';

const keys = { encryptKey: ENCRYPT_KEY, verificationToken: VTOK };
let h: TestApp;
let fake: FakeLark;
withLarkApp(keys, (app, lark) => ([h, fake] = [app, lark]));

const deliver = (at = new Date()) => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, at);

const push = (body: Record<string, any>, options: { signed?: boolean } = {}) => pushLark(h, keys, body, options);

const textOf = (m: { content: any }) => String(m.content?.text ?? '');
const repliesTo = (messageId: string) => fake.shown.filter((m) => m.replyTo === messageId);
const count = async (table: typeof inboundEvents | typeof deliveries) => Number((await h.db.select({ n: sql<number>`count(*)` }).from(table))[0]!.n);

/** Every button's callback value in a Lark card JSON, wherever it sits (rows of columns, forms). */
function callbacks(node: unknown): unknown[] {
  if (Array.isArray(node)) return node.flatMap(callbacks);
  if (!node || typeof node !== 'object') return [];
  const n = node as Record<string, any>;
  const own = n.tag === 'button' ? (n.behaviors ?? []).filter((b: any) => b.type === 'callback').map((b: any) => b.value) : [];
  return [...own, ...Object.values(n).flatMap(callbacks)];
}
/** Form inputs in a Lark card JSON, by name. */
function inputs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(inputs);
  if (!node || typeof node !== 'object') return [];
  const n = node as Record<string, any>;
  return [...(n.tag === 'input' ? [n.name] : []), ...Object.values(n).flatMap(inputs)];
}

describe('Lark webhook', () => {
  it('answers the URL challenge, encrypted, with the plaintext challenge within the request', async () => {
    const res = await push(larkChallenge('ch-xyz'));
    expect(res).toEqual({ status: 200, body: { challenge: 'ch-xyz' } });
    // Lark's docs exempt the challenge from the signature: unsigned, the encryption and the token still prove it.
    expect(await push(larkChallenge('ch-unsigned'), { signed: false })).toEqual({ status: 200, body: { challenge: 'ch-unsigned' } });
  });

  it('tells an unbound user how to bind, binds their open_id with a code, then answers them', async () => {
    const o = await approvalOrg(h);
    const openId = `ou_${o.slug}_guy`;
    const chatId = `oc_p2p_${o.slug}`;

    const hello = larkMessageEvent({ chatId, senderOpenId: openId, text: '库存 可乐' });
    expect((await push(hello)).status).toBe(200);
    await h.drainInbound();
    await deliver();
    const [greeting, ...more] = repliesTo(hello.event.message.message_id);
    expect(more).toEqual([]);
    expect(greeting!.msgType).toBe('text');
    expect(textOf(greeting!)).toContain('绑定');

    const { code } = await o.inv.ok('POST', `/api/v1/users/${o.as.lead.id}/bind-codes`);
    const bind = larkMessageEvent({ chatId, senderOpenId: openId, text: `绑定 ${code}` });
    expect((await push(bind)).status).toBe(200);
    await h.drainInbound();
    const rows = await h.db.select().from(chatIdentities).where(and(eq(chatIdentities.platform, 'lark'), eq(chatIdentities.externalId, openId)));
    expect(rows.map((r) => ({ userId: r.userId, orgId: r.orgId }))).toEqual([{ userId: o.as.lead.id, orgId: o.orgId }]);
    await deliver();
    expect(repliesTo(bind.event.message.message_id).map(textOf)).toEqual([expect.stringContaining('Lead')]);

    // The code is spent: someone else typing it is told so, in a reply, and nothing is bound.
    const reuse = larkMessageEvent({ chatId: `oc_p2p_${o.slug}_2`, senderOpenId: `ou_${o.slug}_other`, text: `绑定 ${code}` });
    expect((await push(reuse)).status).toBe(200);
    await h.drainInbound();
    await deliver();
    expect(repliesTo(reuse.event.message.message_id).map(textOf)).toEqual([expect.stringContaining('无效')]);
    expect(await h.db.select().from(chatIdentities).where(eq(chatIdentities.externalId, `ou_${o.slug}_other`))).toEqual([]);

    const help = larkMessageEvent({ chatId, senderOpenId: openId, text: '帮助' });
    await push(help);
    await h.drainInbound();
    await deliver();
    expect(repliesTo(help.event.message.message_id).map(textOf)).toEqual([expect.stringContaining('库存')]);
  });

  it('in a group, answers only messages that @-mention the bot', async () => {
    const o = await approvalOrg(h);
    const openId = `ou_${o.slug}_lead`;
    await o.inv.ok('POST', `/api/v1/users/${o.as.lead.id}/identities`, { platform: 'lark', externalId: openId });
    const chatId = `oc_group_${o.slug}`;
    const [events, sends] = [await count(inboundEvents), await count(deliveries)];

    const chatter = larkMessageEvent({ chatId, chatType: 'group', senderOpenId: openId, text: '@_user_1 午饭吃什么', mentions: [{ key: '@_user_1', openId: 'ou_someone_else' }] });
    const plain = larkMessageEvent({ chatId, chatType: 'group', senderOpenId: openId, text: '帮助' });
    for (const m of [chatter, plain]) expect(await push(m)).toEqual({ status: 200, body: {} });
    await h.drainInbound();
    expect([await count(inboundEvents), await count(deliveries)]).toEqual([events, sends]);

    const asked = larkMessageEvent({ chatId, chatType: 'group', senderOpenId: openId, text: '@_user_1 帮助', mentions: [{ key: '@_user_1', openId: fake.botOpenId }] });
    await push(asked);
    await h.drainInbound();
    await deliver();
    expect(repliesTo(asked.event.message.message_id).map(textOf)).toEqual([expect.stringContaining('库存')]);
    expect(repliesTo(chatter.event.message.message_id)).toEqual([]);
    expect(repliesTo(plain.event.message.message_id)).toEqual([]);
  });

  it('a message pushed again (same message_id, new event_id) has no second effect', async () => {
    const o = await approvalOrg(h);
    const first = larkMessageEvent({ chatId: `oc_p2p_${o.slug}`, senderOpenId: `ou_${o.slug}_x`, text: 'hi' });
    const again = { ...first, header: { ...first.header, event_id: `${first.header.event_id}-again` } };
    expect((await push(first)).status).toBe(200);
    expect((await push(again)).status).toBe(200);
    await h.drainInbound();
    // Pushed again after it was handled: still nothing more.
    expect((await push({ ...first, header: { ...first.header, event_id: `${first.header.event_id}-late` } })).status).toBe(200);
    await h.drainInbound();
    await deliver();
    await deliver();
    const key = `msg:${first.event.message.message_id}`;
    expect(await h.db.select().from(inboundEvents).where(and(eq(inboundEvents.platform, 'lark'), eq(inboundEvents.eventKey, key)))).toHaveLength(1);
    expect(repliesTo(first.event.message.message_id)).toHaveLength(1);
  });
});

/** An approval org whose people have Lark identities and whose warehouse has a Lark approvals group. */
async function larkOrg() {
  const o = await approvalOrg(h);
  const openId = (who: keyof typeof o.as) => `ou_${o.slug}_${who}`;
  for (const [who, person] of Object.entries(o.as)) {
    await o.inv.ok('POST', `/api/v1/users/${person.id}/identities`, { platform: 'lark', externalId: openId(who as keyof typeof o.as) });
  }
  const group = `oc_wh_${o.slug}`;
  await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'lark', chatId: group, purposes: ['approvals'] });
  await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
  /** A click on the group's card by one of the org's people. */
  const click = (who: keyof typeof o.as | string, messageId: string, actionId: string, formValue?: Record<string, string>) =>
    push(larkCardAction({ operatorOpenId: who in o.as ? openId(who as keyof typeof o.as) : who, actionId, messageId, chatId: group, ...(formValue ? { formValue } : {}) }));
  const status = async (id: string) => (await o.inv.ok('GET', `/api/v1/documents/${id}`)).status;
  return { ...o, openId, group, click, status };
}

describe('approvals on Lark, end to end', () => {
  it('a card reaches the group; only an approver other than the clerk can approve; every copy shows the outcome', async () => {
    const o = await larkOrg();
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    await deliver();
    const [card, ...more] = fake.shownIn(o.group);
    expect(more).toEqual([]);
    expect(card!.msgType).toBe('interactive');
    expect(card!.content).toMatchObject({ schema: '2.0', config: { update_multi: true } });
    expect(JSON.stringify(card!.content.header)).toContain(doc.number);
    expect(callbacks(card!.content)).toEqual([{ a: `approve:${doc.id}` }, { a: `reject:${doc.id}` }]);
    expect(inputs(card!.content)).toEqual(['reason']);

    const stranger = await o.click(`ou_${o.slug}_nobody`, card!.messageId, `approve:${doc.id}`);
    expect(stranger).toMatchObject({ status: 200, body: { toast: { type: 'error', content: expect.stringContaining('绑定') } } });
    const lead = await o.click('lead', card!.messageId, `approve:${doc.id}`);
    expect(lead).toMatchObject({ status: 200, body: { toast: { type: 'error' } } });
    expect(lead.body.card).toBeUndefined();
    const own = await o.click('clerk', card!.messageId, `approve:${doc.id}`);
    expect(own).toMatchObject({ status: 200, body: { toast: { type: 'error' } } });
    expect(await o.status(doc.id)).toBe('awaiting_approval');

    const ok = await o.click('sup1', card!.messageId, `approve:${doc.id}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ toast: { type: 'success' }, card: { type: 'raw', data: { schema: '2.0' } } });
    expect(JSON.stringify(ok.body.card.data)).toContain('已批准 · Sup One');
    expect(callbacks(ok.body.card.data)).toEqual([]);
    expect(await o.status(doc.id)).toBe('posted');

    const late = await o.click('sup2', card!.messageId, `approve:${doc.id}`);
    expect(late.body.toast).toMatchObject({ type: 'error', content: expect.stringContaining('Sup One') });

    // The decision reaches every copy: the group's card message is patched to the outcome.
    await deliver();
    const patches = fake.callsTo(`/open-apis/im/v1/messages/${card!.messageId}`, 'PATCH');
    expect(patches.map((p) => p.status)).toEqual([200]);
    const [after] = fake.shownIn(o.group);
    expect(after!.updates).toBe(1);
    expect(after!.content.config.update_multi).toBe(true);
    expect(JSON.stringify(after!.content)).toContain('已批准 · Sup One');
    expect(callbacks(after!.content)).toEqual([]);
  });

  it('Reject needs a reason from the card form, and records it', async () => {
    const o = await larkOrg();
    const doc = await o.submit('issue', [{ sku: 'A', qty: 3 }]);
    await deliver();
    const [card] = fake.shownIn(o.group);

    const noReason = await o.click('sup2', card!.messageId, `reject:${doc.id}`);
    expect(noReason).toMatchObject({ status: 200, body: { toast: { type: 'error', content: expect.stringContaining('原因') } } });
    const blank = await o.click('sup2', card!.messageId, `reject:${doc.id}`, { reason: '   ' });
    expect(blank.body.toast.type).toBe('error');
    expect(await o.status(doc.id)).toBe('awaiting_approval');

    const res = await o.click('sup2', card!.messageId, `reject:${doc.id}`, { reason: '数量太大' });
    expect(res.body).toMatchObject({ toast: { type: 'success' }, card: { type: 'raw' } });
    expect(JSON.stringify(res.body.card.data)).toContain('数量太大');
    expect(await o.inv.ok('GET', `/api/v1/documents/${doc.id}`)).toMatchObject({ status: 'rejected', rejectReason: '数量太大' });
    await deliver();
    expect(JSON.stringify(fake.shownIn(o.group)[0]!.content)).toContain('已驳回 · Sup Two');
  });

  it('a 429 on send is retried after x-ogw-ratelimit-reset, with the same uuid, and the card shows once', async () => {
    const o = await larkOrg();
    await deliver(); // nothing else is waiting to take the failure
    const doc = await o.submit('issue', [{ sku: 'B', qty: 1 }]);
    const at = new Date();
    fake.failNext({ status: 429, resetSeconds: 30, path: '/open-apis/im/v1/messages' });
    expect(await deliver(at)).toMatchObject({ sent: 0, retried: 1 });
    expect(fake.shownIn(o.group)).toEqual([]);
    const [row] = await h.db.select().from(deliveries).where(and(eq(deliveries.orgId, o.orgId), eq(deliveries.targetId, o.group)));
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(at.getTime() + 30_000);
    expect(row!.lastError).toContain('throttling');

    expect(await deliver(new Date(at.getTime() + 29_000))).toMatchObject({ sent: 0, retried: 0 }); // not before the reset
    expect(await deliver(row!.nextAttemptAt)).toMatchObject({ sent: 1 });
    const sends = fake.calls.filter((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages' && (c.body as any)?.receive_id === o.group);
    expect(sends.map((c) => [c.status, c.query.receive_id_type, (c.body as any).uuid])).toEqual([
      [429, 'chat_id', deliveryKey(row!)],
      [200, 'chat_id', deliveryKey(row!)],
    ]);
    const shown = fake.shownIn(o.group);
    expect(shown).toHaveLength(1);
    expect(JSON.stringify(shown[0]!.content.header)).toContain(doc.number);
  });
});
