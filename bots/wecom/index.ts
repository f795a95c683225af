import type { Card } from '../../cards/model';
import { renderWeComCard, wecomReplaceName } from '../../cards/render-wecom';
import { ConfigError } from '../../src/config';
import { InboundRejected, type ChatPlatform, type InboundEvent, type Outbound, type Result } from '../platform';
import { createWeComClient, wecomTaskId, type WeComMessage } from './client';
import { decryptWeCom, WeComDecryptError } from './crypto';
import { readWeComEnvelope, toWeComEvents } from './parse';
import { verifyWeComSignature } from './verify';

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

function cutText(text: string): string {
  if (Buffer.byteLength(text) <= WECOM_TEXT_MAX_BYTES) return text;
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) + 3 > WECOM_TEXT_MAX_BYTES) break;
    out += ch;
  }
  return `${out}…`;
}

function apiBaseUrl(base: string): string {
  const url = URL.canParse(base) ? new URL(base) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new ConfigError(`WECOM_API_BASE: must be a base URL, not ${JSON.stringify(base)}`);
  return url.toString().replace(/\/+$/, '');
}

/**
 * A WeCom self-built app (自建应用): callbacks verified (msg_signature in constant time), decrypted
 * and checked to carry our corp id; text in the app's 1:1 chat and card clicks become neutral events,
 * answered with an empty 200 (the work goes through the outbox). Sends go one to one (cards cannot
 * reach groups from an app); a decided card greys its buttons on every copy (update_template_card, atall).
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

  /** Verify the signature over `encrypt`, then decrypt and check the receiveid. */
  function open(query: URLSearchParams, encrypt: string): string {
    const verdict = verifyWeComSignature({
      token: options.token, timestamp: query.get('timestamp'), nonce: query.get('nonce'), signature: query.get('msg_signature'), encrypt,
    });
    if (!verdict.ok) throw new InboundRejected(401, verdict.reason);
    try {
      return decryptWeCom(options.encodingAesKey, encrypt, options.corpId);
    } catch (err) {
      if (err instanceof WeComDecryptError) throw new InboundRejected(400, `cannot decrypt the callback with the configured EncodingAESKey: ${err.message}`);
      throw err;
    }
  }

  const message = (m: Outbound, key: string): WeComMessage =>
    'card' in m ? renderWeComCard(m.card, wecomTaskId(key)) : { msgtype: 'text', text: { content: cutText(m.text) } };

  const sendTo = async (userId: string, m: Outbound, key: string): Promise<Result<{ messageId: string }>> => {
    const r = await client.send(userId, message(m, key));
    return r.ok ? { ok: true, value: { messageId: r.value.messageId } } : r;
  };

  return {
    platform: 'wecom',
    app: options.app,
    // WeCom drops silently past 30 messages a minute to one member: stay well under.
    perChatPerSecond: 1,
    repliesInline: false,

    async parse({ method, url, rawBody }) {
      const query = new URL(url).searchParams;
      if (method === 'GET') {
        const echostr = query.get('echostr');
        if (!echostr) throw new InboundRejected(400, 'missing echostr');
        return [{ type: 'challenge', answer: open(query, echostr) }];
      }
      const envelope = readWeComEnvelope(rawBody);
      return toWeComEvents(open(query, envelope.encrypt));
    },

    respond(event: InboundEvent) {
      // URL verification: the plaintext alone, no quotes or newline. Everything else: an empty 200.
      if (event.type === 'challenge') return new Response(String(event.answer), { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
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

    /** Every copy of a card sent by this app: decided → buttons greyed with the outcome; still open → the card replaced. */
    async update(messageId, card: Card): Promise<Result<void>> {
      const bar = messageId.indexOf('|');
      const taskId = bar > 0 ? messageId.slice(0, bar) : '';
      const responseCode = bar > 0 ? messageId.slice(bar + 1) : '';
      if (!taskId || !responseCode) return { ok: false, error: { retryable: false, message: 'this WeCom message is not an interactive card (no response_code to update it with)' } };
      const rendered = renderWeComCard(card, taskId);
      const actionable = rendered.msgtype === 'template_card' && rendered.template_card.card_type === 'button_interaction';
      return client.updateTemplateCard(responseCode, actionable ? { template_card: rendered.template_card } : { button: { replace_name: wecomReplaceName(card) } });
    },
  };
}
