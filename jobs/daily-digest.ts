import type { Queryable } from '../db/client';
import { recordDailyDigests } from '../src/alerts/daily-digest';
import type { Logger } from '../src/lib/logger';

export type DailyDigestDeps = {
  db: Queryable; log: Logger; timezone: string; config: { DIGEST_TIME: string; NEAR_EXPIRY_DAYS: number };
};
export type DailyDigestSummary = { due: boolean; chats: number; announced: number };

/** Every 15 minutes: from DIGEST_TIME on, each digest group gets its daily digest once a day (`recordDailyDigests`). */
export async function runDailyDigest(deps: DailyDigestDeps, now: Date): Promise<DailyDigestSummary> {
  const { today, ...summary } = await recordDailyDigests(deps.db, now, deps.timezone, {
    digestTime: deps.config.DIGEST_TIME, nearExpiryDays: deps.config.NEAR_EXPIRY_DAYS,
  });
  if (summary.announced) deps.log.info('daily digest', { ...summary, date: today });
  return summary;
}
