import { WSAuthFailureError, WSClient, type WsFrame, type WSClientOptions } from '@wecom/aibot-node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_AIBOT_ERR, startFakeAibotWs, type FakeAibotOptions, type FakeAibotWs } from './fakes/wecom-aibot-ws-server.js';

// Proves the fake speaks the protocol of the real SDK: every test drives the official WSClient.

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const fakes: FakeAibotWs[] = [];
// The SDK's timers (15 ms heartbeats, 20 ms reconnects) fire late when the machine is busy (CI runs
// two suites on two cores): a second under load was not always enough for three heartbeats and a reconnect.
const eventually = <T>(fn: () => T) => expect.poll(fn, { timeout: 10_000, interval: 20 });
const clients: WSClient[] = [];

async function fake(options: FakeAibotOptions = {}) {
  const f = await startFakeAibotWs({ botId: 'bot-1', secret: 's3cret', ...options });
  fakes.push(f);
  return f;
}

function client(f: FakeAibotWs, options: Partial<WSClientOptions> = {}) {
  const c = new WSClient({
    botId: f.botId,
    secret: f.secret,
    wsUrl: f.url,
    logger: silent,
    reconnectInterval: 20,
    ...options,
  });
  clients.push(c);
  return c;
}

function authenticated(c: WSClient) {
  return new Promise<void>((resolve) => {
    c.once('authenticated', () => resolve());
    c.connect();
  });
}

function next<T = WsFrame>(c: WSClient, event: 'message.text' | 'event.template_card_event' | 'event.enter_chat') {
  return new Promise<T>((resolve) => c.once(event, (frame: unknown) => resolve(frame as T)));
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const f of fakes.splice(0)) await f.close();
});

describe('fake WeCom AI bot long connection, driven by @wecom/aibot-node-sdk', () => {
  it('authenticates with the subscribe frame the SDK sends', async () => {
    const f = await fake();
    const c = client(f);
    await authenticated(c);
    expect(f.subscribes).toBe(1);
    expect(f.connections).toBe(1);
    expect(f.live).toBe(true);
    const sub = f.frames[0]!.frame;
    expect(sub.cmd).toBe('aibot_subscribe');
    expect(sub.headers.req_id).toMatch(/^aibot_subscribe_/);
    expect(sub.body).toEqual({ bot_id: 'bot-1', secret: 's3cret' });
  });

  it('a wrong secret fails auth; the SDK retries with backoff and gives up', async () => {
    const f = await fake();
    const c = client(f, { secret: 'wrong', maxAuthFailureAttempts: 1 });
    const errors: Error[] = [];
    let authed = false;
    c.on('error', (e) => errors.push(e));
    c.on('authenticated', () => (authed = true));
    c.connect();
    await eventually(() => errors.some((e) => e instanceof WSAuthFailureError)).toBe(true);
    expect(errors[0]!.message).toBe(`Authentication failed: invalid secret (code: ${FAKE_AIBOT_ERR.AUTH_FAILED})`);
    expect(f.subscribes).toBe(2); // the first try and one retry
    expect(f.connections).toBe(0);
    expect(authed).toBe(false);
  });

  it('answers ping as a pong: the SDK keeps the connection; failed pings make it reconnect', async () => {
    const f = await fake();
    const c = client(f, { heartbeatInterval: 15 });
    await authenticated(c);
    const pings = () => f.frames.filter((x) => x.frame.cmd === 'ping').length;
    await eventually(pings).toBeGreaterThanOrEqual(4);
    expect(f.connections).toBe(1); // two unanswered pings would have made the SDK drop the socket
    expect(f.frames.find((x) => x.frame.cmd === 'ping')!.frame.headers.req_id).toMatch(/^ping_/);

    f.fail({ cmd: 'ping', errcode: 500, times: 2 }); // two missed pongs: the SDK terminates on the third tick
    await eventually(() => f.connections).toBe(2);
  });

  it('pushes a text message to on(message.text) and records the stream reply', async () => {
    const f = await fake();
    const c = client(f);
    await authenticated(c);
    const got = next(c, 'message.text');
    const body = f.textMessage({ userid: 'zhangsan', content: '查库存 A001' });
    const reqId = f.pushMessage(body);
    const frame = await got;
    expect(frame.cmd).toBe('aibot_msg_callback');
    expect(frame.headers.req_id).toBe(reqId);
    expect(frame.body).toEqual(body);
    expect(body).toMatchObject({ aibotid: 'bot-1', chattype: 'single', from: { userid: 'zhangsan' }, msgtype: 'text', text: { content: '查库存 A001' } });
    expect(body.chatid).toBeUndefined();

    const ack = await c.replyStream(frame, 'stream-1', 'hi', true);
    expect(ack).toEqual({ headers: { req_id: reqId }, errcode: 0, errmsg: 'ok' });
    expect(f.responses).toEqual([{ cmd: 'aibot_respond_msg', reqId, body: { msgtype: 'stream', stream: { id: 'stream-1', finish: true, content: 'hi' } } }]);

    // aibot_respond_msg only with the req_id of a pushed message
    await expect(c.replyStream({ headers: { req_id: 'never-pushed' } }, 's', 'x', true)).rejects.toMatchObject({ errcode: FAKE_AIBOT_ERR.INVALID_PARAM });
    expect(f.responses).toHaveLength(1);
  });

  it('group messages carry chatid and chattype group', async () => {
    const f = await fake();
    const c = client(f);
    await authenticated(c);
    const got = next(c, 'message.text');
    f.pushMessage(f.textMessage({ msgid: 'm1', userid: 'lisi', chatid: 'wr-group-1', content: '@bot 入库' }));
    expect((await got).body).toMatchObject({ msgid: 'm1', chatid: 'wr-group-1', chattype: 'group', from: { userid: 'lisi' } });
  });

  it('a card click reaches on(event.template_card_event); updates are accepted within the window only', async () => {
    let clock = 1_700_000_000_000;
    const f = await fake({ updateWindowMs: 1000, now: () => clock });
    const c = client(f);
    await authenticated(c);

    const got = next(c, 'event.template_card_event');
    f.pushEvent(f.cardClick({ userid: 'wangwu', chatid: 'wr-group-1', taskId: 'po12-1', eventKey: 'po:12:approve' }));
    const click = await got;
    expect(click.cmd).toBe('aibot_event_callback');
    expect(click.body).toMatchObject({
      chatid: 'wr-group-1',
      chattype: 'group',
      msgtype: 'event',
      event: { eventtype: 'template_card_event', template_card_event: { card_type: 'button_interaction', event_key: 'po:12:approve', task_id: 'po12-1' } },
    });
    const card = { card_type: 'button_interaction', task_id: 'po12-1', main_title: { title: 'PO 12 approved' } } as const;
    clock += 1000;
    await c.updateTemplateCard(click, card);
    expect(f.responses).toEqual([
      { cmd: 'aibot_respond_update_msg', reqId: click.headers.req_id, body: { response_type: 'update_template_card', template_card: card } },
    ]);
    // a different task_id is refused
    await expect(c.updateTemplateCard(click, { ...card, task_id: 'other' })).rejects.toMatchObject({ errcode: FAKE_AIBOT_ERR.INVALID_PARAM });

    clock += 1;
    await expect(c.updateTemplateCard(click, card)).rejects.toMatchObject({ errcode: FAKE_AIBOT_ERR.WINDOW_EXPIRED });
    expect(f.responses).toHaveLength(1);

    // only a template_card_event's req_id may be updated
    const text = next(c, 'message.text');
    f.pushMessage(f.textMessage({ userid: 'wangwu', content: 'hi' }));
    await expect(c.updateTemplateCard(await text, card)).rejects.toMatchObject({ errcode: FAKE_AIBOT_ERR.INVALID_PARAM });
  });

  it('enter_chat reaches on(event.enter_chat) and takes a welcome reply', async () => {
    const f = await fake();
    const c = client(f);
    await authenticated(c);
    const got = next(c, 'event.enter_chat');
    f.pushEvent(f.enterChat({ userid: 'zhaoliu' }));
    const ev = await got;
    expect(ev.body).toMatchObject({ chattype: 'single', from: { userid: 'zhaoliu' }, msgtype: 'event', event: { eventtype: 'enter_chat' } });
    await c.replyWelcome(ev, { msgtype: 'text', text: { content: '你好' } });
    expect(f.responses).toEqual([{ cmd: 'aibot_respond_welcome_msg', reqId: ev.headers.req_id, body: { msgtype: 'text', text: { content: '你好' } } }]);
    // enter_chat opened the single chat: proactive messages to that user are allowed now
    await c.sendMessage('zhaoliu', { msgtype: 'markdown', markdown: { content: 'stock low' } });
    expect(f.sent).toEqual([{ chatid: 'zhaoliu', body: { msgtype: 'markdown', markdown: { content: 'stock low' } } }]);
  });

  it('sendMessage is refused for a chat that never spoke and accepted after it spoke', async () => {
    const f = await fake();
    const c = client(f);
    await authenticated(c);
    const markdown = { msgtype: 'markdown' as const, markdown: { content: '**A001** low' } };
    await expect(c.sendMessage('wr-group-9', markdown)).rejects.toMatchObject({ errcode: FAKE_AIBOT_ERR.CHAT_NOT_OPEN });
    expect(f.sent).toEqual([]);
    const frame = f.frames.find((x) => x.frame.cmd === 'aibot_send_msg')!.frame;
    expect(frame.headers.req_id).toMatch(/^aibot_send_msg_/);
    expect(frame.body).toEqual({ chatid: 'wr-group-9', ...markdown });

    const got = next(c, 'message.text');
    f.pushMessage(f.textMessage({ userid: 'lisi', chatid: 'wr-group-9', content: '@bot 绑定本群' }));
    await got;
    const ack = await c.sendMessage('wr-group-9', markdown);
    expect(ack.errcode).toBe(0);
    expect(f.sent).toEqual([{ chatid: 'wr-group-9', body: markdown }]);
    // the group speaking does not open the speaker's single chat
    await expect(c.sendMessage('lisi', markdown)).rejects.toMatchObject({ errcode: FAKE_AIBOT_ERR.CHAT_NOT_OPEN });
  });

  it('fail() makes the next frames with that cmd fail and the SDK promise reject', async () => {
    const f = await fake();
    f.openChat('wr-group-1');
    const c = client(f);
    await authenticated(c);
    f.fail({ cmd: 'aibot_send_msg', errcode: 45009, times: 2 });
    const md = { msgtype: 'markdown' as const, markdown: { content: 'x' } };
    await expect(c.sendMessage('wr-group-1', md)).rejects.toMatchObject({ errcode: 45009, errmsg: 'fake failure' });
    await expect(c.sendMessage('wr-group-1', md)).rejects.toMatchObject({ errcode: 45009 });
    await c.sendMessage('wr-group-1', md);
    expect(f.sent).toHaveLength(1);
    expect(f.refused.map((r) => r.errcode)).toEqual([45009, 45009]);
  });

  it('a second client kicks the first with disconnected_event; the first does not reconnect', async () => {
    const f = await fake();
    const first = client(f);
    await authenticated(first);
    const kicked: WsFrame[] = [];
    const reasons: string[] = [];
    first.on('event.disconnected_event', (frame) => kicked.push(frame));
    first.on('disconnected', (reason) => reasons.push(reason));
    let firstReconnects = 0;
    first.on('reconnecting', () => firstReconnects++);

    const second = client(f);
    await authenticated(second);
    await eventually(() => kicked.length).toBe(1);
    expect(kicked[0]!.body).toMatchObject({ aibotid: 'bot-1', msgtype: 'event', event: { eventtype: 'disconnected_event' } });
    expect(reasons).toHaveLength(1);
    expect(f.connections).toBe(2);

    // Pushes go to the new connection only.
    const onSecond = next(second, 'message.text');
    let onFirst = 0;
    first.on('message.text', () => onFirst++);
    const reqId = f.pushMessage(f.textMessage({ userid: 'u', content: 'hi' }));
    expect((await onSecond).headers.req_id).toBe(reqId);
    // The first client would have retried after 20 ms; a short grace proves it did not.
    await new Promise((r) => setTimeout(r, 150));
    expect(f.subscribes).toBe(2);
    expect(firstReconnects).toBe(0);
    expect(onFirst).toBe(0);
  });

  it('drop() closes the socket abruptly; the SDK reconnects and re-authenticates', async () => {
    const f = await fake();
    const c = client(f);
    let auths = 0;
    const attempts: number[] = [];
    c.on('authenticated', () => auths++);
    c.on('reconnecting', (n) => attempts.push(n));
    await authenticated(c);
    f.drop();
    expect(f.live).toBe(false);
    await eventually(() => auths).toBe(2);
    expect(attempts).toEqual([1]);
    expect(f.connections).toBe(2);
    expect(f.live).toBe(true);
    const got = next(c, 'message.text');
    f.pushMessage(f.textMessage({ userid: 'u', content: 'after reconnect' }));
    expect((await got).body.text.content).toBe('after reconnect');
  });

  it('uploadMedia gets an upload_id and a media_id', async () => {
    const f = await fake();
    const c = client(f);
    await authenticated(c);
    const result = await c.uploadMedia(Buffer.from('hello'), { type: 'file', filename: 'a.txt' });
    expect(result.type).toBe('file');
    expect(result.media_id).toMatch(/^media_/);
    expect(f.frames.map((x) => x.frame.cmd).filter((cmd) => cmd?.startsWith('aibot_upload'))).toEqual([
      'aibot_upload_media_init',
      'aibot_upload_media_chunk',
      'aibot_upload_media_finish',
    ]);
  });
});
