import { and, eq } from 'drizzle-orm';
import type { Card } from '../../../cards/model';
import { renderCostCloseCard } from '../../../cards/cost-close-card';
import { renderNoticeCard } from '../../../cards/notice-card';
import { costAllocations, costCloses } from '../../../db/schema';
import type { Ctx } from '../../context';
import { unitCostTable } from '../../costing/unit-cost-table';
import { dec, fmtMoney, sum } from '../../lib/decimal';
import { shiftPeriod } from '../../production/periods';

/** `cost_close:<closeId>`: a closed month's products, overhead and top movers against the month before. */
export async function costCloseCard(ctx: Ctx, closeId: string): Promise<Card> {
  const [close] = await ctx.db.select().from(costCloses).where(and(eq(costCloses.orgId, ctx.orgId), eq(costCloses.id, closeId)));
  if (!close) return renderNoticeCard({ title: '成本结转', text: '这次结转已经不存在了' });
  if (close.reopenedAt) return renderNoticeCard({ title: `成本结转 · ${close.period}`, tone: 'neutral', text: '这次结转已被反结转（重新打开），以新的结转为准。' });
  const compare = shiftPeriod(close.period, -1);
  const table = await unitCostTable(ctx, close.period, compare);
  const allocated = await ctx.db.select({ amount: costAllocations.amount }).from(costAllocations)
    .where(and(eq(costAllocations.orgId, ctx.orgId), eq(costAllocations.closeId, closeId)));
  const moved = (diffPct: string | null) => (diffPct === null ? -1 : dec(diffPct).abs().toNumber());
  const movers = table.rows
    .map((r) => ({ sku: r.sku, name: r.name, unitCost: r.unitCost, before: r.compare?.unitCost ?? null, diffPct: r.compare?.diffPct ?? null }))
    .sort((a, b) => moved(b.diffPct) - moved(a.diffPct) || (a.sku < b.sku ? -1 : 1));
  return renderCostCloseCard({
    period: close.period, compare, products: table.rows.length, overhead: fmtMoney(sum(allocated.map((a) => dec(a.amount)))), movers,
  });
}
