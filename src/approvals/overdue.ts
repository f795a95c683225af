import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { Ctx } from '../context';

export type OverdueDocument = {
  id: string; number: string; type: string; status: string; dueAt: string; waitingSince: string | null;
  ageHours: number; overdueHours: number;
};
export type OverdueGroup = { warehouse: string; name: string; documents: OverdueDocument[] };

/**
 * Documents past their due time, grouped by the warehouse that must act (a shipped transfer: its
 * destination, which must confirm receipt), oldest due first, with how long each has waited.
 */
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
    from documents d
    join warehouses w on w.id = case when d.status = 'shipped' then d.to_warehouse_id else d.warehouse_id end
    where d.org_id = ${ctx.orgId} and d.due_at < ${now.toISOString()}
      and d.status in ('submitted', 'awaiting_approval', 'approved', 'shipped')
      ${filter.warehouse ? sql`and w.code = ${filter.warehouse}` : sql``}
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

/**
 * Writes one `document_overdue` outbox row per document and due time it has passed (a document
 * that falls due again after a new status gets a new row); safe to run on every tick.
 * Returns how many rows were new.
 */
export async function recordOverdue(ctx: Ctx): Promise<number> {
  const rows = await queryRows<{ id: number }>(ctx.db, sql`
    insert into outbox (org_id, kind, dedupe_key, payload, next_attempt_at, created_at)
    select d.org_id, 'document_overdue', 'document_overdue:' || d.id || ':' || extract(epoch from d.due_at)::bigint,
      jsonb_build_object('documentId', d.id, 'number', d.number, 'type', d.type, 'status', d.status,
        'warehouseId', case when d.status = 'shipped' then d.to_warehouse_id else d.warehouse_id end, 'dueAt', d.due_at),
      ${ctx.now().toISOString()}, ${ctx.now().toISOString()}
    from documents d
    where d.org_id = ${ctx.orgId} and d.due_at < ${ctx.now().toISOString()}
      and d.status in ('submitted', 'awaiting_approval', 'approved', 'shipped')
    on conflict (org_id, dedupe_key) do nothing
    returning id`);
  return rows.length;
}
