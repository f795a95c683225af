import { and, eq, sql } from 'drizzle-orm';
import { productionCompletions } from '../../../db/schema';
import type { Ctx } from '../../context';
import { dec } from '../../lib/decimal';

/** What an order's completions not reversed add up to, and how many completions it has had (reversed ones too: they keep their numbers). */
export async function completedTotals(ctx: Ctx, documentId: string) {
  const [row] = await ctx.db.select({
    qty: sql<string>`coalesce(sum(${productionCompletions.qty}) filter (where ${productionCompletions.reversalId} is null), 0)::text`,
    value: sql<string>`coalesce(sum(${productionCompletions.value}) filter (where ${productionCompletions.reversalId} is null), 0)::text`,
    count: sql<number>`count(*)::int`,
  }).from(productionCompletions)
    .where(and(eq(productionCompletions.orgId, ctx.orgId), eq(productionCompletions.documentId, documentId)));
  return { qty: dec(row?.qty ?? 0), value: dec(row?.value ?? 0), count: Number(row?.count ?? 0) };
}
