import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { Ctx } from '../context';
import { ValidationError } from '../errors';
import { addDays, localDate } from '../lib/calendar';
import { dec, fmt, fmtMoney } from '../lib/decimal';
import { DEFAULT_PERIOD_DAYS, type AccuracyQuery } from './accuracy';

export type WastageRow = { reason: string; sku: string; name: string; unit: string; warehouse: string; warehouseName: string; documents: number; qty: string; value: string };

/**
 * 损耗: stock written off by posted adjustments (报损: lines taking stock off) over local dates
 * [from, to], by reason class (the line's reason: damaged, expired, near_expiry, spoiled, lost,
 * sample, other), item and warehouse — how many documents, how much and at what cost. Reversed
 * adjustments and their reversals do not count. Largest value first. One query.
 */
export async function getWastage(ctx: Ctx, query: AccuracyQuery): Promise<{ from: string; to: string; rows: WastageRow[]; totalValue: string }> {
  const to = query.to ?? localDate(ctx.now(), ctx.timezone);
  const from = query.from ?? addDays(to, 1 - DEFAULT_PERIOD_DAYS);
  if (from > to) throw ValidationError.field('from', `must not be after to (${to})`);
  const rows = await queryRows<{ reason: string | null; sku: string; name: string; unit: string; warehouse: string; wname: string; documents: number; qty: string; value: string }>(ctx.db, sql`
    select l.reason, i.sku, i.name, i.unit, w.code as warehouse, w.name as wname, count(distinct d.id)::int as documents,
      (-sum(l.qty))::text as qty, coalesce(-sum(l.value), 0)::text as value
    from documents d
    join document_lines l on l.document_id = d.id
    join items i on i.id = l.item_id
    join warehouses w on w.id = d.warehouse_id
    where d.org_id = ${ctx.orgId} and d.type = 'adjustment' and d.status = 'posted' and l.qty < 0
      and d.reverses_id is null and d.reversed_by_id is null
      and d.posted_at >= (${from}::date::timestamp at time zone ${ctx.timezone})
      and d.posted_at < ((${to}::date + 1)::timestamp at time zone ${ctx.timezone})
      ${query.warehouse === undefined ? sql`` : sql`and w.code = ${query.warehouse}`}
    group by l.reason, i.sku, i.name, i.unit, w.code, w.name`);
  const out = rows.map((r) => ({
    reason: r.reason ?? 'other', sku: r.sku, name: r.name, unit: r.unit, warehouse: r.warehouse, warehouseName: r.wname,
    documents: r.documents, qty: fmt(dec(r.qty)), value: fmtMoney(dec(r.value).abs()),
  })).sort((a, b) => dec(b.value).cmp(a.value) || a.sku.localeCompare(b.sku));
  return { from, to, rows: out, totalValue: fmtMoney(out.reduce((s, r) => s.plus(r.value), dec(0))) };
}
