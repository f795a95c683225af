import { z } from 'zod';
import { InboundRejected, type InboundEvent } from '../platform';

/**
 * The WeCom AI bot's (智能机器人) webhook JSON: the POST envelope `{"encrypt":"…"}` and, decrypted, the
 * message or event (reference/wecom.md §6.3, §7). AI bot payload types stay in this folder.
 */
function readJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InboundRejected(400, `${what} is not JSON`);
  }
}

function shaped<T>(shape: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = shape.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InboundRejected(400, `malformed ${what}: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
}

const envelopeShape = z.object({ encrypt: z.string().trim().min(1) });

/** The `encrypt` of a POST body. */
export function readAibotEnvelope(rawBody: string): string {
  return shaped(envelopeShape, readJson(rawBody, 'the body'), 'WeCom AI bot envelope (expected {"encrypt":"…"})').encrypt;
}

const id = z.union([z.string(), z.number()]).transform((v) => String(v).trim()).pipe(z.string().min(1));
const baseShape = z.object({
  msgid: id,
  msgtype: z.string(),
  chattype: z.string().optional(),
  chatid: z.string().optional(),
  from: z.object({ userid: z.string().trim().min(1) }),
});
const textShape = baseShape.extend({ text: z.object({ content: z.string() }) });
const cardEventShape = baseShape.extend({
  response_url: z.string().url().optional(),
  event: z.object({
    eventtype: z.literal('template_card_event'),
    template_card_event: z.object({ event_key: z.string().trim().min(1), task_id: z.string().trim().min(1) }),
  }),
});

/** UserIDs are case-insensitive: kept lower-cased (reference §1). */
const userId = (s: string) => s.toLowerCase();

/**
 * In a group the bot hears only messages that @mention it, and the content keeps the mention
 * (`@RobotA 库存 可乐`): the leading mention is dropped. The bot's display name is not in the callback,
 * so the first leading `@name` is taken to be it.
 */
export function stripMention(content: string): string {
  return content.trim().replace(/^@\S+\s*/u, '').trim();
}

/** Where an answer goes: the group, or the person in a single chat. */
function place(m: z.infer<typeof baseShape>): { chatId: string; chatType: 'group' | 'p2p' } {
  const from = userId(m.from.userid);
  return m.chattype === 'group' && m.chatid ? { chatId: m.chatid, chatType: 'group' } : { chatId: from, chatType: 'p2p' };
}

/** The neutral events a decrypted webhook callback means. */
export function toAibotEvents(plaintext: string): InboundEvent[] {
  return aibotEvents(readJson(plaintext, 'the decrypted body'));
}

/**
 * The neutral events an AI bot callback body means (a decrypted webhook body, or a long-connection
 * frame's body: the same JSON): text (1:1, or an @-mention in a group) and card clicks; the rest is ignored.
 */
export function aibotEvents(json: unknown): InboundEvent[] {
  const base = shaped(baseShape, json, 'WeCom AI bot callback');
  const from = userId(base.from.userid);
  if (base.msgtype === 'text') {
    const m = shaped(textShape, json, 'text message');
    const { chatId, chatType } = place(m);
    return [{
      type: 'message',
      dedupeKey: `msg:${m.msgid}`,
      messageId: m.msgid,
      chatId,
      chatType,
      senderId: from,
      text: chatType === 'group' ? stripMention(m.text.content) : m.text.content.trim(),
    }];
  }
  if (base.msgtype === 'event') {
    const eventType = (json as { event?: { eventtype?: unknown } }).event?.eventtype;
    if (eventType !== 'template_card_event') return [{ type: 'ignored', reason: `event ${typeof eventType === 'string' ? eventType : '(none)'} is not handled` }];
    const e = shaped(cardEventShape, json, 'template_card_event');
    const click = e.event.template_card_event;
    return [{
      type: 'action',
      // Sent once (no retry), but callbacks may repeat: the msgid is the key (reference §6.3).
      dedupeKey: `msg:${e.msgid}`,
      actionId: click.event_key,
      form: {},
      senderId: from,
      chatId: place(e).chatId,
      messageId: click.task_id,
      ...(e.response_url ? { replyUrl: e.response_url } : {}),
    }];
  }
  return [{ type: 'ignored', reason: `message type ${base.msgtype} is not understood` }];
}
