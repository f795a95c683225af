import { and, eq, inArray } from 'drizzle-orm';
import { items, reorderRules } from '../../db/schema';
import type { Ctx } from '../context';
import { addDays } from '../lib/calendar';
import { dec, fmt, sum, toQty, type Decimal } from '../lib/decimal';
import { requireItemId, requireWarehouseId } from '../refs';
import { demandByDay, historyWindow, toSeries } from './demand';
import { activeRecipes, explodeOne } from './explode';
import { forecastSeries, type ForecastMethod } from './holt-winters';

/** An item's expected demand per day from tomorrow, in its base unit, 3 places. */
export type ItemForecast = { method: ForecastMethod; days: { date: string; qty: Decimal }[] };

/**
 * The forecasts of several items in a warehouse for `horizon` days from tomorrow. The series ends
 * yesterday, so today is forecast too and left out: "from tomorrow" is what a buyer plans with.
 */
export async function forecastItems(ctx: Ctx, warehouseId: string, itemIds: string[], horizon: number): Promise<Map<string, ItemForecast>> {
  const { from, yesterday, today } = historyWindow(ctx);
  const demand = await demandByDay(ctx, warehouseId, itemIds, from, yesterday);
  const out = new Map<string, ItemForecast>();
  for (const id of itemIds) {
    const f = forecastSeries(toSeries(demand.get(id)!, yesterday), horizon + 1);
    out.set(id, { method: f.method, days: f.values.slice(1).map((v, i) => ({ date: addDays(today, i + 1), qty: toQty(dec(v)) })) });
  }
  return out;
}

/**
 * What a warehouse needs of its stocked items per day from tomorrow: each item's own forecast plus
 * what the dishes (items with an active BOM) sold there take of it through their recipes. A dish the
 * warehouse stocks itself (it has a reorder rule there) is replenished whole, not as ingredients.
 */
export async function warehouseNeeds(ctx: Ctx, warehouseId: string, itemIds: string[], horizon: number): Promise<Map<string, ItemForecast>> {
  const recipes = await activeRecipes(ctx);
  const stocked = await stockedItems(ctx, warehouseId);
  const dishes = [...recipes.keys()].filter((id) => !stocked.has(id));
  const forecasts = await forecastItems(ctx, warehouseId, [...new Set([...itemIds, ...dishes])], horizon);
  const needs = new Map(itemIds.map((id) => [id, forecasts.get(id)!]));
  for (const dish of dishes) {
    const f = forecasts.get(dish)!;
    if (f.method === 'none') continue;
    for (const [component, perUnit] of explodeOne(dish, recipes, stocked)) {
      const own = needs.get(component);
      if (!own) continue;
      needs.set(component, {
        method: own.method,
        days: own.days.map((d, i) => ({ date: d.date, qty: toQty(d.qty.plus(f.days[i]!.qty.times(perUnit))) })),
      });
    }
  }
  return needs;
}

async function stockedItems(ctx: Ctx, warehouseId: string): Promise<Set<string>> {
  const rows = await ctx.db.select({ id: reorderRules.itemId }).from(reorderRules)
    .where(and(eq(reorderRules.orgId, ctx.orgId), eq(reorderRules.warehouseId, warehouseId)));
  return new Set(rows.map((r) => r.id));
}

export type ForecastQuery = { warehouse: string; sku: string; days?: number | undefined; explode?: boolean | undefined };

const daysJson = (days: { date: string; qty: Decimal }[]) => ({
  days: days.map((d) => ({ date: d.date, qty: fmt(d.qty) })),
  total: fmt(sum(days.map((d) => d.qty))),
});

/**
 * `GET /forecast`: an item's expected demand per day from tomorrow, the method named; with
 * `explode`, an item with an active BOM also as its components' needs (through every level, scrap
 * included, stopping at components the warehouse stocks). Throws NotFoundError (sku, warehouse).
 */
export async function getForecast(ctx: Ctx, q: ForecastQuery) {
  const warehouseId = await requireWarehouseId(ctx, q.warehouse);
  const itemId = await requireItemId(ctx, q.sku);
  const f = (await forecastItems(ctx, warehouseId, [itemId], q.days ?? 7)).get(itemId)!;
  const base = { warehouse: q.warehouse, sku: q.sku, method: f.method, ...daysJson(f.days) };
  if (!q.explode) return base;
  const recipes = await activeRecipes(ctx);
  if (!recipes.has(itemId)) return { ...base, components: [] };
  const stocked = await stockedItems(ctx, warehouseId);
  stocked.delete(itemId);
  return { ...base, components: await componentsJson(ctx, explodeOne(itemId, recipes, stocked), f) };
}

async function componentsJson(ctx: Ctx, perUnit: Map<string, Decimal>, f: ItemForecast) {
  const ids = [...perUnit.keys()];
  const rows = ids.length === 0 ? [] : await ctx.db.select({ id: items.id, sku: items.sku, name: items.name, unit: items.unit }).from(items)
    .where(and(eq(items.orgId, ctx.orgId), inArray(items.id, ids)));
  return rows.sort((a, b) => a.sku.localeCompare(b.sku)).map((r) => ({
    sku: r.sku, name: r.name, unit: r.unit,
    ...daysJson(f.days.map((d) => ({ date: d.date, qty: toQty(d.qty.times(perUnit.get(r.id)!)) }))),
  }));
}

