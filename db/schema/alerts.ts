import { sql } from 'drizzle-orm';
import { index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, orgId } from './columns';
import { items } from './items';
import { warehouses } from './warehouses';

export const alertStatuses = ['open', 'acknowledged', 'snoozed', 'resolved'] as const;

/**
 * An alert someone must see, e.g. an item below its safety stock in a warehouse. At most one is
 * unresolved per item and warehouse (a partial unique index), so a crossing while one is open adds
 * nothing: no repeated spam until it recovers.
 */
export const alerts = pgTable('alerts', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: orgId(),
  kind: text('kind', { enum: ['low_stock'] }).notNull(),
  itemId: uuid('item_id').notNull().references(() => items.id),
  warehouseId: uuid('warehouse_id').notNull().references(() => warehouses.id),
  status: text('status', { enum: alertStatuses }).notNull().default('open'),
  openedAt: createdAt(),
  acknowledgedByUserId: uuid('acknowledged_by_user_id'),
  acknowledgedAt: at('acknowledged_at'),
  snoozedUntil: at('snoozed_until'),
  resolvedAt: at('resolved_at'),
  lastNotifiedAt: at('last_notified_at'),
}, (t) => [
  uniqueIndex('alerts_one_unresolved_uq').on(t.orgId, t.kind, t.itemId, t.warehouseId).where(sql`${t.status} <> 'resolved'`),
  index('alerts_org_status_idx').on(t.orgId, t.status),
]);
