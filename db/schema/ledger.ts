import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, money, orgId, qty, unitCost } from './columns';
import { documents } from './documents';
import { items } from './items';
import { warehouses } from './warehouses';

/** `stock` is on the shelf; `transit` is shipped to this warehouse and not yet received. */
export const buckets = ['stock', 'transit'] as const;
export type Bucket = (typeof buckets)[number];

/**
 * Append-only: one row per movement of one lot of one item in one warehouse bucket,
 * with the item-and-warehouse balance of that bucket after it.
 */
export const ledgerEntries = pgTable('ledger_entries', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  orgId: orgId(),
  documentId: uuid('document_id').notNull().references(() => documents.id),
  lineNo: integer('line_no').notNull(),
  itemId: uuid('item_id').notNull().references(() => items.id),
  warehouseId: uuid('warehouse_id').notNull().references(() => warehouses.id),
  lot: text('lot').notNull().default(''),
  bucket: text('bucket', { enum: buckets }).notNull().default('stock'),
  qty: qty('qty').notNull(),
  value: money('value').notNull(),
  unitCost: unitCost('unit_cost').notNull(),
  balanceQty: qty('balance_qty').notNull(),
  balanceValue: money('balance_value').notNull(),
  postedAt: at('posted_at').notNull(),
}, (t) => [
  index('ledger_item_wh_idx').on(t.orgId, t.itemId, t.warehouseId, t.id),
  index('ledger_document_idx').on(t.orgId, t.documentId),
  // Chat's ledger questions over a period (`今天卖了多少`, `上周进了多少货`): the rows of those days only.
  index('ledger_org_posted_idx').on(t.orgId, t.postedAt),
]);

/** The valuation of an item in a warehouse: quantity and value on hand and in transit to it. */
export const valuations = pgTable('valuations', {
  orgId: orgId(),
  itemId: uuid('item_id').notNull().references(() => items.id),
  warehouseId: uuid('warehouse_id').notNull().references(() => warehouses.id),
  qty: qty('qty').notNull().default('0'),
  value: money('value').notNull().default('0'),
  transitQty: qty('transit_qty').notNull().default('0'),
  transitValue: money('transit_value').notNull().default('0'),
  /** The unit cost of the last movement, shown when nothing is left. */
  lastUnitCost: unitCost('last_unit_cost'),
  /**
   * The reorder rule's minimum for this item and warehouse, kept here by a trigger on reorder_rules
   * (migration 0023; null: no rule), so the low-stock scan reads one table instead of joining two
   * of a million rows each. A rule's first write makes the row (0 on hand) if stock never moved here.
   */
  minQty: qty('min_qty'),
  /** The rule's reorder quantity, kept beside its minimum by the same trigger (migration 0025): the scan's and a posting's alerts carry it. */
  reorderQty: qty('reorder_qty'),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.itemId, t.warehouseId] }),
  // What is in transit to a warehouse (stock lists, order figures): few rows among a million balances.
  index('valuations_in_transit_idx').on(t.orgId, t.warehouseId, t.itemId).where(sql`${t.transitQty} <> 0`),
  check('valuations_qty_nonneg', sql`${t.qty} >= 0 and ${t.transitQty} >= 0`),
]);

/** Quantity per lot ('' for items without lots). Value lives on `valuations`. */
export const stockBalances = pgTable('stock_balances', {
  orgId: orgId(),
  itemId: uuid('item_id').notNull().references(() => items.id),
  warehouseId: uuid('warehouse_id').notNull().references(() => warehouses.id),
  lot: text('lot').notNull().default(''),
  qty: qty('qty').notNull().default('0'),
  transitQty: qty('transit_qty').notNull().default('0'),
  /**
   * The item's sku (skus never change), so a warehouse's stock is listed in sku order from an index
   * of its own instead of walking every item. Filled by a trigger when a writer leaves it out.
   */
  sku: text('sku'),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.itemId, t.warehouseId, t.lot] }),
  // GET /stock?warehouse=: one warehouse's balances in (sku, lot) order. Not partial on qty, so
  // postings' updates of qty stay HOT (no index entry written).
  index('stock_balances_warehouse_sku_idx').on(t.orgId, t.warehouseId, t.sku, t.lot),
  check('stock_balances_qty_nonneg', sql`${t.qty} >= 0 and ${t.transitQty} >= 0`),
]);

/** FIFO cost layers: what remains of each inbound movement, consumed oldest first. */
export const costLayers = pgTable('cost_layers', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  orgId: orgId(),
  itemId: uuid('item_id').notNull().references(() => items.id),
  warehouseId: uuid('warehouse_id').notNull().references(() => warehouses.id),
  documentId: uuid('document_id').notNull().references(() => documents.id),
  lineNo: integer('line_no').notNull(),
  /** FIFO order; a transfer keeps the source layer's date so age survives the move. */
  receivedAt: at('received_at').notNull(),
  qtyIn: qty('qty_in').notNull(),
  qtyRemaining: qty('qty_remaining').notNull(),
  unitCost: unitCost('unit_cost').notNull(),
  valueRemaining: money('value_remaining').notNull(),
}, (t) => [
  index('cost_layers_open_idx').on(t.orgId, t.itemId, t.warehouseId, t.receivedAt, t.id)
    .where(sql`${t.qtyRemaining} > 0`),
  check('cost_layers_qty_nonneg', sql`${t.qtyRemaining} >= 0 and ${t.valueRemaining} >= 0`),
]);
