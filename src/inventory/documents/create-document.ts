import { and, eq, inArray } from 'drizzle-orm';
import { documentLines, documents, items, stockBalances, valuations, warehouses, type DocumentType, type Item } from '../../../db/schema';
import { userIdOf, channelOf, withTransaction, type Ctx } from '../../context';
import { NotFoundError, ValidationError, type FieldIssue } from '../../errors';
import { Decimal, ZERO, dec, fmt, fmtMoney, sum, toMoney } from '../../lib/decimal';
import { writeAudit } from '../../audit';
import { chunks } from '../../lib/chunks';
import { nextDocumentNumber } from './numbering';
import { checkReturnable, resolveReturnOf } from './returns';
import { submitDocument } from './transitions';

export type DocumentLineInput = {
  sku: string;
  qty: string;
  unitCost?: string | undefined;
  lot?: string | undefined;
  expiresOn?: string | undefined;
  reason?: string | undefined;
  previousQty?: string | undefined;
};

export type CreateDocumentInput = {
  type: DocumentType;
  warehouse?: string | undefined;
  toWarehouse?: string | undefined;
  counterparty?: string | undefined;
  reason?: string | undefined;
  externalRef?: string | undefined;
  returnOf?: string | undefined;
  note?: string | undefined;
  /** A customer return's reason class (returns statistics); chat reports set it from what was typed. */
  returnReason?: 'expired' | 'near_expiry' | 'damaged' | 'wrong_item' | 'quality' | 'other' | undefined;
  lines: DocumentLineInput[];
  submit?: boolean | undefined;
};

const inbound: DocumentType[] = ['opening', 'receipt'];

/**
 * Creates a draft (and with `submit`, submits and — needing no approval — posts it).
 * Throws ValidationError (400), NotFoundError (404: sku, warehouse, returnOf), UnprocessableError
 * (422: a return beyond what moved), and whatever submitting throws.
 */
export async function createDocument(ctx: Ctx, input: CreateDocumentInput): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    checkShape(input);
    const [from, to] = await resolveWarehouses(ctx, input);
    const itemsBySku = await resolveItems(ctx, input.lines.map((l) => l.sku));
    checkLines(input, itemsBySku);
    const returnOf = input.returnOf ? await resolveReturnOf(ctx, input.type, input.returnOf) : null;
    if (returnOf) await checkReturnable(ctx, returnOf, input.lines.map((l) => ({ itemId: itemsBySku.get(l.sku)!.id, sku: l.sku, qty: dec(l.qty) })));

    const itemIds = [...new Set([...itemsBySku.values()].map((i) => i.id))];
    const costs = await currentCosts(ctx, itemIds, from.id);
    const books = input.type === 'stocktake' ? await bookQuantities(ctx, itemIds, from.id) : new Map<string, Decimal>();
    const estimate = sum(input.lines.map((l) => {
      const item = itemsBySku.get(l.sku)!;
      const cost = l.unitCost !== undefined ? dec(l.unitCost) : costs.get(item.id) ?? ZERO;
      const moved = input.type === 'stocktake' ? dec(l.qty).minus(books.get(`${item.id}|${l.lot ?? ''}`) ?? ZERO) : dec(l.qty);
      return toMoney(moved.times(cost));
    }));

    const [doc] = await ctx.db.insert(documents).values({
      orgId: ctx.orgId,
      number: await nextDocumentNumber(ctx, input.type),
      type: input.type,
      status: 'draft',
      warehouseId: from.id,
      toWarehouseId: to?.id ?? null,
      counterparty: input.counterparty ?? null,
      reason: input.reason ?? null,
      externalRef: input.externalRef ?? null,
      note: input.note ?? null,
      returnOfId: returnOf?.id ?? null,
      returnReason: input.type === 'customer_return' ? input.returnReason ?? 'other' : null,
      totalValue: fmtMoney(estimate),
      createdByUserId: userIdOf(ctx.actor),
      createdVia: channelOf(ctx.actor),
      createdAt: ctx.now(),
    }).returning({ id: documents.id, number: documents.number });

    const lineRows = input.lines.map((l, i) => {
      const item = itemsBySku.get(l.sku)!;
      return {
        orgId: ctx.orgId,
        documentId: doc!.id,
        lineNo: i + 1,
        itemId: item.id,
        qty: fmt(dec(l.qty)),
        unitCost: l.unitCost ?? null,
        value: l.unitCost !== undefined && inbound.includes(input.type) ? fmtMoney(dec(l.qty).times(dec(l.unitCost))) : null,
        lot: l.lot ?? null,
        expiresOn: l.expiresOn ?? null,
        reason: l.reason ?? null,
        previousQty: l.previousQty ?? null,
        // The count starts now: variance is measured against the book as it stands at this moment.
        bookQty: input.type === 'stocktake' ? fmt(books.get(`${item.id}|${l.lot ?? ''}`) ?? ZERO) : null,
      };
    });
    for (const rows of chunks(lineRows)) await ctx.db.insert(documentLines).values(rows);
    await writeAudit(ctx, { entity: 'document', entityId: doc!.id, action: 'create', to: 'draft' });
    if (input.submit) await submitDocument(ctx, doc!.id);
    return { id: doc!.id };
  });
}

function checkShape(input: CreateDocumentInput) {
  const issues: FieldIssue[] = [];
  if (!input.warehouse) issues.push({ field: 'warehouse', message: 'required' });
  if (input.type === 'transfer') {
    if (!input.toWarehouse) issues.push({ field: 'toWarehouse', message: 'required for a transfer' });
    else if (input.toWarehouse === input.warehouse) issues.push({ field: 'toWarehouse', message: 'must differ from warehouse' });
  } else if (input.toWarehouse) issues.push({ field: 'toWarehouse', message: 'only a transfer has a destination' });
  if (input.returnOf && input.type !== 'customer_return' && input.type !== 'purchase_return') {
    issues.push({ field: 'returnOf', message: 'only customer_return and purchase_return refer to a returned document' });
  }
  if (input.lines.length === 0) issues.push({ field: 'lines', message: 'at least one line is required' });
  input.lines.forEach((l, i) => {
    const q = dec(l.qty);
    if (input.type === 'adjustment' ? q.isZero() : input.type === 'stocktake' ? q.isNeg() : !q.gt(0)) {
      const rule = input.type === 'adjustment' ? 'must not be 0' : input.type === 'stocktake' ? 'must be 0 or more' : 'must be greater than 0';
      issues.push({ field: `lines.${i}.qty`, message: rule });
    }
    if (inbound.includes(input.type) && l.unitCost === undefined) issues.push({ field: `lines.${i}.unitCost`, message: `required for ${input.type}` });
    if (l.unitCost !== undefined && dec(l.unitCost).isNeg()) issues.push({ field: `lines.${i}.unitCost`, message: 'must be 0 or more' });
    if (l.previousQty !== undefined && input.type !== 'opening') issues.push({ field: `lines.${i}.previousQty`, message: 'only on opening lines' });
  });
  if (issues.length) throw new ValidationError(issues);
}

function checkLines(input: CreateDocumentInput, itemsBySku: Map<string, Item>) {
  const issues: FieldIssue[] = [];
  const chat: string[] = [];
  const seen = new Set<string>();
  input.lines.forEach((l, i) => {
    const item = itemsBySku.get(l.sku)!;
    // Stock coming in must say which lot it is; a customer return with returnOf can take the issue's lot.
    const needsLot = ['opening', 'receipt', 'stocktake'].includes(input.type)
      || (input.type === 'adjustment' && dec(l.qty).gt(0))
      || (input.type === 'customer_return' && !input.returnOf);
    if (!item.lotTracked && (l.lot || l.expiresOn)) {
      issues.push({ field: `lines.${i}.lot`, message: `${l.sku} is not lot-tracked` });
      chat.push(`${item.name}（${l.sku}）不按批次管理，不用写批次`);
    }
    if (item.lotTracked && needsLot && !l.lot) {
      issues.push({ field: `lines.${i}.lot`, message: `${l.sku} is lot-tracked: name the lot` });
      chat.push(`${item.name}（${l.sku}）按批次管理，要写明批次，请在系统里录入这张单`);
    }
    const key = `${l.sku}|${l.lot ?? ''}`;
    if (input.type === 'stocktake' && seen.has(key)) {
      issues.push({ field: `lines.${i}.sku`, message: `${l.sku} is counted twice` });
      chat.push(`${item.name}（${l.sku}）盘点了两次`);
    }
    seen.add(key);
  });
  if (issues.length) throw new ValidationError(issues).withChat(chat.join('；'));
}

async function resolveWarehouses(ctx: Ctx, input: CreateDocumentInput) {
  const codes = [input.warehouse!, ...(input.toWarehouse ? [input.toWarehouse] : [])];
  const rows = await ctx.db.select().from(warehouses).where(and(eq(warehouses.orgId, ctx.orgId), inArray(warehouses.code, codes)));
  const byCode = new Map(rows.map((w) => [w.code, w]));
  const missing = codes.find((c) => !byCode.has(c));
  if (missing) throw new NotFoundError('warehouse', missing);
  return [byCode.get(input.warehouse!)!, input.toWarehouse ? byCode.get(input.toWarehouse)! : null] as const;
}

export async function resolveItems(ctx: Ctx, skus: string[]): Promise<Map<string, Item>> {
  const rows = await ctx.db.select().from(items).where(and(eq(items.orgId, ctx.orgId), inArray(items.sku, [...new Set(skus)])));
  const bySku = new Map(rows.map((i) => [i.sku, i]));
  const missing = skus.find((s) => !bySku.has(s));
  if (missing) throw new NotFoundError('item', missing);
  return bySku;
}

/** The unit cost each item would leave the warehouse at now (an estimate for the document total). */
async function currentCosts(ctx: Ctx, itemIds: string[], warehouseId: string): Promise<Map<string, Decimal>> {
  const rows = await ctx.db.select().from(valuations).where(and(eq(valuations.orgId, ctx.orgId),
    eq(valuations.warehouseId, warehouseId), inArray(valuations.itemId, itemIds)));
  return new Map(rows.map((r) => [r.itemId, dec(r.qty).gt(0) ? dec(r.value).div(r.qty) : dec(r.lastUnitCost ?? 0)]));
}

/** Book quantity per item and lot (lot '' for items without lots; lot-tracked counts name their lot). */
async function bookQuantities(ctx: Ctx, itemIds: string[], warehouseId: string): Promise<Map<string, Decimal>> {
  const rows = await ctx.db.select({ itemId: stockBalances.itemId, lot: stockBalances.lot, qty: stockBalances.qty })
    .from(stockBalances)
    .where(and(eq(stockBalances.orgId, ctx.orgId), eq(stockBalances.warehouseId, warehouseId), inArray(stockBalances.itemId, itemIds)));
  return new Map(rows.map((r) => [`${r.itemId}|${r.lot}`, dec(r.qty)]));
}
