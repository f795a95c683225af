import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/**
 * Secrets the service makes for itself, one row per purpose, created once (insert … on conflict do
 * nothing) and never changed: `document_links` signs the document-page links put in cards when
 * LINK_SECRET is not set. Service-wide, not per organisation (the signed text names the organisation).
 */
export const serviceSecrets = pgTable('service_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});
