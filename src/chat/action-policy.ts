import { and, eq } from 'drizzle-orm';
import { userWarehouses, warehouses } from '../../db/schema';
import type { Ctx } from '../context';
import { ForbiddenError } from '../errors';
import { loadLines } from '../inventory/documents/load';
import { getDocument } from '../inventory/documents/view';

/**
 * Who may do what from a card (SPEC "Roles"): warehouse leads ship and QC for their warehouses;
 * store managers and warehouse leads confirm receipt at theirs; admins may do all of it. A user
 * with no warehouses listed is taken to work in all of them.
 */
const policy = {
  ship: { roles: ['warehouse_lead'], at: 'source' },
  receive: { roles: ['warehouse_lead', 'store_manager'], at: 'destination' },
  qc: { roles: ['warehouse_lead'], at: 'source' },
} as const;

const verbs = { ship: '发货', receive: '确认收货', qc: '质检' } as const;

export async function requireDocumentRole(ctx: Ctx, documentId: string, what: keyof typeof policy) {
  const actor = ctx.actor;
  if (actor.type === 'job' || !actor.userId) throw new ForbiddenError('only a person acts on cards').withChat('卡片上的操作要由本人用自己的账号来做');
  const userId = actor.userId;
  const doc = await getDocument(ctx, documentId);
  const lines = await loadLines(ctx, doc.id);
  if (actor.roles.includes('admin')) return { doc, lines };
  const rule = policy[what];
  if (!rule.roles.some((r) => actor.roles.includes(r))) {
    throw new ForbiddenError(`${verbs[what]}需要${rule.roles.map(roleName).join('或')}`);
  }
  await requireOwnWarehouse(ctx, userId, rule.at === 'destination' ? doc.toWarehouse ?? doc.warehouse : doc.warehouse);
  return { doc, lines };
}

/** Someone with warehouses listed acts only for those; with none listed, for all. */
export async function requireOwnWarehouse(ctx: Ctx, userId: string, code: string) {
  const mine = (await ctx.db.select({ code: warehouses.code }).from(userWarehouses)
    .innerJoin(warehouses, eq(warehouses.id, userWarehouses.warehouseId))
    .where(and(eq(userWarehouses.orgId, ctx.orgId), eq(userWarehouses.userId, userId)))).map((w) => w.code);
  if (mine.length > 0 && !mine.includes(code)) throw new ForbiddenError(`你不负责仓库 ${code}`);
}

export const roleName = (r: string) => ({ warehouse_lead: '仓库主管', store_manager: '门店店长', supervisor: '主管', admin: '管理员', staff: '员工' })[r] ?? r;
