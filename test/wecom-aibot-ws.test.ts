import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAibotSocketPlatform, type WeComAibotSocketPlatform } from '../bots/wecom-aibot/socket';
import { deliveries } from '../db/schema';
import { processEvent } from '../src/chat/inbound';
import { platformsFromConfig } from '../bots/platforms';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/lib/logger';
import { startWhenLeader } from '../src/lib/leader';
import { startFakeAibotWs, type FakeAibotWs } from './fakes/wecom-aibot-ws-server';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg } from './support/approvals';
import { deliverAt } from './support/jobs';

/**
 * The WeCom AI bot over its long connection, end to end: the official SDK connected to a fake
 * WeCom socket server on loopback (the real frames: subscribe, callbacks, acks), the real app and
 * database behind it. Messages and clicks arrive as frames and are answered on the socket; cards
 * and notices are pushed into groups with aibot_send_msg by the outbox.
 */
let fake: FakeAibotWs;
let h: TestApp;
let bot: WeComAibotSocketPlatform;
let connection: { stop(): void };

beforeAll(async () => {
  fake = await startFakeAibotWs({ botId: 'bot-ws', secret: 'bot-secret' });
  h = await createTestApp({ config: { WECOM_AIBOT_MODE: 'ws', WECOM_AIBOT_BOT_ID: 'bot-ws', WECOM_AIBOT_SECRET: 'bot-secret', WECOM_AIBOT_WS_URL: fake.url } });
  const p = h.deps.platforms.get('wecom-aibot', 'default', null);
  if (!isAibotSocketPlatform(p)) throw new Error('expected the AI bot in long-connection mode');
  bot = p;
  connection = bot.start((event) => processEvent(h.deps, bot, event));
  await until(() => bot.connected);
});

async function until(ok: () => boolean, timeoutMs = 10_000) {
  for (const end = Date.now() + timeoutMs; !ok(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > end) throw new Error('timed out');
  }
}
afterAll(async () => {
  connection?.stop();
  await fake?.close();
  await h?.close();
});

const streamReplies = (reqId: string) => fake.responses.filter((r) => r.reqId === reqId && r.cmd === 'aibot_respond_msg');
const sentTo = (chatid: string) => fake.sent.filter((s) => s.chatid === chatid);
const deliver = () => deliverAt(h, new Date());

/** An organisation whose supervisor and store manager are WeCom members, and a group bound to WH for approvals. */
async function wecomOrg(groups: string[]) {
  const o = await approvalOrg(h);
  const wecomId = (who: string) => `${o.slug}-${who}`.toLowerCase();
  for (const who of ['sup1', 'clerk', 'boss'] as const) {
    await o.inv.ok('POST', `/api/v1/users/${o.as[who].id}/identities`, { platform: 'wecom', externalId: wecomId(who) });
  }
  for (const chatId of groups) {
    await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'wecom-aibot', chatId, purposes: ['approvals'] });
    fake.openChat(chatId); // someone has spoken to the bot there, so it may push
  }
  await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
  return { ...o, wecomId };
}

describe('WeCom AI bot long connection', () => {
  it("answers a store manager's @-mention in a group with the stock, as a finished stream on the socket", async () => {
    const o = await approvalOrg(h);
    const userId = `${o.slug}-store`;
    await o.inv.item('COLA', { name: '可乐' });
    await o.inv.receipt('WH', 'COLA', 48, 3);
    await o.inv.ok('POST', '/api/v1/users', { name: 'Store Mgr', roles: ['store_manager'], warehouses: ['WH'], identities: [{ platform: 'wecom', externalId: userId }] });

    const reqId = fake.pushMessage(fake.textMessage({ userid: userId, chatid: `wr-${o.slug}`, content: '@进销存 库存 可乐' }));
    await expect.poll(() => fake.responses.filter((r) => r.reqId === reqId)).toHaveLength(1);
    const [answer] = fake.responses.filter((r) => r.reqId === reqId);
    const shown = JSON.stringify(answer!.body);
    expect(answer!.body.msgtype === 'stream' ? answer!.body.stream.finish : true).toBe(true);
    expect(shown).toContain('可乐');
    expect(shown).toMatch(/48/);
  });

  it('tells a stranger in a single chat how to bind', async () => {
    const reqId = fake.pushMessage(fake.textMessage({ userid: 'stranger-ws', content: '库存 可乐' }));
    await expect.poll(() => streamReplies(reqId)).toHaveLength(1);
    expect(streamReplies(reqId)[0]!.body).toMatchObject({ msgtype: 'stream', stream: { finish: true, content: expect.stringContaining('绑定') } });
  });

  it('welcomes someone entering the single chat for the first time that day', async () => {
    const reqId = fake.pushEvent(fake.enterChat({ userid: 'newcomer-ws' }));
    await expect.poll(() => fake.responses.filter((r) => r.reqId === reqId)).toHaveLength(1);
    expect(fake.responses.find((r) => r.reqId === reqId)).toMatchObject({ cmd: 'aibot_respond_welcome_msg', body: { msgtype: 'text', text: { content: expect.stringContaining('帮助') } } });
  });

  it('pushes an approval card into every bound group; a click there posts the document, replaces that card in place and tells the other group', async () => {
    const [g1, g2] = ['wr-approvals-1', 'wr-approvals-2'];
    const o = await wecomOrg([g1, g2]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 3 }]);
    await deliver();
    const card = sentTo(g1).at(-1)!;
    expect(card.body).toMatchObject({ msgtype: 'template_card', template_card: { card_type: 'button_interaction' } });
    expect(JSON.stringify(card.body)).toContain(doc.number);
    expect(sentTo(g2).at(-1)!.body.template_card.task_id).not.toBe(card.body.template_card.task_id);
    const taskId: string = card.body.template_card.task_id;
    const approve = card.body.template_card.button_list.find((b: { text: string }) => b.text === '批准').key;

    const reqId = fake.pushEvent(fake.cardClick({ userid: o.wecomId('sup1'), chatid: g1, taskId, eventKey: approve }));
    await expect.poll(() => fake.responses.filter((r) => r.reqId === reqId)).toHaveLength(1);
    const update = fake.responses.find((r) => r.reqId === reqId)!;
    expect(update).toMatchObject({ cmd: 'aibot_respond_update_msg', body: { response_type: 'update_template_card', template_card: { task_id: taskId } } });
    expect(JSON.stringify(update.body)).toContain('Sup One');
    expect((await o.inv.ok('GET', `/api/v1/documents/${doc.id}`)).status).toBe('posted');

    // The decision reaches every copy: the clicked one already shows it; the other group is told in a message.
    const before = [sentTo(g1).length, sentTo(g2).length];
    await deliver();
    expect(sentTo(g1)).toHaveLength(before[0]!);
    expect(sentTo(g2)).toHaveLength(before[1]! + 1);
    expect(sentTo(g2).at(-1)!.body).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining(doc.number) } });
  });

  it('a click answer WeCom refuses (too late) is made up for: that group is told the outcome in a message', async () => {
    const g = 'wr-late-update';
    const o = await wecomOrg([g]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 1 }]);
    await deliver();
    const card = sentTo(g).at(-1)!.body.template_card;
    const approve = card.button_list.find((b: { text: string }) => b.text === '批准').key;
    fake.fail({ cmd: 'aibot_respond_update_msg', errcode: 60140 });
    const before = sentTo(g).length;
    fake.pushEvent(fake.cardClick({ userid: o.wecomId('sup1'), chatid: g, taskId: card.task_id, eventKey: approve }));
    await expect.poll(async () => (await deliver(), sentTo(g).length)).toBe(before + 1);
    expect(sentTo(g).at(-1)!.body).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining(doc.number) } });
    expect((await o.inv.ok('GET', `/api/v1/documents/${doc.id}`)).status).toBe('posted');
  });

  it("refuses a clerk's click: the card stays, the document waits, and the group is told why", async () => {
    const g = 'wr-refusal';
    const o = await wecomOrg([g]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 1 }]);
    await deliver();
    const card = sentTo(g).at(-1)!.body.template_card;
    const approve = card.button_list.find((b: { text: string }) => b.text === '批准').key;
    const pushedBefore = sentTo(g).length;

    const reqId = fake.pushEvent(fake.cardClick({ userid: o.wecomId('clerk'), chatid: g, taskId: card.task_id, eventKey: approve }));
    await expect.poll(async () => (await deliver(), sentTo(g).length)).toBe(pushedBefore + 1);
    expect(fake.responses.filter((r) => r.reqId === reqId)).toEqual([]);
    expect(sentTo(g).at(-1)!.body).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining('没有权限') } });
    expect((await o.inv.ok('GET', `/api/v1/documents/${doc.id}`)).status).not.toBe('posted');
  });

  it('dead-letters a push into a conversation that never spoke to the bot, with the reason', async () => {
    const o = await approvalOrg(h);
    await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'wecom-aibot', chatId: 'wr-silent', purposes: ['approvals'] });
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
    await o.submit('issue', [{ sku: 'A', qty: 1 }]);
    await deliver();
    const [row] = await h.db.select().from(deliveries).where(and(eq(deliveries.orgId, o.orgId), eq(deliveries.targetId, 'wr-silent')));
    expect(row).toMatchObject({ status: 'dead' });
    expect(row!.lastError).toMatch(/WeCom/);
    expect(sentTo('wr-silent')).toEqual([]);
  });

  it('keeps deliveries waiting while the socket is down and sends them once it is back', async () => {
    const g = 'wr-outage';
    const o = await wecomOrg([g]);
    fake.drop();
    await expect.poll(() => bot.connected).toBe(false);
    await o.submit('issue', [{ sku: 'B', qty: 1 }]);
    const at = new Date();
    await deliverAt(h, at);
    const [row] = await h.db.select().from(deliveries).where(and(eq(deliveries.orgId, o.orgId), eq(deliveries.targetId, g)));
    expect(row).toMatchObject({ status: 'pending' });
    expect(row!.lastError).toContain('not up');
    await expect.poll(() => bot.connected, { timeout: 15_000 }).toBe(true);
    await deliverAt(h, row!.nextAttemptAt);
    expect(sentTo(g)).toHaveLength(1);
  });
});

describe('long-connection configuration', () => {
  it('needs the BotID and Secret, and names what is missing', () => {
    expect(() => platformsFromConfig(loadConfig({ WECOM_AIBOT_MODE: 'ws' }), h.db, () => new Date()))
      .toThrow(/WECOM_AIBOT_BOT_ID: required[\s\S]*WECOM_AIBOT_SECRET: required/);
  });

  it('refuses webhook callbacks for a bot on its long connection, writing nothing', async () => {
    const res = await h.app.request('/webhooks/wecom-aibot/default?msg_signature=x&timestamp=1&nonce=1', { method: 'POST', body: '{"encrypt":"x"}' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('long connection');
  });
});

describe('one long connection per bot', () => {
  it('only the lock holder opens it; elsewhere the bot’s deliveries are left alone', async () => {
    const other = await startFakeAibotWs({ botId: 'bot-2', secret: 's' });
    const app = await createTestApp({ config: { WECOM_AIBOT_MODE: 'ws', WECOM_AIBOT_BOT_ID: 'bot-2', WECOM_AIBOT_SECRET: 's', WECOM_AIBOT_WS_URL: other.url } });
    try {
      const p = app.deps.platforms.get('wecom-aibot', 'default', null);
      if (!isAibotSocketPlatform(p)) throw new Error('expected the AI bot in long-connection mode');
      let free = false;
      const leader = await startWhenLeader({
        name: 'test', log: createLogger('silent'), retryLockMs: 10, tryLock: async () => free,
        start: () => p.start((event) => processEvent(app.deps, p, event)),
      });
      expect(app.deps.platforms.servedElsewhere()).toEqual(['wecom-aibot:default']);

      const o = await approvalOrg(app);
      await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'wecom-aibot', chatId: 'wr-lock', purposes: ['approvals'] });
      other.openChat('wr-lock');
      await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
      await o.submit('issue', [{ sku: 'A', qty: 1 }]);
      await deliverAt(app, new Date());
      const [row] = await app.db.select().from(deliveries).where(eq(deliveries.targetId, 'wr-lock'));
      expect(row).toMatchObject({ status: 'pending', attempts: 0 });
      expect(other.subscribes).toBe(0);

      free = true;
      await expect.poll(() => p.connected).toBe(true);
      expect(app.deps.platforms.servedElsewhere()).toEqual([]);
      await deliverAt(app, new Date());
      expect(other.sent.map((s) => s.chatid)).toEqual(['wr-lock']);
      leader.stop();
      await expect.poll(() => p.connected).toBe(false);
    } finally {
      await other.close();
      await app.close();
    }
  });
});
