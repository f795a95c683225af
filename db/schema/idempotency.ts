import { integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, orgId } from './columns';

/** The first answer to a create call, replayed for the same Idempotency-Key (or external reference). */
export const idempotencyKeys = pgTable('idempotency_keys', {
  orgId: orgId(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  statusCode: integer('status_code'),
  response: jsonb('response'),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.orgId, t.key] })]);
