import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client';
import { outbox } from '../../db/schema';
import type { Ctx } from '../context';
import { DEFAULT_NEAR_EXPIRY_DAYS, nearExpiryCounts } from '../inventory/near-expiry';
import { localDate } from '../lib/calendar';
import { enqueueMany } from '../outbox/enqueue';

/** The window the event behind a subject was raised with (its outbox payload), so a re-render shows the same lots. */
export async function windowOfSubject(ctx: Ctx, kind: 'near_expiry' | 'daily_digest', subject: string): Promise<number> {
  const [row] = await ctx.db.select({ payload: outbox.payload }).from(outbox)
    .where(and(eq(outbox.orgId, ctx.orgId), eq(outbox.kind, kind), sql`${outbox.payload}->>'subject' = ${subject}`)).limit(1);
  const days = Number(row?.payload.nearExpiryDays);
  return Number.isInteger(days) && days > 0 ? days : DEFAULT_NEAR_EXPIRY_DAYS;
}

/**
 * Announces, once per local day, every warehouse holding lots near expiry: one outbox event per
 * warehouse keyed by the date (a re-run the same day adds nothing), fanned out to its alerts groups,
 * whose card is rendered from the stock at send time. One query finds them across organisations.
 */
export async function recordNearExpiry(db: Queryable, now: Date, timezone: string, days: number) {
  const today = localDate(now, timezone);
  const found = await nearExpiryCounts(db, today, days);
  const announced = await enqueueMany(db, 'near_expiry', now, found.map((f) => {
    const subject = `near_expiry:${f.warehouse_id}:${today}`;
    return { orgId: f.org_id, dedupeKey: subject, payload: { warehouseId: f.warehouse_id, subject, date: today, lots: f.lots, nearExpiryDays: days } };
  }));
  return { today, warehouses: found.length, lots: found.reduce((n, f) => n + f.lots, 0), announced };
}
