import { date, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { createdAt, orgId, qty } from './columns';
import { items } from './items';
import { warehouses } from './warehouses';

/**
 * Past daily sales imported at go-live (`kind=demand`), per item, warehouse and local day. History
 * only: it never touches stock. Demand after go-live comes from the ledger; the forecast adds both.
 */
export const demandHistory = pgTable('demand_history', {
  orgId: orgId(),
  itemId: uuid('item_id').notNull().references(() => items.id),
  warehouseId: uuid('warehouse_id').notNull().references(() => warehouses.id),
  day: date('day', { mode: 'string' }).notNull(),
  qty: qty('qty').notNull(),
  importedAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.orgId, t.itemId, t.warehouseId, t.day] })]);
