import { and, eq, inArray } from 'drizzle-orm';
import { itemBarcodes, items, organizations, type Item } from '../../db/schema';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { ConflictError, ValidationError, type FieldIssue } from '../errors';
import { dec } from '../lib/decimal';
import { toItemJson, type ItemJson } from './item-json';

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
};

/** Rules the shape of the input cannot express; every broken rule is reported at once. */
function checkItemInput(input: CreateItemInput): void {
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
  if (issues.length > 0) throw new ValidationError(issues);
}

/**
 * Creates an item with its barcodes. The valuation method defaults to the organisation's.
 * Throws ValidationError (duplicate barcodes or pack units in the input, pack factor ≤ 1),
 * ConflictError (the sku exists, or a barcode belongs to another item).
 */
export async function createItem(ctx: Ctx, input: CreateItemInput): Promise<ItemJson> {
  checkItemInput(input);
  return withTransaction(ctx, async (tx) => {
    const valuationMethod = input.valuationMethod ?? (await orgDefaultValuation(tx));
    // Insert-or-nothing rather than look-then-insert: two concurrent creates of one sku cannot both pass.
    const [item] = await tx.db
      .insert(items)
      .values({
        orgId: tx.orgId,
        sku: input.sku,
        name: input.name,
        unit: input.unit,
        category: input.category ?? null,
        aliases: [...new Set(input.aliases ?? [])],
        packUnits: input.packUnits ?? [],
        valuationMethod,
        lotTracked: input.lotTracked ?? false,
        shelfLifeDays: input.shelfLifeDays ?? null,
        createdAt: tx.now(),
      })
      .onConflictDoNothing()
      .returning();
    if (!item) throw new ConflictError(`item with sku '${input.sku}' already exists`, { sku: input.sku });
    const barcodes = input.barcodes ?? [];
    await insertBarcodes(tx, item.id, barcodes);
    await writeAudit(tx, { entity: 'item', entityId: item.id, action: 'create' });
    return toItemJson(item, barcodes);
  });
}

async function orgDefaultValuation(ctx: Ctx): Promise<Item['valuationMethod']> {
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
  const holders = await ctx.db
    .select({ barcode: itemBarcodes.barcode, sku: items.sku })
    .from(itemBarcodes)
    .innerJoin(items, eq(items.id, itemBarcodes.itemId))
    .where(and(eq(itemBarcodes.orgId, ctx.orgId), inArray(itemBarcodes.barcode, taken)));
  const text = holders.map((h) => `barcode '${h.barcode}' is already used by item '${h.sku}'`).join('; ');
  throw new ConflictError(text || `barcode '${taken[0]}' is already in use`, { barcodes: holders });
}
