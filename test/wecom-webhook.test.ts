import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatIdentities, deliveries, documentApprovals, inboundEvents } from '../db/schema';
import { runOutboxDelivery } from '../src/chat/delivery';
import { openWeComPassiveReply, startFakeWeCom, wecomCallback, wecomCardEvent, wecomEchoQuery, wecomText, type FakeWeCom } from './fakes/wecom-server';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg } from './support/approvals';

/**
 * The WeCom self-built app end to end through HTTP: every callback encrypted and signed as WeCom
 * does it, sent to GET|POST /webhooks/wecom/default; every answer read off the fake WeCom server
 * after the outbox runs. The published vectors are in test/wecom-crypto.test.ts; the refusals in
 * test/webhook-contract.test.ts. Card clicks: a refused click is told to the clicker as a text (WeCom
 * shows no toast); the click that decides a card greys the clicker's copy with an encrypted passive
 * reply and every copy through update_template_card; a card still open spends no response_code.
 */
const TOKEN = 'wecomToken123';
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

let h: TestApp;
let fake: FakeWeCom;
beforeAll(async () => {
  fake = await startFakeWeCom();
  h = await createTestApp({
    config: { WECOM_CORP_ID: fake.corpId, WECOM_AGENT_ID: String(fake.agentId), WECOM_SECRET: fake.secret, WECOM_TOKEN: TOKEN, WECOM_ENCODING_AES_KEY: AES_KEY, WECOM_API_BASE: fake.url },
  });
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

const deliver = (at = new Date()) => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, at);

/** A callback as WeCom posts it: the answer, and the nonce a passive reply must be signed with. */
async function callback(plaintext: string) {
  const cb = wecomCallback({ token: TOKEN, encodingAesKey: AES_KEY, corpId: fake.corpId, plaintext });
  const res = await h.app.request(`/webhooks/wecom/default?${cb.query}`, { method: 'POST', body: cb.rawBody, headers: { 'content-type': 'text/xml' } });
  return { status: res.status, body: await res.text(), nonce: cb.nonce };
}
const post = async (plaintext: string) => {
  const { status, body } = await callback(plaintext);
  return { status, body };
};
const say = (from: string, content: string) => post(wecomText({ corpId: fake.corpId, from, content }).xml);
const textsTo = (userId: string) => fake.textsTo(userId);
/** What WeCom makes of a passive reply: signature checked with our token, decrypted with the corp id. */
const opened = (body: string) => openWeComPassiveReply(body, { token: TOKEN, encodingAesKey: AES_KEY, corpId: fake.corpId });
const count = async (table: typeof inboundEvents | typeof deliveries) => Number((await h.db.select({ n: sql<number>`count(*)` }).from(table))[0]!.n);

describe('WeCom self-built app webhook', () => {
  it('answers the URL verification with the decrypted echostr as plain text', async () => {
    const res = await h.app.request(`/webhooks/wecom/default?${wecomEchoQuery({ token: TOKEN, encodingAesKey: AES_KEY, corpId: fake.corpId, echo: '7788990011' })}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('7788990011');
    expect((await h.app.request(`/webhooks/wecom/nope?${wecomEchoQuery({ token: TOKEN, encodingAesKey: AES_KEY, corpId: fake.corpId, echo: '1' })}`)).status).toBe(404);
  });

  it('tells an unbound member how to bind (through the outbox), binds their userid with a code, then answers them', async () => {
    const o = await approvalOrg(h);
    const userId = `${o.slug}-guy`;
    expect(await say(userId, '库存 可乐')).toEqual({ status: 200, body: '' });
    await h.drainInbound();
    await deliver();
    expect(textsTo(userId)).toEqual([expect.stringContaining('绑定')]);

    const { code } = await o.inv.ok('POST', `/api/v1/users/${o.as.lead.id}/bind-codes`);
    expect((await say(userId, `绑定 ${code}`)).status).toBe(200);
    await h.drainInbound();
    const rows = await h.db.select().from(chatIdentities).where(and(eq(chatIdentities.platform, 'wecom'), eq(chatIdentities.externalId, userId)));
    expect(rows.map((r) => r.userId)).toEqual([o.as.lead.id]);
    await deliver();
    expect(textsTo(userId).at(-1)).toContain('Lead');

    await say(userId, '帮助');
    await h.drainInbound();
    await deliver();
    expect(textsTo(userId).at(-1)).toContain('库存');
  });

  it('ignores events other than card clicks, writing nothing', async () => {
    const [events, sends] = [await count(inboundEvents), await count(deliveries)];
    const enter = `<xml><ToUserName><![CDATA[${fake.corpId}]]></ToUserName><FromUserName><![CDATA[someone]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event><EventKey><![CDATA[]]></EventKey><AgentID>1000002</AgentID></xml>`;
    expect(await post(enter)).toEqual({ status: 200, body: '' });
    expect([await count(inboundEvents), await count(deliveries)]).toEqual([events, sends]);
  });
});

/**
 * An approval org whose people are all bound to WeCom userids `<slug>-<who>`, with an issue submitted
 * under `levels` and its cards delivered; `tap` is a click as WeCom reports it (a fixed `createTime`
 * repeats a callback exactly).
 */
async function wecomApprovals(levels: { roles: string[] }[], qty = 2) {
  const o = await approvalOrg(h);
  const userId = (who: keyof typeof o.as) => `${o.slug}-${who}`;
  for (const [who, person] of Object.entries(o.as)) {
    await o.inv.ok('POST', `/api/v1/users/${person.id}/identities`, { platform: 'wecom', externalId: userId(who as keyof typeof o.as) });
  }
  await o.rules([{ name: 'issues', documentTypes: ['issue'], levels }]);
  const doc = await o.submit('issue', [{ sku: 'A', qty }]);
  await deliver();
  const cardsTo = (who: keyof typeof o.as) => fake.shownTo(userId(who)).filter((m) => m.msgtype === 'template_card');
  let clock = 1764060000;
  const tap = (who: keyof typeof o.as, taskId: string, createTime = ++clock) =>
    wecomCardEvent({ corpId: fake.corpId, from: userId(who), eventKey: `approve:${doc.id}`, taskId, responseCode: fake.issueClickCode(taskId), createTime });
  const status = async () => (await o.inv.ok('GET', `/api/v1/documents/${doc.id}`)).status;
  const levelStates = async () => (await h.db.select().from(documentApprovals).where(eq(documentApprovals.documentId, doc.id)))
    .sort((a, b) => a.level - b.level).map((l) => l.status);
  return { ...o, doc, userId, cardsTo, tap, status, levelStates };
}

/** The update_template_card calls that spent one of these response codes. */
const updatesOf = (codes: (string | undefined)[]) =>
  fake.callsTo('/cgi-bin/message/update_template_card').filter((c) => codes.includes(c.body?.response_code));

describe('approvals on the WeCom app, end to end', () => {
  it('each approver gets the card one to one; a supervisor\'s click posts the document; every copy is greyed (atall); a retried click has no second effect', async () => {
    const o = await wecomApprovals([{ roles: ['supervisor'] }]);
    const [card1, ...more1] = o.cardsTo('sup1');
    const [card2] = o.cardsTo('sup2');
    expect(more1).toEqual([]);
    expect(card2).toBeDefined();
    expect(o.cardsTo('clerk')).toEqual([]);
    expect(card1!.body.template_card).toMatchObject({ card_type: 'button_interaction', button_list: [{ key: `approve:${o.doc.id}` }] });
    expect(JSON.stringify(card1!.body.template_card.main_title)).toContain(o.doc.number);
    expect(card1!.taskId).not.toBe(card2!.taskId);
    const codes = [card1!.responseCode, card2!.responseCode];

    // The decision greys the clicker's copy in the answer itself: an encrypted update_button, signed with the callback's nonce.
    const click = o.tap('sup1', card1!.taskId!, 1764050000);
    const answer = await callback(click);
    expect(answer.status).toBe(200);
    const reply = opened(answer.body);
    expect(reply.nonce).toBe(answer.nonce);
    expect(reply.xml).toMatchObject({ ToUserName: o.userId('sup1'), FromUserName: fake.corpId, MsgType: 'update_button', Button: { ReplaceName: expect.stringContaining('Sup One') } });
    expect(reply.xml.CreateTime).toMatch(/^\d+$/);
    expect(reply.plaintext).toContain('<ReplaceName><![CDATA[');
    expect(await o.status()).toBe('posted');

    await deliver();
    const updates = updatesOf(codes);
    expect(updates.map((u) => u.body.response_code).sort()).toEqual([...codes].sort());
    for (const u of updates) expect(u.body).toMatchObject({ atall: 1, agentid: fake.agentId, button: { replace_name: reply.xml.Button.ReplaceName } });
    expect(card1!.updates).toHaveLength(1);
    expect(card2!.updates).toHaveLength(1);
    // A success on a decided card needs no text: the greyed button says it.
    expect(textsTo(o.userId('sup1'))).toEqual([]);

    // WeCom retries a callback it thinks failed: same FromUserName + CreateTime + TaskId + EventKey. Nothing is sent (no "已处理" text either).
    const [events, sends] = [await count(inboundEvents), await count(deliveries)];
    expect(await post(click)).toEqual({ status: 200, body: '' });
    expect([await count(inboundEvents), await count(deliveries)]).toEqual([events, sends]);
    const key = `card:${o.userId('sup1')}:1764050000:${card1!.taskId}:approve:${o.doc.id}`;
    expect(await h.db.select().from(inboundEvents).where(and(eq(inboundEvents.platform, 'wecom'), eq(inboundEvents.eventKey, key)))).toHaveLength(1);
    await deliver();
    expect(updatesOf(codes)).toHaveLength(2);
    expect(textsTo(o.userId('sup1'))).toEqual([]);

    // The other supervisor's stale tap: refused, told by text, nothing spent.
    expect(await post(o.tap('sup2', card2!.taskId!))).toEqual({ status: 200, body: '' });
    await deliver();
    expect(textsTo(o.userId('sup2'))).toEqual([expect.stringMatching(/^操作未执行：.*第 1 级已由 Sup One 在 .* 批准，不用再处理$/)]);
    expect(updatesOf(codes)).toHaveLength(2);
  });

  it('a refused click: an empty 200, nothing decided, the reason sent to the clicker as a text; a retried callback sends it once', async () => {
    const o = await wecomApprovals([{ roles: ['supervisor'] }]);
    const [card] = o.cardsTo('sup1');
    // The warehouse lead (not a supervisor) taps 批准 on that card: the service decides from the current state, not from who holds the card.
    const click = o.tap('lead', card!.taskId!);
    const sendsBefore = fake.callsTo('/cgi-bin/message/send').length;
    expect(await post(click)).toEqual({ status: 200, body: '' });
    expect(await o.status()).toBe('awaiting_approval');
    expect(await o.levelStates()).toEqual(['pending']);
    expect(await h.db.select().from(deliveries).where(and(eq(deliveries.orgId, o.orgId), eq(deliveries.targetId, o.userId('lead')))))
      .toMatchObject([{ action: 'send', targetKind: 'user', subject: 'text', status: 'pending' }]);

    await deliver();
    expect(textsTo(o.userId('lead'))).toEqual([expect.stringMatching(/^没有权限：.*要由主管审批，你不能批准$/)]);
    expect(textsTo(o.userId('lead'))[0]).toContain(o.doc.number);

    // WeCom retries the callback: refused again (the refusal recorded nothing), told once.
    const [events, sends] = [await count(inboundEvents), await count(deliveries)];
    expect(await post(click)).toEqual({ status: 200, body: '' });
    expect([await count(inboundEvents), await count(deliveries)]).toEqual([events, sends]);
    await deliver();
    expect(textsTo(o.userId('lead'))).toHaveLength(1);
    expect(fake.callsTo('/cgi-bin/message/send').length).toBe(sendsBefore + 1);
    expect(updatesOf([card!.responseCode])).toEqual([]);
  });

  it('a click from someone not bound yet: told how to bind, in a text, once', async () => {
    const stranger = `stranger-${Date.now()}`;
    const click = wecomCardEvent({ corpId: fake.corpId, from: stranger, eventKey: 'approve:00000000-0000-4000-8000-000000000000', taskId: 'jxc-d1-x', createTime: 1764070000 });
    expect(await post(click)).toEqual({ status: 200, body: '' });
    await deliver();
    expect(textsTo(stranger)).toEqual([expect.stringContaining('绑定')]);
    // Handled (recorded), so the retry is a duplicate: nothing more.
    expect(await post(click)).toEqual({ status: 200, body: '' });
    await deliver();
    expect(textsTo(stranger)).toHaveLength(1);
  });

  it('two levels: level 1 spends no response_code (the clicker sees 已批准 on their copy); the final decision greys every copy exactly once; no 60140 anywhere', async () => {
    const o = await wecomApprovals([{ roles: ['supervisor'] }, { roles: ['admin'] }], 5);
    const [sup1Card] = o.cardsTo('sup1');
    const [sup2Card] = o.cardsTo('sup2');
    expect(o.cardsTo('boss')).toEqual([]);

    // Level 1: the card stays open (now waiting for level 2): only the clicker's copy says what they did; no update for anyone.
    const level1 = opened((await callback(o.tap('sup1', sup1Card!.taskId!))).body);
    expect(level1.xml).toMatchObject({ ToUserName: o.userId('sup1'), MsgType: 'update_button', Button: { ReplaceName: '已批准' } });
    expect(await o.levelStates()).toEqual(['approved', 'pending']);
    await deliver();
    const [bossCard] = o.cardsTo('boss');
    expect(bossCard!.body.template_card).toMatchObject({ card_type: 'button_interaction', button_list: [{ key: `approve:${o.doc.id}` }] });
    const codes = [sup1Card!.responseCode, sup2Card!.responseCode, bossCard!.responseCode];
    expect(updatesOf(codes)).toEqual([]);

    // The other level-1 copy is still open: its tap is refused (level 1 is decided) and told by text.
    expect(await post(o.tap('sup2', sup2Card!.taskId!))).toEqual({ status: 200, body: '' });
    await deliver();
    expect(textsTo(o.userId('sup2'))).toEqual([expect.stringContaining('Sup One')]);
    expect(updatesOf(codes)).toEqual([]);

    // Level 2, final: the boss's copy greyed in the answer, then every copy of both levels once.
    const reply = opened((await callback(o.tap('boss', bossCard!.taskId!))).body);
    expect(reply.xml).toMatchObject({ ToUserName: o.userId('boss'), MsgType: 'update_button', Button: { ReplaceName: expect.stringContaining('Boss') } });
    expect(await o.status()).toBe('posted');
    await deliver();
    const updates = updatesOf(codes);
    expect(updates.map((u) => u.body.response_code).sort()).toEqual([...codes].sort());
    for (const u of updates) expect(u.body).toMatchObject({ atall: 1, button: { replace_name: expect.stringContaining('Boss') } });
    for (const card of [sup1Card!, sup2Card!, bossCard!]) expect(card.updates).toHaveLength(1);
    expect(fake.calls.filter((c) => c.errcode === 60140)).toEqual([]);
    expect(await h.db.select().from(deliveries).where(and(eq(deliveries.orgId, o.orgId), eq(deliveries.status, 'dead')))).toEqual([]);
  });
});
