import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * A fake of WeCom's AI bot (智能机器人) long-connection server (wss://openws.work.weixin.qq.com) on
 * loopback, speaking the frames of the official SDK `@wecom/aibot-node-sdk` 1.0.7:
 *
 *   client → server  `{cmd, headers:{req_id}, body}`   (aibot_subscribe, ping, aibot_respond_msg, …)
 *   server → client  `{headers:{req_id}, errcode, errmsg[, body]}`   ack for every command (no cmd)
 *   server → client  `{cmd:'aibot_msg_callback'|'aibot_event_callback', headers:{req_id}, body}`
 *
 * The SDK routes acks purely by req_id: a req_id starting with `aibot_subscribe` is the auth answer,
 * one starting with `ping` is the heartbeat answer (a pong), anything else settles the pending reply
 * with that req_id (errcode 0 → resolve(ackFrame), otherwise reject(ackFrame) — the raw frame, not an
 * Error). Replies to a callback reuse the callback's req_id, so callback req_ids here never start with
 * `aibot_` or `ping`.
 *
 * Rules enforced, from the WeCom reference (wecom.md §5.4, §6.3, §7, §9):
 * - one bot (botId/secret); one live connection per bot: a second successful subscribe sends the old
 *   connection `aibot_event_callback` with event.eventtype 'disconnected_event' and closes it;
 * - `aibot_send_msg` only into a conversation that already messaged the bot (a group chatid, or the
 *   userid of a single chat, seen in a pushed message or event) or was opened with `openChat`;
 * - `aibot_respond_msg` only with the req_id of a pushed message (aibot_msg_callback);
 * - `aibot_respond_update_msg` only with the req_id of a pushed template_card_event, within
 *   `updateWindowMs` (default 5000) of the push, with the clicked card's task_id;
 * - `aibot_respond_welcome_msg` only with the req_id of a pushed enter_chat event, within
 *   `welcomeWindowMs` (default 5000).
 *
 * EVERY errcode below is chosen for this fake: the real server's values for these refusals are
 * UNCONFIRMED (only 40001/40058/40008 exist in the global list with roughly these meanings; 93006 and
 * the reuse of 60140 are invented). Production code must not branch on these numbers — only on
 * errcode !== 0.
 */
export const FAKE_AIBOT_ERR = {
  /** aibot_subscribe with a wrong bot_id or secret (chosen; real value unconfirmed). */
  AUTH_FAILED: 40001,
  /** any command other than aibot_subscribe on a connection that has not authenticated (chosen). */
  NOT_SUBSCRIBED: 40014,
  /** unknown cmd, missing/malformed body, unknown req_id, req_id of the wrong kind of callback,
   *  task_id different from the clicked card's (chosen). */
  INVALID_PARAM: 40058,
  /** msgtype not allowed for that command (chosen). */
  INVALID_MSGTYPE: 40008,
  /** aibot_send_msg into a conversation that never messaged the bot (chosen, invented). */
  CHAT_NOT_OPEN: 93006,
  /** update/welcome reply after its 5 s window (chosen; 60140 is "invalid response_code" elsewhere). */
  WINDOW_EXPIRED: 60140,
} as const;

export interface AibotFrame {
  cmd?: string;
  headers: { req_id: string; [key: string]: unknown };
  body?: any;
  errcode?: number;
  errmsg?: string;
}

/** A message or event body as WeCom pushes it (long-connection mode: plain JSON, no encryption). */
export interface AibotCallbackBody {
  msgid: string;
  aibotid: string;
  chatid?: string;
  chattype: 'single' | 'group';
  from: { userid: string };
  create_time: number;
  msgtype: string;
  [key: string]: any;
}

export interface FakeAibotOptions {
  botId?: string;
  secret?: string;
  /** How long after a template_card_event push `aibot_respond_update_msg` is accepted (default 5000). */
  updateWindowMs?: number;
  /** How long after an enter_chat push `aibot_respond_welcome_msg` is accepted (default 5000). */
  welcomeWindowMs?: number;
  /** Clock for the reply windows and create_time (default Date.now) — inject one for exact window tests. */
  now?: () => number;
}

interface Conn {
  id: number;
  ws: WebSocket;
  authenticated: boolean;
}

interface Pushed {
  cmd: 'aibot_msg_callback' | 'aibot_event_callback';
  eventtype?: string;
  taskId?: string;
  at: number;
}

/** What the fake accepted on aibot_respond_msg / aibot_respond_welcome_msg / aibot_respond_update_msg. */
export interface RecordedResponse {
  cmd: string;
  reqId: string;
  body: any;
}

const RESPOND_MSGTYPES = new Set(['stream', 'template_card', 'stream_with_template_card', 'file', 'image', 'voice', 'video']);
const WELCOME_MSGTYPES = new Set(['text', 'template_card']);
const SEND_MSGTYPES = new Set(['markdown', 'template_card', 'file', 'image', 'voice', 'video']);

function rand(n = 8) {
  return randomBytes(n).toString('hex');
}

export async function startFakeAibotWs(options: FakeAibotOptions = {}) {
  const botId = options.botId ?? 'fake-bot-id';
  const secret = options.secret ?? 'fake-bot-secret';
  const updateWindowMs = options.updateWindowMs ?? 5000;
  const welcomeWindowMs = options.welcomeWindowMs ?? 5000;
  const now = options.now ?? Date.now;

  /** Every frame received from any client, in arrival order (conn = connection number, from 1). */
  const frames: { conn: number; frame: AibotFrame }[] = [];
  /** Accepted aibot_send_msg: chatid, and the message body without chatid ({msgtype, markdown|…}). */
  const sent: { chatid: string; body: any }[] = [];
  const responses: RecordedResponse[] = [];
  /** Commands answered with a non-zero errcode (rule violations and fail()). */
  const refused: { cmd: string; reqId: string; errcode: number; errmsg: string; body: any }[] = [];
  /** Callbacks pushed to the client (not including the fake's own disconnected_event). */
  const pushes: { cmd: string; reqId: string; body: AibotCallbackBody }[] = [];

  const pushed = new Map<string, Pushed>();
  const openChats = new Set<string>();
  const uploads = new Map<string, { type: string; chunks: number }>();
  let failures: { cmd: string; errcode: number; errmsg: string; times: number }[] = [];
  const sockets = new Set<Conn>();
  let live: Conn | null = null;
  let nextConnId = 1;
  let subscribes = 0;
  let connections = 0;
  let seq = 0;

  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const { port } = wss.address() as AddressInfo;

  function write(conn: Conn, frame: AibotFrame) {
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(JSON.stringify(frame));
  }

  function ack(conn: Conn, reqId: string, errcode = 0, errmsg = 'ok', body?: unknown) {
    const frame: AibotFrame = { headers: { req_id: reqId }, errcode, errmsg };
    if (body !== undefined) frame.body = body;
    write(conn, frame);
  }

  function refuse(conn: Conn, cmd: string, reqId: string, body: unknown, errcode: number, errmsg: string) {
    refused.push({ cmd, reqId, errcode, errmsg, body });
    ack(conn, reqId, errcode, errmsg);
  }

  function takeFailure(cmd: string) {
    const f = failures.find((x) => x.cmd === cmd);
    if (!f) return undefined;
    if (--f.times <= 0) failures = failures.filter((x) => x !== f);
    return f;
  }

  function chatKeyOf(body: AibotCallbackBody): string | undefined {
    return body.chattype === 'group' ? body.chatid : body.from?.userid;
  }

  function kick(old: Conn) {
    // What the SDK sees on the old connection: this event, then the socket going away. It handles the
    // event itself (terminates, marks the close manual, emits 'disconnected') and does not reconnect.
    write(old, {
      cmd: 'aibot_event_callback',
      headers: { req_id: `cb_${++seq}_${rand()}` },
      body: {
        msgid: rand(16),
        create_time: Math.floor(now() / 1000),
        aibotid: botId,
        msgtype: 'event',
        event: { eventtype: 'disconnected_event' },
      },
    });
    old.authenticated = false;
    old.ws.close(1000, 'new connection established');
  }

  function handle(conn: Conn, frame: AibotFrame) {
    const cmd = typeof frame.cmd === 'string' ? frame.cmd : '';
    const reqId = typeof frame.headers?.req_id === 'string' ? frame.headers.req_id : '';
    const body = frame.body;
    if (cmd === 'aibot_subscribe') subscribes++;

    const failure = takeFailure(cmd);
    if (failure) {
      refuse(conn, cmd, reqId, body, failure.errcode, failure.errmsg);
      if (cmd === 'aibot_subscribe') conn.ws.close(1000, 'auth failed');
      return;
    }

    if (cmd === 'aibot_subscribe') {
      if (body?.bot_id !== botId || body?.secret !== secret) {
        const what = body?.bot_id !== botId ? 'invalid bot_id' : 'invalid secret';
        refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.AUTH_FAILED, what);
        conn.ws.close(1000, 'auth failed');
        return;
      }
      if (!conn.authenticated) {
        if (live && live !== conn) kick(live);
        conn.authenticated = true;
        live = conn;
        connections++;
      }
      ack(conn, reqId);
      return;
    }

    if (!conn.authenticated) {
      refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.NOT_SUBSCRIBED, 'not subscribed');
      return;
    }

    switch (cmd) {
      case 'ping':
        ack(conn, reqId);
        return;

      case 'aibot_respond_msg': {
        const cb = pushed.get(reqId);
        if (!cb || cb.cmd !== 'aibot_msg_callback') {
          return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.INVALID_PARAM, 'invalid req_id: not a pushed message');
        }
        if (!RESPOND_MSGTYPES.has(body?.msgtype)) {
          return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.INVALID_MSGTYPE, `invalid msgtype for ${cmd}`);
        }
        responses.push({ cmd, reqId, body });
        return ack(conn, reqId);
      }

      case 'aibot_respond_welcome_msg': {
        const cb = pushed.get(reqId);
        if (!cb || cb.eventtype !== 'enter_chat') {
          return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.INVALID_PARAM, 'invalid req_id: not a pushed enter_chat');
        }
        if (now() - cb.at > welcomeWindowMs) {
          return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.WINDOW_EXPIRED, 'welcome reply window expired');
        }
        if (!WELCOME_MSGTYPES.has(body?.msgtype)) {
          return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.INVALID_MSGTYPE, `invalid msgtype for ${cmd}`);
        }
        responses.push({ cmd, reqId, body });
        return ack(conn, reqId);
      }

      case 'aibot_respond_update_msg': {
        const cb = pushed.get(reqId);
        if (!cb || cb.eventtype !== 'template_card_event') {
          return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.INVALID_PARAM, 'invalid req_id: not a pushed template_card_event');
        }
        if (now() - cb.at > updateWindowMs) {
          return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.WINDOW_EXPIRED, 'update window expired');
        }
        if (body?.response_type !== 'update_template_card' || typeof body?.template_card !== 'object' || body.template_card === null) {
          return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.INVALID_PARAM, 'response_type update_template_card with template_card required');
        }
        if (body.template_card.task_id !== cb.taskId) {
          return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.INVALID_PARAM, 'template_card.task_id differs from the clicked card');
        }
        responses.push({ cmd, reqId, body });
        return ack(conn, reqId);
      }

      case 'aibot_send_msg': {
        const { chatid, ...message } = (body ?? {}) as { chatid?: unknown; [key: string]: unknown };
        if (typeof chatid !== 'string' || chatid === '') {
          return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.INVALID_PARAM, 'chatid required');
        }
        if (typeof message.msgtype !== 'string' || !SEND_MSGTYPES.has(message.msgtype)) {
          return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.INVALID_MSGTYPE, `invalid msgtype for ${cmd}`);
        }
        if (!openChats.has(chatid)) {
          return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.CHAT_NOT_OPEN, 'chat has not messaged the bot');
        }
        sent.push({ chatid, body: message });
        return ack(conn, reqId);
      }

      // Temporary media upload (SDK uploadMedia): init → upload_id, chunk × N, finish → media_id.
      case 'aibot_upload_media_init': {
        const uploadId = `upload_${rand()}`;
        uploads.set(uploadId, { type: String(body?.type ?? 'file'), chunks: 0 });
        return ack(conn, reqId, 0, 'ok', { upload_id: uploadId });
      }
      case 'aibot_upload_media_chunk': {
        const up = uploads.get(body?.upload_id);
        if (!up) return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.INVALID_PARAM, 'invalid upload_id');
        up.chunks++;
        return ack(conn, reqId);
      }
      case 'aibot_upload_media_finish': {
        const up = uploads.get(body?.upload_id);
        if (!up) return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.INVALID_PARAM, 'invalid upload_id');
        uploads.delete(body.upload_id);
        return ack(conn, reqId, 0, 'ok', { type: up.type, media_id: `media_${rand()}`, created_at: String(Math.floor(now() / 1000)) });
      }

      default:
        return refuse(conn, cmd, reqId, body, FAKE_AIBOT_ERR.INVALID_PARAM, `unknown cmd ${cmd}`);
    }
  }

  wss.on('connection', (ws) => {
    const conn: Conn = { id: nextConnId++, ws, authenticated: false };
    sockets.add(conn);
    ws.on('message', (data) => {
      let frame: AibotFrame;
      try {
        frame = JSON.parse(data.toString()) as AibotFrame;
      } catch {
        return; // the real server's answer to garbage is unknown; ignore it
      }
      frames.push({ conn: conn.id, frame });
      handle(conn, frame);
    });
    ws.on('close', () => {
      sockets.delete(conn);
      if (live === conn) live = null;
    });
    ws.on('error', () => {});
  });

  function push(cmd: Pushed['cmd'], body: AibotCallbackBody): string {
    if (!live) throw new Error('fake aibot: no live authenticated connection to push to');
    const reqId = `cb_${++seq}_${rand()}`;
    const key = chatKeyOf(body);
    if (key) openChats.add(key);
    const entry: Pushed = { cmd, at: now() };
    if (cmd === 'aibot_event_callback') {
      entry.eventtype = body.event?.eventtype;
      if (entry.eventtype === 'template_card_event') entry.taskId = body.event?.template_card_event?.task_id;
    }
    pushed.set(reqId, entry);
    pushes.push({ cmd, reqId, body });
    write(live, { cmd, headers: { req_id: reqId }, body });
    return reqId;
  }

  function base(p: { msgid?: string; userid: string; chatid?: string }) {
    return {
      msgid: p.msgid ?? rand(16),
      aibotid: botId,
      ...(p.chatid ? { chatid: p.chatid } : {}),
      chattype: p.chatid ? ('group' as const) : ('single' as const),
      from: { userid: p.userid },
      create_time: Math.floor(now() / 1000),
    };
  }

  return {
    url: `ws://127.0.0.1:${port}`,
    botId,
    secret,
    frames,
    sent,
    responses,
    refused,
    pushes,
    /** aibot_subscribe frames received (successful or not). */
    get subscribes() {
      return subscribes;
    },
    /** Connections that authenticated successfully, ever. */
    get connections() {
      return connections;
    },
    /** Whether an authenticated connection is currently live. */
    get live() {
      return live !== null;
    },
    /** Push an aibot_msg_callback to the live connection; returns its req_id. */
    pushMessage: (body: AibotCallbackBody) => push('aibot_msg_callback', body),
    /** Push an aibot_event_callback to the live connection; returns its req_id. */
    pushEvent: (body: AibotCallbackBody) => push('aibot_event_callback', body),
    /** A text message as WeCom pushes it (group when chatid is given, else single). */
    textMessage: (p: { msgid?: string; userid: string; chatid?: string; content: string }): AibotCallbackBody => ({
      ...base(p),
      msgtype: 'text',
      text: { content: p.content },
    }),
    /** A button click on a button_interaction card (reference §6.3). */
    cardClick: (p: { msgid?: string; userid: string; chatid?: string; taskId: string; eventKey: string }): AibotCallbackBody => ({
      ...base(p),
      msgtype: 'event',
      event: {
        eventtype: 'template_card_event',
        template_card_event: { card_type: 'button_interaction', event_key: p.eventKey, task_id: p.taskId },
      },
    }),
    /** The user's first entry of the day into the bot's single chat. */
    enterChat: (p: { msgid?: string; userid: string }): AibotCallbackBody => ({
      ...base({ msgid: p.msgid, userid: p.userid }),
      msgtype: 'event',
      event: { eventtype: 'enter_chat' },
    }),
    /** Treat a conversation as already opened by a user (e.g. a message before this process started). */
    openChat: (chatid: string) => {
      openChats.add(chatid);
    },
    /** Answer the next `times` (default 1) frames with this cmd with this errcode; they are not accepted. */
    fail: (f: { cmd: string; errcode: number; errmsg?: string; times?: number }) => {
      failures.push({ cmd: f.cmd, errcode: f.errcode, errmsg: f.errmsg ?? 'fake failure', times: f.times ?? 1 });
    },
    /** Close the live socket abruptly (no close frame), as a network drop. */
    drop: () => {
      if (!live) throw new Error('fake aibot: no live connection to drop');
      live.ws.terminate();
      live = null;
    },
    close: async () => {
      for (const c of sockets) c.ws.terminate();
      sockets.clear();
      live = null;
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export type FakeAibotWs = Awaited<ReturnType<typeof startFakeAibotWs>>;
