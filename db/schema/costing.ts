import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, money, orgId, qty } from './columns';
import { documents } from './documents';
import { items } from './items';

export const poolDrivers = ['labor_hours', 'machine_hours', 'output_qty', 'material_cost', 'formula'] as const;
export type PoolDriver = (typeof poolDrivers)[number];

/** An overhead pool of a month (`YYYY-MM`, local): 水电, 折旧, 工资, mould wear… and how it is shared out. */
export const costPools = pgTable('cost_pools', {
  orgId: orgId(),
  period: text('period').notNull(),
  position: integer('position').notNull(),
  name: text('name').notNull(),
  amount: money('amount').notNull(),
  driver: text('driver', { enum: poolDrivers }).notNull(),
  formula: text('formula'),
}, (t) => [primaryKey({ columns: [t.orgId, t.period, t.position] })]);

/**
 * One close of a month (成本结转). A period is closed while it has a close not reopened; reopening
 * reverses the close's revaluations and stamps `reopenedAt`, so the month can be closed again.
 */
export const costCloses = pgTable('cost_closes', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: orgId(),
  period: text('period').notNull(),
  closedByUserId: uuid('closed_by_user_id'),
  closedAt: at('closed_at').notNull(),
  reopenedByUserId: uuid('reopened_by_user_id'),
  reopenedAt: at('reopened_at'),
}, (t) => [
  // At most one standing close per month: a concurrent second close fails here (409).
  uniqueIndex('cost_closes_one_open_uq').on(t.orgId, t.period).where(sql`${t.reopenedAt} is null`),
]);

/** A pool's share of one order at one close, to the cent. */
export const costAllocations = pgTable('cost_allocations', {
  orgId: orgId(),
  closeId: uuid('close_id').notNull().references(() => costCloses.id),
  pool: text('pool').notNull(),
  position: integer('position').notNull(),
  documentId: uuid('document_id').notNull().references(() => documents.id),
  amount: money('amount').notNull(),
}, (t) => [primaryKey({ columns: [t.closeId, t.position, t.documentId] })]);

/**
 * How one order was settled at one close: its period's output and costs, the overhead it got
 * directly and from intermediate products, what it passed on to the orders that consumed its
 * output, and how the rest revalued stock (`stockValue`) or became a cost-of-goods variance.
 */
export const costSettlements = pgTable('cost_settlements', {
  orgId: orgId(),
  closeId: uuid('close_id').notNull().references(() => costCloses.id),
  documentId: uuid('document_id').notNull().references(() => documents.id),
  itemId: uuid('item_id').notNull().references(() => items.id),
  /** Lower levels settle first (0 = an intermediate consumed by nothing else this month… up). */
  step: integer('step').notNull(),
  qty: qty('qty').notNull(),
  runs: integer('runs').notNull(),
  materialCost: money('material_cost').notNull(),
  laborCost: money('labor_cost').notNull(),
  machineCost: money('machine_cost').notNull(),
  direct: money('direct').notNull(),
  inherited: money('inherited').notNull(),
  passedOn: money('passed_on').notNull(),
  stockValue: money('stock_value').notNull(),
  variance: money('variance').notNull(),
  revaluationId: uuid('revaluation_id'),
  /**
   * FIFO: what remained of the order's month layers when `stockValue` was spread over them, so a
   * reopening takes off only the share still in stock (null: a close from before migration 0026).
   */
  stockQty: qty('stock_qty'),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.closeId, t.documentId] }),
  index('cost_settlements_org_item_idx').on(t.orgId, t.itemId),
]);

export type CostSettlement = typeof costSettlements.$inferSelect;
