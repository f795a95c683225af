import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { items } from '../../db/schema';
import type { Ctx } from '../context';
import { NotFoundError } from '../errors';
import { withBarcodes, type ItemJson } from './item-json';
import { MATCH_SCORE, matchItems } from './match-items';

export const DEFAULT_ITEM_LIMIT = 200;

/**
 * Items matching `q`: an exact sku or barcode first (by sku), then a folded name or alias equal to
 * it, then by score — trigram similarity over sku, name and aliases, or a literal part of one
 * (`matchItems`, the chat's search too) — then by sku. Without `q`: every item by sku. Two queries.
 */
export async function findItems(ctx: Ctx, options: { q?: string | undefined; limit?: number | undefined } = {}): Promise<ItemJson[]> {
  const limit = options.limit ?? DEFAULT_ITEM_LIMIT;
  const q = options.q?.trim();
  if (!q) {
    const rows = await ctx.db.select().from(items).where(eq(items.orgId, ctx.orgId)).orderBy(asc(items.sku)).limit(limit);
    return withBarcodes(ctx, rows);
  }
  const m = matchItems(q);
  // Unlike a chat question, the API keeps sku matching case-sensitive: `pen` lists PEN among its matches, not alone.
  const exact = sql`(${items.sku} = ${m.query} or ${m.barcode})`;
  const rows = await ctx.db
    .select()
    .from(items)
    .where(and(eq(items.orgId, ctx.orgId), m.where(MATCH_SCORE, ctx.orgId)))
    .orderBy(sql`case when ${exact} then 0 else 1 end`, desc(m.named), desc(m.score), asc(items.sku))
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
