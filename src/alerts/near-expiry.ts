import { and, eq, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client';
import { outbox, warehouses, type PackUnit } from '../../db/schema';
import type { Card } from '../../cards/model';
import { renderNearExpiryCard, type NearExpiryLot } from '../../cards/near-expiry-card';
import type { Ctx } from '../context';

/** The window when the event that names a subject did not record one. */
export const DEFAULT_NEAR_EXPIRY_DAYS = 30;

/**
 * A lot is near expiry when it expires within the window from `today`: the configured days, or a
 * third of the item's shelf life when that is shorter (a 7-day product is not "near" for 30 days).
 * Expired lots with stock count too. `i` is items, `l` lots.
 */
export const nearExpiryCondition = (today: string, days: number): SQL =>
  sql`l.expires_on is not null and l.expires_on <= ${today}::date + least(${days}::int, coalesce(ceil(i.shelf_life_days / 3.0)::int, ${days}::int))`;

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
      (case when v.qty > 0 then round(sb.qty * v.value / v.qty, 2) else 0 end)::text as value
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

/** The window the event behind a subject was raised with (its outbox payload), so a re-render shows the same lots. */
export async function windowOfSubject(ctx: Ctx, kind: 'near_expiry' | 'daily_digest', subject: string): Promise<number> {
  const [row] = await ctx.db.select({ payload: outbox.payload }).from(outbox)
    .where(and(eq(outbox.orgId, ctx.orgId), eq(outbox.kind, kind), sql`${outbox.payload}->>'subject' = ${subject}`)).limit(1);
  const days = Number(row?.payload.nearExpiryDays);
  return Number.isInteger(days) && days > 0 ? days : DEFAULT_NEAR_EXPIRY_DAYS;
}

/** `near_expiry:<warehouseId>:<YYYY-MM-DD>`: that warehouse's near-expiry lots as they are now, counted from that day. */
export async function nearExpiryCard(ctx: Ctx, subject: string): Promise<Card> {
  const [, warehouseId, today] = subject.split(':');
  const [w] = await ctx.db.select({ code: warehouses.code, name: warehouses.name }).from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), eq(warehouses.id, warehouseId!)));
  const days = await windowOfSubject(ctx, 'near_expiry', subject);
  const lots = w ? await nearExpiryLots(ctx, warehouseId!, today!, days) : [];
  return renderNearExpiryCard({ warehouse: w ?? { code: '?' }, withinDays: days, today: today!, lots, suggestIssueFirst: true });
}
