import { type ActionAnswer, type ChatPlatform, type InboundEvent, type Outbound, type Result, type SendError } from '../platform';
import { wecomTaskId } from '../wecom/client';
import { challengeResponse, createWeComCallbacks } from '../wecom/callback';
import { encryptWeCom } from '../wecom/crypto';
import { decryptAibot } from './crypto';
import { wecomSignature } from '../wecom/verify';
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

  const callbacks = createWeComCallbacks({
    token: options.token,
    decrypt: (encrypt) => decryptAibot(options.encodingAesKey, encrypt),
    encryptOf: readAibotEnvelope,
    events: toAibotEvents,
  });

  /** The passive reply: the body encrypted, signed with our timestamp and the callback's nonce. */
  function passive(event: InboundEvent, body: unknown): Response {
    const nonce = callbacks.nonceOf(event);
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
    canPush: false,
    // A click's toast cannot be shown; it follows as a message through the click's response_url.
    toastsAsMessages: true,

    async parse(request) {
      return callbacks.parse(request);
    },

    respond(event: InboundEvent, answer?: ActionAnswer & { replies?: Outbound[] }) {
      if (event.type === 'challenge') return challengeResponse(event.answer);
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
