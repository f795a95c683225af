import { randomBytes, randomUUID } from 'node:crypto';
import { encryptLark } from '../../bots/lark/crypto';
import { larkSignature } from '../../bots/lark/verify';

/** Pushes as Lark builds them (schema 2.0 envelopes), for webhook and parser tests. */

export function larkEnvelope<E>(eventType: string, event: E, eventId: string = `ev_${randomUUID()}`) {
  return {
    schema: '2.0',
    header: { event_id: eventId, event_type: eventType, create_time: String(Date.now()), app_id: 'cli_a1b2c3d4e5f60718', tenant_key: 'tk_test' },
    event,
  };
}

export const larkChallenge = (challenge: string) => ({ challenge, type: 'url_verification' });

export type MentionSpec = { key: string; openId: string; name?: string };

/** A user's message; `text` is put in a `text` content, or give `messageType` and `content` (an object, JSON-encoded here). */
export function larkMessageEvent(m: {
  chatId: string; senderOpenId: string; chatType?: 'p2p' | 'group'; text?: string; messageType?: string; content?: unknown;
  mentions?: MentionSpec[]; messageId?: string; eventId?: string;
}) {
  return larkEnvelope('im.message.receive_v1', {
    sender: { sender_id: { open_id: m.senderOpenId, union_id: 'on_x', user_id: null }, sender_type: 'user', tenant_key: 'tk_test' },
    message: {
      message_id: m.messageId ?? `om_${randomBytes(8).toString('hex')}`,
      chat_id: m.chatId,
      chat_type: m.chatType ?? 'p2p',
      message_type: m.messageType ?? 'text',
      content: JSON.stringify(m.content ?? { text: m.text ?? '' }),
      create_time: String(Date.now()),
      mentions: (m.mentions ?? []).map((x) => ({ key: x.key, id: { open_id: x.openId, union_id: 'on_x', user_id: null }, name: x.name ?? 'bot', tenant_key: 'tk_test' })),
    },
  }, m.eventId);
}

/** A click on a button whose callback value is `{a: actionId}` (or `value` as given). */
export function larkCardAction(c: {
  operatorOpenId: string; actionId?: string; value?: unknown; formValue?: Record<string, unknown>;
  chatId?: string; messageId?: string; updateToken?: string; eventId?: string;
}) {
  return larkEnvelope('card.action.trigger', {
    operator: { open_id: c.operatorOpenId, union_id: 'on_x', tenant_key: 'tk_test' },
    token: c.updateToken ?? `c-${randomBytes(8).toString('hex')}`,
    action: { tag: 'button', value: c.value ?? { a: c.actionId }, ...(c.formValue ? { form_value: c.formValue } : {}) },
    host: 'im_message',
    context: { open_message_id: c.messageId ?? 'om_card', open_chat_id: c.chatId ?? 'oc_chat' },
  }, c.eventId);
}

export function larkBotAdded(b: { chatId: string; name?: string; operatorOpenId?: string; eventId?: string }) {
  return larkEnvelope('im.chat.member.bot.added_v1', {
    chat_id: b.chatId, name: b.name ?? '仓库群', external: false, operator_tenant_key: 'tk_test',
    operator_id: { open_id: b.operatorOpenId ?? 'ou_admin', union_id: 'on_x', user_id: null },
  }, b.eventId);
}

/**
 * A push as Lark sends it: the Verification Token put in (unless the body has one), then with an
 * Encrypt Key the body encrypted and signed over the raw bytes with a Unix-seconds timestamp.
 */
export function larkRequest(r: {
  body: Record<string, any>; verificationToken?: string; encryptKey?: string;
  timestamp?: string; nonce?: string; signed?: boolean;
}): { headers: Record<string, string>; rawBody: string } {
  const body = structuredClone(r.body);
  if (r.verificationToken !== undefined) {
    if (body.schema === '2.0') body.header = { token: r.verificationToken, ...body.header };
    else body.token ??= r.verificationToken;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!r.encryptKey) return { headers, rawBody: JSON.stringify(body) };
  const rawBody = JSON.stringify({ encrypt: encryptLark(r.encryptKey, JSON.stringify(body)) });
  if (r.signed === false) return { headers, rawBody };
  const timestamp = r.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = r.nonce ?? randomBytes(8).toString('hex');
  return {
    headers: { ...headers, 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': larkSignature(timestamp, nonce, r.encryptKey, rawBody) },
    rawBody,
  };
}
