import { bigint, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, orgId } from './columns';
import { channels } from './documents';

/** Who changed what, from where: every status change and master-data write. */
export const auditLog = pgTable('audit_log', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  orgId: orgId(),
  entity: text('entity').notNull(),
  entityId: text('entity_id').notNull(),
  action: text('action').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status'),
  channel: text('channel', { enum: channels }).notNull(),
  userId: uuid('user_id'),
  /** API key id, chat identity or job name: whoever acted when there is no user. */
  actorRef: text('actor_ref'),
  comment: text('comment'),
  at: createdAt(),
}, (t) => [index('audit_entity_idx').on(t.orgId, t.entity, t.entityId)]);
