import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { Ctx } from '../context';
import { ValidationError } from '../errors';
import { DEFAULT_NEAR_EXPIRY_DAYS, lotShareValue, nearExpiryCondition } from '../inventory/near-expiry';
import { addDays, localDate } from '../lib/calendar';
import { dec, fmtMoney, sum } from '../lib/decimal';
import { requireWarehouseId } from '../refs';
import { belowSafety } from '../orders/figures';

/**
 * What the stock is worth, for the dashboard's stock tiles: value on the shelf by warehouse and by
 * category, items below their safety stock, near-expiry lots and their value, and a daily trend of
 * stock value and of issues. Value is the valuations' (the ledger's, bucket `stock`: in transit is
 * not on a shelf); the trend replays the ledger by local day in APP_TIMEZONE, so its last day is
 * today's value. Each figure is one set-based query. The lists behind each figure: stock-lists.ts.
 */

export const DEFAULT_TREND_DAYS = 30;
export const MAX_TREND_DAYS = 366;

export type StockMetricsQuery = { warehouse?: string | undefined; days?: number | undefined; nearExpiryDays?: number | undefined };

export type StockMetrics = {
  warehouse: string | null;
  generatedAt: string;
  value: string;
  byWarehouse: { warehouse: string; name: string; value: string; items: number }[];
  byCategory: { category: string | null; value: string; items: number }[];
  belowSafety: { items: number };
  nearExpiry: { days: number; lots: number; value: string };
  trend: { from: string; to: string; days: { date: string; stockValue: string; issueValue: string; issues: number }[] };
};

const money = (v: string | null | undefined) => fmtMoney(dec(v ?? '0'));

export async function getStockMetrics(ctx: Ctx, query: StockMetricsQuery): Promise<StockMetrics> {
  const days = query.days ?? DEFAULT_TREND_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TREND_DAYS) throw ValidationError.field('days', `must be a whole number from 1 to ${MAX_TREND_DAYS}`);
  const nearDays = query.nearExpiryDays ?? DEFAULT_NEAR_EXPIRY_DAYS;
  const warehouseId = query.warehouse === undefined ? undefined : await requireWarehouseId(ctx, query.warehouse);
  const inWarehouse = (column: SQL) => (warehouseId === undefined ? sql`` : sql`and ${column} = ${warehouseId}`);
  const to = localDate(ctx.now(), ctx.timezone);
  const from = addDays(to, 1 - days);
  const tz = ctx.timezone;

  const [byWarehouse, byCategory, below, near, trend] = await Promise.all([
    queryRows<{ warehouse: string; name: string; value: string; items: number }>(ctx.db, sql`
      select w.code as warehouse, w.name, coalesce(sum(v.value), 0)::text as value, (count(v.item_id) filter (where v.qty > 0))::int as items
      from warehouses w
      left join valuations v on v.org_id = w.org_id and v.warehouse_id = w.id
      where w.org_id = ${ctx.orgId} ${inWarehouse(sql`w.id`)}
      group by w.id, w.code, w.name
      order by coalesce(sum(v.value), 0) desc, w.code collate "C"`),
    queryRows<{ category: string | null; value: string; items: number }>(ctx.db, sql`
      select nullif(i.category, '') as category, sum(v.value)::text as value, count(distinct i.id)::int as items
      from valuations v join items i on i.org_id = v.org_id and i.id = v.item_id
      where v.org_id = ${ctx.orgId} and v.qty > 0 ${inWarehouse(sql`v.warehouse_id`)}
      group by 1 order by sum(v.value) desc, nullif(i.category, '') collate "C" nulls last`),
    queryRows<{ items: number }>(ctx.db, sql`select count(*)::int as items from (${belowSafety(ctx.orgId, inWarehouse)}) as b`),
    queryRows<{ lots: number; value: string }>(ctx.db, sql`
      select count(*)::int as lots, coalesce(sum(${lotShareValue}), 0)::text as value
      from stock_balances sb
      join lots l on l.org_id = sb.org_id and l.item_id = sb.item_id and l.code = sb.lot
      join items i on i.org_id = sb.org_id and i.id = sb.item_id
      left join valuations v on v.org_id = sb.org_id and v.item_id = sb.item_id and v.warehouse_id = sb.warehouse_id
      where sb.org_id = ${ctx.orgId} and sb.qty > 0 and ${nearExpiryCondition(to, nearDays)} ${inWarehouse(sql`sb.warehouse_id`)}`),
    // Each day's closing value is every stock movement up to its end; issues are posted issue documents (not reversals).
    queryRows<{ date: string; stock_value: string; issue_value: string; issues: number }>(ctx.db, sql`
      with days as (select d::date as d from generate_series(${from}::date, ${to}::date, interval '1 day') as d),
      moves as (
        select (posted_at at time zone ${tz})::date as d, sum(value) as v from ledger_entries
        where org_id = ${ctx.orgId} and bucket = 'stock' ${inWarehouse(sql`warehouse_id`)}
        group by 1),
      issued as (
        select (posted_at at time zone ${tz})::date as d, count(*)::int as n, sum(total_value) as v from documents
        where org_id = ${ctx.orgId} and type = 'issue' and status = 'posted' and reverses_id is null
          and posted_at >= (${from}::date::timestamp at time zone ${tz}) ${inWarehouse(sql`warehouse_id`)}
        group by 1)
      select days.d::text as date,
        (select coalesce(sum(m.v), 0) from moves m where m.d <= days.d)::text as stock_value,
        coalesce(issued.v, 0)::text as issue_value, coalesce(issued.n, 0)::int as issues
      from days left join issued on issued.d = days.d
      order by days.d`),
  ]);

  return {
    warehouse: query.warehouse ?? null,
    generatedAt: ctx.now().toISOString(),
    value: fmtMoney(sum(byWarehouse.map((w) => dec(w.value)))),
    byWarehouse: byWarehouse.map((w) => ({ ...w, value: money(w.value) })),
    byCategory: byCategory.map((c) => ({ ...c, value: money(c.value) })),
    belowSafety: { items: below[0]?.items ?? 0 },
    nearExpiry: { days: nearDays, lots: near[0]?.lots ?? 0, value: money(near[0]?.value) },
    trend: {
      from, to,
      days: trend.map((d) => ({ date: d.date, stockValue: money(d.stock_value), issueValue: money(d.issue_value), issues: d.issues })),
    },
  };
}
