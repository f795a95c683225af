import { sql } from 'drizzle-orm';
import { reorderRules } from '../../db/schema';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { ValidationError } from '../errors';
import { dec, fmt } from '../lib/decimal';
import { requireItemId, requireWarehouseId } from './refs';

export type ReorderRuleInput = {
  sku: string;
  warehouse: string;
  /** Decimal strings: safety stock (>= 0) and how much to reorder (> 0). */
  minQty: string;
  reorderQty?: string | null | undefined;
};

export type ReorderRuleJson = { sku: string; warehouse: string; minQty: string; reorderQty: string | null };

/**
 * Sets the safety stock of an item in a warehouse, replacing any earlier rule (an omitted
 * reorderQty clears it). Throws NotFoundError (sku, warehouse), ValidationError (quantities).
 */
export async function setReorderRule(ctx: Ctx, input: ReorderRuleInput): Promise<ReorderRuleJson> {
  if (dec(input.minQty).lt(0)) throw ValidationError.field('minQty', 'must be 0 or more');
  if (input.reorderQty != null && !dec(input.reorderQty).gt(0)) throw ValidationError.field('reorderQty', 'must be greater than 0');
  return withTransaction(ctx, async (tx) => {
    const itemId = await requireItemId(tx, input.sku);
    const warehouseId = await requireWarehouseId(tx, input.warehouse);
    const values = { minQty: input.minQty, reorderQty: input.reorderQty ?? null, updatedAt: tx.now() };
    const [row] = await tx.db
      .insert(reorderRules)
      .values({ orgId: tx.orgId, itemId, warehouseId, ...values })
      .onConflictDoUpdate({ target: [reorderRules.orgId, reorderRules.itemId, reorderRules.warehouseId], set: values })
      // xmax is 0 only on a freshly inserted row: tells create from update without a second read.
      .returning({ minQty: reorderRules.minQty, reorderQty: reorderRules.reorderQty, inserted: sql<boolean>`(xmax = 0)` });
    await writeAudit(tx, {
      entity: 'reorder_rule',
      entityId: `${itemId}:${warehouseId}`,
      action: row!.inserted ? 'create' : 'update',
    });
    return {
      sku: input.sku,
      warehouse: input.warehouse,
      minQty: fmt(dec(row!.minQty)),
      reorderQty: row!.reorderQty === null ? null : fmt(dec(row!.reorderQty)),
    };
  });
}
