import { and, eq, isNotNull } from 'drizzle-orm';
import { costCloses, costSettlements, items } from '../../db/schema';
import { writeAudit } from '../audit';
import { userIdOf, withTransaction, type Ctx } from '../context';
import { ConflictError } from '../errors';
import { dec } from '../lib/decimal';
import { authorize } from '../people/permissions';
import { checkPeriod, periodBounds, standingClose } from '../production/periods';
import type { LayerScope } from '../inventory/revalue';
import { reverseRevaluation } from './revaluation';

/**
 * Reopens a closed month (admin): each revaluation of its close is reversed by a new posted document
 * (never an edit), and the close is marked reopened — kept, with its figures, for the record — so
 * pools can change and the month be closed again. Throws ConflictError `period_not_closed`.
 */
export async function reopenPeriod(ctx: Ctx, period: string): Promise<{ period: string; status: 'open'; reversals: string[] }> {
  return withTransaction(ctx, async (ctx) => {
    await authorize(ctx, 'admin');
    checkPeriod(period);
    const close = await standingClose(ctx, period);
    if (!close) throw new ConflictError(`the cost period ${period} is not closed`, { period }).because('period_not_closed', { period });
    const bounds = await periodBounds(ctx, period);
    const settled = await ctx.db.select({ s: costSettlements, method: items.valuationMethod }).from(costSettlements)
      .innerJoin(items, eq(items.id, costSettlements.itemId))
      .where(and(eq(costSettlements.orgId, ctx.orgId), eq(costSettlements.closeId, close.id), isNotNull(costSettlements.revaluationId)));
    const reversals: string[] = [];
    // Highest level first: the reverse of the order the close posted them in.
    for (const { s, method } of settled.sort((a, b) => b.s.step - a.s.step)) {
      const scope: LayerScope = { documentId: s.documentId, from: bounds.start, to: bounds.end };
      reversals.push((await reverseRevaluation(ctx, s.revaluationId!, { scope, fifo: method === 'fifo', stockQty: s.stockQty === null ? null : dec(s.stockQty) })).id);
    }
    await ctx.db.update(costCloses).set({ reopenedAt: ctx.now(), reopenedByUserId: userIdOf(ctx.actor) }).where(eq(costCloses.id, close.id));
    await writeAudit(ctx, { entity: 'cost_period', entityId: period, action: 'reopen', from: 'closed', to: 'open' });
    return { period, status: 'open', reversals };
  });
}
