import { and, asc, eq } from 'drizzle-orm';
import { costAllocations, costCloses, costPools, costSettlements } from '../../db/schema';
import { writeAudit } from '../audit';
import { userIdOf, withTransaction, type Ctx } from '../context';
import { dec, fmt, fmtMoney, type Decimal } from '../lib/decimal';
import { enqueue } from '../outbox/enqueue';
import { authorize } from '../people/permissions';
import { checkPeriod, periodBounds, refuseClosedPeriod } from '../production/periods';
import { allocate, type Pool } from './allocate';
import { parseFormula } from './formula';
import { onHandOf, periodFacts } from './period-facts';
import { closeView } from './close-view';
import type { LayerScope } from '../inventory/revalue';
import { postRevaluation } from './revaluation';
import { lockValuation, scopedQty } from './still-in-stock';

/**
 * Closes a month's costs (成本结转; admin): shares its pools over the month's production orders
 * (`allocate`), revalues each order's output — the part still in stock by a posted `revaluation`
 * document with qty-0 ledger rows, the part already issued as a cost-of-goods variance on the same
 * document — and records allocations and settlements, all in one transaction. The unit cost table
 * then reads them. Throws ForbiddenError, ValidationError, ConflictError `period_closed` (closed
 * already), UnprocessableError (a pool with nothing to share over, a formula that fails).
 */
export async function closePeriod(ctx: Ctx, period: string) {
  return withTransaction(ctx, async (ctx) => {
    await authorize(ctx, 'admin');
    checkPeriod(period);
    await refuseClosedPeriod(ctx, period, 'closing it again');
    // Inserted first: a concurrent close of the same month waits on this row's unique index, then fails (409).
    const [close] = await ctx.db.insert(costCloses).values({ orgId: ctx.orgId, period, closedByUserId: userIdOf(ctx.actor), closedAt: ctx.now() }).returning();
    const pools: Pool[] = (await ctx.db.select().from(costPools).where(and(eq(costPools.orgId, ctx.orgId), eq(costPools.period, period)))
      .orderBy(asc(costPools.position)))
      .map((p) => ({ name: p.name, position: p.position, amount: dec(p.amount), driver: p.driver, formula: p.formula ? parseFormula(p.formula) : null }));
    const bounds = await periodBounds(ctx, period);
    const { orders, consumption } = await periodFacts(ctx, bounds);
    const { allocations, settlements } = allocate(pools, orders, consumption, await onHandOf(ctx, orders, bounds));

    for (const s of settlements) {
      let revaluationId: string | null = null;
      let stockQty: Decimal | null = null;
      if (!s.stock.isZero() || !s.variance.isZero()) {
        const place = { itemId: s.order.itemId, warehouseId: s.order.toWarehouseId };
        const scope: LayerScope = { documentId: s.order.documentId, from: bounds.start, to: bounds.end };
        // What the value is spread over, kept for a reopening (`stillInStock`): read under the lock the posting takes.
        await lockValuation(ctx, place);
        if (s.order.fifo) stockQty = await scopedQty(ctx, place, scope);
        const posted = await postRevaluation(ctx, {
          ...place, stock: s.stock, variance: s.variance, scope, note: `成本结转 ${period} · ${s.order.number}`,
        });
        [revaluationId, s.stock, s.variance] = [posted.id, posted.stock, posted.variance];
      }
      const o = s.order;
      await ctx.db.insert(costSettlements).values({
        orgId: ctx.orgId, closeId: close!.id, documentId: o.documentId, itemId: o.itemId, step: s.step, qty: fmt(o.qty), runs: o.runs.toNumber(),
        materialCost: fmtMoney(o.materialCost), laborCost: fmtMoney(o.laborCost), machineCost: fmtMoney(o.machineCost),
        direct: fmtMoney(s.direct), inherited: fmtMoney(s.inherited), passedOn: fmtMoney(s.passedOn),
        stockValue: fmtMoney(s.stock), variance: fmtMoney(s.variance), revaluationId, stockQty: stockQty && fmt(stockQty), createdAt: ctx.now(),
      });
    }
    if (allocations.length) {
      await ctx.db.insert(costAllocations).values(allocations.map((a) => ({
        orgId: ctx.orgId, closeId: close!.id, pool: a.pool.name, position: a.pool.position, documentId: a.order.documentId, amount: fmtMoney(a.amount),
      })));
    }
    await writeAudit(ctx, { entity: 'cost_period', entityId: period, action: 'close', to: 'closed', comment: `${orders.length} orders, ${pools.length} pools` });
    await enqueue(ctx, 'period_closed', `period_closed:${close!.id}`, { period, closeId: close!.id });
    return closeView(ctx, period);
  });
}
