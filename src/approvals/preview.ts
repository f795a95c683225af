import { and, asc, eq } from 'drizzle-orm';
import { approvalRules, warehouses } from '../../db/schema';
import type { Ctx } from '../context';
import { dec } from '../lib/decimal';
import { NotFoundError } from '../errors';
import { requiredLevels, type RequiredLevel, type RuleRow } from './match-rules';
import { toRuleRows, type ApprovalRuleInput } from './rules';

export type ApprovalPreviewInput = {
  documentType: string;
  warehouse: string;
  value?: string | undefined;
  qty?: string | undefined;
  categories?: string[] | undefined;
  /** A rule set being edited, judged instead of the stored one (nothing is saved). */
  rules?: ApprovalRuleInput[] | undefined;
};

/**
 * Which levels a document like this would have to pass: "a transfer of ¥800 from 总仓 would need:
 * 主管". The same matcher as submission (`requiredLevels`), over the stored rules or a draft set, so
 * the admin pages never hold a copy of the rules' logic. Reads only; throws NotFoundError (warehouse,
 * a draft rule's warehouse or user).
 */
export async function previewApproval(ctx: Ctx, input: ApprovalPreviewInput): Promise<{ levels: RequiredLevel[] }> {
  const [warehouse] = await ctx.db.select({ id: warehouses.id, type: warehouses.type }).from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), eq(warehouses.code, input.warehouse)));
  if (!warehouse) throw new NotFoundError('warehouse', input.warehouse);
  const rules: RuleRow[] = input.rules
    ? await toRuleRows(ctx, input.rules)
    : await ctx.db.select().from(approvalRules).where(eq(approvalRules.orgId, ctx.orgId)).orderBy(asc(approvalRules.position));
  const levels = requiredLevels(rules, {
    type: input.documentType,
    warehouseId: warehouse.id,
    warehouseType: warehouse.type,
    categories: new Set(input.categories ?? []),
    value: dec(input.value ?? 0).toDecimalPlaces(2),
    qty: dec(input.qty ?? 0),
  });
  return { levels };
}
