import { asc, eq } from 'drizzle-orm';
import { encodeAction } from '../../../cards/actions';
import type { Card } from '../../../cards/model';
import type { Queryable } from '../../../db/client';
import { warehouses } from '../../../db/schema';

/** How many warehouses the offer lists as buttons; more are bound through the API. */
export const BIND_OFFER_MAX = 8;

/**
 * The card a group sees when the bot joins, or when an admin types `绑定本群`: pick the warehouse
 * this group is for (admins only, checked on tap). `bound`: the warehouse codes it is bound to already.
 */
export async function bindOfferCard(db: Queryable, orgId: string, bound: readonly string[] = []): Promise<Card> {
  const rows = await db.select({ code: warehouses.code, name: warehouses.name }).from(warehouses)
    .where(eq(warehouses.orgId, orgId)).orderBy(asc(warehouses.code)).limit(BIND_OFFER_MAX + 1);
  return {
    title: '把这个群绑定到仓库',
    tone: 'info',
    fields: [],
    body: (bound.length ? `这个群已绑定：${bound.join('、')}（再选一个是多绑一个，不会解除已有的）。\n` : '') + (rows.length > BIND_OFFER_MAX
      ? `选择这个群负责的仓库（管理员操作）。仓库较多，其余的请用 API 绑定：POST /api/v1/warehouses/:code/chats。`
      : '选择这个群负责的仓库（管理员操作），群里会收到它的提醒、审批和日报。'),
    actions: rows.slice(0, BIND_OFFER_MAX).map((w) => ({ id: encodeAction({ verb: 'bind_chat', warehouseCode: w.code }), label: w.name, style: 'default' as const })),
  };
}
