import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { Ctx } from '../context';
import { dec } from '../lib/decimal';
import { countingStatuses, openOrderStatus } from '../orders/kinds';

/** Open orders by how long they have been open (since approved), per type. */
export const AGE_BUCKETS = ['under_1d', '1_3d', '3_7d', 'over_7d'] as const;

export type OrderMetrics = {
  open: { type: string; documents: number; ages: Record<(typeof AGE_BUCKETS)[number], number> }[];
  /** Sales orders opened in the period: what was ordered, what was issued against them, their share, and orders filled in full. */
  fillRate: { orders: number; filledOrders: number; orderedQty: string; fulfilledQty: string; rate: string | null };
};

/**
 * The dashboard's order figures: open purchase orders, sales orders and requisitions by age, and
 * the fill rate of the sales orders opened in the period (issued ÷ ordered, cancelled rests counting
 * as not filled). `ofWarehouse` narrows `d` (documents) as the dashboard does.
 */
export async function orderMetrics(ctx: Ctx, inPeriod: (column: SQL) => SQL, ofWarehouse: SQL): Promise<OrderMetrics> {
  const now = ctx.now().toISOString();
  const counting = sql.join(countingStatuses.map((s) => sql`${s}`), sql`, `);
  const [open, [fill]] = await Promise.all([
    queryRows<{ type: string; documents: number; under_1d: number; '1_3d': number; '3_7d': number; over_7d: number }>(ctx.db, sql`
      with o as (
        select d.type, extract(epoch from (${now}::timestamptz - coalesce(d.approved_at, d.created_at))) / 86400.0 as days
        from documents d
        where d.org_id = ${ctx.orgId} and d.type in ('purchase_order', 'sales_order', 'requisition') and d.status = ${openOrderStatus} ${ofWarehouse})
      select type, count(*)::int as documents,
        (count(*) filter (where days < 1))::int as under_1d,
        (count(*) filter (where days >= 1 and days < 3))::int as "1_3d",
        (count(*) filter (where days >= 3 and days < 7))::int as "3_7d",
        (count(*) filter (where days >= 7))::int as over_7d
      from o group by type order by type collate "C"`),
    queryRows<{ orders: number; filled: number; ordered: string; fulfilled: string }>(ctx.db, sql`
      with so as (
        select d.id, (select sum(l.qty) from document_lines l where l.org_id = d.org_id and l.document_id = d.id) as ordered,
          coalesce((select sum(fl.qty) from documents f join document_lines fl on fl.org_id = f.org_id and fl.document_id = f.id
            where f.org_id = d.org_id and f.order_of_id = d.id and f.status in (${counting}) and f.reversed_by_id is null), 0) as fulfilled
        from documents d
        where d.org_id = ${ctx.orgId} and d.type = 'sales_order' and d.approved_at is not null and ${inPeriod(sql`d.approved_at`)} ${ofWarehouse})
      select count(*)::int as orders, (count(*) filter (where fulfilled >= ordered))::int as filled,
        coalesce(sum(ordered), 0)::text as ordered, coalesce(sum(least(fulfilled, ordered)), 0)::text as fulfilled
      from so`),
  ]);
  const ordered = dec(fill!.ordered);
  return {
    open: open.map((r) => ({ type: r.type, documents: r.documents, ages: { under_1d: r.under_1d, '1_3d': r['1_3d'], '3_7d': r['3_7d'], over_7d: r.over_7d } })),
    fillRate: {
      orders: fill!.orders, filledOrders: fill!.filled, orderedQty: ordered.toFixed(), fulfilledQty: dec(fill!.fulfilled).toFixed(),
      rate: ordered.isZero() ? null : dec(fill!.fulfilled).div(ordered).toFixed(4),
    },
  };
}
