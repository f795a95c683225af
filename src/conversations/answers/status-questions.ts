import { and, asc, eq, sql } from 'drizzle-orm';
import type { Outbound } from '../../../bots/platform';
import { documentTypeName, formatMoney } from '../../../cards/format';
import { queryRows } from '../../../db/client';
import { documentApprovals, documents, warehouses } from '../../../db/schema';
import type { Ctx } from '../../context';
import { DomainError } from '../../errors';
import { documentStatusCard } from '../../chat/subjects';
import { findWarehouse, preferredWarehouses, type ChatPlace } from '../chat-place';

/** A document number typed alone: its status card. */
export async function answerDocument(ctx: Ctx, number: string): Promise<Outbound[]> {
  try {
    return [{ card: await documentStatusCard(ctx, number) }];
  } catch (err) {
    if (err instanceof DomainError && err.code === 'not_found') return [{ text: `找不到单据 ${number}。` }];
    throw err;
  }
}

/** `待审批`: documents waiting on a level this user holds, not their own. */
export async function answerPendingApprovals(ctx: Ctx, place: ChatPlace, roles: string[]): Promise<Outbound[]> {
  const rows = await ctx.db.select({ number: documents.number, type: documents.type, value: documents.totalValue, warehouse: warehouses.code })
    .from(documentApprovals)
    .innerJoin(documents, eq(documents.id, documentApprovals.documentId))
    .innerJoin(warehouses, eq(warehouses.id, documents.warehouseId))
    .where(and(eq(documentApprovals.orgId, ctx.orgId), eq(documentApprovals.status, 'pending'), eq(documents.status, 'awaiting_approval'),
      sql`${documents.createdByUserId} is distinct from ${place.userId}`,
      sql`(${place.userId} = any(${documentApprovals.userIds}) or ${documentApprovals.roles} && ${`{${roles.join(',')}}`}::text[])`))
    .orderBy(asc(documents.createdAt)).limit(20);
  if (rows.length === 0) return [{ text: '没有等你审批的单据。' }];
  return [{ text: [`等你审批的单据（${rows.length}）：`, ...rows.map((r) => `· ${r.number} ${documentTypeName(r.type)} ${r.warehouse} ${formatMoney(r.value)}`),
    '发单号可以看详情。'].join('\n') }];
}

/** `低库存 [@仓库]`: items below their safety stock, in the named warehouse or this chat's. */
export async function answerLowStock(ctx: Ctx, place: ChatPlace, warehouse?: string): Promise<Outbound[]> {
  const named = warehouse ? await findWarehouse(ctx, warehouse) : undefined;
  if (warehouse && !named) return [{ text: `没有叫「${warehouse}」的仓库。` }];
  const scope = named ? [named] : await preferredWarehouses(ctx, place);
  const ids = scope.map((w) => w.id);
  const rows = await queryRows<{ name: string; sku: string; unit: string; code: string; qty: string; min: string }>(ctx.db, sql`
    select i.name, i.sku, i.unit, w.code, coalesce(v.qty, 0)::text as qty, r.min_qty::text as min
    from reorder_rules r
    join items i on i.id = r.item_id
    join warehouses w on w.id = r.warehouse_id
    left join valuations v on v.org_id = r.org_id and v.item_id = r.item_id and v.warehouse_id = r.warehouse_id
    where r.org_id = ${ctx.orgId} and coalesce(v.qty, 0) < r.min_qty
      ${ids.length ? sql`and r.warehouse_id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``}
    order by w.code, i.sku limit 30`);
  const where = scope.length ? scope.map((w) => w.name).join('、') : '所有仓库';
  if (rows.length === 0) return [{ text: `${where}没有低于安全库存的商品。` }];
  return [{ text: [`${where}低库存（${rows.length}）：`, ...rows.map((r) => `· ${r.name}（${r.sku}）@${r.code} 现有 ${Number(r.qty)} ${r.unit}，安全库存 ${Number(r.min)} ${r.unit}`)].join('\n') }];
}
