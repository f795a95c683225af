import { serve } from '@hono/node-server';
import { getSignature } from '@wecom/crypto';
import { Hono, type Context } from 'hono';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { decryptWeCom, encryptWeCom } from '../../bots/wecom/crypto';

/**
 * A fake WeCom server API (qyapi) on loopback: gettoken, message/send and
 * message/update_template_card, every call recorded, failures on request. Cards answer with a
 * single-use response_code, as WeCom does; a task_id seen before is refused.
 */
export type WeComCall = { method: string; path: string; query: Record<string, string>; body: any; status?: number; errcode?: number; failed?: boolean };
export type WeComShown = { msgid: string; touser: string; msgtype: string; body: any; taskId?: string; responseCode?: string; updates: any[] };
/** The next `times` (default 1) calls whose path starts with `path` (default: any but gettoken) fail so. */
export type WeComFailSpec = { errcode?: number; status?: number; delayMs?: number; times?: number; path?: string };
export type FakeWeCom = Awaited<ReturnType<typeof startFakeWeCom>>;

const TOKEN_PATH = '/cgi-bin/gettoken';
/** The AI bot's response_url: authorised by its one-use response_code, not an access token. */
const AIBOT_RESPONSE_PATH = '/cgi-bin/aibot/response';
/** A response_url is good for an hour (reference §5.4). */
const RESPONSE_URL_MS = 60 * 60_000;
/** AI bot markdown limit (reference §8). */
const AIBOT_MARKDOWN_MAX_BYTES = 20480;
const errmsgs: Record<number, string> = {
  [-1]: 'system busy',
  40014: 'invalid access_token',
  41001: 'access_token missing',
  42001: 'access_token expired',
  45009: 'api freq out of limit',
  45033: 'api concurrent out of limit',
  60011: 'no privilege to access/modify contact/party/agent',
  60020: 'not allow to access from your ip',
  81013: 'user & party & tag all invalid',
};

export async function startFakeWeCom(options: { corpId?: string; secret?: string; agentId?: number } = {}) {
  const corpId = options.corpId ?? 'ww1436e0e65a779aee';
  const secret = options.secret ?? 'fake-corp-secret';
  const agentId = options.agentId ?? 1000002;
  const calls: WeComCall[] = [];
  const shown: WeComShown[] = [];
  const validTokens = new Set<string>();
  const codes = new Map<string, { taskId: string; used: boolean }>();
  const taskIds = new Set<string>();
  let failures: (WeComFailSpec & { times: number })[] = [];
  let tokensIssued = 0;
  let ids = 0;

  const app = new Hono<{ Variables: { call: WeComCall } }>();
  const answer = (c: Context, errcode: number, extra: Record<string, unknown> = {}) => {
    const call = c.var.call as WeComCall;
    call.errcode = errcode;
    return c.json({ errcode, errmsg: errcode === 0 ? 'ok' : (errmsgs[errcode] ?? `fake failure ${errcode}`), ...extra });
  };

  app.use(async (c, next) => {
    const text = c.req.method === 'POST' ? await c.req.text() : '';
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // recorded as sent
    }
    const call: WeComCall = { method: c.req.method, path: c.req.path, query: c.req.query(), body };
    calls.push(call);
    c.set('call', call);
    const spec = failures.find((f) => (f.path ? c.req.path.startsWith(f.path) : c.req.path !== TOKEN_PATH));
    if (spec) {
      if (--spec.times <= 0) failures = failures.filter((f) => f !== spec);
      if (spec.delayMs) await new Promise((r) => setTimeout(r, spec.delayMs));
      if (spec.status !== undefined) {
        call.failed = true;
        call.status = spec.status;
        return c.text('upstream error', spec.status as 500);
      }
      if (spec.errcode !== undefined) {
        call.failed = true;
        call.status = 200;
        return answer(c, spec.errcode);
      }
    }
    if (c.req.path !== TOKEN_PATH && c.req.path !== AIBOT_RESPONSE_PATH) {
      const token = c.req.query('access_token');
      if (!token) return answer(c, 41001);
      if (!validTokens.has(token)) return answer(c, 40014);
    }
    await next();
    call.status = c.res.status;
  });

  app.get(TOKEN_PATH, (c) => {
    if (c.req.query('corpid') !== corpId) return answer(c, 40013);
    if (c.req.query('corpsecret') !== secret) return answer(c, 40001);
    const token = `fake-token-${++tokensIssued}`;
    validTokens.add(token);
    return answer(c, 0, { access_token: token, expires_in: 7200 });
  });

  app.post('/cgi-bin/message/send', (c) => {
    const body = c.var.call.body as Record<string, any> | undefined;
    if (!body || body.agentid !== agentId || typeof body.touser !== 'string' || !body.touser || typeof body.msgtype !== 'string') return answer(c, 40058);
    const card = body.msgtype === 'template_card' ? body.template_card : undefined;
    if (card) {
      const taskId = card.task_id;
      if (typeof taskId !== 'string' || taskId.length > 128 || !/^[0-9A-Za-z_\-@]+$/.test(taskId)) return answer(c, 42014);
      if (taskIds.has(taskId)) return answer(c, 40058, { errmsg: 'task_id already exists' });
    }
    const message: WeComShown = { msgid: `msgid-${++ids}`, touser: body.touser, msgtype: body.msgtype, body, updates: [] };
    let responseCode: string | undefined;
    if (card && card.card_type !== 'text_notice') {
      taskIds.add(card.task_id);
      responseCode = `rc-${randomBytes(6).toString('hex')}`;
      codes.set(responseCode, { taskId: card.task_id, used: false });
      message.taskId = card.task_id;
      message.responseCode = responseCode;
    } else if (card) {
      taskIds.add(card.task_id);
      message.taskId = card.task_id;
    }
    shown.push(message);
    return answer(c, 0, { invaliduser: '', invalidparty: '', invalidtag: '', msgid: message.msgid, ...(responseCode ? { response_code: responseCode } : {}) });
  });

  app.post('/cgi-bin/message/update_template_card', (c) => {
    const body = c.var.call.body as Record<string, any> | undefined;
    if (!body || body.agentid !== agentId) return answer(c, 40058);
    const grant = typeof body.response_code === 'string' ? codes.get(body.response_code) : undefined;
    if (!grant || grant.used) return answer(c, 60140);
    grant.used = true;
    for (const m of shown.filter((s) => s.taskId === grant.taskId)) m.updates.push(body);
    return answer(c, 0, { invaliduser: [] });
  });

  /** response_url codes handed out in AI bot callbacks: once each, within the hour; cards only in single chats. */
  const responseCodes = new Map<string, { chattype: 'single' | 'group'; issuedAt: number; used: boolean }>();
  const aibotResponses: { chattype: 'single' | 'group'; body: any }[] = [];
  app.post(AIBOT_RESPONSE_PATH, (c) => {
    const body = c.var.call.body as Record<string, any> | undefined;
    const grant = responseCodes.get(c.req.query('response_code') ?? '');
    // The errcodes for a spent, expired or unknown code are not documented: 60140 is the app's "invalid response_code".
    if (!grant || grant.used || Date.now() - grant.issuedAt > RESPONSE_URL_MS) return answer(c, 60140);
    const markdown = body?.msgtype === 'markdown' && typeof body.markdown?.content === 'string' && body.markdown.content
      && Buffer.byteLength(body.markdown.content) <= AIBOT_MARKDOWN_MAX_BYTES;
    const card = body?.msgtype === 'template_card' && grant.chattype === 'single' && body.template_card;
    if (!markdown && !card) return answer(c, 40058);
    grant.used = true;
    aibotResponses.push({ chattype: grant.chattype, body });
    return answer(c, 0);
  });

  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    corpId,
    secret,
    agentId,
    calls,
    shown,
    shownTo: (userId: string) => shown.filter((m) => m.touser === userId),
    /** The texts message/send delivered to one person, in order. */
    textsTo: (userId: string) => shown.filter((m) => m.touser === userId && m.msgtype === 'text').map((m) => String(m.body.text.content)),
    get tokensIssued() {
      return tokensIssued;
    },
    callsTo: (path: string) => calls.filter((c) => c.path.startsWith(path)),
    failNext(spec: WeComFailSpec) {
      failures.push({ ...spec, times: spec.times ?? 1 });
    },
    /** Every issued token stops working (as when WeCom invalidates them early). */
    revokeTokens: () => validTokens.clear(),
    /** A response_url for an AI bot callback from this kind of chat; what is posted to it lands in `aibotResponses`. */
    issueResponseUrl(chattype: 'single' | 'group') {
      const code = `rurl-${randomBytes(6).toString('hex')}`;
      responseCodes.set(code, { chattype, issuedAt: Date.now(), used: false });
      return `http://127.0.0.1:${port}${AIBOT_RESPONSE_PATH}?response_code=${code}`;
    },
    aibotResponses,
    /** A click's ResponseCode for a shown card, good for one update. */
    issueClickCode(taskId: string) {
      const code = `rc-click-${randomBytes(6).toString('hex')}`;
      codes.set(code, { taskId, used: false });
      return code;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A callback as WeCom sends it to a self-built app: the plaintext XML encrypted with the corp id, the envelope signed. */
export function wecomCallback(input: { token: string; encodingAesKey: string; corpId: string; agentId?: number; plaintext: string; receiveId?: string; timestamp?: string; nonce?: string }) {
  const encrypt = encryptWeCom(input.encodingAesKey, input.plaintext, input.receiveId ?? input.corpId);
  const timestamp = input.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? String(randomBytes(4).readUInt32BE());
  const signature = getSignature(input.token, timestamp, nonce, encrypt);
  const rawBody = `<xml><ToUserName><![CDATA[${input.corpId}]]></ToUserName><AgentID><![CDATA[${input.agentId ?? 1000002}]]></AgentID><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  return { query: new URLSearchParams({ msg_signature: signature, timestamp, nonce }).toString(), rawBody, encrypt, timestamp, nonce, signature };
}

/** The URL verification GET's query, as WeCom builds it. */
export function wecomEchoQuery(input: { token: string; encodingAesKey: string; corpId: string; echo: string }) {
  const echostr = encryptWeCom(input.encodingAesKey, input.echo, input.corpId);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(randomBytes(4).readUInt32BE());
  return new URLSearchParams({ msg_signature: getSignature(input.token, timestamp, nonce, echostr), timestamp, nonce, echostr }).toString();
}

const cdata = (s: string) => `<![CDATA[${s}]]>`;

/** A text a member typed in the app's 1:1 chat (decrypted XML). */
export function wecomText(m: { corpId: string; from: string; content: string; msgId?: string; createTime?: number; agentId?: number }) {
  const msgId = m.msgId ?? String(BigInt.asUintN(63, randomBytes(8).readBigUInt64BE()));
  return {
    msgId,
    xml: `<xml><ToUserName>${cdata(m.corpId)}</ToUserName><FromUserName>${cdata(m.from)}</FromUserName><CreateTime>${m.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(m.content)}</Content><MsgId>${msgId}</MsgId><AgentID>${m.agentId ?? 1000002}</AgentID></xml>`,
  };
}

/** A click on a template card's button (decrypted XML). */
export function wecomCardEvent(m: { corpId: string; from: string; eventKey: string; taskId: string; responseCode?: string; createTime?: number; agentId?: number }) {
  return `<xml><ToUserName>${cdata(m.corpId)}</ToUserName><FromUserName>${cdata(m.from)}</FromUserName><CreateTime>${m.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata('template_card_event')}</Event><EventKey>${cdata(m.eventKey)}</EventKey><TaskId>${cdata(m.taskId)}</TaskId><CardType>${cdata('button_interaction')}</CardType><ResponseCode>${cdata(m.responseCode ?? 'rc-none')}</ResponseCode><AgentID>${m.agentId ?? 1000002}</AgentID></xml>`;
}

const xmlParser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, processEntities: true });

/**
 * What WeCom does with a self-built app's passive reply (`<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>`):
 * checks the signature over our token, its timestamp and nonce and the Encrypt, decrypts with the corp
 * as receiveid, and reads the XML inside. Throws when any of it fails.
 */
export function openWeComPassiveReply(body: string, input: { token: string; encodingAesKey: string; corpId: string }) {
  const outer = xmlParser.parse(body).xml as Record<string, string>;
  const { Encrypt: encrypt, MsgSignature: signature, TimeStamp: timestamp, Nonce: nonce } = outer;
  if (!encrypt || !signature || !timestamp || !nonce) throw new Error(`not a passive reply: ${body}`);
  if (getSignature(input.token, timestamp, nonce, encrypt) !== signature) throw new Error('bad MsgSignature on the passive reply');
  const plaintext = decryptWeCom(input.encodingAesKey, encrypt, input.corpId);
  return { timestamp, nonce, plaintext, xml: xmlParser.parse(plaintext).xml as Record<string, any> };
}
