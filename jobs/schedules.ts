import type { Db } from '../db/client';
import type { Config } from '../src/config';
import type { Logger } from '../src/lib/logger';
import { runApprovalReminders } from './approval-reminders';
import { runDailyDigest } from './daily-digest';
import { runLowStockScan } from './low-stock-scan';
import { runNearExpiry } from './near-expiry';
import { runOverdueReminders } from './overdue';
import { runWeeklyRequisition } from './weekly-requisition';

/** What every scheduled job is given; each takes the part it needs. */
export type JobDeps = { db: Db; log: Logger; timezone: string; config: Config };
export type Job = { name: string; schedule: string; run: (deps: JobDeps, now: Date) => Promise<unknown> };

/**
 * Every scheduled job and when it runs: cron patterns in APP_TIMEZONE. Outbox delivery is not here:
 * on Node it is its own loop; on Workers the `scheduled` handler runs it after the jobs on every tick.
 * Each job is safe to re-run (outbox dedupe keys), so a missed or doubled tick costs nothing.
 */
export const jobs: Job[] = [
  { name: 'low-stock-scan', schedule: '*/10 * * * *', run: runLowStockScan },
  { name: 'overdue-reminders', schedule: '*/15 * * * *', run: runOverdueReminders },
  { name: 'approval-reminders', schedule: '*/15 * * * *', run: runApprovalReminders },
  { name: 'near-expiry', schedule: '30 8 * * *', run: runNearExpiry },
  // Checked every 15 minutes: the job itself waits for DIGEST_TIME and sends once a day.
  { name: 'daily-digest', schedule: '*/15 * * * *', run: runDailyDigest },
  // Monday 9:00: each store's 要货建议 (next week's needs in cases) to its group.
  { name: 'weekly-requisition', schedule: '0 9 * * 1', run: runWeeklyRequisition },
];
