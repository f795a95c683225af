import { z } from 'zod';
import { InboundRejected, type InboundEvent } from '../platform';

/** A push once decrypted: the URL challenge or a schema 2.0 envelope. Lark's payload types stay in this folder. */
export type LarkEnvelope =
  | { kind: 'challenge'; challenge: string; token: string | undefined }
  | { kind: 'event'; eventId: string; eventType: string; token: string | undefined; event: unknown };

const challengeShape = z.object({ type: z.literal('url_verification'), challenge: z.string(), token: z.string().optional() });
const envelopeShape = z.object({
  schema: z.literal('2.0'),
  header: z.object({ event_id: z.string().min(1), event_type: z.string().min(1), token: z.string().optional() }),
  event: z.unknown(),
});

const messageShape = z.object({
  sender: z.object({ sender_id: z.object({ open_id: z.string().min(1) }) }),
  message: z.object({
    message_id: z.string().min(1),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z.array(z.object({ key: z.string(), id: z.object({ open_id: z.string().optional() }).optional() })).nullish(),
  }),
});

const actionShape = z.object({
  operator: z.object({ open_id: z.string().min(1) }),
  token: z.string().optional(),
  action: z.object({ value: z.unknown(), form_value: z.record(z.string(), z.unknown()).nullish() }),
  context: z.object({ open_message_id: z.string().nullish(), open_chat_id: z.string().nullish() }).nullish(),
});

const botAddedShape = z.object({
  chat_id: z.string().min(1),
  name: z.string().nullish(),
  operator_id: z.object({ open_id: z.string().nullish() }).nullish(),
});

const textContent = z.object({ text: z.string() });
const postBody = z.object({ content: z.array(z.array(z.object({ tag: z.string(), text: z.string().optional() }))) });

function reject(what: string, error?: z.ZodError): never {
  throw new InboundRejected(400, error ? `${what}: ${z.prettifyError(error).replace(/\n/g, ' ')}` : what);
}

function shaped<T>(shape: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = shape.safeParse(value);
  return parsed.success ? parsed.data : reject(`malformed ${what}`, parsed.error);
}

/** The decrypted JSON as a challenge or an envelope; anything else is refused (400). */
export function readLarkEnvelope(json: unknown): LarkEnvelope {
  const challenge = challengeShape.safeParse(json);
  if (challenge.success) return { kind: 'challenge', challenge: challenge.data.challenge, token: challenge.data.token };
  const e = shaped(envelopeShape, json, 'Lark envelope (expected a url_verification or a schema 2.0 event)');
  return { kind: 'event', eventId: e.header.event_id, eventType: e.header.event_type, token: e.header.token, event: e.event };
}

/**
 * The neutral events an authenticated envelope means. `botOpenId` is asked only for group messages,
 * to tell whether the bot was @-mentioned; undefined (unknown) counts any user mention as one.
 */
export async function toInboundEvents(envelope: LarkEnvelope, botOpenId: () => Promise<string | undefined>): Promise<InboundEvent[]> {
  if (envelope.kind === 'challenge') return [{ type: 'challenge', answer: { challenge: envelope.challenge } }];
  switch (envelope.eventType) {
    case 'im.message.receive_v1': return [await messageEvent(shaped(messageShape, envelope.event, 'im.message.receive_v1'), botOpenId)];
    case 'card.action.trigger': return [actionEvent(envelope.eventId, shaped(actionShape, envelope.event, 'card.action.trigger'))];
    case 'im.chat.member.bot.added_v1': {
      const e = shaped(botAddedShape, envelope.event, 'im.chat.member.bot.added_v1');
      return [{ type: 'bot_added', dedupeKey: `evt:${envelope.eventId}`, chatId: e.chat_id, chatName: e.name ?? null, addedBy: e.operator_id?.open_id ?? null }];
    }
    default: return [{ type: 'ignored', reason: `event type ${envelope.eventType} is not handled` }];
  }
}

async function messageEvent({ sender, message }: z.infer<typeof messageShape>, botOpenId: () => Promise<string | undefined>): Promise<InboundEvent> {
  const mentions = message.mentions ?? [];
  if (message.chat_type !== 'p2p') {
    const bot = await botOpenId();
    // `@_all` is not a mention of the bot; without the bot's id, any user mention is taken as one (the default scope only delivers those).
    const mentioned = mentions.some((m) => m.key !== '@_all' && (bot === undefined ? true : m.id?.open_id === bot));
    if (!mentioned) return { type: 'ignored', reason: 'group message that does not mention the bot' };
  }
  const text = messageText(message.message_type, message.content);
  if (text === undefined) return { type: 'ignored', reason: `message type ${message.message_type} is not understood` };
  return {
    type: 'message',
    // Lark's docs: duplicates of a message can carry different event ids; the message id is the stable key.
    dedupeKey: `msg:${message.message_id}`,
    messageId: message.message_id,
    chatId: message.chat_id,
    chatType: message.chat_type === 'p2p' ? 'p2p' : 'group',
    senderId: sender.sender_id.open_id,
    text: text.replace(/@_user_\d+|@_all/g, ' ').replace(/\s+/g, ' ').trim(),
  };
}

/** The text a user typed: `text` as is, `post` (rich text, perhaps wrapped in a locale key) as its text runs. */
function messageText(type: string, content: string): string | undefined {
  if (type !== 'text' && type !== 'post') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    reject(`message content is not JSON`);
  }
  if (type === 'text') return shaped(textContent, json, 'text content').text;
  const direct = postBody.safeParse(json);
  const wrapped = json && typeof json === 'object' ? Object.values(json).map((v) => postBody.safeParse(v)).find((p) => p.success) : undefined;
  const post = direct.success ? direct.data : wrapped?.data ?? reject('malformed post content');
  return post.content.map((line) => line.filter((run) => ['text', 'a', 'md'].includes(run.tag)).map((run) => run.text ?? '').join('')).join('\n');
}

function actionEvent(eventId: string, e: z.infer<typeof actionShape>): InboundEvent {
  // Our buttons carry `{a: "<encoded action id>"}`; a click on anything else has nothing for us to do.
  const value = e.action.value;
  const actionId = value && typeof value === 'object' && 'a' in value && typeof value.a === 'string' ? value.a : undefined;
  if (!actionId) return { type: 'ignored', reason: 'card click without an action id' };
  const form = Object.fromEntries(Object.entries(e.action.form_value ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  return {
    type: 'action',
    dedupeKey: `evt:${eventId}`,
    actionId,
    form,
    senderId: e.operator.open_id,
    chatId: e.context?.open_chat_id ?? null,
    messageId: e.context?.open_message_id ?? null,
    ...(e.token ? { updateToken: e.token } : {}),
  };
}
