import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client';
import type { Ctx } from '../context';
import { enqueueSelect, payloadSql } from '../outbox/enqueue';
import { waitingStatuses } from './service-levels';

/**
 * The one definition of "overdue": a document waiting in a status with a service level whose due
 * time has passed, held by the warehouse that must act — a shipped transfer by its destination,
 * which must confirm receipt; an open requisition by the warehouse that supplies it; anything else
 * (an open purchase order past its expected day too) by its own warehouse. Columns: every column of `d`
 * (documents) and `acting_warehouse_id`. Across organisations unless `orgId` is given.
 */
export function overdueDocuments(now: Date, orgId?: string): SQL {
  const statuses = sql.join(waitingStatuses.map((s) => sql`${s}`), sql`, `);
  return sql`select d.*, case when d.status = 'shipped' or (d.type = 'requisition' and d.status = 'approved') then d.to_warehouse_id else d.warehouse_id end as acting_warehouse_id
    from documents d
    where d.due_at < ${now.toISOString()}::timestamptz and d.status in (${statuses}) ${orgId ? sql`and d.org_id = ${orgId}` : sql``}`;
}

export type OverdueDocument = {
  id: string; number: string; type: string; status: string; dueAt: string; waitingSince: string | null;
  ageHours: number; overdueHours: number;
};
export type OverdueGroup = { warehouse: string; name: string; documents: OverdueDocument[] };

/** Overdue documents grouped by the warehouse that must act, oldest due first, with how long each has waited. */
export async function listOverdue(ctx: Ctx, filter: { warehouse?: string | undefined } = {}): Promise<OverdueGroup[]> {
  const now = ctx.now();
  const rows = await queryRows<{
    id: string; number: string; type: string; status: string; due_at: Date | string; since: Date | string | null; code: string; name: string;
  }>(ctx.db, sql`
    select d.id, d.number, d.type, d.status, d.due_at, w.code, w.name,
      case d.status
        when 'awaiting_approval' then (select a.pending_since from document_approvals a where a.document_id = d.id and a.status = 'pending')
        when 'approved' then d.approved_at
        when 'shipped' then d.shipped_at
        else d.submitted_at end as since
    from (${overdueDocuments(now, ctx.orgId)}) d
    join warehouses w on w.id = d.acting_warehouse_id
    ${filter.warehouse ? sql`where w.code = ${filter.warehouse}` : sql``}
    order by w.code, d.due_at, d.number`);
  const hours = (ms: number) => Math.floor(ms / 360_000) / 10;
  const groups = new Map<string, OverdueGroup>();
  for (const r of rows) {
    const due = new Date(r.due_at);
    const since = r.since === null ? null : new Date(r.since);
    const group = groups.get(r.code) ?? { warehouse: r.code, name: r.name, documents: [] };
    groups.set(r.code, group);
    group.documents.push({
      id: r.id, number: r.number, type: r.type, status: r.status, dueAt: due.toISOString(),
      waitingSince: since?.toISOString() ?? null,
      ageHours: since ? hours(now.getTime() - since.getTime()) : 0,
      overdueHours: hours(now.getTime() - due.getTime()),
    });
  }
  return [...groups.values()];
}

/** How many documents a warehouse must act on are overdue now. */
export async function countOverdue(ctx: Ctx, warehouseId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(ctx.db, sql`
    select count(*)::int as n from (${overdueDocuments(ctx.now(), ctx.orgId)}) d where d.acting_warehouse_id = ${warehouseId}`);
  return row?.n ?? 0;
}

/**
 * One `document_overdue` event per document and due time it has passed (a document that falls due
 * again after a new status gets a new one); safe to run on every tick. Returns how many were new.
 */
export async function recordOverdue(ctx: Ctx): Promise<number> {
  const events = await enqueueSelect(ctx.db, 'document_overdue', ctx.now(), {
    select: sql`select d.org_id, 'document_overdue:' || d.id || ':' || extract(epoch from d.due_at)::bigint as dedupe_key,
      ${payloadSql('document_overdue', {
        documentId: sql`d.id`, number: sql`d.number`, type: sql`d.type`, status: sql`d.status`, warehouseId: sql`d.acting_warehouse_id`, dueAt: sql`d.due_at`,
      })} as payload
      from (${overdueDocuments(ctx.now(), ctx.orgId)}) d`,
  });
  return events.length;
}

const HOUR = 3_600_000;

/**
 * One `overdue` event per warehouse with overdue documents, in one statement over every
 * organisation. Fan-out sends the warehouse's card (subject `overdue:<warehouseId>`, rendered from
 * the current state) to its alerts chats and leads — or, with no chat and no lead to hear it, to the
 * supervisors; once the oldest document is overdue longer than `escalateHours`, a second event
 * (`…:escalated`) takes the card to the supervisors. Each is sent again every `remindHours`: the
 * dedupe key carries the reminder window (floor(now / N h)), and an event of the previous window
 * younger than N hours holds the next one back, so the interval holds whenever the first went out.
 */
export async function recordOverdueReminders(db: Queryable, now: Date, hoursOf: { remindHours: number; escalateHours: number }) {
  const remindMs = hoursOf.remindHours * HOUR;
  const window = Math.floor(now.getTime() / remindMs);
  const events = await enqueueSelect(db, 'overdue', now, {
    with: sql`with g as (
        select d.org_id, w.id as warehouse_id, w.code, count(*)::int as documents, min(d.due_at) as oldest
        from (${overdueDocuments(now)}) d join warehouses w on w.id = d.acting_warehouse_id
        group by d.org_id, w.id, w.code),
      r as (
        select g.*, e.escalated, 'overdue:' || g.warehouse_id || case when e.escalated then ':escalated' else '' end as key
        from g cross join (values (false), (true)) e(escalated)
        where not e.escalated or g.oldest < ${new Date(now.getTime() - hoursOf.escalateHours * HOUR).toISOString()}::timestamptz)`,
    select: sql`select r.org_id, r.key || ':' || ${String(window)}::text as dedupe_key,
        ${payloadSql('overdue', {
          warehouseId: sql`r.warehouse_id`, warehouse: sql`r.code`, documents: sql`r.documents`, oldestDueAt: sql`r.oldest`, escalated: sql`r.escalated`,
        })} as payload
      from r
      where not exists (select 1 from outbox o where o.org_id = r.org_id and o.dedupe_key = r.key || ':' || ${String(window - 1)}::text
        and o.created_at > ${new Date(now.getTime() - remindMs).toISOString()}::timestamptz)`,
  });
  return { reminded: events.filter((e) => !e.escalated).length, escalated: events.filter((e) => e.escalated).length };
}
