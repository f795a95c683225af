import { and, asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { items, reorderRules, warehouses, type PackUnit } from '../../db/schema';
import type { Ctx } from '../context';
import { dec, fmt, sum, toQty, ZERO, type Decimal } from '../lib/decimal';
import { requireWarehouseId } from '../refs';
import { SUPPLIER_SOURCE } from '../master/set-reorder-rule';
import { warehouseNeeds } from './forecast';
import type { ForecastMethod } from './holt-winters';
import { stockPositions } from './position';
import { purchasePack, suggestQuantity, type SuggestionParts } from './suggest';

/** Cover when the rule names none: a week. */
export const DEFAULT_COVER_DAYS = 7;

/** A suggestion with everything it was worked out from: the API, cards and the dashboard show these parts. */
export type Suggestion = {
  item: { id: string; sku: string; name: string; unit: string; packUnits: PackUnit[]; supplier: string | null };
  warehouse: { id: string; code: string; name: string };
  /** The warehouse that supplies it (a requisition), or null: bought from the item's supplier (a purchase order). */
  source: { id: string; code: string; name: string } | null;
  onHand: Decimal; inTransit: Decimal; onOrder: Decimal; reserved: Decimal;
  leadTimeDays: number; coverDays: number; safetyStock: Decimal; minOrderQty: Decimal | null;
  method: ForecastMethod;
  /** Forecast over leadTimeDays + coverDays, and its average day. */
  demand: Decimal; dailyDemand: Decimal;
  pack: { name: string; factor: Decimal } | null;
  parts: SuggestionParts;
};

/**
 * What each item with a reorder rule in the warehouse should be ordered now (only where something
 * is short), by sku. `skus` narrows it. Demand is the warehouse's needs (forecast.ts: the item's
 * own forecast plus the dishes sold there exploded through their BOMs).
 */
export async function suggestionsFor(ctx: Ctx, warehouseId: string, skus?: string[]): Promise<Suggestion[]> {
  const source = alias(warehouses, 'source');
  const rules = await ctx.db.select({ rule: reorderRules, item: items, warehouse: warehouses, source })
    .from(reorderRules)
    .innerJoin(items, eq(items.id, reorderRules.itemId))
    .innerJoin(warehouses, eq(warehouses.id, reorderRules.warehouseId))
    .leftJoin(source, eq(source.id, reorderRules.sourceWarehouseId))
    .where(and(eq(reorderRules.orgId, ctx.orgId), eq(reorderRules.warehouseId, warehouseId), ...(skus ? [inArray(items.sku, skus)] : [])))
    .orderBy(asc(items.sku));
  if (rules.length === 0) return [];
  const itemIds = rules.map((r) => r.item.id);
  const horizonOf = (r: (typeof rules)[number]) => (r.rule.leadTimeDays ?? r.item.leadTimeDays ?? 0) + (r.rule.coverDays ?? DEFAULT_COVER_DAYS);
  const needs = await warehouseNeeds(ctx, warehouseId, itemIds, Math.max(1, ...rules.map(horizonOf)));
  const positions = await stockPositions(ctx, warehouseId, itemIds);
  const out: Suggestion[] = [];
  for (const r of rules) {
    const leadTimeDays = r.rule.leadTimeDays ?? r.item.leadTimeDays ?? 0;
    const coverDays = r.rule.coverDays ?? DEFAULT_COVER_DAYS;
    const need = needs.get(r.item.id)!;
    const demand = sum(need.days.slice(0, leadTimeDays + coverDays).map((d) => d.qty));
    const position = positions.get(r.item.id)!;
    const safetyStock = dec(r.rule.safetyStock ?? r.rule.minQty);
    const minOrderQty = r.item.minOrderQty === null ? null : dec(r.item.minOrderQty);
    const pack = purchasePack(r.item.packUnits);
    const parts = suggestQuantity({ ...position, demand, safetyStock, minOrderQty, packFactor: pack?.factor ?? null });
    if (!parts) continue;
    out.push({
      item: { id: r.item.id, sku: r.item.sku, name: r.item.name, unit: r.item.unit, packUnits: r.item.packUnits, supplier: r.item.supplier },
      warehouse: { id: r.warehouse.id, code: r.warehouse.code, name: r.warehouse.name },
      source: r.source ? { id: r.source.id, code: r.source.code, name: r.source.name } : null,
      ...position, leadTimeDays, coverDays, safetyStock, minOrderQty, method: need.method, demand,
      dailyDemand: leadTimeDays + coverDays > 0 ? toQty(demand.div(leadTimeDays + coverDays)) : ZERO,
      pack, parts,
    });
  }
  return out;
}

/** The API's shape of a suggestion: every figure as a decimal string, plus the parts that explain it. */
export function suggestionJson(s: Suggestion) {
  return {
    sku: s.item.sku, name: s.item.name, unit: s.item.unit, warehouse: s.warehouse.code,
    source: s.source?.code ?? SUPPLIER_SOURCE, supplier: s.item.supplier,
    onHand: fmt(s.onHand), inTransit: fmt(s.inTransit), onOrder: fmt(s.onOrder), reserved: fmt(s.reserved),
    dailyDemand: fmt(s.dailyDemand), leadTimeDays: s.leadTimeDays, coverDays: s.coverDays, safetyStock: fmt(s.safetyStock),
    demand: fmt(s.demand), method: s.method,
    position: fmt(s.parts.position), shortfall: fmt(s.parts.shortfall),
    minOrderQty: s.minOrderQty === null ? null : fmt(s.minOrderQty),
    pack: s.pack ? { name: s.pack.name, factor: fmt(s.pack.factor) } : null,
    packs: s.parts.packs === null ? null : fmt(s.parts.packs),
    suggestedQty: fmt(s.parts.suggestedQty),
  };
}
export type SuggestionJson = ReturnType<typeof suggestionJson>;

/** `GET /replenishment?warehouse=`: one warehouse's suggestions, or every warehouse's with a rule. Throws NotFoundError. */
export async function listSuggestions(ctx: Ctx, warehouse?: string): Promise<SuggestionJson[]> {
  const ids = warehouse ? [await requireWarehouseId(ctx, warehouse)] : await warehousesWithRules(ctx);
  const all: SuggestionJson[] = [];
  for (const id of ids) all.push(...(await suggestionsFor(ctx, id)).map(suggestionJson));
  return all;
}

/** Warehouses that have a reorder rule, by code. */
export async function warehousesWithRules(ctx: Ctx): Promise<string[]> {
  const rows = await ctx.db.selectDistinct({ id: warehouses.id, code: warehouses.code }).from(reorderRules)
    .innerJoin(warehouses, eq(warehouses.id, reorderRules.warehouseId))
    .where(eq(reorderRules.orgId, ctx.orgId)).orderBy(asc(warehouses.code));
  return rows.map((r) => r.id);
}
