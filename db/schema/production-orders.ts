import { boolean, index, integer, jsonb, numeric, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, money, orgId, qty, unitCost } from './columns';
import { channels, documents, type CostPiece } from './documents';
import { items } from './items';
import { boms, workCenters } from './production';

/** Hours of work, to three places (a worker reports 1.5 h; a machine 0.25 h). */
const hours = (name: string) => numeric(name, { precision: 14, scale: 3 });
/** A rate as it stood when work was reported: later changes to the work centre never reprice it. */
const rate = (name: string) => numeric(name, { precision: 18, scale: 4 });

/**
 * What a production order (an MO document) makes from: the BOM version fixed when it was submitted,
 * or — a rework order, or one made by hand — explicit materials for the whole ordered quantity.
 */
export const productionOrders = pgTable('production_orders', {
  documentId: uuid('document_id').primaryKey().references(() => documents.id, { onDelete: 'cascade' }),
  orgId: orgId(),
  bomId: uuid('bom_id').references(() => boms.id),
  /** The order named its version (`bomVersion`): submission keeps it rather than taking the active one. */
  bomPinned: boolean('bom_pinned').notNull().default(false),
});

/** Explicit materials of an order, for its whole quantity (they replace the BOM). */
export const productionMaterials = pgTable('production_materials', {
  orgId: orgId(),
  documentId: uuid('document_id').notNull().references(() => documents.id, { onDelete: 'cascade' }),
  lineNo: integer('line_no').notNull(),
  itemId: uuid('item_id').notNull().references(() => items.id),
  qty: numeric('qty', { precision: 20, scale: 6 }).notNull(),
}, (t) => [primaryKey({ columns: [t.documentId, t.lineNo] })]);

/**
 * One report of work on an order's operation (报工): hours at the work centre's rates of that moment
 * and good and scrap quantities. Its cost waits until a completion absorbs it (`completionId`).
 */
export const workReports = pgTable('work_reports', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: orgId(),
  documentId: uuid('document_id').notNull().references(() => documents.id),
  operation: text('operation').notNull(),
  workCenterId: uuid('work_center_id').notNull().references(() => workCenters.id),
  laborHours: hours('labor_hours').notNull().default('0'),
  machineHours: hours('machine_hours').notNull().default('0'),
  goodQty: qty('good_qty').notNull().default('0'),
  scrapQty: qty('scrap_qty').notNull().default('0'),
  laborRate: rate('labor_rate').notNull(),
  machineRate: rate('machine_rate').notNull(),
  laborCost: money('labor_cost').notNull(),
  machineCost: money('machine_cost').notNull(),
  cost: money('cost').notNull(),
  completionId: uuid('completion_id'),
  reportedByUserId: uuid('reported_by_user_id'),
  reportedVia: text('reported_via', { enum: channels }).notNull(),
  at: createdAt(),
}, (t) => [index('work_reports_document_idx').on(t.orgId, t.documentId, t.at)]);

/**
 * One completion of an order: its materials left `warehouse` and `qty` of the output came into
 * `toWarehouse` as a new cost layer, at materials + the work it absorbed. Reversed by a red-letter
 * document (`reversalId`), never edited.
 */
export const productionCompletions = pgTable('production_completions', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: orgId(),
  documentId: uuid('document_id').notNull().references(() => documents.id),
  seq: integer('seq').notNull(),
  qty: qty('qty').notNull(),
  materialCost: money('material_cost').notNull(),
  laborCost: money('labor_cost').notNull(),
  machineCost: money('machine_cost').notNull(),
  laborHours: hours('labor_hours').notNull(),
  machineHours: hours('machine_hours').notNull(),
  value: money('value').notNull(),
  unitCost: unitCost('unit_cost').notNull(),
  final: boolean('final').notNull().default(false),
  at: at('at').notNull(),
  reversalId: uuid('reversal_id'),
}, (t) => [
  uniqueIndex('production_completions_seq_uq').on(t.documentId, t.seq),
  index('production_completions_org_at_idx').on(t.orgId, t.at),
]);

/** What one completion consumed: per material, the quantity and the exact cost pieces it left with. */
export const completionMaterials = pgTable('completion_materials', {
  orgId: orgId(),
  completionId: uuid('completion_id').notNull().references(() => productionCompletions.id, { onDelete: 'cascade' }),
  /** The ledger line of the completion's posting this material moved on (the output is line 1). */
  ledgerLine: integer('ledger_line').notNull(),
  itemId: uuid('item_id').notNull().references(() => items.id),
  qty: qty('qty').notNull(),
  value: money('value').notNull(),
  costPieces: jsonb('cost_pieces').$type<CostPiece[]>().notNull(),
}, (t) => [primaryKey({ columns: [t.completionId, t.ledgerLine] })]);

export type ProductionCompletion = typeof productionCompletions.$inferSelect;
export type WorkReport = typeof workReports.$inferSelect;
