import { and, asc, eq, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { approvalRules, documentApprovals, documents, type DocumentRow } from '../../db/schema';
import { writeAudit } from '../audit';
import type { Ctx } from '../context';
import { dec } from '../lib/decimal';
import { enqueue } from '../outbox/enqueue';
import { requiredLevels, type DocumentFacts, type RequiredLevel } from './match-rules';
import { dueAtFor } from './service-levels';

/** The facts approval rules look at, in one query over the document's lines at current costs. */
async function documentFacts(ctx: Ctx, doc: DocumentRow): Promise<DocumentFacts> {
  const [row] = await queryRows<{ warehouse_type: string; categories: string[] | null; qty: string; value: string }>(ctx.db, sql`
    with moved as (
      select l.item_id, l.unit_cost,
        abs(case when d.type = 'stocktake' then l.qty - coalesce(l.book_qty, 0) else l.qty end) as qty
      from document_lines l join documents d on d.id = l.document_id
      where l.org_id = ${ctx.orgId} and l.document_id = ${doc.id})
    select w.type as warehouse_type,
      array_agg(distinct i.category) filter (where i.category is not null) as categories,
      coalesce(sum(m.qty), 0)::text as qty,
      coalesce(sum(m.qty * coalesce(m.unit_cost,
        case when v.qty > 0 then v.value / v.qty else v.last_unit_cost end, 0)), 0)::text as value
    from moved m
    join items i on i.id = m.item_id
    join warehouses w on w.id = ${doc.warehouseId}
    left join valuations v on v.org_id = ${ctx.orgId} and v.item_id = m.item_id and v.warehouse_id = ${doc.warehouseId}
    group by w.type`);
  return {
    type: doc.type,
    warehouseId: doc.warehouseId,
    warehouseType: row?.warehouse_type ?? '',
    categories: new Set(row?.categories ?? []),
    qty: dec(row?.qty ?? 0),
    value: dec(row?.value ?? 0).toDecimalPlaces(2),
  };
}

export type ApprovalRuleRow = typeof approvalRules.$inferSelect;

/**
 * The organisation's approval rules in order. Sent when called (not when awaited), so a caller that
 * knows a submission follows can read them in the round trip of its own writes and hand them on.
 */
export async function readApprovalRules(ctx: Ctx): Promise<ApprovalRuleRow[]> {
  return ctx.db.select().from(approvalRules).where(eq(approvalRules.orgId, ctx.orgId)).orderBy(asc(approvalRules.position));
}

/** The levels the organisation's rules ask of this document now (none: it needs no approval). */
export async function approvalLevelsFor(ctx: Ctx, doc: DocumentRow, rulesRead?: Promise<ApprovalRuleRow[]>): Promise<RequiredLevel[]> {
  const rules = await (rulesRead ?? readApprovalRules(ctx));
  if (rules.length === 0) return [];
  return requiredLevels(rules, await documentFacts(ctx, doc));
}

/**
 * At submission: when the organisation's rules ask for approval, lists the levels on the document,
 * moves it to awaiting_approval and asks the first level (an outbox row). Returns false when no
 * rule matches, so the caller moves the document on.
 */
export async function requestApproval(ctx: Ctx, doc: DocumentRow, rulesRead?: Promise<ApprovalRuleRow[]>): Promise<boolean> {
  const levels = await approvalLevelsFor(ctx, doc, rulesRead);
  if (levels.length === 0) return false;
  const now = ctx.now();
  await ctx.db.insert(documentApprovals).values(levels.map((l, i) => ({
    orgId: ctx.orgId, documentId: doc.id, level: i + 1, roles: l.roles, userIds: l.users, rules: l.rules,
    status: i === 0 ? 'pending' as const : 'waiting' as const, pendingSince: i === 0 ? now : null,
  })));
  // submittedAt too: a submission going straight on leaves its own write to this update (submitLocked).
  await ctx.db.update(documents).set({ status: 'awaiting_approval', submittedAt: doc.submittedAt, submittedByUserId: doc.submittedByUserId, dueAt: await dueAtFor(ctx, doc.type, 'awaiting_approval', now) })
    .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
  await writeAudit(ctx, { entity: 'document', entityId: doc.id, action: 'request_approval', from: 'submitted', to: 'awaiting_approval',
    comment: `rules: ${[...new Set(levels.flatMap((l) => l.rules))].join(', ')}` });
  await askLevel(ctx, doc, 1, levels[0]!);
  return true;
}

/** The outbox row that puts an approval card in front of a level's deciders. */
export async function askLevel(ctx: Ctx, doc: DocumentRow, level: number, who: { roles: string[]; users: string[] }) {
  await enqueue(ctx, 'approval_requested', `approval_requested:${doc.id}:${level}`, {
    documentId: doc.id, number: doc.number, type: doc.type, warehouseId: doc.warehouseId, level, roles: who.roles, users: who.users,
  });
}
