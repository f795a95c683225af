import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, orgId, textArray } from './columns';
import { users } from './users';

export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: orgId(),
  name: text('name').notNull(),
  /** SHA-256 of the key: keys are long random strings, so a fast hash is enough and lookups stay O(1). */
  keyHash: text('key_hash').notNull().unique(),
  /** The first characters, to tell keys apart in lists without revealing them. */
  prefix: text('prefix').notNull(),
  scopes: textArray('scopes').notNull(),
  /** When set, the key acts as this user: their roles and their name in the audit trail. */
  userId: uuid('user_id').references(() => users.id),
  createdAt: createdAt(),
  revokedAt: at('revoked_at'),
});

export type ApiKey = typeof apiKeys.$inferSelect;
