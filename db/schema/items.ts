import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, orgId, textArray } from './columns';

export type PackUnit = { name: string; factor: string };

export const items = pgTable('items', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: orgId(),
  sku: text('sku').notNull(),
  name: text('name').notNull(),
  /** Base unit: every quantity in the ledger is in it. */
  unit: text('unit').notNull(),
  category: text('category'),
  aliases: textArray('aliases').notNull().default([]),
  packUnits: jsonb('pack_units').$type<PackUnit[]>().notNull().default([]),
  valuationMethod: text('valuation_method', { enum: ['moving_average', 'fifo'] }).notNull(),
  lotTracked: boolean('lot_tracked').notNull().default(false),
  shelfLifeDays: integer('shelf_life_days'),
  createdAt: createdAt(),
  /**
   * Sku, name and aliases folded for trigram search (`search_form`, migration 0003). Generated, so
   * every writer — create, import, seed, a future edit — keeps it right without knowing of it.
   */
  searchText: text('search_text').notNull().generatedAlwaysAs(sql`item_search_text("sku", "name", "aliases")`),
}, (t) => [
  unique('items_org_sku_uq').on(t.orgId, t.sku),
  // A chat question that is an sku in any case is answered from this, before any fuzzy scoring.
  index('items_org_sku_lower_idx').on(t.orgId, sql`lower(${t.sku})`),
]);

/** Several barcodes per item; a barcode names one item in its organisation. */
export const itemBarcodes = pgTable('item_barcodes', {
  orgId: orgId(),
  barcode: text('barcode').notNull(),
  itemId: uuid('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.orgId, t.barcode] })]);

/** A lot (batch) of an item and its expiry. Created by the first inbound movement that names it. */
export const lots = pgTable('lots', {
  orgId: orgId(),
  itemId: uuid('item_id').notNull().references(() => items.id),
  code: text('code').notNull(),
  expiresOn: date('expires_on', { mode: 'string' }),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.orgId, t.itemId, t.code] })]);

export type Item = typeof items.$inferSelect;
