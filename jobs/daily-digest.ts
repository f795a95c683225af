import { arrayContains } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { chatBindings, outbox } from '../db/schema';
import { localDate } from '../src/inventory/documents/numbering';
import { addDays } from '../src/metrics/accuracy';
import type { Logger } from '../src/lib/logger';

export type DailyDigestDeps = {
  db: Queryable; log: Logger; timezone: string; config: { DIGEST_TIME: string; NEAR_EXPIRY_DAYS: number };
};
export type DailyDigestSummary = { due: boolean; chats: number; announced: number };

/** "08:05": the local wall-clock time in the zone, comparable as text with DIGEST_TIME. */
export function localTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('hour')}:${part('minute')}`;
}

/**
 * Sends each digest group its daily digest once a local day, at or after DIGEST_TIME: one outbox
 * row per bound chat and warehouse, keyed by the local date, so the scan may run every few minutes
 * (and on several instances) and still announce once. The card covers yesterday and is rendered
 * at send time.
 */
export async function runDailyDigest(deps: DailyDigestDeps, now: Date): Promise<DailyDigestSummary> {
  if (localTime(now, deps.timezone) < deps.config.DIGEST_TIME) return { due: false, chats: 0, announced: 0 };
  const today = localDate(now, deps.timezone);
  const day = addDays(today, -1);
  const bound = await deps.db.select().from(chatBindings).where(arrayContains(chatBindings.purposes, ['digest']));
  const summary: DailyDigestSummary = { due: true, chats: bound.length, announced: 0 };
  if (bound.length > 0) {
    const rows = await deps.db.insert(outbox).values(bound.map((b) => ({
      orgId: b.orgId, kind: 'daily_digest' as const, dedupeKey: `daily_digest:${b.platform}:${b.chatId}:${b.warehouseId}:${today}`,
      nextAttemptAt: now, createdAt: now,
      payload: { warehouseId: b.warehouseId, platform: b.platform, chatId: b.chatId, subject: `digest:${b.warehouseId}:${day}`,
        date: day, nearExpiryDays: deps.config.NEAR_EXPIRY_DAYS },
    }))).onConflictDoNothing().returning({ id: outbox.id });
    summary.announced = rows.length;
  }
  if (summary.announced) deps.log.info('daily digest', { ...summary, date: today });
  return summary;
}
