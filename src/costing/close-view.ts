import { and, asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { costAllocations, costSettlements, documents, items } from '../../db/schema';
import type { Ctx } from '../context';
import { NotFoundError } from '../errors';
import { dec, fmt, fmtMoney } from '../lib/decimal';
import { standingClose } from '../production/periods';

const revaluation = alias(documents, 'revaluation');

/**
 * A closed month as the close answered it: each pool's share of each order (`allocations`), and how
 * each order was settled — direct and inherited overhead, what it passed on, what revalued its
 * stock and what became a variance, and its revaluation document. Throws NotFoundError when open.
 */
export async function closeView(ctx: Ctx, period: string) {
  const close = await standingClose(ctx, period);
  if (!close) throw new NotFoundError('closed period', period);
  const allocations = await ctx.db.select({ a: costAllocations, number: documents.number, sku: items.sku }).from(costAllocations)
    .innerJoin(documents, eq(documents.id, costAllocations.documentId))
    .innerJoin(costSettlements, and(eq(costSettlements.closeId, costAllocations.closeId), eq(costSettlements.documentId, costAllocations.documentId)))
    .innerJoin(items, eq(items.id, costSettlements.itemId))
    .where(and(eq(costAllocations.orgId, ctx.orgId), eq(costAllocations.closeId, close.id)))
    .orderBy(asc(costAllocations.position), asc(documents.number));
  const settled = await ctx.db.select({ s: costSettlements, number: documents.number, sku: items.sku, cv: revaluation.number }).from(costSettlements)
    .innerJoin(documents, eq(documents.id, costSettlements.documentId))
    .innerJoin(items, eq(items.id, costSettlements.itemId))
    .leftJoin(revaluation, eq(revaluation.id, costSettlements.revaluationId))
    .where(and(eq(costSettlements.orgId, ctx.orgId), eq(costSettlements.closeId, close.id)))
    .orderBy(asc(costSettlements.step), asc(documents.number));
  return {
    period, status: 'closed' as const, closedAt: close.closedAt.toISOString(),
    allocations: allocations.map(({ a, number, sku }) => ({ pool: a.pool, document: a.documentId, number, sku, amount: fmtMoney(dec(a.amount)) })),
    orders: settled.map(({ s, number, sku, cv }) => ({
      document: s.documentId, number, sku, step: s.step, qty: fmt(dec(s.qty)), runs: s.runs,
      direct: fmtMoney(dec(s.direct)), inherited: fmtMoney(dec(s.inherited)), passedOn: fmtMoney(dec(s.passedOn)),
      stockValue: fmtMoney(dec(s.stockValue)), variance: fmtMoney(dec(s.variance)), revaluation: cv,
    })),
  };
}
