import { and, asc, eq, inArray } from 'drizzle-orm';
import { itemBarcodes, type Item } from '../../db/schema';
import type { Ctx } from '../context';
import { dec, fmt } from '../lib/decimal';

/** An item as the API, chat and imports show it. */
export type ItemJson = {
  id: string;
  sku: string;
  name: string;
  unit: string;
  category: string | null;
  barcodes: string[];
  aliases: string[];
  /** Pinyin search keys (拼音助记码) of the name and aliases: initials and full spelling, e.g. ['kl', 'kele']. */
  pinyin: string[];
  packUnits: { name: string; factor: string }[];
  valuationMethod: Item['valuationMethod'];
  lotTracked: boolean;
  shelfLifeDays: number | null;
  supplier: string | null;
  leadTimeDays: number | null;
  minOrderQty: string | null;
  createdAt: string;
};

export function toItemJson(item: Item, barcodes: string[]): ItemJson {
  return {
    id: item.id,
    sku: item.sku,
    name: item.name,
    unit: item.unit,
    category: item.category,
    barcodes: [...barcodes].sort(),
    aliases: item.aliases,
    pinyin: item.pinyin ? item.pinyin.split(' ').filter(Boolean) : [],
    packUnits: item.packUnits.map((p) => ({ name: p.name, factor: fmt(dec(p.factor)) })),
    valuationMethod: item.valuationMethod,
    lotTracked: item.lotTracked,
    shelfLifeDays: item.shelfLifeDays,
    supplier: item.supplier,
    leadTimeDays: item.leadTimeDays,
    minOrderQty: item.minOrderQty === null ? null : fmt(dec(item.minOrderQty)),
    createdAt: item.createdAt.toISOString(),
  };
}

/** The barcodes of a page of items in one query (never one per item), keyed by item id. */
export async function barcodesByItem(ctx: Ctx, itemIds: string[]): Promise<Map<string, string[]>> {
  const byItem = new Map<string, string[]>();
  if (itemIds.length === 0) return byItem;
  const rows = await ctx.db
    .select({ itemId: itemBarcodes.itemId, barcode: itemBarcodes.barcode })
    .from(itemBarcodes)
    .where(and(eq(itemBarcodes.orgId, ctx.orgId), inArray(itemBarcodes.itemId, itemIds)))
    .orderBy(asc(itemBarcodes.barcode));
  for (const row of rows) byItem.set(row.itemId, [...(byItem.get(row.itemId) ?? []), row.barcode]);
  return byItem;
}

/** Items with their barcodes, in the order given. */
export async function withBarcodes(ctx: Ctx, rows: Item[]): Promise<ItemJson[]> {
  const barcodes = await barcodesByItem(ctx, rows.map((r) => r.id));
  return rows.map((r) => toItemJson(r, barcodes.get(r.id) ?? []));
}
