import { randomBytes } from 'node:crypto';
import type { Card } from '../../cards/model';
import type { Logger } from '../../src/lib/logger';
import { InboundRejected, type ActionAnswer, type ChatPlatform, type InboundEvent, type Outbound, type Result, type SendError } from '../platform';
import { wecomTaskId } from '../wecom/client';
import { errcodeError } from '../wecom/errors';
import { aibotEvents } from './parse';
import { replyThroughResponseUrl } from './response-url';
import { aibotBody, aibotMarkdown, aibotUpdatedCard, type AibotBody } from './render';

/** A frame as the socket hands it over: `req_id` ties an answer to its callback. */
export type AibotFrame = { headers: { req_id: string }; body?: unknown };

/**
 * The part of `@wecom/aibot-node-sdk`'s WSClient this adapter uses (the SDK's class fits it). Kept
 * as an interface so the SDK is loaded only where a long connection can run (Node, not Workers).
 */
export interface AibotSocket {
  connect(): unknown;
  disconnect(): void;
  readonly isConnected: boolean;
  on(event: string, handler: (arg: any) => void): unknown;
  sendMessage(chatid: string, body: any): Promise<unknown>;
  replyStream(frame: AibotFrame, streamId: string, content: string, finish?: boolean): Promise<unknown>;
  replyTemplateCard(frame: AibotFrame, card: any): Promise<unknown>;
  updateTemplateCard(frame: AibotFrame, card: any, userids?: string[]): Promise<unknown>;
  replyWelcome(frame: AibotFrame, body: any): Promise<unknown>;
}

export type AibotSocketFactory = (options: { botId: string; secret: string; wsUrl?: string | undefined; log: Logger }) => AibotSocket;

/** What the pipeline does with an event; the answer goes back over the socket. */
export type AibotEventHandler = (event: InboundEvent) => Promise<(ActionAnswer & { replies?: Outbound[] }) | undefined>;

export type WeComAibotSocketOptions = {
  app: string;
  botId: string;
  secret: string;
  /** The SDK's default (`wss://openws.work.weixin.qq.com`) when unset; a fake's URL in tests. */
  wsUrl?: string | undefined;
  log: Logger;
  /** Opens the socket; absent where no long connection can run (a Worker), so nothing is sent from there. */
  createSocket?: AibotSocketFactory | undefined;
  now?: () => Date;
  fetch?: typeof fetch;
};

export type WeComAibotSocketPlatform = ChatPlatform & {
  readonly platform: 'wecom-aibot';
  /** Whether the socket is up and subscribed. */
  readonly connected: boolean;
  /** Opens the long connection (only the instance holding the lock calls this) and feeds events to `onEvent`. */
  start(onEvent: AibotEventHandler): { stop(): void };
};

/** A card updated in place by a click answer is not announced again for this long. */
const ANSWERED_IN_PLACE_MS = 10 * 60_000;
/** While the socket is down, a delivery is tried again after this long. */
const RECONNECT_WAIT_MS = 5_000;

/** A sent message's id names the conversation and the card's task_id: an update needs both. */
const messageIdOf = (chatId: string, taskId: string) => `${chatId}|${taskId}`;
function splitMessageId(messageId: string): { chatId: string; taskId: string } | undefined {
  const bar = messageId.lastIndexOf('|');
  return bar > 0 ? { chatId: messageId.slice(0, bar), taskId: messageId.slice(bar + 1) } : undefined;
}

/** The SDK rejects with the ack frame (`errcode`, `errmsg`) when WeCom refuses, with an Error when the socket fails. */
function sendError(err: unknown): SendError {
  if (err && typeof err === 'object' && 'errcode' in err) {
    return errcodeError(Number((err as { errcode: unknown }).errcode), String((err as { errmsg?: unknown }).errmsg ?? ''));
  }
  return { retryable: true, code: 'socket', message: `the AI bot's long connection failed: ${err instanceof Error ? err.message : String(err)}` };
}

/**
 * The WeCom AI bot (智能机器人) over its long connection (reference §7): messages and card clicks
 * arrive as frames and are answered on the same socket (a stream reply or a template card; a click
 * with aibot_respond_update_msg inside its 5 s); cards and notices are pushed with aibot_send_msg into
 * conversations that have spoken to the bot. WeCom allows one connection per bot, so only the
 * instance holding the lock opens it, and only that instance delivers for this bot.
 */
export function createWeComAibotSocketPlatform(options: WeComAibotSocketOptions): WeComAibotSocketPlatform {
  const now = options.now ?? (() => new Date());
  const log = options.log;
  let socket: AibotSocket | undefined;
  /** Subscribed (WeCom accepted the BotID and Secret) on the current connection: an open socket is not enough. */
  let subscribed = false;
  const live = () => Boolean(socket?.isConnected && subscribed);
  /**
   * Cards a click is answering in place (task_id → until when, and whether the replacement was
   * accepted): their update delivery waits for that answer and says nothing more if it took.
   */
  const answeredInPlace = new Map<string, { until: number; replaced: Promise<boolean> }>();

  /** Marks a clicked card as being answered; the returned function settles whether it was replaced. */
  const markAnswering = (taskId: string): ((replaced: boolean) => void) => {
    const t = now().getTime();
    for (const [k, v] of answeredInPlace) if (v.until < t) answeredInPlace.delete(k);
    let settle!: (replaced: boolean) => void;
    const mine = new Promise<boolean>((resolve) => (settle = resolve));
    // A later tap on the same card (refused, say) does not undo an earlier replacement.
    const earlier = answeredInPlace.get(taskId)?.replaced;
    const replaced = earlier ? Promise.all([earlier, mine]).then(([a, b]) => a || b) : mine;
    answeredInPlace.set(taskId, { until: t + ANSWERED_IN_PLACE_MS, replaced });
    return settle;
  };

  async function push(chatId: string, body: AibotBody): Promise<Result<void>> {
    if (!socket || !live()) return { ok: false, error: { retryable: true, code: 'not_connected', retryAfterMs: RECONNECT_WAIT_MS, message: "the AI bot's long connection is not up (yet): the delivery waits for it" } };
    try {
      await socket.sendMessage(chatId, body);
      return { ok: true, value: undefined };
    } catch (err) {
      return { ok: false, error: sendError(err) };
    }
  }

  /** Answers one frame's event over the socket; a failed answer cannot be retried (the frame is gone), so it is logged. */
  async function answer(frame: AibotFrame, event: InboundEvent, onEvent: AibotEventHandler) {
    const s = socket;
    const settle = event.type === 'action' && event.messageId ? markAnswering(event.messageId) : undefined;
    try {
      const reply = await onEvent(event);
      if (!s) return;
      if (event.type === 'message' && reply?.replies?.length) {
        const body = aibotBody(reply.replies, wecomTaskId(`r-${event.messageId}`));
        if (body.msgtype === 'template_card') await s.replyTemplateCard(frame, body.template_card);
        else await s.replyStream(frame, randomBytes(8).toString('hex'), body.markdown.content, true);
      } else if (event.type === 'action' && event.messageId && reply?.card) {
        await s.updateTemplateCard(frame, aibotUpdatedCard(reply.card, event.messageId));
        settle?.(true);
      }
    } finally {
      // Not replaced (no card — a refusal is told as a message — too late, or refused): the copy's update delivery tells the chat.
      settle?.(false);
    }
  }

  function handleFrame(frame: AibotFrame, onEvent: AibotEventHandler) {
    let events: InboundEvent[];
    try {
      events = aibotEvents(frame.body);
    } catch (err) {
      log.warn('wecom ai bot: frame refused', { app: options.app, reason: err instanceof InboundRejected ? err.message : String(err) });
      return;
    }
    void (async () => {
      for (const event of events) {
        try {
          await answer(frame, event, onEvent);
        } catch (err) {
          log.error('wecom ai bot: cannot answer a frame', { app: options.app, error: err instanceof Error ? err.message : JSON.stringify(err) });
        }
      }
    })();
  }

  return {
    platform: 'wecom-aibot',
    app: options.app,
    // 30 messages a minute per conversation, replies and pushes together (reference §8): pushes leave room for replies.
    perChatPerSecond: 0.5,
    perTargetPerMinute: 20,
    repliesInline: true,
    toastsAsMessages: true,
    servedHere: () => socket !== undefined,

    get connected() {
      return live();
    },

    start(onEvent) {
      if (!options.createSocket) throw new Error('the WeCom AI bot long connection cannot run here (no socket factory)');
      const s = options.createSocket({ botId: options.botId, secret: options.secret, wsUrl: options.wsUrl, log });
      socket = s;
      for (const name of ['message.text', 'event.template_card_event']) s.on(name, (frame: AibotFrame) => handleFrame(frame, onEvent));
      s.on('event.enter_chat', (frame: AibotFrame) => {
        s.replyWelcome(frame, { msgtype: 'text', text: { content: '你好！我是进销存助手。发「帮助」看看我能做什么。' } })
          .catch((err: unknown) => log.warn('wecom ai bot: welcome not sent', { error: String(err) }));
      });
      s.on('authenticated', () => {
        subscribed = true;
        log.info('wecom ai bot long connection ready', { app: options.app });
      });
      s.on('disconnected', () => {
        subscribed = false;
      });
      s.on('event.disconnected_event', () => log.error(
        'wecom ai bot: another connection for this bot took over and WeCom closed ours; it is not reopened (check that only one deployment uses this BotID)',
        { app: options.app },
      ));
      s.on('error', (err: Error) => log.warn('wecom ai bot long connection', { app: options.app, error: err.message }));
      s.connect();
      return {
        stop: () => {
          if (socket === s) {
            socket = undefined;
            subscribed = false;
          }
          s.disconnect();
        },
      };
    },

    parse() {
      throw new InboundRejected(400, 'this AI bot runs over its long connection (WECOM_AIBOT_MODE=ws): WeCom sends nothing to this URL');
    },

    respond: () => new Response('', { status: 200 }),

    async send(target, message, key) {
      const taskId = wecomTaskId(key);
      const sent = await push(target.id, aibotBody([message], taskId));
      return sent.ok ? { ok: true, value: { messageId: messageIdOf(target.id, taskId) } } : sent;
    },

    /** Messages are answered on the socket; a click's toast may follow through its response_url. */
    reply: (messageId, message) => replyThroughResponseUrl(options.fetch ?? fetch, messageId, message,
      { retryable: false, message: 'the AI bot answers messages on its socket, not through the outbox' }),

    /**
     * A pushed card cannot be changed later (only a click's answer may replace it, within 5 s): the
     * conversation is told the new state in a short message instead, unless a click already showed it.
     */
    async update(messageId: string, card: Card): Promise<Result<void>> {
      const ids = splitMessageId(messageId);
      if (!ids) return { ok: false, error: { retryable: false, message: `not an AI bot message id: ${messageId}` } };
      const inPlace = answeredInPlace.get(ids.taskId);
      if (inPlace && inPlace.until >= now().getTime() && (await inPlace.replaced)) return { ok: true, value: undefined };
      return push(ids.chatId, aibotMarkdown([{ card: { ...card, actions: [] } }]));
    },
  };
}

export const isAibotSocketPlatform = (p: ChatPlatform | undefined): p is WeComAibotSocketPlatform =>
  p?.platform === 'wecom-aibot' && 'start' in p;
