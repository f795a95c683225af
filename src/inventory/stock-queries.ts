import { and, asc, eq, gt, ne, or } from 'drizzle-orm';
import { costLayers, documents, items, lots, stockBalances, valuations, warehouses } from '../../db/schema';
import type { Ctx } from '../context';
import { dec, fmt, fmtMoney, toUnitCost, ZERO, type Decimal } from '../lib/decimal';
import { requireItemId, requireWarehouseId } from '../master/refs';
import { apportionLotValues } from './lot-values';

export type BalanceJson = {
  sku: string; warehouse: string; lot: string | null; expiresOn: string | null;
  qty: string; value: string; unitCost: string; inTransit: string;
};
export type ValuationJson = { sku: string; warehouse: string; qty: string; value: string; unitCost: string };
export type LayerJson = { qty: string; unitCost: string; document: string; number: string; receivedAt: string };
export type StockFilter = { sku?: string | undefined; warehouse?: string | undefined };

/** value / qty, or the last movement's cost when nothing is left (so an empty shelf still shows a price). */
const unitCostOf = (qty: Decimal, value: Decimal, lastUnitCost: string | null) =>
  qty.gt(0) ? fmt(toUnitCost(value.div(qty))) : fmt(dec(lastUnitCost ?? 0));

/** Only reached when a query found nothing: tells "no stock" from "no such sku or warehouse". */
export async function requireFilterRefs(ctx: Ctx, filter: StockFilter): Promise<void> {
  if (filter.sku !== undefined) await requireItemId(ctx, filter.sku);
  if (filter.warehouse !== undefined) await requireWarehouseId(ctx, filter.warehouse);
}

/**
 * Stock per item, warehouse and lot, in one query. Empty rows are left out unless both sku and
 * warehouse are asked for. Throws NotFoundError for an unknown sku or warehouse.
 */
export async function listBalances(ctx: Ctx, filter: StockFilter): Promise<BalanceJson[]> {
  const b = stockBalances;
  const exact = filter.sku !== undefined && filter.warehouse !== undefined;
  const rows = await ctx.db
    .select({
      sku: items.sku, warehouse: warehouses.code, itemId: b.itemId, warehouseId: b.warehouseId, lot: b.lot,
      expiresOn: lots.expiresOn, qty: b.qty, transitQty: b.transitQty,
      totalQty: valuations.qty, totalValue: valuations.value, lastUnitCost: valuations.lastUnitCost,
    })
    .from(b)
    .innerJoin(items, and(eq(items.id, b.itemId), eq(items.orgId, b.orgId)))
    .innerJoin(warehouses, and(eq(warehouses.id, b.warehouseId), eq(warehouses.orgId, b.orgId)))
    .leftJoin(lots, and(eq(lots.orgId, b.orgId), eq(lots.itemId, b.itemId), eq(lots.code, b.lot)))
    .leftJoin(valuations, and(eq(valuations.orgId, b.orgId), eq(valuations.itemId, b.itemId), eq(valuations.warehouseId, b.warehouseId)))
    .where(and(
      eq(b.orgId, ctx.orgId),
      filter.sku === undefined ? undefined : eq(items.sku, filter.sku),
      filter.warehouse === undefined ? undefined : eq(warehouses.code, filter.warehouse),
      exact ? undefined : or(ne(b.qty, '0'), ne(b.transitQty, '0')),
    ))
    .orderBy(asc(items.sku), asc(warehouses.code), asc(b.lot));
  if (rows.length === 0) await requireFilterRefs(ctx, filter);

  // Rows come grouped by item and warehouse; each group shares one valuation.
  const values = new Map<(typeof rows)[number], Decimal>();
  for (let start = 0; start < rows.length; ) {
    const first = rows[start]!;
    let end = start;
    while (end < rows.length && rows[end]!.itemId === first.itemId && rows[end]!.warehouseId === first.warehouseId) end++;
    const group = rows.slice(start, end);
    const split = apportionLotValues(group.map((r) => dec(r.qty)), dec(first.totalQty ?? 0), dec(first.totalValue ?? 0));
    group.forEach((r, i) => values.set(r, split[i]!));
    start = end;
  }
  return rows.map((r) => {
    const qty = dec(r.qty);
    const value = values.get(r) ?? ZERO;
    return {
      sku: r.sku, warehouse: r.warehouse, lot: r.lot === '' ? null : r.lot, expiresOn: r.expiresOn,
      qty: fmt(qty), value: fmtMoney(value), unitCost: unitCostOf(qty, value, r.lastUnitCost), inTransit: fmt(dec(r.transitQty)),
    };
  });
}

/** The quantity and value on hand of one item in one warehouse (zero when it never moved there). */
export async function getValuation(ctx: Ctx, sku: string, warehouse: string): Promise<ValuationJson> {
  const [row] = await ctx.db
    .select({ qty: valuations.qty, value: valuations.value, lastUnitCost: valuations.lastUnitCost })
    .from(items)
    .innerJoin(warehouses, and(eq(warehouses.orgId, items.orgId), eq(warehouses.code, warehouse)))
    .leftJoin(valuations, and(eq(valuations.orgId, items.orgId), eq(valuations.itemId, items.id), eq(valuations.warehouseId, warehouses.id)))
    .where(and(eq(items.orgId, ctx.orgId), eq(items.sku, sku)));
  if (!row) await requireFilterRefs(ctx, { sku, warehouse });
  const qty = dec(row?.qty ?? 0);
  const value = dec(row?.value ?? 0);
  return { sku, warehouse, qty: fmt(qty), value: fmtMoney(value), unitCost: unitCostOf(qty, value, row?.lastUnitCost ?? null) };
}

/** The FIFO cost layers with something left, oldest first (none for moving-average items). */
export async function listCostLayers(ctx: Ctx, sku: string, warehouse: string): Promise<LayerJson[]> {
  const l = costLayers;
  const rows = await ctx.db
    .select({ qty: l.qtyRemaining, unitCost: l.unitCost, document: l.documentId, number: documents.number, receivedAt: l.receivedAt })
    .from(l)
    .innerJoin(items, and(eq(items.id, l.itemId), eq(items.orgId, l.orgId)))
    .innerJoin(warehouses, and(eq(warehouses.id, l.warehouseId), eq(warehouses.orgId, l.orgId)))
    .innerJoin(documents, and(eq(documents.id, l.documentId), eq(documents.orgId, l.orgId)))
    .where(and(eq(l.orgId, ctx.orgId), eq(items.sku, sku), eq(warehouses.code, warehouse), gt(l.qtyRemaining, '0')))
    .orderBy(asc(l.receivedAt), asc(l.id));
  if (rows.length === 0) await requireFilterRefs(ctx, { sku, warehouse });
  return rows.map((r) => ({
    qty: fmt(dec(r.qty)), unitCost: fmt(dec(r.unitCost)), document: r.document, number: r.number, receivedAt: r.receivedAt.toISOString(),
  }));
}
