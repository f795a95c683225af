import { and, eq, inArray } from 'drizzle-orm';
import { items, warehouses, type PackUnit } from '../../../db/schema';
import type { Ctx } from '../../context';

export type ItemNames = Map<string, { name: string; unit: string; packUnits: PackUnit[] }>;

/**
 * What people call the things a document names: its items (by sku: name, unit, pack units) and its
 * warehouses (by code: name), for cards and pages that show more than codes. Two small queries.
 */
export async function documentNames(ctx: Ctx, doc: { warehouse: string; toWarehouse: string | null; lines: { sku: string }[] }) {
  const skus = [...new Set(doc.lines.map((l) => l.sku))];
  const codes = [doc.warehouse, ...(doc.toWarehouse ? [doc.toWarehouse] : [])];
  const [itemRows, warehouseRows] = await Promise.all([
    skus.length
      ? ctx.db.select({ sku: items.sku, name: items.name, unit: items.unit, packUnits: items.packUnits }).from(items)
        .where(and(eq(items.orgId, ctx.orgId), inArray(items.sku, skus)))
      : Promise.resolve([]),
    ctx.db.select({ code: warehouses.code, name: warehouses.name }).from(warehouses)
      .where(and(eq(warehouses.orgId, ctx.orgId), inArray(warehouses.code, codes))),
  ]);
  return {
    items: new Map(itemRows.map((i) => [i.sku, { name: i.name, unit: i.unit, packUnits: i.packUnits }])) as ItemNames,
    warehouses: new Map(warehouseRows.map((w) => [w.code, w.name])),
  };
}
