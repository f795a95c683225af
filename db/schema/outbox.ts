import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, createdAt, orgId } from './columns';

export const outboxKinds = [
  'approval_requested', 'approval_decided', 'document_overdue', 'low_stock', 'return_submitted', 'alert_changed',
  'near_expiry', 'daily_digest',
  'overdue', 'approval_reminder', 'approval_escalated', 'document_waiting',
  // Production and costing: a completion for the output warehouse's group; a closed month for the digest groups.
  'production_completed', 'period_closed',
  // Orders: a sales order or requisition waiting for the warehouse that must fill it.
  'order_opened', 'order_changed',
  // Replenishment: a store's weekly 要货建议 for its group.
  'weekly_requisition',
  // A shipped transfer for its destination to receive; a document done (posted, received) for whoever asked for it.
  'transfer_shipped', 'document_done',
] as const;
export type OutboxKind = (typeof outboxKinds)[number];

/**
 * Transactional outbox: written in the same transaction as the change someone must hear about;
 * the delivery job sends it, so a crash between the two loses nothing.
 */
export const outbox = pgTable('outbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  orgId: orgId(),
  kind: text('kind', { enum: outboxKinds }).notNull(),
  /** The same event written twice (a retried job, a replayed click) is stored once. */
  dedupeKey: text('dedupe_key').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  status: text('status', { enum: ['pending', 'sent', 'dead'] }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
  lastError: text('last_error'),
  createdAt: createdAt(),
  sentAt: at('sent_at'),
}, (t) => [
  uniqueIndex('outbox_org_dedupe_uq').on(t.orgId, t.dedupeKey),
  index('outbox_pending_idx').on(t.status, t.nextAttemptAt),
]);
