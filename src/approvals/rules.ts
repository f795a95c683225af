import { and, asc, eq, inArray } from 'drizzle-orm';
import { approvalRules, users, warehouses, type ApprovalLevel } from '../../db/schema';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { NotFoundError } from '../errors';
import { dec, fmt, fmtMoney } from '../lib/decimal';
import { authorize } from '../people/permissions';
import type { RuleRow } from './match-rules';

export type ApprovalRuleInput = {
  name: string;
  documentTypes: string[];
  warehouses?: string[] | undefined;
  warehouseTypes?: string[] | undefined;
  categories?: string[] | undefined;
  minValue?: string | undefined;
  minQty?: string | undefined;
  levels: { roles?: string[] | undefined; users?: string[] | undefined }[];
};

/**
 * The rules as the matcher reads them (`RuleRow`), warehouse codes turned into ids. Shared by saving
 * and by the preview, so a preview judges exactly what would be stored. Throws NotFoundError for an
 * unknown warehouse or user.
 */
export async function toRuleRows(ctx: Ctx, rules: ApprovalRuleInput[]): Promise<RuleRow[]> {
  const codes = [...new Set(rules.flatMap((r) => r.warehouses ?? []))];
  const userIds = [...new Set(rules.flatMap((r) => r.levels.flatMap((l) => l.users ?? [])))];
  const whRows = codes.length ? await ctx.db.select({ id: warehouses.id, code: warehouses.code }).from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), inArray(warehouses.code, codes))) : [];
  const missingWh = codes.find((c) => !whRows.some((w) => w.code === c));
  if (missingWh) throw new NotFoundError('warehouse', missingWh);
  const userRows = userIds.length ? await ctx.db.select({ id: users.id }).from(users)
    .where(and(eq(users.orgId, ctx.orgId), inArray(users.id, userIds))) : [];
  const missingUser = userIds.find((u) => !userRows.some((r) => r.id === u));
  if (missingUser) throw new NotFoundError('user', missingUser);
  return rules.map((r) => ({
    name: r.name, documentTypes: r.documentTypes,
    warehouseIds: (r.warehouses ?? []).map((c) => whRows.find((w) => w.code === c)!.id),
    warehouseTypes: r.warehouseTypes ?? [], categories: r.categories ?? [],
    minValue: r.minValue ?? null, minQty: r.minQty ?? null,
    levels: r.levels.map((l): ApprovalLevel => ({ roles: l.roles ?? [], users: l.users ?? [] })),
  }));
}

/** Replaces the organisation's rule set, in the order given. Throws NotFoundError for an unknown warehouse or user. */
export async function setApprovalRules(ctx: Ctx, rules: ApprovalRuleInput[]) {
  return withTransaction(ctx, async (ctx) => {
    await authorize(ctx, 'admin', { what: 'approval_rules' });
    const rows = await toRuleRows(ctx, rules);
    await ctx.db.delete(approvalRules).where(eq(approvalRules.orgId, ctx.orgId));
    if (rows.length) await ctx.db.insert(approvalRules).values(rows.map((r, i) => ({ orgId: ctx.orgId, position: i + 1, ...r })));
    await writeAudit(ctx, { entity: 'approval_rules', entityId: ctx.orgId, action: 'replace', comment: `${rules.length} rule(s)` });
    return listApprovalRules(ctx);
  });
}

export async function listApprovalRules(ctx: Ctx) {
  const rows = await ctx.db.select().from(approvalRules).where(eq(approvalRules.orgId, ctx.orgId)).orderBy(asc(approvalRules.position));
  const ids = [...new Set(rows.flatMap((r) => r.warehouseIds))];
  const codes = ids.length ? await ctx.db.select({ id: warehouses.id, code: warehouses.code }).from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), inArray(warehouses.id, ids))) : [];
  return rows.map((r) => ({
    name: r.name, documentTypes: r.documentTypes,
    warehouses: r.warehouseIds.map((id) => codes.find((c) => c.id === id)?.code ?? id),
    warehouseTypes: r.warehouseTypes, categories: r.categories,
    minValue: r.minValue === null ? null : fmtMoney(dec(r.minValue)), minQty: r.minQty === null ? null : fmt(dec(r.minQty)),
    levels: r.levels,
  }));
}
