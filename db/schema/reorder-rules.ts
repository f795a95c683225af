import { pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { createdAt, orgId, qty } from './columns';
import { items } from './items';
import { warehouses } from './warehouses';

/** Safety stock (minimum) and reorder quantity per item and warehouse. */
export const reorderRules = pgTable('reorder_rules', {
  orgId: orgId(),
  itemId: uuid('item_id').notNull().references(() => items.id),
  warehouseId: uuid('warehouse_id').notNull().references(() => warehouses.id),
  minQty: qty('min_qty').notNull(),
  reorderQty: qty('reorder_qty'),
  updatedAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.orgId, t.itemId, t.warehouseId] })]);
