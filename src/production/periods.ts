import { and, eq, isNull, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { costCloses } from '../../db/schema';
import type { Ctx } from '../context';
import { ConflictError, ValidationError } from '../errors';
import { localParts } from '../lib/calendar';

/** A cost period is a calendar month in APP_TIMEZONE, written YYYY-MM. */
export const periodPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month an instant falls in, in the organisation's zone. */
export function periodOf(at: Date, timezone: string): string {
  const { y, m } = localParts(at, timezone);
  return `${y}-${m}`;
}

/** The month before or after (`months` may be negative). */
export function shiftPeriod(period: string, months: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Checks a period typed by someone (a 400 naming `field` when it is not YYYY-MM). */
export function checkPeriod(period: string, field = 'period'): string {
  if (!periodPattern.test(period)) throw ValidationError.field(field, `must be a month as YYYY-MM, not '${period}'`);
  return period;
}

/** The close standing for a month, if it is closed. */
export async function standingClose(ctx: Ctx, period: string) {
  const [row] = await ctx.db.select().from(costCloses)
    .where(and(eq(costCloses.orgId, ctx.orgId), eq(costCloses.period, period), isNull(costCloses.reopenedAt)));
  return row;
}

/**
 * A closed month's figures stand until it is reopened: completing production in it, reversing a
 * completion of it or changing its pools is a 409 (`period_closed`).
 */
export async function refuseClosedPeriod(ctx: Ctx, period: string, what: string): Promise<void> {
  if (await standingClose(ctx, period)) {
    throw new ConflictError(`the cost period ${period} is closed: reopen it before ${what}`, { period })
      .because('period_closed', { period, what });
  }
}

/** The month's first instant and the next month's, as the database reckons them in the zone (daylight saving too). */
export async function periodBounds(ctx: Ctx, period: string): Promise<{ start: Date; end: Date }> {
  const [row] = await queryRows<{ start: string; end: string }>(ctx.db, sql`
    select ((${period} || '-01')::date::timestamp at time zone ${ctx.timezone})::text as start,
      (((${period} || '-01')::date + interval '1 month')::timestamp at time zone ${ctx.timezone})::text as end`);
  return { start: new Date(row!.start), end: new Date(row!.end) };
}
