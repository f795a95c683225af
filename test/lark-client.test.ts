import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLarkClient, larkUuid } from '../bots/lark/client';
import { createLarkPlatform } from '../bots/lark/index';
import type { Card } from '../cards/model';
import { larkMessageEvent, startFakeLark, type FakeLark } from './fakes/lark-server';

let fake: FakeLark;
beforeAll(async () => {
  fake = await startFakeLark({ tokenExpireSeconds: 600 });
});
afterAll(() => fake.close());

const MESSAGES = '/open-apis/im/v1/messages';
const text = (t: string) => ({ msgType: 'text' as const, content: JSON.stringify({ text: t }) });
/** A client of its own per test: its own token cache, its own clock. */
function client(options: { timeoutMs?: number; appSecret?: string } = {}) {
  let clock = Date.parse('2026-03-01T00:00:00Z');
  const c = createLarkClient({ appId: fake.appId, appSecret: options.appSecret ?? fake.appSecret, baseUrl: fake.url, now: () => clock, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  return Object.assign(c, { advance: (ms: number) => (clock += ms) });
}
/** `n` sends at once, each with its own key; all must succeed. */
async function burst(c: ReturnType<typeof client>, to: { idType: 'chat_id'; id: string }, n: number, label: string) {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => c.send(to, text(`${label} ${i}`), `k-${label}-${to.id}-${i}`)));
  expect(results.every((r) => r.ok)).toBe(true);
}
const chat = (name: string) => ({ idType: 'chat_id' as const, id: `oc_${name}_${Math.random().toString(36).slice(2)}` });

describe('the Lark client', () => {
  it('fetches the tenant token once, uses it until shortly before it expires, then fetches another', async () => {
    const c = client();
    const before = fake.tokensIssued;
    const to = chat('cache');
    expect((await c.send(to, text('一'), 'k-cache-1')).ok).toBe(true);
    expect((await c.send(to, text('二'), 'k-cache-2')).ok).toBe(true);
    expect(fake.tokensIssued - before).toBe(1);
    const [first, second] = fake.callsTo(MESSAGES).slice(-2);
    expect(first!.headers.authorization).toMatch(/^Bearer t-fake-/);
    expect(second!.headers.authorization).toBe(first!.headers.authorization);
    c.advance(600_000 - 3 * 60_000 + 1); // the token has 10 minutes; refetched 3 minutes early
    expect((await c.send(to, text('三'), 'k-cache-3')).ok).toBe(true);
    expect(fake.tokensIssued - before).toBe(2);
  });

  it('shares one token fetch among 20 concurrent sends on a cold cache', async () => {
    const c = client();
    const before = fake.tokensIssued;
    const to = chat('burst');
    await burst(c, to, 20, 'burst');
    expect(fake.tokensIssued - before).toBe(1);
    expect(fake.shownIn(to.id)).toHaveLength(20);
  });

  it('refreshes a rejected token once and retries, and twenty rejected calls refetch once', async () => {
    const c = client();
    const to = chat('revoked');
    expect((await c.send(to, text('before'), `k-rev-0-${to.id}`)).ok).toBe(true);
    fake.revokeTokens(); // as after a secret rotation: Lark answers 99991663
    const before = fake.tokensIssued;
    await burst(c, to, 20, 'after');
    expect(fake.tokensIssued - before).toBe(1);
    expect(fake.shownIn(to.id)).toHaveLength(21);
  });

  it('does not drop a fresh token because an older call was rejected with the old one', async () => {
    const c = client();
    const to = chat('late');
    await c.tenantToken();
    fake.revokeTokens();
    const before = fake.tokensIssued;
    fake.failNext({ delayMs: 300, path: MESSAGES }); // this call's rejection arrives after the other call has refreshed
    const results = await Promise.all([c.send(to, text('slow'), `k-late-1-${to.id}`), c.send(to, text('fast'), `k-late-2-${to.id}`)]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.tokensIssued - before).toBe(1);
  });

  it('gives up after one refresh when Lark keeps rejecting the token, as a retryable failure', async () => {
    const c = client();
    await c.tenantToken();
    const before = fake.tokensIssued;
    fake.failNext({ code: 99991663, times: 2, path: MESSAGES });
    const result = await c.send(chat('stubborn'), text('x'), 'k-stubborn');
    expect(result).toMatchObject({ ok: false, error: { retryable: true, code: '99991663' } });
    expect(fake.tokensIssued - before).toBe(1);
  });

  it('reports throttling as retryable after the reset Lark gives', async () => {
    const c = client();
    fake.failNext({ status: 429, resetSeconds: 7, path: MESSAGES });
    expect(await c.send(chat('throttled'), text('x'), 'k-429')).toMatchObject({ ok: false, error: { retryable: true, retryAfterMs: 7000, code: '99991400' } });
    fake.failNext({ code: 230020, path: MESSAGES });
    const perChat = await c.send(chat('throttled'), text('x'), 'k-230020');
    expect(perChat).toMatchObject({ ok: false, error: { retryable: true, code: '230020' } });
    expect(perChat.ok || perChat.error.retryAfterMs).toBeUndefined();
  });

  it('reports a 5xx as retryable', async () => {
    const c = client();
    fake.failNext({ status: 502, path: MESSAGES });
    expect(await c.send(chat('5xx'), text('x'), 'k-5xx')).toMatchObject({ ok: false, error: { retryable: true, code: 'http_502' } });
  });

  it('reports a bot removed from the chat as final, in words an admin understands', async () => {
    const c = client();
    fake.failNext({ code: 230002, path: MESSAGES });
    const result = await c.send(chat('gone'), text('x'), 'k-230002');
    expect(result).toMatchObject({ ok: false, error: { retryable: false, code: '230002' } });
    expect(!result.ok && result.error.message).toContain('the bot is not in this chat');
  });

  it('reports wrong app credentials as final, naming the variables', async () => {
    const result = await client({ appSecret: 'wrong' }).send(chat('creds'), text('x'), 'k-creds');
    expect(result).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!result.ok && result.error.message).toContain('LARK_APP_SECRET');
  });

  it('passes the idempotency key as uuid, so a repeated send shows once', async () => {
    const c = client();
    const to = chat('uuid');
    const first = await c.send(to, text('低库存'), 'lowstock:A1:20260301');
    const again = await c.send(to, text('低库存'), 'lowstock:A1:20260301');
    expect(fake.callsTo(MESSAGES).at(-1)!.body).toMatchObject({ uuid: 'lowstock:A1:20260301', receive_id: to.id });
    expect(again).toEqual(first);
    expect(fake.shownIn(to.id)).toHaveLength(1);
    expect(fake.callsTo(MESSAGES).at(-1)!.duplicate).toBe(true);
  });

  it('hashes a key longer than Lark allows into a stable uuid of at most 50 characters', () => {
    const long = `outbox:${'x'.repeat(80)}`;
    expect(larkUuid(long)).toHaveLength(50);
    expect(larkUuid(long)).toBe(larkUuid(long));
    expect(larkUuid(`${long}y`)).not.toBe(larkUuid(long));
    expect(larkUuid('短 key')).not.toBe('短 key');
  });

  it('times out a slow answer as retryable; the retry with the same key still shows the message once', async () => {
    const c = client({ timeoutMs: 300 });
    await c.tenantToken();
    const to = chat('slow');
    fake.failNext({ delayMs: 1000, path: MESSAGES });
    const started = Date.now();
    expect(await c.send(to, text('慢'), 'k-slow')).toMatchObject({ ok: false, error: { retryable: true, code: 'timeout' } });
    expect(Date.now() - started).toBeLessThan(900);
    expect((await c.send(to, text('慢'), 'k-slow')).ok).toBe(true);
    // Lark did take the slow request in the end: the uuid keeps it to one message.
    await expect.poll(() => fake.callsTo(MESSAGES).filter((x) => (x.body as { uuid?: string }).uuid === 'k-slow').every((x) => x.status), { timeout: 3000 }).toBe(true);
    expect(fake.shownIn(to.id)).toHaveLength(1);
  });

  it('reports an unreachable server as retryable', async () => {
    const c = createLarkClient({ appId: 'a', appSecret: 'b', baseUrl: 'http://127.0.0.1:1', timeoutMs: 2000 });
    expect(await c.send(chat('down'), text('x'), 'k-down')).toMatchObject({ ok: false, error: { retryable: true, code: 'network' } });
  });

  it('gets every message through once when half of all calls fail and the caller retries with the same key', async () => {
    const c = client();
    const to = chat('flaky');
    fake.failRandomly(0.5, 7);
    try {
      for (let i = 0; i < 20; i++) {
        let result = await c.send(to, text(`#${i}`), `k-flaky-${to.id}-${i}`);
        for (let tries = 1; !result.ok && result.error.retryable && tries < 30; tries++) result = await c.send(to, text(`#${i}`), `k-flaky-${to.id}-${i}`);
        expect(result.ok).toBe(true);
      }
    } finally {
      fake.failRandomly(0);
    }
    expect(fake.callsTo(MESSAGES).filter((x) => x.failed && (x.body as { receive_id?: string }).receive_id === to.id).length).toBeGreaterThan(5);
    expect(fake.shownIn(to.id).map((m) => m.content.text)).toEqual(Array.from({ length: 20 }, (_, i) => `#${i}`));
  });
});

describe('the Lark platform over the client', () => {
  const card = (status?: string): Card => ({ title: '采购单 PO-7 待审批', tone: 'warning', fields: [{ label: '金额', value: '¥300.00' }], actions: status ? [] : [{ id: 'approve:abc', label: '批准', style: 'primary' }], ...(status ? { status } : {}) });
  const platform = () => createLarkPlatform({ app: 'default', appId: fake.appId, appSecret: fake.appSecret, verificationToken: 'v', domain: `${fake.url}/` });

  it('sends cards as interactive messages to chats and text to users', async () => {
    const p = platform();
    const sent = await p.send({ kind: 'chat', id: 'oc_plat' }, { card: card() }, 'k-plat-card');
    expect(sent.ok).toBe(true);
    const call = fake.callsTo(MESSAGES).at(-1)!;
    expect(call.query).toEqual({ receive_id_type: 'chat_id' });
    expect(call.body).toMatchObject({ msg_type: 'interactive' });
    expect(fake.shownIn('oc_plat').at(-1)!.content).toMatchObject({ schema: '2.0' });
    await p.send({ kind: 'user', id: 'ou_zhang' }, { text: '你好' }, 'k-plat-text');
    expect(fake.callsTo(MESSAGES).at(-1)).toMatchObject({ query: { receive_id_type: 'open_id' }, body: { msg_type: 'text', content: '{"text":"你好"}' } });
  });

  it('replies in the thread of a message and updates a sent card for everyone', async () => {
    const p = platform();
    const sent = await p.send({ kind: 'chat', id: 'oc_upd' }, { card: card() }, 'k-upd');
    if (!sent.ok) throw new Error(sent.error.message);
    const reply = await p.reply(sent.value.messageId, { text: '收到' }, 'k-upd-reply');
    expect(reply.ok && fake.shown.find((m) => m.messageId === reply.value.messageId)).toMatchObject({ replyTo: sent.value.messageId, chatId: 'oc_upd' });
    expect(await p.update(sent.value.messageId, card('已批准 · 张三'))).toEqual({ ok: true, value: undefined });
    const shown = fake.shownIn('oc_upd').find((m) => m.messageId === sent.value.messageId)!;
    expect(shown.updates).toBe(1);
    expect(JSON.stringify(shown.content)).toContain('已批准 · 张三');
  });

  it("updates a clicked card with the click's token twice at most", async () => {
    const p = platform();
    const sent = await p.send({ kind: 'chat', id: 'oc_tok' }, { card: card() }, 'k-tok');
    if (!sent.ok) throw new Error(sent.error.message);
    const token = fake.issueCardToken(sent.value.messageId);
    expect((await p.updateByToken(token, card('处理中'))).ok).toBe(true);
    expect((await p.updateByToken(token, card('已批准'))).ok).toBe(true);
    expect(await p.updateByToken(token, card('again'))).toMatchObject({ ok: false, error: { retryable: false, code: '300040' } });
    expect(JSON.stringify(fake.shownIn('oc_tok')[0]!.content)).toContain('已批准');
  });

  it("learns the bot's open_id once to tell mentions of the bot in groups", async () => {
    const p = platform();
    const mention = (openId: string) => larkMessageEvent({ chatType: 'group', chatId: 'oc_g', senderOpenId: 'ou', text: '@_user_1 库存', mentions: [{ key: '@_user_1', openId }] });
    expect(await p.parseTrusted(mention(fake.botOpenId))).toMatchObject([{ type: 'message' }]);
    expect(await p.parseTrusted(mention('ou_someone_else'))).toMatchObject([{ type: 'ignored' }]);
    const asked = fake.callsTo('/open-apis/bot/v3/info').length;
    await p.parseTrusted(mention(fake.botOpenId));
    expect(fake.callsTo('/open-apis/bot/v3/info').length).toBe(asked);
  });
});
