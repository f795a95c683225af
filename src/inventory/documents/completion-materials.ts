import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { completionMaterials, items, productionCompletions, type DocumentRow } from '../../../db/schema';
import type { Ctx } from '../../context';
import { ValidationError } from '../../errors';
import { Decimal, ZERO, dec, toQty } from '../../lib/decimal';
import { resolveItems } from '../../master/resolve-items';
import type { loadProductionOrder } from './production-order';

export type Material = { itemId: string; sku: string; qty: Decimal };
type Order = Awaited<ReturnType<typeof loadProductionOrder>>;

/**
 * What one completion of `qty` consumes: the materials given with it (as actually used); else the
 * order's explicit materials pro rata to the quantity ordered (the final completion takes what is
 * left of them, so rounding never strands a gram); else the BOM's quotas with their scrap allowance.
 * Quantities to 3 places; a material that rounds to nothing is left out.
 */
export async function materialsFor(
  ctx: Ctx, doc: DocumentRow, order: Order, ordered: Decimal, qty: Decimal, given: { sku: string; qty: string }[] | undefined, final: boolean,
): Promise<Material[]> {
  if (given) {
    const bySku = await resolveItems(ctx, given.map((m) => m.sku));
    return given.map((m) => ({ itemId: bySku.get(m.sku)!.id, sku: m.sku, qty: dec(m.qty) })).filter((m) => m.qty.gt(0));
  }
  if (order.materials.length) {
    const skus = await skusOf(ctx, order.materials.map((m) => m.itemId));
    const used = final ? await consumedSoFar(ctx, doc.id) : new Map<string, Decimal>();
    return order.materials.map((m) => ({
      itemId: m.itemId, sku: skus.get(m.itemId)!,
      qty: final ? Decimal.max(ZERO, toQty(dec(m.qty)).minus(used.get(m.itemId) ?? ZERO)) : toQty(dec(m.qty).times(qty).div(ordered)),
    })).filter((m) => m.qty.gt(0));
  }
  const bom = order.bom!;
  return bom.lines.map((l) => ({
    itemId: l.itemId, sku: l.sku, qty: toQty(dec(l.qty).times(dec(100).plus(l.scrapPct)).div(100).times(qty).div(bom.outputQty)),
  })).filter((m) => m.qty.gt(0));
}

/** The same material twice in one completion would be two ledger lines for one thing: refused. */
export function checkGivenMaterials(given: { sku: string }[] | undefined) {
  const seen = new Set<string>();
  given?.forEach((m, i) => {
    if (seen.has(m.sku)) throw ValidationError.field(`materials.${i}.sku`, `${m.sku} is listed twice`);
    seen.add(m.sku);
  });
}

async function skusOf(ctx: Ctx, itemIds: string[]): Promise<Map<string, string>> {
  const rows = await ctx.db.select({ id: items.id, sku: items.sku }).from(items).where(and(eq(items.orgId, ctx.orgId), inArray(items.id, itemIds)));
  return new Map(rows.map((r) => [r.id, r.sku]));
}

/** Per material, what the order's completions not reversed have consumed. */
async function consumedSoFar(ctx: Ctx, documentId: string): Promise<Map<string, Decimal>> {
  const rows = await ctx.db.select({ itemId: completionMaterials.itemId, qty: sql<string>`sum(${completionMaterials.qty})::text` })
    .from(completionMaterials)
    .innerJoin(productionCompletions, eq(productionCompletions.id, completionMaterials.completionId))
    .where(and(eq(productionCompletions.orgId, ctx.orgId), eq(productionCompletions.documentId, documentId), isNull(productionCompletions.reversalId)))
    .groupBy(completionMaterials.itemId);
  return new Map(rows.map((r) => [r.itemId, dec(r.qty)]));
}
