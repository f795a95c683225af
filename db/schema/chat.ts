import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, orgId } from './columns';
import { organizations } from './organizations';
import { outbox } from './outbox';
import { users } from './users';

export const inboundStatuses = ['pending', 'handled', 'dead'] as const;

/**
 * Every inbound event a platform delivered, keyed the platform's way (a Lark message by its
 * message_id, a click by its event id), so a retried delivery has no second effect. Not scoped by
 * organisation: the key is recorded before the sender is known.
 *
 * A message on a platform that answers through the outbox (Lark, the WeCom app) is acknowledged as
 * soon as it is recorded here `pending`, with what handling it needs (`event`), and handled just
 * after by the inbound drain (src/chat/inbound-queue.ts); clicks and inline platforms are handled in
 * the request and recorded `handled`.
 */
export const inboundEvents = pgTable('inbound_events', {
  platform: text('platform').notNull(),
  app: text('app').notNull(),
  eventKey: text('event_key').notNull(),
  kind: text('kind').notNull(),
  receivedAt: createdAt(),
  /** Receive order: one chat's events are handled in it. */
  seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  status: text('status', { enum: inboundStatuses }).notNull().default('handled'),
  /** A pending (or dead) event's platform-neutral event and the organisation asked for, as the drain hands them to the handler; cleared once handled. */
  event: jsonb('event').$type<Record<string, unknown>>(),
  /** The chat a pending event came from: one chat's events are handled one at a time, in order. */
  chatId: text('chat_id'),
  /** Failed handlings so far; the next is not before `next_attempt_at`. */
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: at('next_attempt_at'),
  lastError: text('last_error'),
  handledAt: at('handled_at'),
}, (t) => [
  primaryKey({ columns: [t.platform, t.app, t.eventKey] }),
  // What is left to handle is few rows among every event ever received: partial indexes stay that small.
  index('inbound_events_pending_idx').on(t.seq).where(sql`${t.status} = 'pending'`),
  index('inbound_events_pending_chat_idx').on(t.platform, t.app, t.chatId, t.seq).where(sql`${t.status} = 'pending'`),
]);

/** A one-time code an admin gives a person, who types `绑定 123456` to the bot to link their chat identity. */
export const bindCodes = pgTable('bind_codes', {
  orgId: orgId(),
  code: text('code').notNull(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  expiresAt: at('expires_at').notNull(),
  usedAt: at('used_at'),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('bind_codes_code_uq').on(t.code)]);

export const deliveryActions = ['send', 'reply', 'update'] as const;

/**
 * One message to one target on one platform, fanned out from an outbox event (or a chat reply).
 * Sent, retried with backoff and dead-lettered here; the card is rendered from current state at
 * send time, so a late retry never shows stale buttons.
 */
export const deliveries = pgTable('deliveries', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  /** Null only for the answer to someone not bound to any organisation yet ("who are you?"). */
  orgId: uuid('org_id').references(() => organizations.id),
  outboxId: bigint('outbox_id', { mode: 'number' }).references(() => outbox.id),
  /** Unique per organisation: one event reaches one target once. */
  dedupeKey: text('dedupe_key').notNull(),
  action: text('action', { enum: deliveryActions }).notNull(),
  platform: text('platform').notNull(),
  app: text('app').notNull().default('default'),
  /** `chat` (a group or 1:1 chat id) or `user` (a platform user id); for updates, the message id's chat. */
  targetKind: text('target_kind', { enum: ['chat', 'user'] }).notNull(),
  targetId: text('target_id').notNull(),
  /**
   * What to show: `text` or `card` (carried in `body`), or a subject such as `approval:<documentId>`
   * whose card is rendered from the current state when sent.
   */
  subject: text('subject').notNull(),
  body: jsonb('body').$type<Record<string, unknown>>().notNull().default({}),
  /** reply: the message answered; update: the message changed. */
  messageId: text('message_id'),
  status: text('status', { enum: ['pending', 'sent', 'dead'] }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
  lastError: text('last_error'),
  sentMessageId: text('sent_message_id'),
  createdAt: createdAt(),
  sentAt: at('sent_at'),
}, (t) => [
  uniqueIndex('deliveries_org_dedupe_uq').on(t.orgId, t.dedupeKey),
  index('deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  // What one target was sent lately, for platforms with a per-minute budget per target.
  index('deliveries_target_idx').on(t.platform, t.app, t.targetId, t.sentAt),
]);

/** The messages carrying a card about one subject, so a later change updates every copy. */
export const chatMessages = pgTable('chat_messages', {
  orgId: orgId(),
  subject: text('subject').notNull(),
  platform: text('platform').notNull(),
  app: text('app').notNull(),
  messageId: text('message_id').notNull(),
  targetId: text('target_id').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.platform, t.app, t.messageId] }),
  index('chat_messages_subject_idx').on(t.orgId, t.subject),
]);

/** The built-in chat platform's messages: what the sandbox page and tests read. */
export const sandboxMessages = pgTable('sandbox_messages', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Sandbox chats are per organisation: the API key that talks to them says which. */
  orgId: orgId(),
  seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  chatId: text('chat_id').notNull(),
  /** The sandbox user id of the sender, or null for the bot. */
  senderId: text('sender_id'),
  text: text('text'),
  card: jsonb('card').$type<Record<string, unknown>>(),
  replyTo: uuid('reply_to'),
  /**
   * The delivery's idempotency key for a bot message the outbox sent, as a real platform keeps it:
   * a delivery retried after its process died between sending and recording is shown once.
   */
  deliveryKey: text('delivery_key'),
  createdAt: createdAt(),
  updatedAt: at('updated_at'),
}, (t) => [
  index('sandbox_messages_chat_idx').on(t.orgId, t.chatId, t.seq),
  uniqueIndex('sandbox_messages_delivery_uq').on(t.orgId, t.deliveryKey).where(sql`${t.deliveryKey} is not null`),
]);

/**
 * Something the bot proposed in a chat and waits on: a return report to confirm (`return`), a work
 * report to confirm (`work_report`), or a list of items to pick from (`pick`). A tap names it by id; the row says what it was and whose.
 */
export const chatDrafts = pgTable('chat_drafts', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: orgId(),
  userId: uuid('user_id').notNull().references(() => users.id),
  // requisition: 要货 typed in chat; receipt: a short receipt typed in chat; document: a transfer, wastage or count typed in chat.
  kind: text('kind', { enum: ['return', 'pick', 'work_report', 'requisition', 'receipt', 'document'] }).notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  status: text('status', { enum: ['open', 'confirmed', 'cancelled'] }).notNull().default('open'),
  /** The customer return a confirmed draft became (a work report: the production order). */
  documentId: uuid('document_id'),
  createdAt: createdAt(),
  decidedAt: at('decided_at'),
}, (t) => [index('chat_drafts_org_idx').on(t.orgId, t.createdAt)]);
