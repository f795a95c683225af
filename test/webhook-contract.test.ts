import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptLark } from '../bots/lark/crypto';
import { LARK_TIMESTAMP_WINDOW_SECONDS, larkSignature } from '../bots/lark/verify';
import { queryRows } from '../db/client';
import { runOutboxDelivery } from '../src/chat/delivery';
import { larkMessageEvent, larkRequest, startFakeLark } from './fakes/lark-server';
import { encryptWeCom } from '../bots/wecom/crypto';
import { wecomSignature } from '../bots/wecom/verify';
import { startFakeWeCom, wecomCallback, wecomText } from './fakes/wecom-server';
import { createTestApp, type TestApp } from './harness';

/**
 * One contract for every webhook route: a request that fails verification is refused and writes
 * nothing; a valid request pushed twice has one effect; an app nobody configured is not found.
 * A platform joins by adding one entry to `routes` below.
 */
type Req = { headers: Record<string, string>; rawBody: string; /** WeCom signs in the query string. */ query?: string };
/** `because` matches the refusal's message, so a request refused for some other fault does not pass. */
type Refusal = { status: 400 | 401; because: RegExp; build: (event: unknown) => Req };

type WebhookRoute = {
  name: string;
  /** Starts the platform's fake and gives the configuration that points the app at it. */
  start(): Promise<{ config: Record<string, string>; close(): Promise<void>; repliesShown(event: unknown): number }>;
  path: string;
  unconfiguredPath: string;
  /** A fresh event that, accepted, writes something: a stranger's direct message, which is answered. */
  event(): unknown;
  valid(event: unknown): Req;
  /** Whether the answer to a message goes through the outbox (a reply delivery) rather than in the response. */
  repliesThroughOutbox: boolean;
  refusals: Record<string, Refusal>;
};

const LARK_KEY = 'contract key';
const LARK_TOKEN = 'contract-vtok';
const signedLark = (body: unknown, extra: Partial<Parameters<typeof larkRequest>[0]> = {}) =>
  larkRequest({ body: body as Record<string, unknown>, verificationToken: LARK_TOKEN, encryptKey: LARK_KEY, ...extra });
const unixSeconds = (offset = 0) => String(Math.floor(Date.now() / 1000) + offset);
/** Any raw body, correctly signed: only the part under test is wrong. */
const signRawLark = (rawBody: string): Req => {
  const timestamp = unixSeconds();
  const nonce = randomUUID();
  return {
    headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': larkSignature(timestamp, nonce, LARK_KEY, rawBody) },
    rawBody,
  };
};
/** The body with the Verification Token put in, as plaintext JSON. */
const plainLark = (event: unknown) => larkRequest({ body: event as Record<string, unknown>, verificationToken: LARK_TOKEN }).rawBody;

const lark: WebhookRoute = {
  name: 'Lark',
  async start() {
    const fake = await startFakeLark();
    return {
      config: { LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_ENCRYPT_KEY: LARK_KEY, LARK_VERIFICATION_TOKEN: LARK_TOKEN, LARK_DOMAIN: fake.url },
      close: fake.close,
      repliesShown: (event) => fake.shown.filter((m) => m.replyTo === (event as ReturnType<typeof larkMessageEvent>).event.message.message_id).length,
    };
  },
  path: '/webhooks/lark/default',
  unconfiguredPath: '/webhooks/lark/nope',
  event: () => larkMessageEvent({ chatId: `oc_${randomUUID()}`, senderOpenId: `ou_${randomUUID()}`, text: '库存 可乐' }),
  valid: (event) => signedLark(event),
  repliesThroughOutbox: true,
  refusals: {
    'bad signature': {
      status: 401, because: /bad X-Lark-Signature/,
      build: (event) => {
        const req = signedLark(event);
        const sig = req.headers['x-lark-signature']!;
        return { ...req, headers: { ...req.headers, 'x-lark-signature': `${sig[0] === '0' ? '1' : '0'}${sig.slice(1)}` } };
      },
    },
    // Just past the window; a future one a little further, or a second passing could bring it back in.
    'stale timestamp': { status: 401, because: /timestamp \d+s away/, build: (event) => signedLark(event, { timestamp: unixSeconds(-LARK_TIMESTAMP_WINDOW_SECONDS - 1) }) },
    'timestamp from the future': { status: 401, because: /timestamp \d+s away/, build: (event) => signedLark(event, { timestamp: unixSeconds(LARK_TIMESTAMP_WINDOW_SECONDS + 30) }) },
    'bad ciphertext': { status: 400, because: /cannot decrypt/, build: () => signRawLark(JSON.stringify({ encrypt: 'bm90IGEgY2lwaGVydGV4dA==' })) },
    'encrypted with another key': { status: 400, because: /cannot decrypt/, build: (event) => signRawLark(JSON.stringify({ encrypt: encryptLark('another key', JSON.stringify(event)) })) },
    'wrong verification token': { status: 401, because: /bad verification token/, build: (event) => larkRequest({ body: event as Record<string, unknown>, verificationToken: 'forged', encryptKey: LARK_KEY }) },
    'unsigned though an Encrypt Key is set': { status: 401, because: /missing X-Lark-Signature/, build: (event) => signedLark(event, { signed: false }) },
    'plaintext though an Encrypt Key is set': { status: 401, because: /not encrypted/, build: (event) => signRawLark(plainLark(event)) },
    'malformed JSON': { status: 400, because: /the body is not JSON/, build: () => signRawLark('{"encrypt": ') },
    'malformed JSON inside the ciphertext': { status: 400, because: /decrypted body is not JSON/, build: () => signRawLark(JSON.stringify({ encrypt: encryptLark(LARK_KEY, '{"schema": "2.0", ') })) },
  },
};

const WECOM_TOKEN = 'contractToken';
const WECOM_AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const WECOM_OTHER_AES_KEY = '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt';
const WECOM_CORP = 'ww1436e0e65a779aee';
type WeComEvent = { from: string; xml: string };
const wecomXml = (rawBody: string): Req => ({ headers: { 'content-type': 'text/xml' }, rawBody });
const signedWeCom = (plaintext: string, extra: { receiveId?: string } = {}): Req => {
  const cb = wecomCallback({ token: WECOM_TOKEN, encodingAesKey: WECOM_AES_KEY, corpId: WECOM_CORP, plaintext, ...extra });
  return { ...wecomXml(cb.rawBody), query: cb.query };
};
/** Any Encrypt value, correctly signed: only the part under test is wrong. */
const signRawWeCom = (encrypt: string, rawBody = `<xml><ToUserName><![CDATA[${WECOM_CORP}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`): Req => {
  const timestamp = unixSeconds();
  const nonce = '12345678';
  return { ...wecomXml(rawBody), query: new URLSearchParams({ msg_signature: wecomSignature(WECOM_TOKEN, timestamp, nonce, encrypt), timestamp, nonce }).toString() };
};

const wecom: WebhookRoute = {
  name: 'WeCom self-built app',
  async start() {
    const fake = await startFakeWeCom({ corpId: WECOM_CORP });
    return {
      config: { WECOM_CORP_ID: WECOM_CORP, WECOM_AGENT_ID: String(fake.agentId), WECOM_SECRET: fake.secret, WECOM_TOKEN, WECOM_ENCODING_AES_KEY: WECOM_AES_KEY, WECOM_API_BASE: fake.url },
      close: fake.close,
      repliesShown: (event) => fake.shownTo((event as WeComEvent).from).length,
    };
  },
  path: '/webhooks/wecom/default',
  unconfiguredPath: '/webhooks/wecom/nope',
  event: (): WeComEvent => {
    const from = `u-${randomUUID().slice(0, 8)}`;
    return { from, xml: wecomText({ corpId: WECOM_CORP, from, content: '库存 可乐' }).xml };
  },
  valid: (event) => signedWeCom((event as WeComEvent).xml),
  repliesThroughOutbox: true,
  refusals: {
    'tampered signature': {
      status: 401, because: /bad msg_signature/,
      build: (event) => {
        const req = signedWeCom((event as WeComEvent).xml);
        const q = new URLSearchParams(req.query);
        const sig = q.get('msg_signature')!;
        q.set('msg_signature', `${sig[0] === '0' ? '1' : '0'}${sig.slice(1)}`);
        return { ...req, query: q.toString() };
      },
    },
    'unsigned': { status: 401, because: /missing msg_signature/, build: (event) => ({ ...signedWeCom((event as WeComEvent).xml), query: '' }) },
    'foreign receiveid': { status: 400, because: /receiveid/, build: (event) => signedWeCom((event as WeComEvent).xml, { receiveId: 'ww-another-corp' }) },
    'bad ciphertext': { status: 400, because: /cannot decrypt/, build: () => signRawWeCom('bm90IGEgY2lwaGVydGV4dA==') },
    'encrypted with another key': { status: 400, because: /cannot decrypt/, build: (event) => signRawWeCom(encryptWeCom(WECOM_OTHER_AES_KEY, (event as WeComEvent).xml, WECOM_CORP)) },
    'an envelope without <Encrypt>': { status: 400, because: /malformed WeCom envelope/, build: () => signRawWeCom('x', '<xml><ToUserName>x</ToUserName></xml>') },
    // The signature is checked before any XML is parsed: junk that is not XML, unsigned, is a 401, not a 400.
    'unsigned, and not XML around its <Encrypt>': {
      status: 401, because: /missing msg_signature/, build: () => ({ ...wecomXml(`${'<a>'.repeat(50_000)}<Encrypt>eA==</Encrypt><<<`), query: '' }),
    },
    'malformed XML inside the ciphertext': { status: 400, because: /decrypted body is not XML/, build: () => signRawWeCom(encryptWeCom(WECOM_AES_KEY, '<xml><MsgType>text', WECOM_CORP)) },
  },
};

const AIBOT_TOKEN = 'contractAibotToken';
const AIBOT_AES_KEY = 'kWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2D';
/** A JSON callback as WeCom sends it to an AI bot: encrypted with receiveid "", signed in the query. */
const signedAibot = (encrypt: string, rawBody = JSON.stringify({ encrypt })): Req => {
  const timestamp = unixSeconds();
  const nonce = '87654321';
  return { headers: { 'content-type': 'application/json' }, rawBody, query: new URLSearchParams({ msg_signature: wecomSignature(AIBOT_TOKEN, timestamp, nonce, encrypt), timestamp, nonce }).toString() };
};
const aibotPlain = (event: unknown) => JSON.stringify(event);

const wecomAibot: WebhookRoute = {
  name: 'WeCom AI bot',
  async start() {
    return { config: { WECOM_AIBOT_TOKEN: AIBOT_TOKEN, WECOM_AIBOT_ENCODING_AES_KEY: AIBOT_AES_KEY }, close: async () => {}, repliesShown: () => 0 };
  },
  path: '/webhooks/wecom-aibot/default',
  unconfiguredPath: '/webhooks/wecom-aibot/nope',
  event: () => ({ msgid: randomUUID(), aibotid: 'aibot', chattype: 'single', from: { userid: `u-${randomUUID().slice(0, 8)}` }, msgtype: 'text', text: { content: '库存 可乐' } }),
  valid: (event) => signedAibot(encryptWeCom(AIBOT_AES_KEY, aibotPlain(event), '')),
  // The answer is the encrypted passive reply in the response.
  repliesThroughOutbox: false,
  refusals: {
    'tampered signature': {
      status: 401, because: /bad msg_signature/,
      build: (event) => {
        const req = signedAibot(encryptWeCom(AIBOT_AES_KEY, aibotPlain(event), ''));
        const q = new URLSearchParams(req.query);
        const sig = q.get('msg_signature')!;
        q.set('msg_signature', `${sig[0] === '0' ? '1' : '0'}${sig.slice(1)}`);
        return { ...req, query: q.toString() };
      },
    },
    'unsigned': { status: 401, because: /missing msg_signature/, build: (event) => ({ ...signedAibot(encryptWeCom(AIBOT_AES_KEY, aibotPlain(event), '')), query: '' }) },
    'a corp id as receiveid': { status: 400, because: /receiveid/, build: (event) => signedAibot(encryptWeCom(AIBOT_AES_KEY, aibotPlain(event), WECOM_CORP)) },
    'bad ciphertext': { status: 400, because: /cannot decrypt/, build: () => signedAibot('bm90IGEgY2lwaGVydGV4dA==') },
    'encrypted with another key': { status: 400, because: /cannot decrypt/, build: (event) => signedAibot(encryptWeCom(WECOM_OTHER_AES_KEY, aibotPlain(event), '')) },
    'malformed JSON': { status: 400, because: /the body is not JSON/, build: () => signedAibot('x', '{"encrypt": ') },
    'malformed JSON inside the ciphertext': { status: 400, because: /decrypted body is not JSON/, build: () => signedAibot(encryptWeCom(AIBOT_AES_KEY, '{"msgid": ', '')) },
  },
};

const routes: WebhookRoute[] = [lark, wecom, wecomAibot];

/** Everything an accepted push could write. */
const WRITES = ['inbound_events', 'deliveries', 'chat_identities', 'outbox', 'documents'] as const;

describe.each(routes)('$name webhook contract', (route) => {
  let h: TestApp;
  let env: Awaited<ReturnType<WebhookRoute['start']>>;
  beforeAll(async () => {
    env = await route.start();
    h = await createTestApp({ config: env.config });
  });
  afterAll(async () => {
    await h?.close();
    await env?.close();
  });

  const send = async (req: Req, path = route.path) => {
    const res = await h.app.request(req.query ? `${path}?${req.query}` : path, { method: 'POST', headers: req.headers, body: req.rawBody });
    return { status: res.status, body: await res.text() };
  };
  const counts = async () => {
    const out = {} as Record<(typeof WRITES)[number], number>;
    for (const table of WRITES) out[table] = Number((await queryRows<{ n: number }>(h.db, sql.raw(`select count(*) as n from ${table}`)))[0]!.n);
    return out;
  };
  const deliver = () => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, new Date());

  it.each(Object.entries(route.refusals))('refuses %s, writing nothing', async (_, refusal) => {
    const before = await counts();
    const res = await send(refusal.build(route.event()));
    expect(res.status).toBe(refusal.status);
    expect(res.body).toMatch(refusal.because);
    expect(await counts()).toEqual(before);
  });

  it('accepts the valid request once: a replay has no second effect', async () => {
    const event = route.event();
    const req = route.valid(event);
    const before = await counts();
    expect((await send(req)).status).toBe(200);
    const acknowledged = await counts();
    expect(acknowledged.inbound_events).toBe(before.inbound_events + 1);
    // Answered in the response, or acknowledged first: the reply through the outbox comes when the drain handles it.
    expect(acknowledged.deliveries).toBe(before.deliveries);
    expect((await send(req)).status).toBe(200);
    expect(await counts()).toEqual(acknowledged);
    await h.drainInbound();
    const once = await counts();
    expect(once.deliveries).toBe(before.deliveries + (route.repliesThroughOutbox ? 1 : 0));
    expect((await send(req)).status).toBe(200);
    await h.drainInbound();
    expect(await counts()).toEqual(once);
    await deliver();
    await deliver();
    if (route.repliesThroughOutbox) expect(env.repliesShown(event)).toBe(1);
  });

  it('answers 404 for an app nobody configured, writing nothing', async () => {
    const before = await counts();
    expect((await send(route.valid(route.event()), route.unconfiguredPath)).status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});
