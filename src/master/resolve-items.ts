import { and, eq, inArray } from 'drizzle-orm';
import { items, type Item } from '../../db/schema';
import type { Ctx } from '../context';
import { NotFoundError } from '../errors';

/** The organisation's items by sku. Throws NotFoundError naming the first sku that is not there. */
export async function resolveItems(ctx: Ctx, skus: string[]): Promise<Map<string, Item>> {
  const rows = await ctx.db.select().from(items).where(and(eq(items.orgId, ctx.orgId), inArray(items.sku, [...new Set(skus)])));
  const bySku = new Map(rows.map((i) => [i.sku, i]));
  const missing = skus.find((s) => !bySku.has(s));
  if (missing) throw new NotFoundError('item', missing);
  return bySku;
}
