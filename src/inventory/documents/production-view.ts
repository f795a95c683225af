import { and, asc, eq, inArray } from 'drizzle-orm';
import { documents, productionCompletions } from '../../../db/schema';
import type { Ctx } from '../../context';
import { dec, fmt, fmtMoney, sum } from '../../lib/decimal';
import { listWorkReports } from './report-work';

export type ProductionDetails = {
  workReports: Awaited<ReturnType<typeof listWorkReports>>;
  completions: { seq: number; qty: string; materialCost: string; laborCost: string; machineCost: string; value: string; unitCost: string;
    final: boolean; at: string; reversedBy: string | null }[];
  completedQty: string;
};

/** A production order's work reports, completions and completed quantity (net of reversed completions), added to its view. */
export async function withProductionDetails<V extends { id: string; type: string; reverses: string | null }>(ctx: Ctx, views: V[]): Promise<(V & Partial<ProductionDetails>)[]> {
  const orders = views.filter((v) => v.type === 'production' && v.reverses === null);
  if (orders.length === 0) return views;
  const rows = await ctx.db.select({ c: productionCompletions, reversal: documents.number }).from(productionCompletions)
    .leftJoin(documents, eq(documents.id, productionCompletions.reversalId))
    .where(and(eq(productionCompletions.orgId, ctx.orgId), inArray(productionCompletions.documentId, orders.map((o) => o.id))))
    .orderBy(asc(productionCompletions.seq));
  const details = new Map<string, ProductionDetails>();
  for (const o of orders) {
    const mine = rows.filter((r) => r.c.documentId === o.id);
    details.set(o.id, {
      workReports: await listWorkReports(ctx, o.id),
      completions: mine.map(({ c, reversal }) => ({
        seq: c.seq, qty: fmt(dec(c.qty)), materialCost: fmtMoney(dec(c.materialCost)), laborCost: fmtMoney(dec(c.laborCost)),
        machineCost: fmtMoney(dec(c.machineCost)), value: fmtMoney(dec(c.value)), unitCost: fmt(dec(c.unitCost)), final: c.final,
        at: c.at.toISOString(), reversedBy: reversal,
      })),
      completedQty: fmt(sum(mine.filter((r) => r.reversal === null).map((r) => dec(r.c.qty)))),
    });
  }
  return views.map((v) => ({ ...v, ...details.get(v.id) }));
}
