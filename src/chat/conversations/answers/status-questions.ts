import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Outbound } from '../../../../bots/platform';
import { documentTypeName, formatMoney, formatQtyWithPack, formatTime, routeLabel } from '../../../../cards/format';
import { queryRows } from '../../../../db/client';
import { documentLines, documents, items, users, type PackUnit } from '../../../../db/schema';
import { dec, fmt } from '../../../lib/decimal';
import { belowSafety } from '../../../orders/figures';
import type { Ctx } from '../../../context';
import { EVERYWHERE_ROLES, type Person } from '../../../people/permissions';
import { DomainError } from '../../../errors';
import { documentCardFor } from '../../cards/document-card';
import { findWarehouse, preferredWarehouses, type ChatPlace } from '../chat-place';

/** A document number typed alone: its card, with the buttons the asker may use. */
export async function answerDocument(ctx: Ctx, number: string): Promise<Outbound[]> {
  try {
    return [{ card: await documentCardFor(ctx, number) }];
  } catch (err) {
    if (err instanceof DomainError && err.code === 'not_found') return [{ text: `找不到单据 ${number}。` }];
    throw err;
  }
}

/** A document waiting on the asker's approval: what it is and where it goes, names first. */
export type WaitingApproval = { id: string; number: string; type: string; route: string; value: string; since: Date | string | null };

/**
 * Documents waiting on a level this person holds (by name, or by role there: `holdsLevel`), never
 * their own, oldest first.
 */
export async function approvalsWaitingOn(ctx: Ctx, person: Person): Promise<WaitingApproval[]> {
  const { userId } = person;
  const array = (xs: readonly string[]) => `{${xs.join(',')}}`;
  const everywhere = person.roles.filter((r) => EVERYWHERE_ROLES.includes(r));
  const here = person.roles.filter((r) => !EVERYWHERE_ROLES.includes(r));
  const rows = await queryRows<{ id: string; number: string; type: string; value: string; from_name: string; to_name: string | null; since: Date | string | null }>(ctx.db, sql`
    select d.id, d.number, d.type, d.total_value::text as value, w.name as from_name, t.name as to_name, a.pending_since as since
    from document_approvals a
    join documents d on d.id = a.document_id
    join warehouses w on w.id = d.warehouse_id
    left join warehouses t on t.id = d.to_warehouse_id
    where a.org_id = ${ctx.orgId} and a.status = 'pending' and d.status = 'awaiting_approval'
      and d.created_by_user_id is distinct from ${userId} and d.submitted_by_user_id is distinct from ${userId}
      and (${userId} = any(a.user_ids) or a.roles && ${array(everywhere)}::text[]
        or (a.roles && ${array(here)}::text[] and (${person.warehouseIds.length === 0} or d.warehouse_id = any(${array(person.warehouseIds)}::uuid[]))))
      -- A person decides one level of a document at most (decide.ts): not theirs once they decided one.
      and not exists (select 1 from document_approvals done where done.document_id = d.id and done.decided_by_user_id = ${userId})
    order by d.created_at limit 20`);
  return rows.map((r) => ({
    id: r.id, number: r.number, type: r.type, value: r.value, since: r.since,
    route: `${documentTypeName(r.type)} ${r.to_name ? `${r.from_name} → ${r.to_name}` : r.from_name} ${formatMoney(r.value)}`,
  }));
}

/** Items named per document in the list; the rest are counted. */
const LISTED_ITEMS = 3;

/** `待审批`: documents waiting on a level this user holds, not their own — route, items, who asked and when. */
export async function answerPendingApprovals(ctx: Ctx, place: ChatPlace, person: Person): Promise<Outbound[]> {
  const rows = await approvalsWaitingOn(ctx, person);
  if (rows.length === 0) return [{ text: '没有等你审批的单据。' }];
  const ids = rows.map((r) => r.id);
  const lines = await ctx.db.select({ documentId: documentLines.documentId, qty: documentLines.qty, name: items.name, unit: items.unit, packUnits: items.packUnits })
    .from(documentLines).innerJoin(items, eq(items.id, documentLines.itemId))
    .where(and(eq(documentLines.orgId, ctx.orgId), inArray(documentLines.documentId, ids)))
    .orderBy(asc(documentLines.documentId), asc(documentLines.lineNo));
  const askers = new Map((await ctx.db.select({ id: documents.id, by: users.name, at: documents.submittedAt }).from(documents)
    .leftJoin(users, eq(users.id, documents.createdByUserId)).where(and(eq(documents.orgId, ctx.orgId), inArray(documents.id, ids)))).map((d) => [d.id, d]));
  const listed = rows.map((r) => {
    const own = lines.filter((l) => l.documentId === r.id);
    const named = own.slice(0, LISTED_ITEMS).map((l) => `${l.name} × ${formatQtyWithPack(l.qty, l.unit, l.packUnits)}`);
    const more = own.length > LISTED_ITEMS ? ` 等 ${own.length} 种` : '';
    const asker = askers.get(r.id);
    const who = [asker?.by, asker?.at ? formatTime(asker.at, ctx.timezone) : null].filter(Boolean).join(' · ');
    return `· ${r.number} ${r.route}${who ? `（${who}）` : ''}\n  ${named.join('、')}${more}`;
  });
  return [{ text: [`等你审批的单据（${rows.length}）：`, ...listed, '发单号可以看详情并批准或驳回。'].join('\n') }];
}

/** `低库存 [@仓库]`: items whose available stock (on hand − reserved) is below their safety stock, in the named warehouse or this chat's. */
export async function answerLowStock(ctx: Ctx, place: ChatPlace, warehouse?: string): Promise<Outbound[]> {
  const named = warehouse ? await findWarehouse(ctx, warehouse) : undefined;
  if (warehouse && !named) return [{ text: `没有叫「${warehouse}」的仓库。` }];
  const scope = named ? [named] : await preferredWarehouses(ctx, place);
  const ids = scope.length ? sql.join(scope.map((w) => sql`${w.id}::uuid`), sql`, `) : undefined;
  const rows = await queryRows<{ name: string; sku: string; unit: string; packs: PackUnit[]; warehouse: string; qty: string; reserved: string; min: string }>(ctx.db, sql`
    select i.name, i.sku, i.unit, i.pack_units as packs, w.name as warehouse, b.qty::text as qty, b.reserved::text as reserved, b.min_qty::text as min
    from (${belowSafety(ctx.orgId, (column) => (ids ? sql`and ${column} in (${ids})` : sql``))}) as b
    join items i on i.id = b.item_id
    join warehouses w on w.id = b.warehouse_id
    order by w.code, i.sku limit 30`);
  const where = scope.length ? scope.map((w) => w.name).join('、') : '所有仓库';
  if (rows.length === 0) return [{ text: `${where}没有低于安全库存的商品。` }];
  return [{ text: [`${where}低库存（${rows.length}）：`, ...rows.map((r) => {
    const q = (v: string) => formatQtyWithPack(v, r.unit, r.packs);
    const reserved = dec(r.reserved);
    const stock = reserved.isZero() ? `现有 ${q(r.qty)}` : `现有 ${q(r.qty)}，预留 ${q(fmt(reserved))}，可用 ${q(fmt(dec(r.qty).minus(reserved)))}`;
    return `· ${r.name}（${r.sku}）${r.warehouse} ${stock}，安全库存 ${q(r.min)}`;
  })].join('\n') }];
}
