import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client';
import type { Role } from '../../db/schema';
import { enqueueSelect, payloadSql } from '../outbox/enqueue';

/** One level up from each role; a level of named people only goes to a supervisor; nothing is above an admin. */
export const ESCALATES_TO: Partial<Record<Role, Role>> = {
  staff: 'warehouse_lead', warehouse_lead: 'supervisor', store_manager: 'supervisor', supervisor: 'admin',
};
const NAMED_ONLY_ESCALATES_TO: Role = 'supervisor';

const HOUR = 3_600_000;

/** Pending levels of documents awaiting approval (`a`: the level, `d`: its document). */
const pending = sql`from document_approvals a join documents d on d.id = a.document_id
  where a.status = 'pending' and d.status = 'awaiting_approval'`;

/**
 * Over every organisation, in two statements:
 * - a pending level waiting longer than `remindHours` since `pending_since` is reminded: an
 *   `approval_reminder` event, fanned out like `approval_requested` (the approval card to the level's
 *   approvers again), one per full interval waited (the key counts them);
 * - one waiting longer than `escalateHours` is escalated once per level: an `approval_escalated`
 *   event sends the card one to one to the holders of the next role up (ESCALATES_TO). Escalation
 *   is for visibility only: deciding still follows the rules — `decideApproval` lets only the
 *   level's roles or named users decide, and nobody their own document.
 */
export async function recordApprovalReminders(db: Queryable, now: Date, hoursOf: { remindHours: number; escalateHours: number }) {
  const remindMs = hoursOf.remindHours * HOUR;
  const t = sql`${now.toISOString()}::timestamptz`;
  const ref = { documentId: sql`a.id`, number: sql`a.number`, type: sql`a.type`, warehouseId: sql`a.warehouse_id`, level: sql`a.level` };

  const reminded = await enqueueSelect(db, 'approval_reminder', now, {
    with: sql`with a as (
      select a.org_id, a.document_id, a.level, a.roles, a.user_ids, d.id, d.number, d.type, d.warehouse_id,
        floor(extract(epoch from ${t} - a.pending_since) * 1000 / ${String(remindMs)}::numeric)::bigint as n
      ${pending}
        and a.pending_since <= ${new Date(now.getTime() - remindMs).toISOString()}::timestamptz)`,
    select: sql`select a.org_id, 'approval_reminder:' || a.document_id || ':' || a.level || ':' || a.n as dedupe_key,
      ${payloadSql('approval_reminder', { ...ref, roles: sql`to_jsonb(a.roles)`, users: sql`to_jsonb(a.user_ids)`, reminder: sql`a.n` })} as payload
      from a`,
  });

  const ladder = sql.join(Object.entries(ESCALATES_TO).map(([from, to]) => sql`(${from}::text, ${to}::text)`), sql`, `);
  const escalated = await enqueueSelect(db, 'approval_escalated', now, {
    with: sql`with ladder(role, up) as (values ${ladder}),
    a as (
      select a.org_id, a.document_id, a.level, a.roles, d.id, d.number, d.type, d.warehouse_id,
        case when cardinality(a.roles) = 0 then array[${NAMED_ONLY_ESCALATES_TO}::text]
          else array(select distinct l.up from unnest(a.roles) r join ladder l on l.role = r where l.up <> all(a.roles) order by l.up) end as up
      ${pending}
        and a.pending_since <= ${new Date(now.getTime() - hoursOf.escalateHours * HOUR).toISOString()}::timestamptz)`,
    select: sql`select a.org_id, 'approval_escalated:' || a.document_id || ':' || a.level as dedupe_key,
      ${payloadSql('approval_escalated', { ...ref, fromRoles: sql`to_jsonb(a.roles)`, roles: sql`to_jsonb(a.up)` })} as payload
      from a where cardinality(a.up) > 0`,
  });
  return { reminded: reminded.length, escalated: escalated.length };
}
