import { and, asc, eq, sql } from 'drizzle-orm';
import { items } from '../../db/schema';
import type { Ctx } from '../context';
import { NotFoundError } from '../errors';
import { withBarcodes, type ItemJson } from './item-json';

export const DEFAULT_ITEM_LIMIT = 200;

/** `%` and `_` typed by a user are literal characters, not wildcards. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * Items matching `q`: an exact sku or barcode first, then a case-insensitive substring of the
 * sku, name or an alias, each group by sku. Without `q`: every item by sku. Two queries per call.
 */
export async function findItems(ctx: Ctx, options: { q?: string | undefined; limit?: number | undefined } = {}): Promise<ItemJson[]> {
  const limit = options.limit ?? DEFAULT_ITEM_LIMIT;
  const q = options.q?.trim();
  if (!q) {
    const rows = await ctx.db.select().from(items).where(eq(items.orgId, ctx.orgId)).orderBy(asc(items.sku)).limit(limit);
    return withBarcodes(ctx, rows);
  }
  const pattern = `%${escapeLike(q)}%`;
  const exact = sql`(${items.sku} = ${q} or exists (
    select 1 from item_barcodes b where b.org_id = ${items.orgId} and b.item_id = ${items.id} and b.barcode = ${q}))`;
  const fuzzy = sql`(${items.sku} ilike ${pattern} or ${items.name} ilike ${pattern}
    or exists (select 1 from unnest(${items.aliases}) as alias where alias ilike ${pattern}))`;
  const rows = await ctx.db
    .select()
    .from(items)
    .where(and(eq(items.orgId, ctx.orgId), sql`(${exact} or ${fuzzy})`))
    .orderBy(sql`case when ${exact} then 0 else 1 end`, asc(items.sku))
    .limit(limit);
  return withBarcodes(ctx, rows);
}

/** Throws NotFoundError naming the sku. */
export async function getItem(ctx: Ctx, sku: string): Promise<ItemJson> {
  const rows = await ctx.db
    .select()
    .from(items)
    .where(and(eq(items.orgId, ctx.orgId), eq(items.sku, sku)));
  if (rows.length === 0) throw new NotFoundError('item', sku);
  const [item] = await withBarcodes(ctx, rows);
  return item!;
}
