import { numeric, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgId } from './columns';

/** An organisation's own due times, overriding the defaults in src/approvals/service-levels.ts. */
export const serviceLevels = pgTable('service_levels', {
  orgId: orgId(),
  documentType: text('document_type').notNull(),
  status: text('status').notNull(),
  hours: numeric('hours', { precision: 8, scale: 2 }).notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.documentType, t.status] })]);
