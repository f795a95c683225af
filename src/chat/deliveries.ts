import type { InboundEvent, ChatPlatform, Outbound, Target } from '../../bots/platform';
import type { Queryable } from '../../db/client';
import { deliveries } from '../../db/schema';
import { noteQueued } from '../outbox/queued';

type NewDelivery = typeof deliveries.$inferInsert;

/** What a chat answer carries in a delivery row: a text, or a card rendered when it is sent. */
const carried = (m: Outbound) => ({
  subject: 'text' in m ? 'text' : 'card',
  body: 'text' in m ? { text: m.text } : { card: m.card as unknown as Record<string, unknown> },
});

/** Replies to a message, sent through the outbox (or, for someone with no organisation yet, with none). */
export async function enqueueReplies(db: Queryable, orgId: string | null, platform: ChatPlatform,
  event: Extract<InboundEvent, { type: 'message' }>, replies: Outbound[], now: Date) {
  if (replies.length === 0) return;
  noteQueued();
  await db.insert(deliveries).values(replies.map((r, i): NewDelivery => ({
    orgId, dedupeKey: `reply:${platform.platform}:${platform.app}:${event.messageId}:${i}`, action: 'reply',
    platform: platform.platform, app: platform.app, targetKind: 'chat', targetId: event.chatId, messageId: event.messageId,
    ...carried(r), nextAttemptAt: now, createdAt: now,
  }))).onConflictDoNothing();
}

/**
 * One message to a chat or to one person, sent through the outbox; `key` makes it once per what
 * caused it. With `inReplyTo` it is a reply to that message (e.g. a WeCom AI bot's response_url).
 */
export async function enqueueSend(db: Queryable, orgId: string | null, platform: ChatPlatform, target: Target, key: string, message: Outbound, now: Date,
  inReplyTo?: string) {
  noteQueued();
  await db.insert(deliveries).values({
    orgId, dedupeKey: `send:${platform.platform}:${platform.app}:${key}`, action: inReplyTo ? 'reply' : 'send', platform: platform.platform, app: platform.app,
    targetKind: target.kind, targetId: target.id, ...(inReplyTo ? { messageId: inReplyTo } : {}),
    ...carried(message), nextAttemptAt: now, createdAt: now,
  }).onConflictDoNothing();
}
