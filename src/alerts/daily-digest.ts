import { and, arrayContains, eq, sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client';
import { chatBindings, warehouses } from '../../db/schema';
import { enqueueMany } from '../outbox/enqueue';
import type { Ctx } from '../context';
import { addDays, localDate, localTime } from '../lib/calendar';
import { getAccuracy } from '../metrics/accuracy';
import { BACKLOG_STATUSES } from '../metrics/dashboard';
import { nearExpiryCounts } from '../inventory/near-expiry';
import { countOverdue } from '../approvals/overdue';
import { windowOfSubject } from './near-expiry';
import type { DigestCardInput } from '../../cards/digest-card';

/** The movements a digest reports: goods in, goods out, and returns either way. */
export const DIGEST_MOVEMENT_TYPES = ['receipt', 'issue', 'customer_return', 'purchase_return'] as const;

/** What a digest card shows (its input, `cards/digest-card.ts`), gathered here. */
export type DigestFacts = DigestCardInput;

/**
 * `digest:<warehouseId>:<YYYY-MM-DD>`, the date being the day covered (yesterday when sent):
 * that day's posted receipts, issues and returns by value, the backlog, overdue documents and
 * open alerts now, and the stocktake accuracy of the 30 days up to the day covered.
 */
export async function digestFacts(ctx: Ctx, subject: string): Promise<DigestFacts> {
  const [, warehouseId, day] = subject.split(':') as [string, string, string];
  const [w] = await ctx.db.select({ code: warehouses.code, name: warehouses.name }).from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), eq(warehouses.id, warehouseId)));
  if (!w) return { date: day, movements: [], backlog: [], overdue: 0, alerts: { lowStock: 0, nearExpiry: 0 } };
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
    where org_id = ${ctx.orgId} and warehouse_id = ${warehouseId} and status in (${sql.join(BACKLOG_STATUSES.map((st) => sql`${st}`), sql`, `)})
    group by status order by status`);
  const [counts] = await queryRows<{ low_stock: number }>(ctx.db, sql`
    select count(*)::int as low_stock from alerts where org_id = ${ctx.orgId} and warehouse_id = ${warehouseId}
      and kind = 'low_stock' and status <> 'resolved'`);
  const today = addDays(day, 1);
  const [near] = await nearExpiryCounts(ctx.db, today, await windowOfSubject(ctx, 'daily_digest', subject), ctx.orgId, warehouseId);
  const accuracy = await getAccuracy(ctx, { from: addDays(day, -29), to: day, warehouse: w.code });
  const order = (t: string) => (DIGEST_MOVEMENT_TYPES as readonly string[]).indexOf(t);
  return {
    warehouse: w,
    date: day,
    movements: movements.sort((a, b) => order(a.type) - order(b.type)),
    backlog,
    overdue: await countOverdue(ctx, warehouseId),
    alerts: { lowStock: counts?.low_stock ?? 0, nearExpiry: near?.lots ?? 0 },
    accuracy: accuracy.warehouses[0]?.accuracy ?? null,
  };
}

/**
 * Each digest group's daily digest, once a local day at or after `digestTime`: one outbox event per
 * bound chat and warehouse, keyed by the local date, so the job may run every few minutes (and on
 * several instances) and still announce once. The card covers yesterday and is rendered at send time.
 */
export async function recordDailyDigests(db: Queryable, now: Date, timezone: string, options: { digestTime: string; nearExpiryDays: number }) {
  if (localTime(now, timezone) < options.digestTime) return { due: false, chats: 0, announced: 0, today: localDate(now, timezone) };
  const today = localDate(now, timezone);
  const day = addDays(today, -1);
  const bound = await db.select().from(chatBindings).where(arrayContains(chatBindings.purposes, ['digest']));
  const announced = await enqueueMany(db, 'daily_digest', now, bound.map((b) => ({
    orgId: b.orgId, dedupeKey: `daily_digest:${b.platform}:${b.chatId}:${b.warehouseId}:${today}`,
    payload: { warehouseId: b.warehouseId, platform: b.platform, chatId: b.chatId, subject: `digest:${b.warehouseId}:${day}`, date: day, nearExpiryDays: options.nearExpiryDays },
  })));
  return { due: true, chats: bound.length, announced, today };
}
