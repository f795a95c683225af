import { sql } from 'drizzle-orm';
import { reorderRules } from '../../db/schema';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { ValidationError } from '../errors';
import { dec, fmt } from '../lib/decimal';
import { requireItemId, requireWarehouseId } from '../refs';
import { authorize } from '../people/permissions';

/** `source` of a rule whose item is bought rather than sent from another warehouse. */
export const SUPPLIER_SOURCE = 'supplier';

export type ReorderRuleInput = {
  sku: string;
  warehouse: string;
  /** Decimal strings: safety stock (>= 0) and how much to reorder (> 0). */
  minQty: string;
  reorderQty?: string | null | undefined;
  /** Replenishment (omitted: the defaults — safety stock minQty, the item's lead time, 7 days' cover, bought). */
  safetyStock?: string | null | undefined;
  leadTimeDays?: number | null | undefined;
  coverDays?: number | null | undefined;
  /** `supplier` or the code of the warehouse that supplies this one. */
  source?: string | null | undefined;
};

export type ReorderRuleJson = {
  sku: string; warehouse: string; minQty: string; reorderQty: string | null;
  safetyStock: string | null; leadTimeDays: number | null; coverDays: number | null; source: string;
};

/**
 * Sets the safety stock of an item in a warehouse, replacing any earlier rule (an omitted field
 * clears it). Throws NotFoundError (sku, warehouse, source), ValidationError (quantities, a
 * warehouse supplying itself).
 */
export async function setReorderRule(ctx: Ctx, input: ReorderRuleInput): Promise<ReorderRuleJson> {
  if (dec(input.minQty).lt(0)) throw ValidationError.field('minQty', 'must be 0 or more');
  if (input.reorderQty != null && !dec(input.reorderQty).gt(0)) throw ValidationError.field('reorderQty', 'must be greater than 0');
  if (input.safetyStock != null && dec(input.safetyStock).lt(0)) throw ValidationError.field('safetyStock', 'must be 0 or more');
  const source = input.source && input.source !== SUPPLIER_SOURCE ? input.source : null;
  if (source !== null && source === input.warehouse) throw ValidationError.field('source', `${source} cannot supply itself`);
  return withTransaction(ctx, async (tx) => {
    await authorize(tx, 'admin', { what: 'reorder_rules' });
    const itemId = await requireItemId(tx, input.sku);
    const warehouseId = await requireWarehouseId(tx, input.warehouse);
    const sourceWarehouseId = source === null ? null : await requireWarehouseId(tx, source);
    const values = {
      minQty: input.minQty, reorderQty: input.reorderQty ?? null, safetyStock: input.safetyStock ?? null,
      leadTimeDays: input.leadTimeDays ?? null, coverDays: input.coverDays ?? null, sourceWarehouseId, updatedAt: tx.now(),
    };
    const [row] = await tx.db
      .insert(reorderRules)
      .values({ orgId: tx.orgId, itemId, warehouseId, ...values })
      .onConflictDoUpdate({ target: [reorderRules.orgId, reorderRules.itemId, reorderRules.warehouseId], set: values })
      // xmax is 0 only on a freshly inserted row: tells create from update without a second read.
      .returning({
        minQty: reorderRules.minQty, reorderQty: reorderRules.reorderQty, safetyStock: reorderRules.safetyStock,
        leadTimeDays: reorderRules.leadTimeDays, coverDays: reorderRules.coverDays, inserted: sql<boolean>`(xmax = 0)`,
      });
    await writeAudit(tx, {
      entity: 'reorder_rule',
      entityId: `${itemId}:${warehouseId}`,
      action: row!.inserted ? 'create' : 'update',
    });
    const r = row!;
    const qty = (v: string | null) => (v === null ? null : fmt(dec(v)));
    return {
      sku: input.sku, warehouse: input.warehouse, minQty: fmt(dec(r.minQty)), reorderQty: qty(r.reorderQty),
      safetyStock: qty(r.safetyStock), leadTimeDays: r.leadTimeDays, coverDays: r.coverDays, source: source ?? SUPPLIER_SOURCE,
    };
  });
}
