import type { Queryable } from '../db/client';
import { recordNearExpiry } from '../src/alerts/near-expiry';
import type { Logger } from '../src/lib/logger';

export type NearExpiryDeps = { db: Queryable; log: Logger; timezone: string; config: { NEAR_EXPIRY_DAYS: number } };
export type NearExpirySummary = { warehouses: number; lots: number; announced: number };

/** Daily: each warehouse holding lots near expiry is announced once (`recordNearExpiry`). */
export async function runNearExpiry(deps: NearExpiryDeps, now: Date): Promise<NearExpirySummary> {
  const { today, ...summary } = await recordNearExpiry(deps.db, now, deps.timezone, deps.config.NEAR_EXPIRY_DAYS);
  if (summary.announced) deps.log.info('near expiry', { ...summary, date: today });
  return summary;
}
