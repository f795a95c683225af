import { and, eq, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { warehouses } from '../../db/schema';
import type { Card } from '../../cards/model';
import { renderDigestCard } from '../../cards/digest-card';
import type { Ctx } from '../context';
import { addDays, getAccuracy } from '../metrics/accuracy';
import { nearExpiryCounts, windowOfSubject } from './near-expiry';

/** The movements a digest reports: goods in, goods out, and returns either way. */
export const DIGEST_MOVEMENT_TYPES = ['receipt', 'issue', 'customer_return', 'purchase_return'] as const;

/**
 * `digest:<warehouseId>:<YYYY-MM-DD>`, the date being the day covered (yesterday when sent):
 * that day's posted receipts, issues and returns by value, the backlog and open alerts now, and
 * the stocktake accuracy of the 30 days up to the day covered.
 */
export async function digestCard(ctx: Ctx, subject: string): Promise<Card> {
  const [, warehouseId, day] = subject.split(':') as [string, string, string];
  const [w] = await ctx.db.select({ code: warehouses.code, name: warehouses.name }).from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), eq(warehouses.id, warehouseId)));
  if (!w) return renderDigestCard({ date: day, movements: [], backlog: [], overdue: 0, alerts: { lowStock: 0, nearExpiry: 0 } });
  const start = sql`(${day}::date::timestamp at time zone ${ctx.timezone})`;
  const end = sql`((${day}::date + 1)::timestamp at time zone ${ctx.timezone})`;
  const types = sql.join(DIGEST_MOVEMENT_TYPES.map((t) => sql`${t}`), sql`, `);
  const movements = await queryRows<{ type: string; documents: number; value: string }>(ctx.db, sql`
    select type, count(*)::int as documents, coalesce(sum(total_value), 0)::text as value
    from documents
    where org_id = ${ctx.orgId} and warehouse_id = ${warehouseId} and status = 'posted' and reverses_id is null
      and type in (${types}) and posted_at >= ${start} and posted_at < ${end}
    group by type`);
  const backlog = await queryRows<{ status: string; documents: number }>(ctx.db, sql`
    select status, count(*)::int as documents from documents
    where org_id = ${ctx.orgId} and warehouse_id = ${warehouseId} and status not in ('posted', 'cancelled')
    group by status order by status`);
  const [counts] = await queryRows<{ overdue: number; low_stock: number }>(ctx.db, sql`
    select
      (select count(*)::int from documents where org_id = ${ctx.orgId} and warehouse_id = ${warehouseId}
        and due_at < ${ctx.now().toISOString()} and status in ('submitted', 'awaiting_approval', 'approved', 'shipped')) as overdue,
      (select count(*)::int from alerts where org_id = ${ctx.orgId} and warehouse_id = ${warehouseId}
        and kind = 'low_stock' and status <> 'resolved') as low_stock`);
  const today = addDays(day, 1);
  const [near] = await nearExpiryCounts(ctx.db, today, await windowOfSubject(ctx, 'daily_digest', subject), ctx.orgId, warehouseId);
  const accuracy = await getAccuracy(ctx, { from: addDays(day, -29), to: day, warehouse: w.code });
  const order = (t: string) => (DIGEST_MOVEMENT_TYPES as readonly string[]).indexOf(t);
  return renderDigestCard({
    warehouse: w,
    date: day,
    movements: movements.sort((a, b) => order(a.type) - order(b.type)),
    backlog,
    overdue: counts?.overdue ?? 0,
    alerts: { lowStock: counts?.low_stock ?? 0, nearExpiry: near?.lots ?? 0 },
    accuracy: accuracy.warehouses[0]?.accuracy ?? null,
  });
}
