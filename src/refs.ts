import { and, eq } from 'drizzle-orm';
import { items, warehouses } from '../db/schema';
import type { Ctx } from './context';
import { NotFoundError } from './errors';

/** The id of the organisation's item with this sku. Throws NotFoundError naming the sku. */
export async function requireItemId(ctx: Ctx, sku: string): Promise<string> {
  const [row] = await ctx.db
    .select({ id: items.id })
    .from(items)
    .where(and(eq(items.orgId, ctx.orgId), eq(items.sku, sku)));
  if (!row) throw new NotFoundError('item', sku);
  return row.id;
}

/** The id of the organisation's warehouse with this code. Throws NotFoundError naming the code. */
export async function requireWarehouseId(ctx: Ctx, code: string): Promise<string> {
  const [row] = await ctx.db
    .select({ id: warehouses.id })
    .from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), eq(warehouses.code, code)));
  if (!row) throw new NotFoundError('warehouse', code);
  return row.id;
}
