import { and, asc, eq, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { items, reorderRules, warehouses } from '../../db/schema';
import type { Ctx } from '../context';
import { dec, fmt } from '../lib/decimal';
import { SUPPLIER_SOURCE, type ReorderRuleJson } from './set-reorder-rule';

/** A rule as `PUT /reorder-rules` answers it, with the names a person reads it by. */
export type ListedReorderRule = ReorderRuleJson & { name: string; unit: string; warehouseName: string; updatedAt: string };

const sources = alias(warehouses, 'source_warehouses');

/** The organisation's reorder rules with item and warehouse names, by warehouse then sku; optionally one sku or warehouse. */
export async function listReorderRules(ctx: Ctx, filter: { sku?: string | undefined; warehouse?: string | undefined } = {}): Promise<ListedReorderRule[]> {
  const where: SQL[] = [eq(reorderRules.orgId, ctx.orgId)];
  if (filter.sku) where.push(eq(items.sku, filter.sku));
  if (filter.warehouse) where.push(eq(warehouses.code, filter.warehouse));
  const rows = await ctx.db
    .select({
      sku: items.sku, name: items.name, unit: items.unit, warehouse: warehouses.code, warehouseName: warehouses.name,
      minQty: reorderRules.minQty, reorderQty: reorderRules.reorderQty, safetyStock: reorderRules.safetyStock,
      leadTimeDays: reorderRules.leadTimeDays, coverDays: reorderRules.coverDays, source: sources.code, updatedAt: reorderRules.updatedAt,
    })
    .from(reorderRules)
    .innerJoin(items, eq(items.id, reorderRules.itemId))
    .innerJoin(warehouses, eq(warehouses.id, reorderRules.warehouseId))
    .leftJoin(sources, eq(sources.id, reorderRules.sourceWarehouseId))
    .where(and(...where))
    .orderBy(asc(warehouses.code), asc(items.sku));
  const qty = (v: string | null) => (v === null ? null : fmt(dec(v)));
  return rows.map((r) => ({
    ...r,
    minQty: fmt(dec(r.minQty)),
    reorderQty: qty(r.reorderQty),
    safetyStock: qty(r.safetyStock),
    source: r.source ?? SUPPLIER_SOURCE,
    updatedAt: r.updatedAt.toISOString(),
  }));
}
