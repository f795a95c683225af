import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { documentApprovals, documentLines, documents, items, users, warehouses, type DocumentStatus, type DocumentType } from '../../../db/schema';
import type { Ctx } from '../../context';
import { NotFoundError, ValidationError } from '../../errors';
import { dec, fmt, fmtMoney } from '../../lib/decimal';
import { documentRef } from './load';
import { withProductionDetails } from './production-view';
import { isOrder } from '../../orders/kinds';
import { orderProgress, type LineProgress } from '../../orders/progress';

const qty = (v: string | null) => (v === null ? null : fmt(dec(v)));
const money = (v: string | null) => (v === null ? null : fmtMoney(dec(v)));
const iso = (d: Date | null) => d?.toISOString() ?? null;

const from = alias(warehouses, 'from_wh');
const to = alias(warehouses, 'to_wh');
const returned = alias(documents, 'returned');
const reverses = alias(documents, 'reverses');
const reversedBy = alias(documents, 'reversed_by');
const orderOf = alias(documents, 'order_of');

/**
 * Documents with their codes and related numbers: one query for the headers, one for all their lines,
 * one for their approvals, sent together (the lines and approvals pick the same documents by subquery).
 */
async function loadViews(ctx: Ctx, where: SQL, limit: number) {
  // The filter may name either warehouse's code.
  const picked = ctx.db.select({ id: documents.id }).from(documents)
    .innerJoin(from, eq(from.id, documents.warehouseId))
    .leftJoin(to, eq(to.id, documents.toWarehouseId))
    .where(where).orderBy(desc(documents.createdAt), desc(documents.id)).limit(limit);
  const headsQuery = ctx.db
    .select({
      doc: documents, warehouse: from.code, toWarehouse: to.code, returnOf: returned.number, reverses: reverses.number, reversedBy: reversedBy.number,
      orderOf: orderOf.number,
    })
    .from(documents)
    .innerJoin(from, eq(from.id, documents.warehouseId))
    .leftJoin(to, eq(to.id, documents.toWarehouseId))
    .leftJoin(returned, eq(returned.id, documents.returnOfId))
    .leftJoin(reverses, eq(reverses.id, documents.reversesId))
    .leftJoin(reversedBy, eq(reversedBy.id, documents.reversedById))
    .leftJoin(orderOf, eq(orderOf.id, documents.orderOfId))
    .where(where)
    .orderBy(desc(documents.createdAt), desc(documents.id))
    .limit(limit);
  const linesQuery = ctx.db
    .select({ line: documentLines, sku: items.sku, type: documents.type })
    .from(documentLines)
    .innerJoin(items, eq(items.id, documentLines.itemId))
    .innerJoin(documents, eq(documents.id, documentLines.documentId))
    .where(and(eq(documentLines.orgId, ctx.orgId), inArray(documentLines.documentId, picked)))
    .orderBy(asc(documentLines.documentId), asc(documentLines.lineNo));
  const approvalsQuery = ctx.db
    .select({ a: documentApprovals, by: users.name })
    .from(documentApprovals)
    .leftJoin(users, eq(users.id, documentApprovals.decidedByUserId))
    .where(and(eq(documentApprovals.orgId, ctx.orgId), inArray(documentApprovals.documentId, picked)))
    .orderBy(asc(documentApprovals.documentId), asc(documentApprovals.level));
  const [heads, lineRows, approvalRows] = await Promise.all([headsQuery, linesQuery, approvalsQuery]);
  if (heads.length === 0) return [];
  const progress = await orderProgress(ctx.db, ctx.orgId, heads.filter((h) => isOrder(h.doc.type)).map((h) => h.doc.id));
  return withProductionDetails(ctx, heads.map((h) => {
    const d = h.doc;
    return {
      id: d.id, number: d.number, type: d.type, status: d.status,
      warehouse: h.warehouse, toWarehouse: h.toWarehouse, counterparty: d.counterparty, reason: d.reason,
      note: d.note, externalRef: d.externalRef, returnOf: h.returnOf, orderOf: h.orderOf,
      ...(d.type === 'purchase_order' ? { expectedOn: d.dueOn } : isOrder(d.type) ? { dueOn: d.dueOn } : {}), totalValue: fmtMoney(dec(d.totalValue)),
      hasDiscrepancy: d.hasDiscrepancy,
      lines: lineRows.filter((r) => r.line.documentId === d.id).map(({ line: l, sku }) => ({
        line: l.lineNo, sku, qty: fmt(dec(l.qty)), unitCost: qty(l.unitCost), value: money(l.value), lot: l.lot,
        expiresOn: l.expiresOn, reason: l.reason, previousQty: qty(l.previousQty), bookQty: qty(l.bookQty),
        variance: l.bookQty === null || d.reversesId ? null : fmt(dec(l.qty).minus(l.bookQty)),
        receivedQty: qty(l.receivedQty), discrepancyQty: qty(l.discrepancyQty), discrepancyValue: money(l.discrepancyValue),
        acceptedQty: qty(l.acceptedQty), rejectedQty: qty(l.rejectedQty),
        ...orderLineFigures(d.type, progress.get(d.id)?.find((p) => p.lineNo === l.lineNo)),
      })),
      approvals: approvalRows.filter((r) => r.a.documentId === d.id).map(({ a, by }) => ({
        level: a.level, status: a.status, roles: a.roles, users: a.userIds, rules: a.rules,
        by, byUserId: a.decidedByUserId, at: iso(a.decidedAt), comment: a.comment,
      })),
      reverses: h.reverses, reversedBy: h.reversedBy, rejectReason: d.rejectReason,
      createdAt: iso(d.createdAt), submittedAt: iso(d.submittedAt), approvedAt: iso(d.approvedAt), rejectedAt: iso(d.rejectedAt),
      shippedAt: iso(d.shippedAt), receivedAt: iso(d.receivedAt), postedAt: iso(d.postedAt), cancelledAt: iso(d.cancelledAt),
      dueAt: iso(d.dueAt),
    };
  }));
}

/**
 * An order line's progress: `receivedQty` (a purchase order), `fulfilledQty` (received, issued or
 * shipped against it), `cancelledQty` and `openQty`. Other documents' lines keep their own receivedQty.
 */
function orderLineFigures(type: string, p: LineProgress | undefined) {
  if (!isOrder(type) || !p) return {};
  return {
    ...(type === 'purchase_order' ? { receivedQty: fmt(p.fulfilled) } : {}),
    fulfilledQty: fmt(p.fulfilled), cancelledQty: fmt(p.cancelled), openQty: fmt(p.open),
  };
}

export type DocumentView = Awaited<ReturnType<typeof loadViews>>[number];

/** A document by id or number. Throws NotFoundError (also for another organisation's document). */
export async function getDocument(ctx: Ctx, ref: string): Promise<DocumentView> {
  const [view] = await loadViews(ctx, documentRef(ctx.orgId, ref), 1);
  if (!view) throw new NotFoundError('document', ref);
  return view;
}

export type DocumentFilter = {
  status?: DocumentStatus | undefined;
  type?: DocumentType | undefined;
  number?: string | undefined;
  warehouse?: string | undefined;
  /** Transfers received short and stocktakes with a line counted off its book quantity (or, false, the others). */
  hasDiscrepancy?: boolean | undefined;
  /** Only reversals (or, false, none). */
  reversal?: boolean | undefined;
  /** Created on local days from..to (APP_TIMEZONE), inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  /** Keyset paging: documents created before this one. */
  before?: string | undefined;
  limit?: number | undefined;
};

/** Newest first, filtered; `before` (a document id) pages on. */
export async function listDocuments(ctx: Ctx, filter: DocumentFilter): Promise<DocumentView[]> {
  const conditions: SQL[] = [eq(documents.orgId, ctx.orgId)];
  if (filter.status) conditions.push(eq(documents.status, filter.status));
  if (filter.type) conditions.push(eq(documents.type, filter.type));
  if (filter.number) conditions.push(eq(documents.number, filter.number.trim().toUpperCase()));
  if (filter.warehouse) conditions.push(or(eq(from.code, filter.warehouse), eq(to.code, filter.warehouse))!);
  if (filter.hasDiscrepancy !== undefined) {
    const off = sql`(${documents.hasDiscrepancy} or (${documents.type} = 'stocktake' and exists (select 1 from ${documentLines} l
      where l.org_id = ${documents.orgId} and l.document_id = ${documents.id} and l.qty <> l.book_qty)))`;
    conditions.push(filter.hasDiscrepancy ? off : sql`not ${off}`);
  }
  if (filter.reversal !== undefined) conditions.push(filter.reversal ? isNotNull(documents.reversesId) : isNull(documents.reversesId));
  if (filter.from && filter.to && filter.from > filter.to) throw ValidationError.field('from', `must not be after to (${filter.to})`);
  if (filter.from) conditions.push(sql`${documents.createdAt} >= (${filter.from}::date::timestamp at time zone ${ctx.timezone})`);
  if (filter.to) conditions.push(sql`${documents.createdAt} < ((${filter.to}::date + 1)::timestamp at time zone ${ctx.timezone})`);
  if (filter.before) {
    const [cursor] = await ctx.db.select({ createdAt: documents.createdAt, id: documents.id }).from(documents)
      .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, filter.before)));
    if (!cursor) throw new NotFoundError('document', filter.before);
    conditions.push(or(lt(documents.createdAt, cursor.createdAt), and(eq(documents.createdAt, cursor.createdAt), lt(documents.id, cursor.id)))!);
  }
  return loadViews(ctx, and(...conditions)!, Math.min(filter.limit ?? 50, 200));
}
