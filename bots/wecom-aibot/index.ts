import { randomBytes } from 'node:crypto';
import { InboundRejected, type ActionAnswer, type ChatPlatform, type InboundEvent, type Outbound, type Result, type SendError } from '../platform';
import { wecomTaskId } from '../wecom/client';
import { encryptWeCom, WeComDecryptError } from '../wecom/crypto';
import { decryptAibot } from './crypto';
import { verifyWeComSignature, wecomSignature } from '../wecom/verify';
import { readAibotEnvelope, toAibotEvents } from './parse';
import { aibotBody, aibotUpdatedCard } from './render';
import { replyThroughResponseUrl } from './response-url';

export type WeComAibotPlatformOptions = {
  /** The bot's name in `/webhooks/wecom-aibot/:app`. */
  app: string;
  /** The callback Token and EncodingAESKey set for the bot in API mode. */
  token: string;
  encodingAesKey: string;
  now?: () => Date;
  fetch?: typeof fetch;
};

export type WeComAibotPlatform = ChatPlatform & { readonly platform: 'wecom-aibot' };

/** AI bot callbacks and passive replies carry an empty receiveid (reference §2). */
const RECEIVE_ID = '';
const NO_PUSH_ERROR: SendError = {
  retryable: false,
  code: 'aibot_webhook_mode',
  message: 'the WeCom AI bot in webhook mode can only answer inside the callback (passive reply); pushing or updating a card later needs the long-connection mode (WECOM_AIBOT_MODE=ws with the bot\'s BotID and Secret)',
};

/**
 * The WeCom AI bot (智能机器人) in webhook (API) mode: callbacks verified (msg_signature in constant
 * time) and decrypted with an empty receiveid; text in a single chat and @-mentions in groups become
 * neutral messages, card clicks actions. Every answer goes back in the HTTP response as an encrypted
 * passive reply (JSON): markdown for text, a template card for a card, update_template_card for a click.
 * Nothing can be pushed outside a callback in this mode.
 */
export function createWeComAibotPlatform(options: WeComAibotPlatformOptions): WeComAibotPlatform {
  const now = options.now ?? (() => new Date());

  function open(query: URLSearchParams, encrypt: string): string {
    const verdict = verifyWeComSignature({
      token: options.token, timestamp: query.get('timestamp'), nonce: query.get('nonce'), signature: query.get('msg_signature'), encrypt,
    });
    if (!verdict.ok) throw new InboundRejected(401, verdict.reason);
    try {
      return decryptAibot(options.encodingAesKey, encrypt);
    } catch (err) {
      if (err instanceof WeComDecryptError) throw new InboundRejected(400, `cannot decrypt the callback with the configured EncodingAESKey: ${err.message}`);
      throw err;
    }
  }

  // The callback's nonce must be echoed in the passive reply: kept per parsed request.
  const nonces = new WeakMap<InboundEvent, string>();

  /** The passive reply: the body encrypted, signed with our timestamp and the callback's nonce. */
  function passive(event: InboundEvent, body: unknown): Response {
    const nonce = nonces.get(event) ?? String(randomBytes(4).readUInt32BE());
    const timestamp = Math.floor(now().getTime() / 1000);
    const encrypt = encryptWeCom(options.encodingAesKey, JSON.stringify(body), RECEIVE_ID);
    return Response.json({ encrypt, msgsignature: wecomSignature(options.token, String(timestamp), nonce, encrypt), timestamp, nonce });
  }

  const refuse = <T>(): Promise<Result<T>> => Promise.resolve({ ok: false, error: NO_PUSH_ERROR });

  return {
    platform: 'wecom-aibot',
    app: options.app,
    // 30 messages a minute per conversation (reference §8).
    perChatPerSecond: 0.5,
    repliesInline: true,
    // A click's toast cannot be shown; it follows as a message through the click's response_url.
    toastsAsMessages: true,

    async parse({ method, url, rawBody }) {
      const query = new URL(url).searchParams;
      if (method === 'GET') {
        const echostr = query.get('echostr');
        if (!echostr) throw new InboundRejected(400, 'missing echostr');
        return [{ type: 'challenge', answer: open(query, echostr) }];
      }
      const events = toAibotEvents(open(query, readAibotEnvelope(rawBody)));
      const nonce = query.get('nonce');
      if (nonce) for (const e of events) nonces.set(e, nonce);
      return events;
    },

    respond(event: InboundEvent, answer?: ActionAnswer & { replies?: Outbound[] }) {
      if (event.type === 'challenge') return new Response(String(event.answer), { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
      if (event.type === 'message' && answer?.replies?.length) return passive(event, aibotBody(answer.replies, wecomTaskId(event.messageId)));
      if (event.type === 'action' && answer?.card && event.messageId) {
        // The same task_id, so WeCom replaces the clicked card for everyone in that message.
        return passive(event, { response_type: 'update_template_card', template_card: aibotUpdatedCard(answer.card, event.messageId) });
      }
      // No reply (a toast alone cannot be shown by an AI bot): an empty 200.
      return new Response('', { status: 200 });
    },

    send: () => refuse(),
    /** Only to a callback's response_url: one more message in that conversation, within the hour. */
    reply: (messageId, message) => replyThroughResponseUrl(options.fetch ?? fetch, messageId, message, NO_PUSH_ERROR),
    update: () => refuse<void>(),
  };
}
