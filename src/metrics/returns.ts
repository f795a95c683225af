import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { Ctx } from '../context';
import { ValidationError } from '../errors';
import { addDays, localDate } from '../lib/calendar';
import { dec, fmt } from '../lib/decimal';
import { DEFAULT_PERIOD_DAYS, type AccuracyQuery } from './accuracy';

export const returnReasonClasses = ['expired', 'near_expiry', 'damaged', 'wrong_item', 'quality', 'other'] as const;

export type ReturnsByReason = { reason: string; returns: number; qty: string; acceptedQty: string; rejectedQty: string };

/**
 * Customer returns by reason class over local dates [from, to] (created in the period, not
 * cancelled, not reversals or reversed): how many, how much came back, and how much QC accepted
 * and rejected so far. Every class is listed, zero when none. One query.
 */
export async function getReturnsByReason(ctx: Ctx, query: AccuracyQuery): Promise<{ from: string; to: string; reasons: ReturnsByReason[] }> {
  const to = query.to ?? localDate(ctx.now(), ctx.timezone);
  const from = query.from ?? addDays(to, 1 - DEFAULT_PERIOD_DAYS);
  if (from > to) throw ValidationError.field('from', `must not be after to (${to})`);
  const rows = await queryRows<{ reason: string; returns: number; qty: string; accepted: string; rejected: string }>(ctx.db, sql`
    select d.return_reason as reason, count(distinct d.id)::int as returns,
      coalesce(sum(l.qty), 0)::text as qty, coalesce(sum(l.accepted_qty), 0)::text as accepted, coalesce(sum(l.rejected_qty), 0)::text as rejected
    from documents d
    join warehouses w on w.id = d.warehouse_id
    join document_lines l on l.document_id = d.id
    where d.org_id = ${ctx.orgId} and d.type = 'customer_return' and d.status not in ('draft', 'cancelled')
      and d.reverses_id is null and d.reversed_by_id is null
      and d.created_at >= (${from}::date::timestamp at time zone ${ctx.timezone})
      and d.created_at < ((${to}::date + 1)::timestamp at time zone ${ctx.timezone})
      ${query.warehouse === undefined ? sql`` : sql`and w.code = ${query.warehouse}`}
    group by d.return_reason`);
  const by = new Map(rows.map((r) => [r.reason ?? 'other', r]));
  return {
    from,
    to,
    reasons: returnReasonClasses.map((reason) => {
      const r = by.get(reason);
      return { reason, returns: r?.returns ?? 0, qty: fmt(dec(r?.qty ?? 0)), acceptedQty: fmt(dec(r?.accepted ?? 0)), rejectedQty: fmt(dec(r?.rejected ?? 0)) };
    }),
  };
}
