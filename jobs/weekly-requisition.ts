import type { Queryable } from '../db/client';
import type { Logger } from '../src/lib/logger';
import { announceWeeklyRequisitions } from '../src/replenishment/weekly';

export type WeeklyRequisitionDeps = { db: Queryable; log: Logger; timezone: string };

/** Monday 9:00 (APP_TIMEZONE): each store's 要货建议 card to its group (`announceWeeklyRequisitions`). */
export async function runWeeklyRequisition(deps: WeeklyRequisitionDeps, now: Date) {
  const summary = await announceWeeklyRequisitions(deps.db, now, deps.timezone, deps.log);
  if (summary.announced) deps.log.info('weekly requisition suggestions', summary);
  return summary;
}
