import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWeComAibotPlatform } from '../bots/wecom-aibot';
import { stripMention } from '../bots/wecom-aibot/parse';
import { decryptWeCom, encryptWeCom } from '../bots/wecom/crypto';
import { wecomSignature } from '../bots/wecom/verify';
import { deliveries, inboundEvents } from '../db/schema';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg } from './support/approvals';
import { startFakeWeCom, type FakeWeCom } from './fakes/wecom-server';
import { deliverAt } from './support/jobs';

/**
 * The WeCom AI bot (智能机器人) in webhook mode end to end through HTTP: every callback encrypted
 * (receiveid "") and signed as WeCom does it, sent to GET|POST /webhooks/wecom-aibot/default; every
 * answer is the encrypted passive reply in the response, decrypted and checked here.
 */
const TOKEN = 'aibotToken123';
const AES_KEY = 'kWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2D';

let h: TestApp;
let fake: FakeWeCom;
beforeAll(async () => {
  fake = await startFakeWeCom();
  h = await createTestApp({ config: { WECOM_AIBOT_TOKEN: TOKEN, WECOM_AIBOT_ENCODING_AES_KEY: AES_KEY } });
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

function signed(plaintext: string, receiveId = '') {
  const encrypt = encryptWeCom(AES_KEY, plaintext, receiveId);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(randomBytes(4).readUInt32BE());
  return { encrypt, timestamp, nonce, signature: wecomSignature(TOKEN, timestamp, nonce, encrypt) };
}

async function postRaw(query: Record<string, string>, rawBody: string) {
  return h.app.request(`/webhooks/wecom-aibot/default?${new URLSearchParams(query)}`, { method: 'POST', body: rawBody, headers: { 'content-type': 'application/json' } });
}

/** Posts a callback and opens the passive reply (checking its signature and echoed nonce). */
async function post(body: unknown): Promise<{ status: number; reply: any }> {
  const s = signed(JSON.stringify(body));
  const res = await postRaw({ msg_signature: s.signature, timestamp: s.timestamp, nonce: s.nonce }, JSON.stringify({ encrypt: s.encrypt }));
  const text = await res.text();
  if (!text) return { status: res.status, reply: undefined };
  const outer = JSON.parse(text);
  expect(outer.nonce).toBe(s.nonce);
  expect(typeof outer.timestamp).toBe('number');
  expect(outer.msgsignature).toBe(wecomSignature(TOKEN, String(outer.timestamp), outer.nonce, outer.encrypt));
  return { status: res.status, reply: JSON.parse(decryptWeCom(AES_KEY, outer.encrypt, '')) };
}

const groupText = (from: string, chatid: string, content: string) => ({
  msgid: randomUUID(), aibotid: 'aibot1', chatid, chattype: 'group', from: { userid: from }, response_url: 'https://example.invalid/r', msgtype: 'text', text: { content },
});
const cardEvent = (from: string, chatid: string, eventKey: string, taskId: string, responseUrl = 'https://example.invalid/r') => ({
  msgid: randomUUID(), create_time: 1700000000, aibotid: 'aibot1', chatid, chattype: 'group', from: { userid: from }, response_url: responseUrl, msgtype: 'event',
  event: { eventtype: 'template_card_event', template_card_event: { card_type: 'button_interaction', event_key: eventKey, task_id: taskId } },
});
const count = async (table: typeof inboundEvents | typeof deliveries) => Number((await h.db.select({ n: sql<number>`count(*)` }).from(table))[0]!.n);

describe('WeCom AI bot webhook', () => {
  it('answers the URL verification with the decrypted echostr as plain text', async () => {
    const s = signed('5566778899');
    const query = new URLSearchParams({ msg_signature: s.signature, timestamp: s.timestamp, nonce: s.nonce, echostr: s.encrypt });
    const res = await h.app.request(`/webhooks/wecom-aibot/default?${query}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('5566778899');
    expect((await h.app.request(`/webhooks/wecom-aibot/nope?${query}`)).status).toBe(404);
  });

  it('strips the bot mention from group messages', () => {
    expect(stripMention('@库存助手 库存 可乐')).toBe('库存 可乐');
    expect(stripMention('  @bot   库存 A ')).toBe('库存 A');
    expect(stripMention('库存 A')).toBe('库存 A');
  });

  it("answers a bound store manager's @-mention in a group with the stock card, in the encrypted passive reply", async () => {
    const o = await approvalOrg(h);
    const userId = `${o.slug}-store`;
    await o.inv.item('COLA', { name: '可乐' });
    await o.inv.receipt('WH', 'COLA', 48, 3);
    await o.inv.ok('POST', '/api/v1/users', { name: 'Store Mgr', roles: ['store_manager'], warehouses: ['WH'], identities: [{ platform: 'wecom', externalId: userId }] });
    const { status, reply } = await post(groupText(userId, `wrgroup-${o.slug}`, '@库存助手 库存 可乐'));
    expect(status).toBe(200);
    const shown = JSON.stringify(reply);
    expect(reply.msgtype === 'markdown' || reply.msgtype === 'template_card').toBe(true);
    expect(shown).toContain('可乐');
    expect(shown).toMatch(/48/);
    expect(shown).not.toContain('绑定');
  });

  it('tells an unbound member how to bind, as markdown', async () => {
    const { status, reply } = await post(groupText(`nobody-${randomUUID().slice(0, 8)}`, 'wrgroup-x', '@库存助手 库存 可乐'));
    expect(status).toBe(200);
    expect(reply.msgtype).toBe('markdown');
    expect(reply.markdown.content).toContain('绑定');
  });

  it("a supervisor's approve click posts the document and the passive reply updates the card (same task_id)", async () => {
    const o = await approvalOrg(h);
    await o.inv.ok('POST', `/api/v1/users/${o.as.sup1.id}/identities`, { platform: 'wecom', externalId: `${o.slug}-sup1` });
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    const click = cardEvent(`${o.slug}-sup1`, `wrgroup-${o.slug}`, `approve:${doc.id}`, 'task-1');
    const { status, reply } = await post(click);
    expect(status).toBe(200);
    expect((await o.inv.ok('GET', `/api/v1/documents/${doc.id}`)).status).toBe('posted');
    expect(reply).toMatchObject({ response_type: 'update_template_card', template_card: { task_id: 'task-1' } });
    expect(JSON.stringify(reply.template_card)).toContain('Sup One');

    // The same callback again (same msgid): no second effect.
    const [events, sends] = [await count(inboundEvents), await count(deliveries)];
    const s = signed(JSON.stringify(click));
    const again = await postRaw({ msg_signature: s.signature, timestamp: s.timestamp, nonce: s.nonce }, JSON.stringify({ encrypt: s.encrypt }));
    expect(again.status).toBe(200);
    expect([await count(inboundEvents), await count(deliveries)]).toEqual([events, sends]);

    // The outcome button the updated card keeps: a tap changes nothing and is answered without a card.
    const outcomeKey = reply.template_card.button_list?.[0]?.key ?? 'decided:task-1';
    const tap = await post(cardEvent(`${o.slug}-sup1`, `wrgroup-${o.slug}`, outcomeKey, 'task-1'));
    expect(tap).toEqual({ status: 200, reply: undefined });
  });

  it("a refused click changes nothing and is told in that chat through the click's response_url, once", async () => {
    const o = await approvalOrg(h);
    await o.inv.ok('POST', `/api/v1/users/${o.as.clerk.id}/identities`, { platform: 'wecom', externalId: `${o.slug}-clerk` });
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    const click = cardEvent(`${o.slug}-clerk`, `wrgroup-${o.slug}`, `approve:${doc.id}`, 'task-refused', fake.issueResponseUrl('group'));
    expect(await post(click)).toEqual({ status: 200, reply: undefined });
    expect((await o.inv.ok('GET', `/api/v1/documents/${doc.id}`)).status).toBe('awaiting_approval');
    await deliverAt(h, new Date());
    expect(fake.aibotResponses).toHaveLength(1);
    expect(fake.aibotResponses[0]!.body).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining(doc.number) } });

    // WeCom repeating the callback: nothing more (the url would refuse a second use anyway).
    const s = signed(JSON.stringify(click));
    await postRaw({ msg_signature: s.signature, timestamp: s.timestamp, nonce: s.nonce }, JSON.stringify({ encrypt: s.encrypt }));
    await deliverAt(h, new Date());
    expect(fake.aibotResponses).toHaveLength(1);
  });

  it('refuses a tampered signature, bad ciphertext, a foreign receiveid or a non-JSON body, writing nothing', async () => {
    const [events, sends] = [await count(inboundEvents), await count(deliveries)];
    const body = JSON.stringify(groupText('someone', 'wrgroup-y', '@bot 库存 A'));
    const s = signed(body);
    const bad = `${s.signature[0] === '0' ? '1' : '0'}${s.signature.slice(1)}`;
    const tampered = await postRaw({ msg_signature: bad, timestamp: s.timestamp, nonce: s.nonce }, JSON.stringify({ encrypt: s.encrypt }));
    expect(tampered.status).toBe(401);
    expect(await tampered.text()).toContain('bad msg_signature');

    const garbage = Buffer.from('x'.repeat(40)).toString('base64');
    const g = { timestamp: s.timestamp, nonce: s.nonce, msg_signature: wecomSignature(TOKEN, s.timestamp, s.nonce, garbage) };
    expect((await postRaw(g, JSON.stringify({ encrypt: garbage }))).status).toBe(400);

    const foreign = signed(body, 'ww1436e0e65a779aee');
    const f = await postRaw({ msg_signature: foreign.signature, timestamp: foreign.timestamp, nonce: foreign.nonce }, JSON.stringify({ encrypt: foreign.encrypt }));
    expect(f.status).toBe(400);

    expect((await postRaw({ msg_signature: s.signature, timestamp: s.timestamp, nonce: s.nonce }, `<xml><Encrypt>${s.encrypt}</Encrypt></xml>`)).status).toBe(400);
    expect([await count(inboundEvents), await count(deliveries)]).toEqual([events, sends]);
  });

  it('cannot push outside a passive reply in webhook mode: send, reply and update fail for good, saying why', async () => {
    const p = createWeComAibotPlatform({ app: 'x', token: TOKEN, encodingAesKey: AES_KEY });
    for (const r of [await p.send({ kind: 'chat', id: 'c' }, { text: 'hi' }, 'k'), await p.reply('m', { text: 'hi' }, 'k'), await p.update('m', { title: 't', tone: 'info', fields: [], actions: [] } as never)]) {
      expect(r).toMatchObject({ ok: false, error: { retryable: false, message: expect.stringContaining('long-connection') } });
    }
  });
});
