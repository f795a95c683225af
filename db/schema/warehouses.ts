import { pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, orgId } from './columns';

export const warehouses = pgTable('warehouses', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: orgId(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  /** central, store, cold, transit… free text so approval rules can match on it. */
  type: text('type').notNull(),
  createdAt: createdAt(),
}, (t) => [unique('warehouses_org_code_uq').on(t.orgId, t.code)]);

export type Warehouse = typeof warehouses.$inferSelect;
