import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../support/random';

export { larkBotAdded, larkCardAction, larkChallenge, larkEnvelope, larkMessageEvent, larkRequest } from './lark-inbound';

/**
 * A fake Lark Open Platform on loopback: the endpoints the adapter calls, every call recorded,
 * failures on request. Messages a retry re-sends with the same `uuid` are shown once, as on Lark.
 */
export type LarkCall = {
  method: string; path: string; query: Record<string, string>; body: unknown; headers: Record<string, string>;
  /** The HTTP status answered (undefined while a slow answer is still waiting). */
  status?: number;
  failed?: boolean;
  /** A send whose `uuid` was seen before: answered with the first message, not shown again. */
  duplicate?: boolean;
};
/** `shownAt`: when it was first shown (epoch ms), for the benchmark's time from a push to its reply. */
export type ShownMessage = { messageId: string; chatId: string | null; msgType: string; content: any; replyTo?: string; updates: number; shownAt: number };
/** The next `times` (default 1) calls whose path starts with `path` (default: any but the token endpoint) fail so. */
export type FailSpec = { status?: number; code?: number; resetSeconds?: number; delayMs?: number; times?: number; path?: string };
export type FakeLark = Awaited<ReturnType<typeof startFakeLark>>;

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
const messages: Record<number, string> = {
  99991400: 'request trigger frequency limit',
  99991663: 'Invalid access token for authorization. Please make a request with token attached.',
  230002: 'Bot/User can NOT be out of the chat.',
  230020: 'This operation triggers the frequency limit.',
};


export async function startFakeLark(options: { appId?: string; appSecret?: string; botOpenId?: string; tokenExpireSeconds?: number } = {}) {
  const appId = options.appId ?? 'cli_a1b2c3d4e5f60718';
  const appSecret = options.appSecret ?? 'fake-secret';
  const botOpenId = options.botOpenId ?? 'ou_bot';
  const calls: LarkCall[] = [];
  const shown: ShownMessage[] = [];
  const byUuid = new Map<string, ShownMessage>();
  const validTokens = new Set<string>();
  const cardTokens = new Map<string, { messageId: string; uses: number }>();
  let failures: (FailSpec & { times: number })[] = [];
  let random: { probability: number; rng: () => number } | undefined;
  let tokensIssued = 0;
  let ids = 0;

  const fail = (c: Context, call: LarkCall, spec: FailSpec) => {
    call.failed = true;
    const reset: Record<string, string> = spec.resetSeconds === undefined ? {} : { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': String(spec.resetSeconds) };
    if (spec.code === undefined && spec.status === 429) return c.json({ code: 99991400, msg: messages[99991400] }, 429, reset);
    // A gateway's error page, not JSON: the client must go by the status alone.
    if (spec.code === undefined) return c.text('upstream connect error or disconnect/reset before headers', (spec.status ?? 500) as 500);
    return c.json({ code: spec.code, msg: messages[spec.code] ?? `fake failure ${spec.code}` }, (spec.status ?? 400) as 400, reset);
  };
  const lark = (c: Context, code: number, msg: string) => c.json({ code, msg }, 400);
  const ok = (c: Context, data: Record<string, unknown> = {}) => c.json({ code: 0, msg: 'success', ...data });
  const parseContent = (s: unknown) => {
    try {
      return typeof s === 'string' ? JSON.parse(s) : undefined;
    } catch {
      return undefined;
    }
  };

  const app = new Hono<{ Variables: { call: LarkCall } }>();

  app.use(async (c, next) => {
    const text = await c.req.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // recorded as sent
    }
    const call: LarkCall = { method: c.req.method, path: c.req.path, query: c.req.query(), body, headers: c.req.header() };
    calls.push(call);
    c.set('call', call);
    const early = await gate(c, call);
    if (early) {
      call.status = early.status;
      return early;
    }
    await next();
    call.status = c.res.status;
  });

  /** A requested failure or slowness, then the token check: the answer that stops a call early, if any. */
  async function gate(c: Context, call: LarkCall): Promise<Response | undefined> {
    const spec = failures.find((f) => (f.path ? c.req.path.startsWith(f.path) : c.req.path !== TOKEN_PATH));
    if (spec) {
      if (--spec.times <= 0) failures = failures.filter((f) => f !== spec);
      if (spec.delayMs) await new Promise((r) => setTimeout(r, spec.delayMs));
      if (spec.status !== undefined || spec.code !== undefined) return fail(c, call, spec);
    } else if (random && c.req.path !== TOKEN_PATH && random.rng() < random.probability) {
      const status = [500, 503, 429][Math.floor(random.rng() * 3)]!;
      return fail(c, call, { status, ...(status === 429 ? { resetSeconds: 0 } : {}) });
    }
    if (c.req.path === TOKEN_PATH) return undefined;
    const token = c.req.header('authorization')?.replace(/^Bearer /, '');
    return token && validTokens.has(token) ? undefined : lark(c, 99991663, messages[99991663]!);
  }

  app.post(TOKEN_PATH, (c) => {
    const body = c.var.call.body as { app_id?: string; app_secret?: string } | undefined;
    if (body?.app_id !== appId || body?.app_secret !== appSecret) return lark(c, 10014, 'app secret invalid');
    const token = `t-fake-${++tokensIssued}`;
    validTokens.add(token);
    return c.json({ code: 0, msg: 'ok', tenant_access_token: token, expire: options.tokenExpireSeconds ?? 7200 });
  });

  /** Create and reply share the uuid rule: a uuid seen before answers with the first message. */
  const show = (c: Context, m: { chatId: string | null; replyTo?: string }) => {
    const call = c.var.call as LarkCall;
    const body = call.body as { msg_type?: string; content?: string; uuid?: string };
    if (typeof body?.msg_type !== 'string' || parseContent(body.content) === undefined) return lark(c, 230001, 'invalid msg_type or content');
    if (body.uuid !== undefined && (typeof body.uuid !== 'string' || body.uuid.length > 50)) return lark(c, 230001, 'uuid longer than 50 characters');
    const first = body.uuid ? byUuid.get(body.uuid) : undefined;
    if (first) {
      call.duplicate = true;
      return ok(c, { data: { message_id: first.messageId, chat_id: first.chatId, msg_type: first.msgType } });
    }
    const message: ShownMessage = { messageId: `om_fake_${++ids}`, chatId: m.chatId, msgType: body.msg_type, content: parseContent(body.content), updates: 0, shownAt: Date.now(), ...(m.replyTo ? { replyTo: m.replyTo } : {}) };
    shown.push(message);
    if (body.uuid) byUuid.set(body.uuid, message);
    return ok(c, { data: { message_id: message.messageId, chat_id: message.chatId, msg_type: message.msgType } });
  };

  app.post('/open-apis/im/v1/messages', (c) => {
    const type = c.req.query('receive_id_type');
    const receiveId = (c.var.call.body as { receive_id?: string })?.receive_id;
    if (!type || !['chat_id', 'open_id', 'union_id', 'user_id', 'email'].includes(type) || !receiveId) return lark(c, 230001, 'bad receive_id_type or receive_id');
    return show(c, { chatId: receiveId });
  });
  app.post('/open-apis/im/v1/messages/:id/reply', (c) => {
    const parent = shown.find((m) => m.messageId === c.req.param('id'));
    return show(c, { chatId: parent?.chatId ?? null, replyTo: c.req.param('id') });
  });
  app.patch('/open-apis/im/v1/messages/:id', (c) => {
    const message = shown.find((m) => m.messageId === c.req.param('id'));
    if (!message || message.msgType !== 'interactive') return lark(c, 230001, 'no interactive message with this id');
    const card = parseContent((c.var.call.body as { content?: string })?.content);
    if (!card || card.config?.update_multi === false) return lark(c, 230001, 'the card must be JSON and shared (update_multi)');
    message.content = card;
    message.updates++;
    return ok(c);
  });
  app.post('/open-apis/interactive/v1/card/update', (c) => {
    const body = c.var.call.body as { token?: string; card?: unknown };
    const grant = body?.token ? cardTokens.get(body.token) : undefined;
    if (!grant) return lark(c, 300020, 'token malformed');
    if (++grant.uses > 2) return lark(c, 300040, 'token used more than twice');
    const message = shown.find((m) => m.messageId === grant.messageId);
    if (message && body.card && typeof body.card === 'object') {
      message.content = body.card;
      message.updates++;
    }
    return ok(c);
  });
  app.get('/open-apis/bot/v3/info', (c) => c.json({ code: 0, msg: 'ok', bot: { activate_status: 2, app_name: '进销存助手', avatar_url: '', ip_white_list: [], open_id: botOpenId } }));

  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    appId,
    appSecret,
    botOpenId,
    calls,
    shown,
    shownIn: (chatId: string) => shown.filter((m) => m.chatId === chatId),
    get tokensIssued() {
      return tokensIssued;
    },
    /** Calls to one endpoint (path prefix) that the fake answered, failed or not. */
    callsTo: (path: string, method?: string) => calls.filter((c) => c.path.startsWith(path) && (!method || c.method === method)),
    failNext(spec: FailSpec) {
      failures.push({ ...spec, times: spec.times ?? 1 });
    },
    /** Each call but the token's fails with 500, 503 or 429 (reset 0) with this probability; 0 stops it. */
    failRandomly(probability: number, seed = 1) {
      random = probability > 0 ? { probability, rng: seededRandom(seed) } : undefined;
    },
    /** Every issued tenant token stops working, as after a secret rotation. */
    revokeTokens: () => validTokens.clear(),
    /** A card-update token for a shown card, as a click on it would carry. */
    issueCardToken(messageId: string) {
      const token = `c-fake-${++ids}`;
      cardTokens.set(token, { messageId, uses: 0 });
      return token;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
