import { renderLarkCard } from '../../cards/render-lark';
import type { Card } from '../../cards/model';
import { ConfigError } from '../../src/config';
import type { Logger } from '../../src/lib/logger';
import { InboundRejected, type ActionAnswer, type ChatPlatform, type InboundEvent, type Outbound, type Result } from '../platform';
import { createLarkClient, type LarkMessage } from './client';
import { decryptLark } from './crypto';
import { readLarkEnvelope, toInboundEvents } from './parse';
import { verifyLarkSignature, verifyLarkToken } from './verify';

export type LarkPlatformOptions = {
  /** The app's name in `/webhooks/lark/:app`. */
  app: string;
  appId: string;
  appSecret: string;
  /** With it, pushes are encrypted and signed; without it the Verification Token is the only proof. */
  encryptKey?: string;
  /** Undefined refuses every webhook push (long-connection mode needs none). */
  verificationToken: string | undefined;
  /** `feishu`, `lark` or a base URL. */
  domain: string;
  fetch?: typeof fetch;
  now?: () => Date;
  /** The bot's open_id when known; otherwise asked of Lark once, at the first group message. */
  botOpenId?: string;
  timeoutMs?: number;
  log?: Logger;
};

export type LarkPlatform = ChatPlatform & {
  readonly platform: 'lark';
  /** The delayed update of a clicked card with the click's token (30 minutes, two uses), after the click was answered. */
  updateByToken(token: string, card: Card): Promise<Result<void>>;
  /** The events of an envelope that needs no verification (the long connection delivers plaintext over an authenticated socket). */
  parseTrusted(json: unknown): Promise<InboundEvent[]>;
};

/** The API base for LARK_DOMAIN: a brand name or a full URL (a fake server's), never with a trailing slash (the SDK would send `//open-apis`). */
export function larkBaseUrl(domain: string): string {
  if (domain === 'feishu') return 'https://open.feishu.cn';
  if (domain === 'lark') return 'https://open.larksuite.com';
  const url = URL.canParse(domain) ? new URL(domain) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new ConfigError(`LARK_DOMAIN: must be feishu, lark or a base URL, not ${JSON.stringify(domain)}`);
  return url.toString().replace(/\/+$/, '');
}

/** A click's answer as Lark wants it inside 3 s: a toast and/or the whole new card; `{}` leaves the card as it is. */
export function larkActionBody(answer: ActionAnswer | undefined): Record<string, unknown> {
  return {
    ...(answer?.toast ? { toast: { type: answer.toast.kind, content: answer.toast.text } } : {}),
    ...(answer?.card ? { card: { type: 'raw', data: renderLarkCard(answer.card) } } : {}),
  };
}

function larkMessage(message: Outbound): LarkMessage {
  return 'card' in message
    ? { msgType: 'interactive', content: JSON.stringify(renderLarkCard(message.card)) }
    : { msgType: 'text', content: JSON.stringify({ text: message.text }) };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InboundRejected(400, `${what} is not JSON`);
  }
}

export function createLarkPlatform(options: LarkPlatformOptions): LarkPlatform {
  const now = options.now ?? (() => new Date());
  const client = createLarkClient({
    appId: options.appId,
    appSecret: options.appSecret,
    baseUrl: larkBaseUrl(options.domain),
    now: () => now().getTime(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });

  let botId: Promise<string | undefined> | undefined = options.botOpenId ? Promise.resolve(options.botOpenId) : undefined;
  const botOpenId = () => {
    botId ??= client.botInfo().then((r) => {
      if (r.ok) return r.value.openId;
      botId = undefined; // asked again at the next group message
      options.log?.warn('lark: cannot learn the bot open_id; any mention in a group counts as one', { app: options.app, error: r.error.message });
      return undefined;
    });
    return botId;
  };

  /** Verify (signature and window when an Encrypt Key is set), decrypt, and read the envelope. */
  function authenticate(headers: Headers, rawBody: string) {
    const encryptKey = options.encryptKey;
    const signature = { timestamp: headers.get('x-lark-request-timestamp'), nonce: headers.get('x-lark-request-nonce'), signature: headers.get('x-lark-signature') };
    // Lark may send the URL challenge unsigned (its docs exempt it); every other push must be signed.
    const signed = signature.signature !== null;
    if (encryptKey && signed) {
      const verdict = verifyLarkSignature({ headers: signature, rawBody, encryptKey, now: now() });
      if (!verdict.ok) throw new InboundRejected(401, verdict.reason);
    }
    const outer = parseJson(rawBody, 'the body');
    const encrypted = outer && typeof outer === 'object' && 'encrypt' in outer ? outer.encrypt : undefined;
    if (!encryptKey) {
      if (encrypted !== undefined) throw new InboundRejected(400, 'an encrypted push, but no Encrypt Key is configured for this app');
      return readLarkEnvelope(outer);
    }
    if (typeof encrypted !== 'string') throw new InboundRejected(401, 'an Encrypt Key is configured, but the push is not encrypted');
    let plaintext: string;
    try {
      plaintext = decryptLark(encryptKey, encrypted);
    } catch {
      throw new InboundRejected(400, 'cannot decrypt the push with the configured Encrypt Key');
    }
    const envelope = readLarkEnvelope(parseJson(plaintext, 'the decrypted body'));
    if (!signed && envelope.kind !== 'challenge') throw new InboundRejected(401, 'missing X-Lark-Signature');
    return envelope;
  }

  return {
    platform: 'lark',
    app: options.app,
    perChatPerSecond: 5,
    repliesInline: false,

    async parse({ headers, rawBody }) {
      const envelope = authenticate(headers, rawBody);
      if (options.verificationToken === undefined) throw new InboundRejected(401, 'no Verification Token is configured for this app');
      const token = verifyLarkToken(envelope.token, options.verificationToken);
      if (!token.ok) throw new InboundRejected(401, token.reason);
      return toInboundEvents(envelope, botOpenId);
    },

    parseTrusted: (json) => toInboundEvents(readLarkEnvelope(json), botOpenId),

    respond(event, answer) {
      if (event.type === 'challenge') return Response.json(event.answer);
      return Response.json(event.type === 'action' ? larkActionBody(answer) : {});
    },

    send: (target, message, key) => client.send({ idType: target.kind === 'chat' ? 'chat_id' : 'open_id', id: target.id }, larkMessage(message), key),
    reply: (messageId, message, key) => client.reply(messageId, larkMessage(message), key),
    update: (messageId, card) => client.patchCard(messageId, renderLarkCard(card)),
    updateByToken: (token, card) => client.updateCardByToken(token, renderLarkCard(card)),
  };
}
