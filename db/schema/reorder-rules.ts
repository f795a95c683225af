import { integer, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
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
  /** Replenishment: kept on hand above the forecast; null = minQty. */
  safetyStock: qty('safety_stock'),
  /** Null = the item's lead time, else 0. */
  leadTimeDays: integer('lead_time_days'),
  /** Days of demand an order should cover beyond the lead time; null = 7. */
  coverDays: integer('cover_days'),
  /** The warehouse that supplies this one (a store's central kitchen); null = bought from the item's supplier. */
  sourceWarehouseId: uuid('source_warehouse_id').references(() => warehouses.id),
  updatedAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.orgId, t.itemId, t.warehouseId] })]);
