import { and, eq, inArray } from 'drizzle-orm';
import { boms } from '../../db/schema';
import type { Ctx } from '../context';
import { dec, fmt, sum, toUnitCost } from '../lib/decimal';
import { findBom, loadBom, type LoadedBom } from './boms';
import { currentCosts } from './current-costs';

export type StandardCost = {
  sku: string; version: number; unitCost: string; material: string; labor: string; machine: string;
  lines: { sku: string; qty: string; unitCost: string; value: string; bom?: StandardCost }[];
};

/** A component's quantity for ONE unit of output: its quota raised by its scrap allowance (6 places). */
export const perUnit = (bom: Pick<LoadedBom, 'outputQty'>, line: { qty: string; scrapPct: string }) =>
  toUnitCost(dec(line.qty).times(dec(100).plus(line.scrapPct)).div(100).div(bom.outputQty));

/** The standard cost of ONE unit of a BOM version's output at today's costs (GET /boms/:sku/cost). Throws NotFoundError. */
export async function standardCost(ctx: Ctx, sku: string, version?: number): Promise<StandardCost> {
  return rollUp(ctx, await findBom(ctx, sku, version), new Set());
}

/**
 * Rolled up through every level: a component in stock (or that has moved before and has no BOM) is
 * valued at its current unit cost; one with no stock and an active BOM through that BOM, its whole
 * unit cost counting as material here. Operations add minutes / 60 × the work centre's rates.
 * Everything is per unit, to 6 places. `path` guards against a cycle slipping in through old data.
 */
export async function rollUp(ctx: Ctx, bom: LoadedBom, path: Set<string>): Promise<StandardCost> {
  const within = new Set([...path, bom.itemId]);
  const costs = await currentCosts(ctx, bom.lines.map((l) => l.itemId));
  const children = await activeBoms(ctx, bom.lines.filter((l) => !costs.get(l.itemId)?.qty.gt(0) && !within.has(l.itemId)).map((l) => l.itemId));
  const lines: StandardCost['lines'] = [];
  for (const l of bom.lines) {
    const qty = perUnit(bom, l);
    const child = children.get(l.itemId);
    const nested = child ? await rollUp(ctx, await loadBom(ctx, child), within) : undefined;
    const unitCost = nested ? dec(nested.unitCost) : costs.get(l.itemId)?.unitCost ?? dec(0);
    lines.push({ sku: l.sku, qty: fmt(qty), unitCost: fmt(unitCost), value: fmt(toUnitCost(qty.times(unitCost))), ...(nested ? { bom: nested } : {}) });
  }
  const material = sum(lines.map((l) => dec(l.value)));
  const { labor, machine } = workPerUnit(bom);
  return {
    sku: bom.sku, version: bom.version, unitCost: fmt(material.plus(labor).plus(machine)),
    material: fmt(material), labor: fmt(labor), machine: fmt(machine), lines,
  };
}

/** itemId → id of its active BOM, for those items that have one. */
async function activeBoms(ctx: Ctx, itemIds: string[]): Promise<Map<string, string>> {
  if (itemIds.length === 0) return new Map();
  const rows = await ctx.db.select({ id: boms.id, itemId: boms.itemId }).from(boms)
    .where(and(eq(boms.orgId, ctx.orgId), eq(boms.active, true), inArray(boms.itemId, itemIds)));
  return new Map(rows.map((r) => [r.itemId, r.id]));
}

/** The operations' labour and machine cost of ONE unit of output: minutes / 60 × the rates (6 places). */
export function workPerUnit(bom: Pick<LoadedBom, 'operations'>) {
  const hours = (o: LoadedBom['operations'][number]) => dec(o.minutesPerUnit).div(60);
  return {
    labor: toUnitCost(sum(bom.operations.map((o) => hours(o).times(o.laborRate)))),
    machine: toUnitCost(sum(bom.operations.map((o) => hours(o).times(o.machineRate)))),
  };
}
