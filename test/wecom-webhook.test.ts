import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatIdentities, deliveries, inboundEvents } from '../db/schema';
import { runOutboxDelivery } from '../jobs/outbox-delivery';
import { startFakeWeCom, wecomCallback, wecomCardEvent, wecomEchoQuery, wecomText, type FakeWeCom } from './fakes/wecom-server';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg } from './support/approvals';

/**
 * The WeCom self-built app end to end through HTTP: every callback encrypted and signed as WeCom
 * does it, sent to GET|POST /webhooks/wecom/default; every answer read off the fake WeCom server
 * after the outbox runs. The published vectors are in test/wecom-crypto.test.ts; the refusals in
 * test/webhook-contract.test.ts.
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

async function post(plaintext: string) {
  const cb = wecomCallback({ token: TOKEN, encodingAesKey: AES_KEY, corpId: fake.corpId, plaintext });
  const res = await h.app.request(`/webhooks/wecom/default?${cb.query}`, { method: 'POST', body: cb.rawBody, headers: { 'content-type': 'text/xml' } });
  return { status: res.status, body: await res.text() };
}
const say = (from: string, content: string) => post(wecomText({ corpId: fake.corpId, from, content }).xml);
const textsTo = (userId: string) => fake.shownTo(userId).filter((m) => m.msgtype === 'text').map((m) => String(m.body.text.content));
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
    await deliver();
    expect(textsTo(userId)).toEqual([expect.stringContaining('绑定')]);

    const { code } = await o.inv.ok('POST', `/api/v1/users/${o.as.lead.id}/bind-codes`);
    expect((await say(userId, `绑定 ${code}`)).status).toBe(200);
    const rows = await h.db.select().from(chatIdentities).where(and(eq(chatIdentities.platform, 'wecom'), eq(chatIdentities.externalId, userId)));
    expect(rows.map((r) => r.userId)).toEqual([o.as.lead.id]);
    await deliver();
    expect(textsTo(userId).at(-1)).toContain('Lead');

    await say(userId, '帮助');
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

describe('approvals on the WeCom app, end to end', () => {
  it('each approver gets the card one to one; a supervisor\'s click posts the document; every copy is greyed (atall); a retried click has no second effect', async () => {
    const o = await approvalOrg(h);
    const userId = (who: keyof typeof o.as) => `${o.slug}-${who}`;
    for (const [who, person] of Object.entries(o.as)) {
      await o.inv.ok('POST', `/api/v1/users/${person.id}/identities`, { platform: 'wecom', externalId: userId(who as keyof typeof o.as) });
    }
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    await deliver();

    const cardsTo = (who: keyof typeof o.as) => fake.shownTo(userId(who)).filter((m) => m.msgtype === 'template_card');
    const [card1, ...more1] = cardsTo('sup1');
    const [card2] = cardsTo('sup2');
    expect(more1).toEqual([]);
    expect(card2).toBeDefined();
    expect(cardsTo('clerk')).toEqual([]);
    expect(card1!.body.template_card).toMatchObject({ card_type: 'button_interaction', button_list: [{ key: `approve:${doc.id}` }] });
    expect(JSON.stringify(card1!.body.template_card.main_title)).toContain(doc.number);
    expect(card1!.taskId).not.toBe(card2!.taskId);

    const click = wecomCardEvent({ corpId: fake.corpId, from: userId('sup1'), eventKey: `approve:${doc.id}`, taskId: card1!.taskId!, responseCode: fake.issueClickCode(card1!.taskId!), createTime: 1764050000 });
    expect(await post(click)).toEqual({ status: 200, body: '' });
    expect((await o.inv.ok('GET', `/api/v1/documents/${doc.id}`)).status).toBe('posted');

    await deliver();
    const updates = fake.callsTo('/cgi-bin/message/update_template_card');
    expect(updates.map((u) => u.body.response_code).sort()).toEqual([card1!.responseCode, card2!.responseCode].sort());
    for (const u of updates) expect(u.body).toMatchObject({ atall: 1, agentid: fake.agentId, button: { replace_name: expect.stringContaining('Sup One') } });
    expect(card1!.updates).toHaveLength(1);
    expect(card2!.updates).toHaveLength(1);

    // WeCom retries a callback it thinks failed: same FromUserName + CreateTime + TaskId + EventKey.
    const [events, sends] = [await count(inboundEvents), await count(deliveries)];
    expect(await post(click)).toEqual({ status: 200, body: '' });
    expect([await count(inboundEvents), await count(deliveries)]).toEqual([events, sends]);
    const key = `card:${userId('sup1')}:1764050000:${card1!.taskId}:approve:${doc.id}`;
    expect(await h.db.select().from(inboundEvents).where(and(eq(inboundEvents.platform, 'wecom'), eq(inboundEvents.eventKey, key)))).toHaveLength(1);
    await deliver();
    expect(fake.callsTo('/cgi-bin/message/update_template_card')).toHaveLength(2);
  });
});
