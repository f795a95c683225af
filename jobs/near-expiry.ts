import type { Queryable } from '../db/client';
import { outbox } from '../db/schema';
import { nearExpiryCounts } from '../src/alerts/near-expiry';
import { localDate } from '../src/inventory/documents/numbering';
import type { Logger } from '../src/lib/logger';

export type NearExpiryDeps = { db: Queryable; log: Logger; timezone: string; config: { NEAR_EXPIRY_DAYS: number } };
export type NearExpirySummary = { warehouses: number; lots: number; announced: number };

/**
 * Announces, once per local day, every warehouse holding lots near expiry: one outbox row per
 * warehouse keyed by the date (a re-run the same day adds nothing), fanned out to its alerts groups,
 * whose card is rendered from the stock at send time. One query finds them across organisations.
 */
export async function runNearExpiry(deps: NearExpiryDeps, now: Date): Promise<NearExpirySummary> {
  const today = localDate(now, deps.timezone);
  const days = deps.config.NEAR_EXPIRY_DAYS;
  const found = await nearExpiryCounts(deps.db, today, days);
  const summary: NearExpirySummary = { warehouses: found.length, lots: found.reduce((n, f) => n + f.lots, 0), announced: 0 };
  if (found.length > 0) {
    const rows = await deps.db.insert(outbox).values(found.map((f) => {
      const subject = `near_expiry:${f.warehouse_id}:${today}`;
      return { orgId: f.org_id, kind: 'near_expiry' as const, dedupeKey: subject, nextAttemptAt: now, createdAt: now,
        payload: { warehouseId: f.warehouse_id, subject, date: today, lots: f.lots, nearExpiryDays: days } };
    })).onConflictDoNothing().returning({ id: outbox.id });
    summary.announced = rows.length;
  }
  if (summary.announced) deps.log.info('near expiry', { ...summary, date: today });
  return summary;
}

