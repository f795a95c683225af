import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, money, orgId, qty, unitCost } from './columns';
import { items } from './items';
import { warehouses } from './warehouses';

export const documentTypes = [
  'opening', 'receipt', 'purchase_return', 'issue', 'transfer', 'customer_return', 'stocktake', 'adjustment',
  // Production and costing: a production order (MO), and the period close's revaluation of stock (CV).
  'production', 'revaluation',
  // Orders are commitments, not movements: the receipts, issues and transfers that fulfil them move stock.
  'purchase_order', 'sales_order', 'requisition',
] as const;
export type DocumentType = (typeof documentTypes)[number];

export const documentStatuses = [
  'draft', 'submitted', 'awaiting_approval', 'approved', 'in_progress', 'rejected', 'shipped', 'received', 'posted', 'cancelled',
] as const;
export type DocumentStatus = (typeof documentStatuses)[number];

export const channels = ['api', 'chat', 'web', 'job'] as const;
export type Channel = (typeof channels)[number];

export const documents = pgTable('documents', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: orgId(),
  number: text('number').notNull(),
  type: text('type', { enum: documentTypes }).notNull(),
  status: text('status', { enum: documentStatuses }).notNull(),
  warehouseId: uuid('warehouse_id').notNull().references(() => warehouses.id),
  toWarehouseId: uuid('to_warehouse_id').references(() => warehouses.id),
  counterparty: text('counterparty'),
  reason: text('reason'),
  externalRef: text('external_ref'),
  note: text('note'),
  returnOfId: uuid('return_of_id'),
  /** The order (purchase, sales, requisition) a receipt, issue or transfer fulfils. */
  orderOfId: uuid('order_of_id'),
  /** When an order is expected (a purchase order) or due (a sales order), a local date. */
  dueOn: date('due_on', { mode: 'string' }),
  reversesId: uuid('reverses_id'),
  reversedById: uuid('reversed_by_id'),
  /** Estimated at creation (qty × current cost), exact once posted. */
  totalValue: money('total_value').notNull().default('0'),
  /** A transfer received short: the shortage stays visible until someone resolves it. */
  hasDiscrepancy: boolean('has_discrepancy').notNull().default(false),
  rejectReason: text('reject_reason'),
  /** A customer return's reason class, for the returns statistics. */
  returnReason: text('return_reason', { enum: ['expired', 'near_expiry', 'damaged', 'wrong_item', 'quality', 'other'] }),
  createdByUserId: uuid('created_by_user_id'),
  createdVia: text('created_via', { enum: channels }).notNull(),
  createdAt: createdAt(),
  submittedAt: at('submitted_at'),
  /** Who submitted it, when someone else drafted it may be another person: neither decides its approval. */
  submittedByUserId: uuid('submitted_by_user_id'),
  approvedAt: at('approved_at'),
  rejectedAt: at('rejected_at'),
  shippedAt: at('shipped_at'),
  receivedAt: at('received_at'),
  postedAt: at('posted_at'),
  cancelledAt: at('cancelled_at'),
  dueAt: at('due_at'),
}, (t) => [
  uniqueIndex('documents_org_number_uq').on(t.orgId, t.number),
  uniqueIndex('documents_org_external_ref_uq').on(t.orgId, t.externalRef).where(sql`${t.externalRef} is not null`),
  index('documents_org_status_idx').on(t.orgId, t.status, t.type),
  index('documents_org_created_idx').on(t.orgId, t.createdAt),
  index('documents_return_of_idx').on(t.orgId, t.returnOfId),
  index('documents_order_of_idx').on(t.orgId, t.orderOfId).where(sql`${t.orderOfId} is not null`),
]);

/**
 * How a line's stock left its warehouse: per lot and cost layer. A transfer carries these to its
 * destination; a reversal puts them back exactly.
 */
export type CostPiece = { lot: string; qty: string; value: string; receivedAt: string | null };

export const documentLines = pgTable('document_lines', {
  orgId: orgId(),
  documentId: uuid('document_id').notNull().references(() => documents.id, { onDelete: 'cascade' }),
  lineNo: integer('line_no').notNull(),
  itemId: uuid('item_id').notNull().references(() => items.id),
  /** As entered: counted qty for a stocktake, signed for an adjustment, shipped qty for a transfer. */
  qty: qty('qty').notNull(),
  unitCost: unitCost('unit_cost'),
  value: money('value'),
  lot: text('lot'),
  expiresOn: date('expires_on', { mode: 'string' }),
  reason: text('reason'),
  /** Opening: the quantity the old system showed, to keep the difference on record. */
  previousQty: qty('previous_qty'),
  /** Stocktake: the book quantity frozen when the count started. */
  bookQty: qty('book_qty'),
  receivedQty: qty('received_qty'),
  /** A transfer received short: what never arrived, and its carried value. */
  discrepancyQty: qty('discrepancy_qty'),
  discrepancyValue: money('discrepancy_value'),
  acceptedQty: qty('accepted_qty'),
  rejectedQty: qty('rejected_qty'),
  /** An order line: what was called off (采购取消, a sales order or requisition cancelled part-way). */
  cancelledQty: qty('cancelled_qty'),
  /**
   * A line of a document that fills an order (`orderOf`): the order line it fills, when known (按单发货 /
   * 按单调拨 by line); null: it fills the order's lines of its item in line order.
   */
  orderLineNo: integer('order_line_no'),
  costPieces: jsonb('cost_pieces').$type<CostPiece[]>(),
}, (t) => [primaryKey({ columns: [t.documentId, t.lineNo] })]);

/** Per-day counters behind human-readable numbers such as TR-20261125-0007. */
export const documentSequences = pgTable('document_sequences', {
  orgId: orgId(),
  prefix: text('prefix').notNull(),
  day: text('day').notNull(),
  last: integer('last').notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.prefix, t.day] })]);

export type DocumentRow = typeof documents.$inferSelect;
export type DocumentLineRow = typeof documentLines.$inferSelect;
