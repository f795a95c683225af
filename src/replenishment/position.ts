import { and, eq, inArray } from 'drizzle-orm';
import { valuations } from '../../db/schema';
import type { Ctx } from '../context';
import { dec, ZERO, type Decimal } from '../lib/decimal';
import { figuresKey, orderFigures } from '../orders/figures';

/** Where an item stands in a warehouse before anything more is ordered. */
export type StockPosition = { onHand: Decimal; inTransit: Decimal; onOrder: Decimal; reserved: Decimal };

/**
 * The stock position of items in a warehouse, by item id: on hand from the valuation; in transit,
 * on order and reserved as the orders count them (src/orders/figures.ts, the one home of those figures).
 */
export async function stockPositions(ctx: Ctx, warehouseId: string, itemIds: string[]): Promise<Map<string, StockPosition>> {
  const out = new Map<string, StockPosition>();
  if (itemIds.length === 0) return out;
  const rows = await ctx.db.select({ itemId: valuations.itemId, qty: valuations.qty }).from(valuations)
    .where(and(eq(valuations.orgId, ctx.orgId), eq(valuations.warehouseId, warehouseId), inArray(valuations.itemId, itemIds)));
  const onHand = new Map(rows.map((r) => [r.itemId, dec(r.qty)]));
  const figures = await orderFigures(ctx.db, ctx.orgId, { warehouseIds: [warehouseId], itemIds });
  for (const id of itemIds) {
    const f = figures.get(figuresKey(id, warehouseId));
    out.set(id, { onHand: onHand.get(id) ?? ZERO, inTransit: f?.inTransit ?? ZERO, onOrder: f?.onOrder ?? ZERO, reserved: f?.reserved ?? ZERO });
  }
  return out;
}
