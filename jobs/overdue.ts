import type { Queryable } from '../db/client';
import { recordOverdueReminders } from '../src/approvals/overdue';
import type { Config } from '../src/config';
import type { Logger } from '../src/lib/logger';

export type OverdueDeps = {
  db: Queryable; log: Logger; config?: Partial<Pick<Config, 'OVERDUE_REMIND_HOURS' | 'OVERDUE_ESCALATE_HOURS'>> | undefined;
};
export type OverdueSummary = { reminded: number; escalated: number };

/** Every 15 minutes: each warehouse's overdue documents as one card, reminded and escalated (`recordOverdueReminders`). */
export async function runOverdueReminders(deps: OverdueDeps, now: Date): Promise<OverdueSummary> {
  const summary = await recordOverdueReminders(deps.db, now, {
    remindHours: deps.config?.OVERDUE_REMIND_HOURS ?? 4, escalateHours: deps.config?.OVERDUE_ESCALATE_HOURS ?? 24,
  });
  if (summary.reminded || summary.escalated) deps.log.info('overdue reminders', summary);
  return summary;
}
