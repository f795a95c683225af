import type { Card } from '../../cards/model';
import { truncate, truncateBytes } from '../../cards/format';
import { renderWeComCard, WECOM_REPLACE_NAME_MAX_CHARS, wecomReplaceName } from '../../cards/render-wecom';
import { ConfigError } from '../../src/config';
import { type ActionAnswer, type ChatPlatform, type InboundEvent, type Outbound, type Result } from '../platform';
import { challengeResponse, createWeComCallbacks } from './callback';
import { createWeComClient, wecomTaskId, type WeComMessage } from './client';
import { decryptWeCom } from './crypto';
import { readWeComEnvelope, toWeComEvents } from './parse';
import { passiveReplyXml, updateButtonXml } from './passive';

export type WeComPlatformOptions = {
  /** The app's name in `/webhooks/wecom/:app`. */
  app: string;
  corpId: string;
  agentId: number;
  secret: string;
  /** The callback Token and EncodingAESKey set in the admin console. */
  token: string;
  encodingAesKey: string;
  /** `https://qyapi.weixin.qq.com` or a fake's URL. */
  apiBase: string;
  fetch?: typeof fetch;
  now?: () => Date;
  timeoutMs?: number;
};

export type WeComPlatform = ChatPlatform & { readonly platform: 'wecom' };

/** A text message: WeCom truncates beyond 2048 bytes; we cut first so the cut is marked. */
export const WECOM_TEXT_MAX_BYTES = 2048;

/**
 * Whether a card still asks for a decision on WeCom: it renders as a button_interaction card. One
 * with no usable button left (decided, done) is final: its buttons are greyed with its outcome.
 */
function stillOpen(card: Card): boolean {
  const rendered = renderWeComCard(card, 'open-check');
  return rendered.msgtype === 'template_card' && rendered.template_card.card_type === 'button_interaction';
}

function apiBaseUrl(base: string): string {
  const url = URL.canParse(base) ? new URL(base) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new ConfigError(`WECOM_API_BASE: must be a base URL, not ${JSON.stringify(base)}`);
  return url.toString().replace(/\/+$/, '');
}

/**
 * A WeCom self-built app (自建应用): callbacks verified (msg_signature in constant time), decrypted
 * and checked to carry our corp id; text in the app's 1:1 chat and card clicks become neutral events.
 * A click that decides its card is answered with an encrypted passive reply greying the clicker's
 * buttons with the outcome; everything else with an empty 200 (the work goes through the outbox).
 * A click's toast cannot be shown, so it comes as a text message instead (`toastsAsMessages`).
 * Sends go one to one (cards cannot reach groups from an app); a decided card greys its buttons on
 * every copy (update_template_card, atall) — each copy's single-use response_code kept for that.
 */
export function createWeComPlatform(options: WeComPlatformOptions): WeComPlatform {
  const client = createWeComClient({
    corpId: options.corpId,
    corpSecret: options.secret,
    agentId: options.agentId,
    apiBase: apiBaseUrl(options.apiBase),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: () => options.now!().getTime() } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });

  // The receiveid inside every callback must be our corp id (the library does not check it).
  const callbacks = createWeComCallbacks({
    token: options.token,
    decrypt: (encrypt) => decryptWeCom(options.encodingAesKey, encrypt, options.corpId),
    encryptOf: readWeComEnvelope,
    events: toWeComEvents,
  });


  const message = (m: Outbound, key: string): WeComMessage =>
    'card' in m ? renderWeComCard(m.card, wecomTaskId(key)) : { msgtype: 'text', text: { content: truncateBytes(m.text, WECOM_TEXT_MAX_BYTES) } };

  const now = options.now ?? (() => new Date());

  /** The clicker's copy greyed with a label, as the HTTP answer to the click (only their copy; no response_code spent). */
  function greyClickersCopy(event: Extract<InboundEvent, { type: 'action' }>, replaceName: string): Response {
    const createTime = Math.floor(now().getTime() / 1000);
    const plaintext = updateButtonXml({ toUser: event.senderId, corpId: options.corpId, createTime, replaceName });
    const body = passiveReplyXml({
      token: options.token, encodingAesKey: options.encodingAesKey, corpId: options.corpId, plaintext,
      timestamp: createTime, nonce: callbacks.nonceOf(event),
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'application/xml; charset=utf-8' } });
  }

  const sendTo = async (userId: string, m: Outbound, key: string): Promise<Result<{ messageId: string }>> => {
    const r = await client.send(userId, message(m, key));
    return r.ok ? { ok: true, value: { messageId: r.value.messageId } } : r;
  };

  return {
    platform: 'wecom',
    app: options.app,
    // WeCom drops silently past 30 messages a minute to one member: stay well under.
    perChatPerSecond: 1,
    perTargetPerMinute: 25,
    repliesInline: false,
    // A click is answered with an empty 200 or a greyed button, never a toast: refusals come as a text.
    toastsAsMessages: true,

    async parse(request) {
      return callbacks.parse(request);
    },

    respond(event: InboundEvent, answer?: ActionAnswer) {
      if (event.type === 'challenge') return challengeResponse(event.answer);
      if (event.type === 'action' && answer?.card) {
        // A click that decided its card: the clicker's buttons greyed at once (the other copies follow through the outbox).
        if (!stillOpen(answer.card)) return greyClickersCopy(event, wecomReplaceName(answer.card));
        // Done, but the card stays open for others (level 1 of 2 approved): only the clicker's copy says what they did.
        if (answer.toast?.kind === 'success') return greyClickersCopy(event, truncate(answer.toast.text, WECOM_REPLACE_NAME_MAX_CHARS));
      }
      // Everything else (a toast alone, a message): an empty 200.
      return new Response('', { status: 200 });
    },

    send(target, m, key) {
      if (target.kind === 'chat') {
        return Promise.resolve({ ok: false, error: { retryable: false, code: 'chat_target', message: 'a WeCom self-built app cannot post to a group chat (only to people one to one): bind the group through the WeCom AI bot or robot instead' } });
      }
      return sendTo(target.id, m, key);
    },

    /** No replies on WeCom: the answer is a new message to the sender (the message id carries them). */
    reply(messageId, m, key) {
      const userId = messageId.slice(0, messageId.indexOf('/'));
      if (!userId) return Promise.resolve({ ok: false, error: { retryable: false, message: `not a WeCom message id: ${messageId}` } });
      return sendTo(userId, m, key);
    },

    /**
     * Every copy of a card sent by this app, once it is final: its buttons greyed with the outcome
     * (update_template_card, atall, with the response_code its send returned).
     */
    async update(messageId, card: Card): Promise<Result<void>> {
      const bar = messageId.indexOf('|');
      const taskId = bar > 0 ? messageId.slice(0, bar) : '';
      const responseCode = bar > 0 ? messageId.slice(bar + 1) : '';
      if (!taskId || !responseCode) return { ok: false, error: { retryable: false, message: 'this WeCom message is not an interactive card (no response_code to update it with)' } };
      // Still open (e.g. an approval moving from level 1 to level 2): WeCom is not called. A response_code
      // works for one update only (a second dies with 60140), so it is kept for the outcome. Meanwhile the
      // copies stay as sent: a tap on one that is stale is refused, and the refusal comes to the tapper as
      // a message (toastsAsMessages); the click that decides the card greys the clicker's copy at once (passive reply).
      if (stillOpen(card)) return { ok: true, value: undefined };
      // Spent once, on the final card. A 60140 (code used or older than 72 h) is not retried: it cannot succeed.
      return client.updateTemplateCard(responseCode, { button: { replace_name: wecomReplaceName(card) } });
    },
  };
}
