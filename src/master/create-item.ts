import { and, eq, inArray } from 'drizzle-orm';
import { itemBarcodes, items, organizations, type Item } from '../../db/schema';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { ConflictError, ValidationError, type FieldIssue } from '../errors';
import { dec } from '../lib/decimal';
import { toItemJson, type ItemJson } from './item-json';
import { itemPinyin } from './item-pinyin';
import { authorize } from '../people/permissions';

export type CreateItemInput = {
  sku: string;
  name: string;
  unit: string;
  category?: string | null | undefined;
  barcodes?: string[] | undefined;
  aliases?: string[] | undefined;
  /** `factor`: how many base units one pack holds, a decimal string. */
  packUnits?: { name: string; factor: string }[] | undefined;
  valuationMethod?: Item['valuationMethod'] | undefined;
  lotTracked?: boolean | undefined;
  shelfLifeDays?: number | null | undefined;
  supplier?: string | null | undefined;
  leadTimeDays?: number | null | undefined;
  minOrderQty?: string | null | undefined;
};

/**
 * Rules the shape of the input cannot express, every broken one at once (`field` as in the API:
 * `packUnits.1.factor`). Pure, so imports check a whole file against the same rules before writing.
 */
export function itemInputIssues(input: CreateItemInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seenBarcodes = new Set<string>();
  (input.barcodes ?? []).forEach((barcode, i) => {
    if (seenBarcodes.has(barcode)) issues.push({ field: `barcodes.${i}`, message: `barcode '${barcode}' is listed twice` });
    seenBarcodes.add(barcode);
  });
  const seenUnits = new Set<string>();
  (input.packUnits ?? []).forEach((pack, i) => {
    if (pack.name === input.unit) {
      issues.push({ field: `packUnits.${i}.name`, message: `pack unit '${pack.name}' is the base unit` });
    } else if (seenUnits.has(pack.name)) {
      issues.push({ field: `packUnits.${i}.name`, message: `pack unit '${pack.name}' is listed twice` });
    }
    seenUnits.add(pack.name);
    if (!dec(pack.factor).gt(1)) issues.push({ field: `packUnits.${i}.factor`, message: 'must be greater than 1' });
  });
  return issues;
}

/** The items row of a checked input, as createItem and the import write it. */
export async function itemRow(ctx: Ctx, input: CreateItemInput, defaultValuation: Item['valuationMethod']) {
  return {
    orgId: ctx.orgId,
    sku: input.sku,
    name: input.name,
    unit: input.unit,
    category: input.category ?? null,
    aliases: [...new Set(input.aliases ?? [])],
    pinyin: await itemPinyin(input.name, input.aliases ?? []),
    packUnits: input.packUnits ?? [],
    valuationMethod: input.valuationMethod ?? defaultValuation,
    lotTracked: input.lotTracked ?? false,
    shelfLifeDays: input.shelfLifeDays ?? null,
    supplier: input.supplier ?? null,
    leadTimeDays: input.leadTimeDays ?? null,
    minOrderQty: input.minOrderQty ?? null,
    createdAt: ctx.now(),
  };
}

/**
 * Creates an item with its barcodes. The valuation method defaults to the organisation's.
 * Throws ValidationError (duplicate barcodes or pack units in the input, pack factor ≤ 1),
 * ConflictError (the sku exists, or a barcode belongs to another item).
 */
export async function createItem(ctx: Ctx, input: CreateItemInput): Promise<ItemJson> {
  const issues = itemInputIssues(input);
  if (issues.length > 0) throw new ValidationError(issues);
  return withTransaction(ctx, async (tx) => {
    await authorize(tx, 'admin', { what: 'items' });
    const defaultValuation = input.valuationMethod ?? (await orgDefaultValuation(tx));
    // Insert-or-nothing rather than look-then-insert: two concurrent creates of one sku cannot both pass.
    const [item] = await tx.db
      .insert(items)
      .values(await itemRow(tx, input, defaultValuation))
      .onConflictDoNothing()
      .returning();
    if (!item) throw new ConflictError(skuTaken(input.sku), { sku: input.sku });
    const barcodes = input.barcodes ?? [];
    await insertBarcodes(tx, item.id, barcodes);
    await writeAudit(tx, { entity: 'item', entityId: item.id, action: 'create' });
    return toItemJson(item, barcodes);
  });
}

export async function orgDefaultValuation(ctx: Ctx): Promise<Item['valuationMethod']> {
  const [org] = await ctx.db
    .select({ valuation: organizations.defaultValuation })
    .from(organizations)
    .where(eq(organizations.id, ctx.orgId));
  return org?.valuation ?? 'moving_average';
}

/** A barcode names one item in its organisation; a taken one fails the whole create, naming its holder. */
async function insertBarcodes(ctx: Ctx, itemId: string, barcodes: string[]): Promise<void> {
  if (barcodes.length === 0) return;
  const inserted = await ctx.db
    .insert(itemBarcodes)
    .values(barcodes.map((barcode) => ({ orgId: ctx.orgId, barcode, itemId })))
    .onConflictDoNothing()
    .returning({ barcode: itemBarcodes.barcode });
  if (inserted.length === barcodes.length) return;
  const taken = barcodes.filter((b) => !inserted.some((i) => i.barcode === b));
  const holders = await barcodeHolders(ctx, taken);
  const text = holders.map(barcodeTaken).join('; ');
  throw new ConflictError(text || `barcode '${taken[0]}' is already in use`, { barcodes: holders });
}

/** Which of these barcodes the organisation's items already hold, and which item holds each. */
export async function barcodeHolders(ctx: Ctx, barcodes: string[]): Promise<{ barcode: string; sku: string }[]> {
  if (barcodes.length === 0) return [];
  return ctx.db
    .select({ barcode: itemBarcodes.barcode, sku: items.sku })
    .from(itemBarcodes)
    .innerJoin(items, eq(items.id, itemBarcodes.itemId))
    .where(and(eq(itemBarcodes.orgId, ctx.orgId), inArray(itemBarcodes.barcode, barcodes)));
}

export const barcodeTaken = (h: { barcode: string; sku: string }) => `barcode '${h.barcode}' is already used by item '${h.sku}'`;
export const skuTaken = (sku: string) => `item with sku '${sku}' already exists`;
