import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { Ctx } from '../context';
import { NotFoundError, ValidationError } from '../errors';
import { addDays, localDate } from '../lib/calendar';
import { dec } from '../lib/decimal';

export type AccuracyQuery = { from?: string | undefined; to?: string | undefined; warehouse?: string | undefined };

export type WarehouseAccuracy = {
  warehouse: string;
  name: string;
  countedLines: number;
  exactLines: number;
  /** exact / counted to 4 places ("0.9850"), or null when nothing was counted. */
  accuracy: string | null;
};

export type AccuracyJson = { from: string; to: string; warehouses: WarehouseAccuracy[] };

/** The default period: the last 30 local days, today included. */
export const DEFAULT_PERIOD_DAYS = 30;

/**
 * Inventory accuracy per warehouse: the share of counted lines with no variance, over the posted
 * stocktakes whose posting falls in [from, to] as local dates in the organisation's time zone.
 * Reversed stocktakes and their reversals do not count. Every warehouse is listed (null when it was
 * not counted). One query. Throws ValidationError (from after to), NotFoundError (warehouse).
 */
export async function getAccuracy(ctx: Ctx, query: AccuracyQuery): Promise<AccuracyJson> {
  const to = query.to ?? localDate(ctx.now(), ctx.timezone);
  const from = query.from ?? addDays(to, 1 - DEFAULT_PERIOD_DAYS);
  if (from > to) throw ValidationError.field('from', `must not be after to (${to})`);
  // Local midnights as instants: the zone's rules (not a fixed offset) decide each bound.
  const start = sql`(${from}::date::timestamp at time zone ${ctx.timezone})`;
  const end = sql`((${to}::date + 1)::timestamp at time zone ${ctx.timezone})`;
  const rows = await queryRows<{ warehouse: string; name: string; counted: number; exact: number }>(ctx.db, sql`
    select w.code as warehouse, w.name,
      count(l.line_no)::int as counted,
      (count(l.line_no) filter (where l.qty = l.book_qty))::int as exact
    from warehouses w
    left join documents d on d.org_id = w.org_id and d.warehouse_id = w.id
      and d.type = 'stocktake' and d.status = 'posted'
      and d.reverses_id is null and d.reversed_by_id is null
      and d.posted_at >= ${start} and d.posted_at < ${end}
    left join document_lines l on l.org_id = d.org_id and l.document_id = d.id
    where w.org_id = ${ctx.orgId} ${query.warehouse === undefined ? sql`` : sql`and w.code = ${query.warehouse}`}
    group by w.id, w.code, w.name
    order by w.code`);
  if (query.warehouse !== undefined && rows.length === 0) throw new NotFoundError('warehouse', query.warehouse);
  return {
    from,
    to,
    warehouses: rows.map((r) => ({
      warehouse: r.warehouse,
      name: r.name,
      countedLines: r.counted,
      exactLines: r.exact,
      accuracy: r.counted === 0 ? null : dec(r.exact).div(r.counted).toFixed(4),
    })),
  };
}
