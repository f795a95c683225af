import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { Ctx } from '../context';
import { addDays, daysBetween, localDate } from '../lib/calendar';
import { dec, type Decimal } from '../lib/decimal';

/** How far back the forecast looks: a year carries every weekday fifty times, and bounds the work. */
export const HISTORY_DAYS = 365;

/** One item's demand per local day (YYYY-MM-DD) in one warehouse. */
export type DailyDemand = Map<string, Decimal>;

/**
 * Demand per item and local day in a warehouse, over [from, to]: the imported history plus what
 * the ledger shows leaving — posted issues (sales out) and transfers shipped out. A reversal, and a
 * customer return against an issue, count on the day of the document they undo, so a sale taken
 * back is no sale at all rather than a sale one day and a negative one later.
 */
export async function demandByDay(ctx: Ctx, warehouseId: string, itemIds: string[], from: string, to: string): Promise<Map<string, DailyDemand>> {
  const out = new Map<string, DailyDemand>(itemIds.map((id) => [id, new Map()]));
  if (itemIds.length === 0) return out;
  const ids = sql.join(itemIds.map((id) => sql`${id}::uuid`), sql`, `);
  const tz = ctx.timezone;
  const rows = await queryRows<{ item_id: string; day: string; qty: string }>(ctx.db, sql`
    select item_id, day::text as day, sum(qty)::text as qty from (
      select h.item_id, h.day, h.qty
        from demand_history h
       where h.org_id = ${ctx.orgId} and h.warehouse_id = ${warehouseId} and h.item_id in (${ids})
         and h.day between ${from}::date and ${to}::date
      union all
      select e.item_id, (coalesce(o.posted_at, o.shipped_at, e.posted_at) at time zone ${tz})::date as day, -e.qty as qty
        from ledger_entries e
        join documents d on d.id = e.document_id
        -- The document whose day counts: a customer return's issue (also when the return is reversed),
        -- a reversal's original (a transfer has no posted_at: its day is the one it shipped).
        left join documents r on r.id = d.reverses_id
        left join documents o on o.id = case when d.type = 'customer_return' then coalesce(r.return_of_id, d.return_of_id) else d.reverses_id end
       where e.org_id = ${ctx.orgId} and e.warehouse_id = ${warehouseId} and e.item_id in (${ids}) and e.bucket = 'stock'
         and (d.type = 'issue' or (d.type = 'transfer' and d.warehouse_id = e.warehouse_id)
              or (d.type = 'customer_return' and o.type = 'issue'))
         and e.posted_at >= (${from}::date - 1)::timestamp at time zone ${tz}
    ) demand
    where day between ${from}::date and ${to}::date
    group by item_id, day`);
  for (const r of rows) out.get(r.item_id)?.set(r.day, dec(r.qty));
  return out;
}

/**
 * The consecutive days a forecast learns from: from the first day with any demand in the last
 * `HISTORY_DAYS` to yesterday (today is not over yet), days without demand as 0. Empty when the
 * item never sold there.
 */
export function toSeries(days: DailyDemand, yesterday: string): number[] {
  const dates = [...days.keys()].sort();
  if (dates.length === 0) return [];
  const first = dates[0]!;
  const length = daysBetween(first, yesterday) + 1;
  // Floats from here: the forecast is statistics (holt-winters.ts); quantities come back rounded.
  return Array.from({ length }, (_, i) => Math.max(0, days.get(addDays(first, i))?.toNumber() ?? 0));
}

/** Yesterday and the first day the history window holds, in APP_TIMEZONE. */
export function historyWindow(ctx: Ctx): { from: string; yesterday: string; today: string } {
  const today = localDate(ctx.now(), ctx.timezone);
  return { from: addDays(today, -HISTORY_DAYS), yesterday: addDays(today, -1), today };
}
