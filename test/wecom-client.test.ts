import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWeComClient, wecomTaskId, WECOM_TASK_ID_MAX } from '../bots/wecom/client';
import { createWeComPlatform } from '../bots/wecom/index';
import { startFakeWeCom, type FakeWeCom } from './fakes/wecom-server';

/** The self-built app's outbound calls against the fake WeCom server. */
let fake: FakeWeCom;
beforeAll(async () => {
  fake = await startFakeWeCom();
});
afterAll(async () => fake?.close());

const client = (extra: Partial<Parameters<typeof createWeComClient>[0]> = {}) =>
  createWeComClient({ corpId: fake.corpId, corpSecret: fake.secret, agentId: fake.agentId, apiBase: fake.url, ...extra });
const text = (content: string) => ({ msgtype: 'text' as const, text: { content } });

describe('WeCom client', () => {
  it('fetches the access token once for many concurrent calls, and caches it', async () => {
    const c = client();
    const before = fake.tokensIssued;
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => c.send('zhangsan', text(`hi ${i}`))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.tokensIssued).toBe(before + 1);
    await c.send('zhangsan', text('again'));
    expect(fake.tokensIssued).toBe(before + 1);
  });

  it('refetches the token when it expires, judged by its own clock', async () => {
    let t = 1_000_000;
    const c = client({ now: () => t });
    const before = fake.tokensIssued;
    await c.send('zhangsan', text('a'));
    t += 7200 * 1000;
    await c.send('zhangsan', text('b'));
    expect(fake.tokensIssued).toBe(before + 2);
  });

  it('42001 (expired) and 40014 (revoked): drops the token, refetches, retries once', async () => {
    const c = client();
    await c.send('zhangsan', text('warm up'));
    const before = fake.tokensIssued;
    fake.failNext({ errcode: 42001, path: '/cgi-bin/message/send' });
    expect(await c.send('zhangsan', text('after expiry'))).toMatchObject({ ok: true });
    expect(fake.tokensIssued).toBe(before + 1);
    fake.revokeTokens();
    expect(await c.send('zhangsan', text('after revocation'))).toMatchObject({ ok: true });
    expect(fake.tokensIssued).toBe(before + 2);
    // Rejected again with a fresh token: retryable, not a loop.
    fake.failNext({ errcode: 40014, path: '/cgi-bin/message/send', times: 2 });
    expect(await c.send('zhangsan', text('x'))).toMatchObject({ ok: false, error: { retryable: true, code: '40014' } });
  });

  it('45009 and 45033 are backed off; -1 and 5xx are retryable', async () => {
    const c = client();
    for (const errcode of [45009, 45033]) {
      fake.failNext({ errcode, path: '/cgi-bin/message/send' });
      expect(await c.send('zhangsan', text('t'))).toEqual({ ok: false, error: expect.objectContaining({ retryable: true, code: String(errcode), retryAfterMs: 60_000 }) });
    }
    fake.failNext({ errcode: -1, path: '/cgi-bin/message/send' });
    expect(await c.send('zhangsan', text('t'))).toMatchObject({ ok: false, error: { retryable: true, code: '-1' } });
    fake.failNext({ status: 502, path: '/cgi-bin/message/send' });
    expect(await c.send('zhangsan', text('t'))).toMatchObject({ ok: false, error: { retryable: true, code: 'http_502' } });
    // A send that hangs: given up after the timeout (a fetch that only ends when aborted, so nothing is left queued on the fake).
    const hanging: typeof fetch = (input, init) => String(input).includes('/message/send')
      ? new Promise((_, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)))
      : fetch(input, init);
    expect(await client({ timeoutMs: 1000, fetch: hanging }).send('zhangsan', text('slow'))).toMatchObject({ ok: false, error: { retryable: true, code: 'timeout' } });
  });

  it('60011, 60020 and 81013 are dead, with a reason an admin can act on', async () => {
    const c = client();
    const reasons: Record<number, RegExp> = { 60011: /visible scope/, 60020: /trusted IP/, 81013: /no recipient is valid/ };
    for (const [errcode, why] of Object.entries(reasons)) {
      fake.failNext({ errcode: Number(errcode), path: '/cgi-bin/message/send' });
      const r = await c.send('zhangsan', text('t'));
      expect(r).toMatchObject({ ok: false, error: { retryable: false, code: errcode } });
      expect(!r.ok && r.error.message).toMatch(why);
    }
  });

  it('a wrong secret is refused, naming the variables to check', async () => {
    const r = await client({ corpSecret: 'wrong' }).send('zhangsan', text('t'));
    expect(r).toMatchObject({ ok: false, error: { retryable: false, code: '40001' } });
    expect(!r.ok && r.error.message).toMatch(/WECOM_SECRET/);
  });

  it('task_id: the idempotency key when allowed, else a hash within 128 characters', () => {
    expect(wecomTaskId('jxc-d42')).toBe('jxc-d42');
    const long = wecomTaskId('x'.repeat(300));
    expect(long.length).toBeLessThanOrEqual(WECOM_TASK_ID_MAX);
    expect(wecomTaskId('a:b')).toMatch(/^[0-9A-Za-z_\-@]+$/);
    expect(wecomTaskId('a:b')).toBe(wecomTaskId('a:b'));
  });
});

describe('WeCom platform sends', () => {
  const platform = () => createWeComPlatform({ app: 'default', corpId: fake.corpId, agentId: fake.agentId, secret: fake.secret, token: 't', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', apiBase: fake.url });
  const card = { title: '待审批 领料单 ISS-1', tone: 'warning' as const, fields: [{ label: '仓库', value: 'WH' }], actions: [{ id: 'approve:1', label: '批准', style: 'primary' as const }] };

  it('a card goes to a user as a button_interaction template card; its update greys every copy (atall)', async () => {
    const p = platform();
    const sent = await p.send({ kind: 'user', id: 'lisi' }, { card }, 'jxc-d9001');
    expect(sent.ok).toBe(true);
    const shown = fake.shown.find((m) => m.taskId === 'jxc-d9001')!;
    expect(shown.body).toMatchObject({ touser: 'lisi', agentid: fake.agentId, msgtype: 'template_card', template_card: { card_type: 'button_interaction', task_id: 'jxc-d9001', button_list: [{ text: '批准', style: 1, key: 'approve:1' }] } });
    expect(sent.ok && sent.value.messageId).toBe(`jxc-d9001|${shown.responseCode}`);

    const updated = await p.update(sent.ok ? sent.value.messageId : '', { ...card, actions: [], status: '已批准 · Sup One' });
    expect(updated).toEqual({ ok: true, value: undefined });
    expect(shown.updates).toEqual([{ atall: 1, agentid: fake.agentId, response_code: shown.responseCode, button: { replace_name: '已批准 · Sup One' } }]);
  });

  it('a card still open is not updated (its single-use response_code is kept); the final card spends it once; a second use is dead (60140)', async () => {
    const p = platform();
    const sent = await p.send({ kind: 'user', id: 'lisi' }, { card }, 'jxc-d9004');
    const messageId = sent.ok ? sent.value.messageId : '';
    const shown = fake.shown.find((m) => m.taskId === 'jxc-d9004')!;
    const before = fake.callsTo('/cgi-bin/message/update_template_card').length;

    // Level 1 of 2 decided: the card still has its button (now for level 2).
    expect(await p.update(messageId, { ...card, status: '一级已批准 · 待二级审批' })).toEqual({ ok: true, value: undefined });
    expect(fake.callsTo('/cgi-bin/message/update_template_card')).toHaveLength(before);
    expect(shown.updates).toEqual([]);

    expect(await p.update(messageId, { ...card, actions: [], status: '已批准 · Boss' })).toEqual({ ok: true, value: undefined });
    expect(shown.updates).toEqual([expect.objectContaining({ response_code: shown.responseCode, button: { replace_name: '已批准 · Boss' } })]);

    const again = await p.update(messageId, { ...card, actions: [], status: '已批准 · Boss' });
    expect(again).toMatchObject({ ok: false, error: { retryable: false, code: '60140' } });
    expect(!again.ok && again.error.message).toMatch(/response_code was used or is older than 72 hours/);
  });

  it('a group chat cannot be reached from the app: refused, not retried', async () => {
    const r = await platform().send({ kind: 'chat', id: 'wr123' }, { text: 'hi' }, 'jxc-d9002');
    expect(r).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!r.ok && r.error.message).toMatch(/group chat/);
  });

  it('a reply is a new text to the sender', async () => {
    const r = await platform().reply('wangwu/123456', { text: '你好' }, 'jxc-d9003');
    expect(r.ok).toBe(true);
    expect(fake.shownTo('wangwu').at(-1)!.body).toMatchObject({ msgtype: 'text', text: { content: '你好' } });
  });
});
