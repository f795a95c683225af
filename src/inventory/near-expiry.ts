import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client';
import type { PackUnit } from '../../db/schema';
import type { Ctx } from '../context';

/** The window when nothing says otherwise (NEAR_EXPIRY_DAYS defaults to it). */
export const DEFAULT_NEAR_EXPIRY_DAYS = 30;

export type NearExpiryLot = { item: { sku: string; name: string; unit: string; packUnits: PackUnit[] }; lot: string; expiresOn: string; qty: string; value: string };

/**
 * A lot is near expiry when it expires within the window from `today`: the configured days, or a
 * third of the item's shelf life when that is shorter (a 7-day product is not "near" for 30 days).
 * Expired lots with stock count too. `i` is items, `l` lots.
 */
export const nearExpiryCondition = (today: string, days: number): SQL =>
  sql`l.expires_on is not null and l.expires_on <= ${today}::date + least(${days}::int, coalesce(ceil(i.shelf_life_days / 3.0)::int, ${days}::int))`;

/**
 * A lot's share of its item's stock value in a warehouse (`sb` stock_balances, `v` valuations): value
 * lives per item and warehouse, so a lot is worth its part of the quantity, to the cent.
 */
export const lotShareValue = sql`(case when v.qty > 0 then round(sb.qty * v.value / v.qty, 2) else 0 end)`;

/** Lots with stock on the shelf that are near expiry, counted per organisation and warehouse: one query for everything. */
export async function nearExpiryCounts(db: Queryable, today: string, days: number, orgId?: string, warehouseId?: string) {
  return queryRows<{ org_id: string; warehouse_id: string; lots: number }>(db, sql`
    select sb.org_id, sb.warehouse_id, count(*)::int as lots
    from stock_balances sb
    join lots l on l.org_id = sb.org_id and l.item_id = sb.item_id and l.code = sb.lot
    join items i on i.org_id = sb.org_id and i.id = sb.item_id
    where sb.qty > 0 and ${nearExpiryCondition(today, days)}
      ${orgId ? sql`and sb.org_id = ${orgId}` : sql``}
      ${warehouseId ? sql`and sb.warehouse_id = ${warehouseId}` : sql``}
    group by sb.org_id, sb.warehouse_id`);
}

/** The near-expiry lots of one warehouse now, with each lot's share of its item's stock value. */
export async function nearExpiryLots(ctx: Ctx, warehouseId: string, today: string, days: number): Promise<NearExpiryLot[]> {
  const rows = await queryRows<{
    sku: string; name: string; unit: string; pack_units: PackUnit[] | string; lot: string; expires_on: string; qty: string; value: string;
  }>(ctx.db, sql`
    select i.sku, i.name, i.unit, i.pack_units, sb.lot, l.expires_on::text as expires_on, sb.qty::text as qty,
      ${lotShareValue}::text as value
    from stock_balances sb
    join lots l on l.org_id = sb.org_id and l.item_id = sb.item_id and l.code = sb.lot
    join items i on i.org_id = sb.org_id and i.id = sb.item_id
    left join valuations v on v.org_id = sb.org_id and v.item_id = sb.item_id and v.warehouse_id = sb.warehouse_id
    where sb.org_id = ${ctx.orgId} and sb.warehouse_id = ${warehouseId} and sb.qty > 0 and ${nearExpiryCondition(today, days)}
    order by l.expires_on, i.sku, sb.lot`);
  return rows.map((r) => ({
    item: { sku: r.sku, name: r.name, unit: r.unit, packUnits: typeof r.pack_units === 'string' ? JSON.parse(r.pack_units) : r.pack_units },
    lot: r.lot, expiresOn: r.expires_on, qty: r.qty, value: r.value,
  }));
}
