import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../db/client';
import type { Config } from '../src/config';
import type { Logger } from '../src/lib/logger';

export type OverdueDeps = {
  db: Queryable; log: Logger; config?: Partial<Pick<Config, 'OVERDUE_REMIND_HOURS' | 'OVERDUE_ESCALATE_HOURS'>> | undefined;
};
export type OverdueSummary = { reminded: number; escalated: number };

const HOUR = 3_600_000;

/**
 * One `overdue` outbox row per warehouse with documents past their due time (the warehouse that
 * must act, as `listOverdue` groups them), in one statement over every organisation. Fan-out sends
 * the group's card (subject `overdue:<warehouseId>`, rendered from the current state) to the
 * warehouse's alerts chats and its leads; once the oldest document of the group is overdue longer
 * than `OVERDUE_ESCALATE_HOURS`, a second row (`overdue:<warehouseId>:escalated`) takes the card
 * to the supervisors. Each is sent again every `OVERDUE_REMIND_HOURS`: the dedupe key carries the
 * reminder window (floor(now / N h)), and a row from the previous window younger than N hours holds
 * the next one back, so the interval holds whenever the first one went out.
 */
export async function runOverdueReminders(deps: OverdueDeps, now: Date): Promise<OverdueSummary> {
  const remindMs = (deps.config?.OVERDUE_REMIND_HOURS ?? 4) * HOUR;
  const escalateMs = (deps.config?.OVERDUE_ESCALATE_HOURS ?? 24) * HOUR;
  const window = Math.floor(now.getTime() / remindMs);
  const t = sql`${now.toISOString()}::timestamptz`;
  const rows = await queryRows<{ escalated: boolean }>(deps.db, sql`
    with g as (
      select d.org_id, w.id as warehouse_id, w.code, count(*)::int as documents, min(d.due_at) as oldest
      from documents d
      join warehouses w on w.id = case when d.status = 'shipped' then d.to_warehouse_id else d.warehouse_id end
      where d.due_at < ${t} and d.status in ('submitted', 'awaiting_approval', 'approved', 'shipped')
      group by d.org_id, w.id, w.code),
    r as (
      select g.*, e.escalated, 'overdue:' || g.warehouse_id || case when e.escalated then ':escalated' else '' end as key
      from g cross join (values (false), (true)) e(escalated)
      where not e.escalated or g.oldest < ${new Date(now.getTime() - escalateMs).toISOString()}::timestamptz)
    insert into outbox (org_id, kind, dedupe_key, payload, next_attempt_at, created_at)
    select r.org_id, 'overdue', r.key || ':' || ${String(window)}::text,
      jsonb_build_object('warehouseId', r.warehouse_id, 'warehouse', r.code, 'documents', r.documents, 'oldestDueAt', r.oldest, 'escalated', r.escalated),
      ${t}, ${t}
    from r
    where not exists (select 1 from outbox o where o.org_id = r.org_id and o.dedupe_key = r.key || ':' || ${String(window - 1)}::text
      and o.created_at > ${new Date(now.getTime() - remindMs).toISOString()}::timestamptz)
    on conflict (org_id, dedupe_key) do nothing
    returning (payload->>'escalated')::boolean as escalated`);
  const summary: OverdueSummary = { reminded: rows.filter((r) => !r.escalated).length, escalated: rows.filter((r) => r.escalated).length };
  if (rows.length) deps.log.info('overdue reminders', summary);
  return summary;
}
