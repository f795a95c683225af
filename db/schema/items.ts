import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, orgId, qty, textArray } from './columns';

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
  /** Replenishment: who it is bought from (drafts are grouped per supplier), how long it takes, the least one order takes. */
  supplier: text('supplier'),
  leadTimeDays: integer('lead_time_days'),
  minOrderQty: qty('min_order_qty'),
  createdAt: createdAt(),
  /**
   * Sku, name and aliases folded for trigram search (`search_form`, migration 0003). Generated, so
   * every writer — create, import, seed, a future edit — keeps it right without knowing of it.
   */
  searchText: text('search_text').notNull().generatedAlwaysAs(sql`item_search_text("sku", "name", "aliases")`),
  /**
   * Pinyin initials and full spellings of the name and aliases (`kkkl kekoukele kl kele`), searched by
   * trigram word similarity (`itemPinyin` in src/master/item-pinyin.ts, written with every item row:
   * create, import, the demo; an edit that changes the name or aliases must write it too). Null: not
   * computed yet (a row from before the column; filled at start-up).
   */
  pinyin: text('pinyin'),
}, (t) => [
  unique('items_org_sku_uq').on(t.orgId, t.sku),
  // A chat question that is an sku in any case is answered from this, before any fuzzy scoring.
  index('items_org_sku_lower_idx').on(t.orgId, sql`lower(${t.sku})`),
  // `kele <% pinyin` (word similarity over the threshold) is answered from this at 100k items.
  index('items_pinyin_trgm_idx').using('gin', t.pinyin.op('gin_trgm_ops')),
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
