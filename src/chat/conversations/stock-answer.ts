import { and, eq, inArray, sql } from 'drizzle-orm';
import { items, lots, reorderRules, stockBalances, warehouses } from '../../../db/schema';
import { queryRows } from '../../../db/client';
import type { StockAnswerCardInput, StockAnswerRow } from '../../../cards/stock-answer-card';
import type { Ctx } from '../../context';
import { NotFoundError } from '../../errors';
import { dec, fmt } from '../../lib/decimal';
import { availableOf, figuresKey, orderFigures } from '../../orders/figures';

export type StockAnswerLine = StockAnswerRow & {
  warehouseId: string;
  /** The lot with stock that expires first, and how much of it is left. */
  nearestExpiry: { lot: string; expiresOn: string; qty: string } | null;
};

/** The input of renderStockAnswerCard, each row keeping its warehouse id and the nearest lot's quantity. */
export type StockAnswer = StockAnswerCardInput & { rows: StockAnswerLine[] };

type Row = {
  id: string; code: string; name: string; on_hand: string; in_transit: string;
  min_qty: string | null; lot: string | null; expires_on: string | null; lot_qty: string | null;
};

/**
 * An item's stock in every warehouse of the organisation that holds or awaits some, has a safety
 * stock for it, or is preferred: `preferWarehouseIds` (the chat's bound warehouse, the asker's
 * stores) come first in the order given — shown even when empty, "none here" being the answer a
 * store wants — then the rest by code. Two queries. Throws NotFoundError for an item of another
 * organisation or none.
 */
export async function stockAnswer(ctx: Ctx, itemId: string, options: { preferWarehouseIds?: string[] } = {}): Promise<StockAnswer> {
  const [item] = await ctx.db
    .select({ sku: items.sku, name: items.name, unit: items.unit, packUnits: items.packUnits })
    .from(items)
    .where(and(eq(items.orgId, ctx.orgId), eq(items.id, itemId)));
  if (!item) throw new NotFoundError('item', itemId);
  const prefer = options.preferWarehouseIds ?? [];
  const figures = await orderFigures(ctx.db, ctx.orgId, { itemIds: [itemId] });
  const ordered = [...figures.values()].map((f) => f.warehouseId);
  const b = stockBalances;
  const rows = await queryRows<Row>(ctx.db, sql`
    with held as (
      select ${b.warehouseId} as warehouse_id, sum(${b.qty}) as on_hand, sum(${b.transitQty}) as in_transit
      from ${b} where ${b.orgId} = ${ctx.orgId} and ${b.itemId} = ${itemId}
      group by ${b.warehouseId}
    ), nearest as (
      select distinct on (${b.warehouseId}) ${b.warehouseId} as warehouse_id, ${b.lot} as lot,
        ${lots.expiresOn}::text as expires_on, ${b.qty} as qty
      from ${b} join ${lots} on ${lots.orgId} = ${b.orgId} and ${lots.itemId} = ${b.itemId} and ${lots.code} = ${b.lot}
      where ${b.orgId} = ${ctx.orgId} and ${b.itemId} = ${itemId} and ${b.qty} > 0 and ${lots.expiresOn} is not null
      order by ${b.warehouseId}, ${lots.expiresOn}, ${b.lot}
    )
    select ${warehouses.id} as id, ${warehouses.code} as code, ${warehouses.name} as name,
      coalesce(held.on_hand, 0)::text as on_hand, coalesce(held.in_transit, 0)::text as in_transit,
      ${reorderRules.minQty}::text as min_qty, nearest.lot, nearest.expires_on, nearest.qty::text as lot_qty
    from ${warehouses}
    left join held on held.warehouse_id = ${warehouses.id}
    left join nearest on nearest.warehouse_id = ${warehouses.id}
    left join ${reorderRules} on ${reorderRules.orgId} = ${warehouses.orgId} and ${reorderRules.itemId} = ${itemId}
      and ${reorderRules.warehouseId} = ${warehouses.id}
    where ${warehouses.orgId} = ${ctx.orgId}
      and (held.on_hand <> 0 or held.in_transit <> 0 or ${reorderRules.minQty} is not null
        or ${prefer.length > 0 ? inArray(warehouses.id, prefer) : sql`false`}
        or ${ordered.length > 0 ? inArray(warehouses.id, ordered) : sql`false`})
    order by ${warehouses.code}`);

  const rank = (id: string) => (prefer.includes(id) ? prefer.indexOf(id) : prefer.length);
  // A stable sort: the rest keep the query's order by code.
  const sorted = [...rows].sort((x, y) => rank(x.id) - rank(y.id));
  return {
    item,
    rows: sorted.map((r) => {
      const onHand = fmt(dec(r.on_hand));
      const f = figures.get(figuresKey(itemId, r.id));
      return {
        warehouseId: r.id,
        warehouse: r.code,
        name: r.name,
        onHand,
        inTransit: fmt(dec(r.in_transit)),
        // Open sales orders hold part of what is on hand; open purchase orders and requisitions are on their way.
        available: fmt(availableOf(r.on_hand, f)),
        reserved: fmt(f?.reserved ?? dec(0)),
        onOrder: fmt(f?.onOrder ?? dec(0)),
        safetyStock: r.min_qty === null ? null : fmt(dec(r.min_qty)),
        nearestExpiry: r.lot === null ? null : { lot: r.lot, expiresOn: r.expires_on!, qty: fmt(dec(r.lot_qty!)) },
      };
    }),
    asOf: ctx.now(),
    timezone: ctx.timezone,
  };
}
