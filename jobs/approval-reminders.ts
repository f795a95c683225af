import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../db/client';
import type { Role } from '../db/schema';
import type { Config } from '../src/config';
import type { Logger } from '../src/lib/logger';

export type ApprovalRemindersDeps = {
  db: Queryable; log: Logger; config?: Partial<Pick<Config, 'APPROVAL_REMIND_HOURS' | 'APPROVAL_ESCALATE_HOURS'>> | undefined;
};
export type ApprovalRemindersSummary = { reminded: number; escalated: number };

/** One level up from each role; a level of named people only goes to a supervisor; nothing is above an admin. */
export const ESCALATES_TO: Partial<Record<Role, Role>> = {
  staff: 'warehouse_lead', warehouse_lead: 'supervisor', store_manager: 'supervisor', supervisor: 'admin',
};
const NAMED_ONLY_ESCALATES_TO: Role = 'supervisor';

const HOUR = 3_600_000;

/**
 * Over every organisation, in two statements:
 * - a pending approval level waiting longer than `APPROVAL_REMIND_HOURS` since `pending_since` is
 *   reminded: an `approval_reminder` row, fanned out like `approval_requested` (the approval card
 *   to the level's approvers again), one per full interval waited (the key counts them);
 * - one waiting longer than `APPROVAL_ESCALATE_HOURS` is escalated once per level: an
 *   `approval_escalated` row sends the card one to one to the holders of the next role up.
 *   Escalation is for visibility only: whoever receives it sees the document and can chase it, but
 *   deciding still follows the rules — `decideApproval` lets only the level's roles or named users
 *   decide, and nobody their own document.
 */
export async function runApprovalReminders(deps: ApprovalRemindersDeps, now: Date): Promise<ApprovalRemindersSummary> {
  const remindMs = (deps.config?.APPROVAL_REMIND_HOURS ?? 4) * HOUR;
  const escalateMs = (deps.config?.APPROVAL_ESCALATE_HOURS ?? 8) * HOUR;
  const t = sql`${now.toISOString()}::timestamptz`;
  const asked = sql`'documentId', a.id, 'number', a.number, 'type', a.type, 'warehouseId', a.warehouse_id, 'level', a.level`;
  const pending = sql`from document_approvals a join documents d on d.id = a.document_id
    where a.status = 'pending' and d.status = 'awaiting_approval'`;

  const reminded = await queryRows<{ id: number }>(deps.db, sql`
    with a as (
      select a.org_id, a.document_id, a.level, a.roles, a.user_ids, d.id, d.number, d.type, d.warehouse_id,
        floor(extract(epoch from ${t} - a.pending_since) * 1000 / ${String(remindMs)}::numeric)::bigint as n
      ${pending}
        and a.pending_since <= ${new Date(now.getTime() - remindMs).toISOString()}::timestamptz)
    insert into outbox (org_id, kind, dedupe_key, payload, next_attempt_at, created_at)
    select a.org_id, 'approval_reminder', 'approval_reminder:' || a.document_id || ':' || a.level || ':' || a.n,
      jsonb_build_object(${asked}, 'roles', to_jsonb(a.roles), 'users', to_jsonb(a.user_ids), 'reminder', a.n), ${t}, ${t}
    from a
    on conflict (org_id, dedupe_key) do nothing
    returning id`);

  const ladder = sql.join(Object.entries(ESCALATES_TO).map(([from, to]) => sql`(${from}::text, ${to}::text)`), sql`, `);
  const escalated = await queryRows<{ id: number }>(deps.db, sql`
    with ladder(role, up) as (values ${ladder}),
    e as (
      select a.org_id, a.document_id, a.level, a.roles, d.id, d.number, d.type, d.warehouse_id,
        case when cardinality(a.roles) = 0 then array[${NAMED_ONLY_ESCALATES_TO}::text]
          else array(select distinct l.up from unnest(a.roles) r join ladder l on l.role = r where l.up <> all(a.roles) order by l.up) end as up
      ${pending}
        and a.pending_since <= ${new Date(now.getTime() - escalateMs).toISOString()}::timestamptz)
    insert into outbox (org_id, kind, dedupe_key, payload, next_attempt_at, created_at)
    select a.org_id, 'approval_escalated', 'approval_escalated:' || a.document_id || ':' || a.level,
      jsonb_build_object(${asked}, 'fromRoles', to_jsonb(a.roles), 'roles', to_jsonb(a.up)), ${t}, ${t}
    from e a
    where cardinality(a.up) > 0
    on conflict (org_id, dedupe_key) do nothing
    returning id`);

  const summary: ApprovalRemindersSummary = { reminded: reminded.length, escalated: escalated.length };
  if (summary.reminded || summary.escalated) deps.log.info('approval reminders', summary);
  return summary;
}
