import { and, eq } from 'drizzle-orm';
import { bomLines, boms } from '../../db/schema';
import type { Ctx } from '../context';
import { dec, ZERO, type Decimal } from '../lib/decimal';

/** An active BOM as explosion needs it: per `outputQty` units of output, each component's quantity and scrap. */
export type Recipe = { outputQty: Decimal; lines: { itemId: string; qty: Decimal; scrapPct: Decimal }[] };

/** BOMs are refused when cyclic (bom-cycle.ts); this only stops a corrupt chain from looping forever. */
const MAX_LEVELS = 20;

/**
 * What ONE unit of `itemId` takes, through every level of active BOMs: a component with a BOM of
 * its own is made from its components in turn — unless `stopAt` holds it (the warehouse stocks it
 * and orders it as it is, as a store orders 卤蛋 from the central kitchen rather than eggs). Each
 * line is raised by its scrap allowance: 100 g at 5 % scrap is 105 g.
 */
export function explodeOne(itemId: string, recipes: ReadonlyMap<string, Recipe>, stopAt: ReadonlySet<string> = new Set()): Map<string, Decimal> {
  const needs = new Map<string, Decimal>();
  const walk = (id: string, qty: Decimal, level: number) => {
    const recipe = recipes.get(id);
    if (!recipe || level > MAX_LEVELS) return;
    for (const line of recipe.lines) {
      const q = qty.times(line.qty).div(recipe.outputQty).times(dec(100).plus(line.scrapPct)).div(100);
      if (recipes.has(line.itemId) && !stopAt.has(line.itemId)) walk(line.itemId, q, level + 1);
      else needs.set(line.itemId, (needs.get(line.itemId) ?? ZERO).plus(q));
    }
  };
  walk(itemId, dec(1), 1);
  return needs;
}

/** Every active BOM of the organisation, by output item (production owns them: src/production/boms.ts). */
export async function activeRecipes(ctx: Ctx): Promise<Map<string, Recipe>> {
  const rows = await ctx.db.select({ output: boms.itemId, outputQty: boms.outputQty, itemId: bomLines.itemId, qty: bomLines.qty, scrapPct: bomLines.scrapPct })
    .from(boms).innerJoin(bomLines, eq(bomLines.bomId, boms.id))
    .where(and(eq(boms.orgId, ctx.orgId), eq(boms.active, true)))
    .orderBy(boms.itemId, bomLines.lineNo);
  const recipes = new Map<string, Recipe>();
  for (const r of rows) {
    if (!recipes.has(r.output)) recipes.set(r.output, { outputQty: dec(r.outputQty), lines: [] });
    recipes.get(r.output)!.lines.push({ itemId: r.itemId, qty: dec(r.qty), scrapPct: dec(r.scrapPct) });
  }
  return recipes;
}
