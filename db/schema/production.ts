import { sql } from 'drizzle-orm';
import { boolean, index, integer, numeric, pgTable, primaryKey, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, orgId, qty } from './columns';
import { items } from './items';

/** Money per hour of a work centre's labour or machine time. */
const rate = (name: string) => numeric(name, { precision: 18, scale: 4 });

/** A place where work is done (a line, a station, a kitchen section), with its hourly rates. */
export const workCenters = pgTable('work_centers', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: orgId(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  laborRate: rate('labor_rate').notNull(),
  machineRate: rate('machine_rate').notNull(),
  createdAt: createdAt(),
}, (t) => [unique('work_centers_org_code_uq').on(t.orgId, t.code)]);

/**
 * A version of an item's bill of materials (a recipe for a kitchen). Versions are never edited: a new
 * one is added and becomes the active one; at most one version per item is active.
 */
export const boms = pgTable('boms', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: orgId(),
  itemId: uuid('item_id').notNull().references(() => items.id),
  version: integer('version').notNull(),
  active: boolean('active').notNull().default(true),
  /** The lines' quantities make this many units of the item. */
  outputQty: qty('output_qty').notNull(),
  createdByUserId: uuid('created_by_user_id'),
  createdAt: createdAt(),
}, (t) => [
  unique('boms_org_item_version_uq').on(t.orgId, t.itemId, t.version),
  uniqueIndex('boms_one_active_uq').on(t.orgId, t.itemId).where(sql`${t.active}`),
]);

/** A component of a BOM version: its quantity per `outputQty` units of output, raised by `scrapPct` percent. */
export const bomLines = pgTable('bom_lines', {
  orgId: orgId(),
  bomId: uuid('bom_id').notNull().references(() => boms.id, { onDelete: 'cascade' }),
  lineNo: integer('line_no').notNull(),
  itemId: uuid('item_id').notNull().references(() => items.id),
  /** Consumption quotas are finer than stock quantities (grams of salt per portion): 6 places. */
  qty: numeric('qty', { precision: 20, scale: 6 }).notNull(),
  scrapPct: numeric('scrap_pct', { precision: 7, scale: 3 }).notNull().default('0'),
}, (t) => [
  primaryKey({ columns: [t.bomId, t.lineNo] }),
  index('bom_lines_item_idx').on(t.orgId, t.itemId),
]);

/** An operation of a BOM version, in order, at a work centre, taking so many minutes per unit of output. */
export const bomOperations = pgTable('bom_operations', {
  orgId: orgId(),
  bomId: uuid('bom_id').notNull().references(() => boms.id, { onDelete: 'cascade' }),
  seq: integer('seq').notNull(),
  name: text('name').notNull(),
  workCenterId: uuid('work_center_id').notNull().references(() => workCenters.id),
  minutesPerUnit: numeric('minutes_per_unit', { precision: 14, scale: 4 }).notNull().default('0'),
}, (t) => [primaryKey({ columns: [t.bomId, t.seq] })]);

export type Bom = typeof boms.$inferSelect;
export type BomLine = typeof bomLines.$inferSelect;
export type WorkCenter = typeof workCenters.$inferSelect;
