import type { Queryable } from '../db/client';
import { recordApprovalReminders } from '../src/approvals/escalation';
import type { Config } from '../src/config';
import type { Logger } from '../src/lib/logger';

export type ApprovalRemindersDeps = {
  db: Queryable; log: Logger; config?: Partial<Pick<Config, 'APPROVAL_REMIND_HOURS' | 'APPROVAL_ESCALATE_HOURS'>> | undefined;
};
export type ApprovalRemindersSummary = { reminded: number; escalated: number };

/** Every 15 minutes: pending approvals reminded and escalated (`recordApprovalReminders`). */
export async function runApprovalReminders(deps: ApprovalRemindersDeps, now: Date): Promise<ApprovalRemindersSummary> {
  const summary = await recordApprovalReminders(deps.db, now, {
    remindHours: deps.config?.APPROVAL_REMIND_HOURS ?? 4, escalateHours: deps.config?.APPROVAL_ESCALATE_HOURS ?? 8,
  });
  if (summary.reminded || summary.escalated) deps.log.info('approval reminders', summary);
  return summary;
}
