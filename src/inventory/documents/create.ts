import { and, eq, inArray, sql } from 'drizzle-orm';
import { documents, items, stockBalances, valuations, warehouses, type DocumentType, type Item } from '../../../db/schema';
import { userIdOf, channelOf, withTransaction, type Ctx } from '../../context';
import { NotFoundError, ValidationError, type FieldIssue } from '../../errors';
import { Decimal, ZERO, dec, fmt, fmtMoney, sum, toMoney } from '../../lib/decimal';
import { writeAudit } from '../../audit';
import { nextDocumentNumber } from './numbering';
import { decimalSizeIssue } from '../../lib/fields';
import { checkReturnLots } from './plan';
import { checkReturnable, resolveReturnOf, returnSources } from './returns';
import type { LineWithItem } from './load';
import { submitLocked } from './submit';
import { readApprovalRules } from '../../approvals/request-approval';
import { authorize } from '../../people/permissions';
import type { CreateDocumentInput } from './inputs';

export type { CreateDocumentInput, DocumentLineInput } from './inputs';
import { productionShapeIssues, recordProductionOrder } from './production-order';
import { orderShapeIssues } from './order-shape';
import { supplyingWarehouse } from '../../orders/supplier';
import { checkAgainstOrder, orderPrices, resolveOrderOf } from './order-link';

const inbound: DocumentType[] = ['opening', 'receipt'];
/** Lines whose value is known from what was entered: stock coming in at its cost, and what a purchase order agrees to pay. */
const priced: DocumentType[] = [...inbound, 'purchase_order'];

/**
 * Creates a draft at a warehouse the actor works at (and with `submit`, submits it and — needing
 * no approval — takes it as far as the actor may). Throws ValidationError (400), ForbiddenError
 * (403), NotFoundError (404: sku, warehouse, returnOf), UnprocessableError (422: a return beyond
 * what moved), and whatever submitting throws.
 */
export async function createDocument(ctx: Ctx, typed: CreateDocumentInput): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const given = await withSupplier(ctx, typed);
    checkShape(given);
    // Warehouses and items are read in one round trip (the items' costs find the warehouse by its code);
    // what is missing is reported in the order it was before: the warehouse, the right to it, the items.
    const skus = given.lines.map((l) => l.sku);
    const itemsRead = itemsWithCosts(ctx, skus, given.warehouse!);
    itemsRead.catch(() => undefined); // a missing warehouse is the error to report
    const [from, to] = await resolveWarehouses(ctx, given);
    await authorize(ctx, 'create', { warehouseId: from.id });
    const { itemsBySku, costs } = knownItems(skus, await itemsRead);
    checkLines(given, itemsBySku);
    const orderOf = given.orderOf ? await resolveOrderOf(ctx, { type: given.type, warehouseId: from.id, toWarehouseId: to?.id ?? null }, given.orderOf) : null;
    if (orderOf) await checkAgainstOrder(ctx, orderOf, given.lines.map((l) => ({ itemId: itemsBySku.get(l.sku)!.id, sku: l.sku, qty: dec(l.qty) })));
    // A receipt against a purchase order is priced as ordered unless the line says otherwise.
    const prices = orderOf && given.type === 'receipt'
      ? await orderPrices(ctx, orderOf.id, given.lines.map((l) => ({ itemId: itemsBySku.get(l.sku)!.id, qty: dec(l.qty), priced: l.unitCost !== undefined })))
      : [];
    const input = { ...given, lines: given.lines.map((l, i) => ({ ...l, ...prices[i] })) };
    const unpriced = input.lines.findIndex((l) => inbound.includes(input.type) && l.unitCost === undefined);
    if (unpriced >= 0) throw ValidationError.field(`lines.${unpriced}.unitCost`, `required for ${input.type} (the order has no cost for ${input.lines[unpriced]!.sku})`);
    const returnOf = input.returnOf ? await resolveReturnOf(ctx, input.type, input.returnOf) : null;
    if (returnOf) {
      await checkReturnable(ctx, returnOf, input.lines.map((l) => ({ itemId: itemsBySku.get(l.sku)!.id, sku: l.sku, qty: dec(l.qty) })));
      // Which lot goes back is asked now, not when the return is checked in or posted.
      checkReturnLots(input.lines, (sku) => itemsBySku.get(sku)!.id, await returnSources(ctx, returnOf));
    }

    const itemIds = [...new Set([...itemsBySku.values()].map((i) => i.id))];
    const books = input.type === 'stocktake' ? await bookQuantities(ctx, itemIds, from.id) : new Map<string, Decimal>();
    const estimate = sum(input.lines.map((l) => {
      if (l.value !== undefined) return dec(l.value);
      const item = itemsBySku.get(l.sku)!;
      const cost = l.unitCost !== undefined ? dec(l.unitCost) : costs.get(item.id) ?? ZERO;
      const moved = input.type === 'stocktake' ? dec(l.qty).minus(books.get(`${item.id}|${l.lot ?? ''}`) ?? ZERO) : dec(l.qty);
      return toMoney(moved.times(cost));
    }));

    // The id is made here, so the lines can be sent with the document in one round trip.
    const id = crypto.randomUUID();
    const insertDocument = ctx.db.insert(documents).values({
      id,
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
      orderOfId: orderOf?.id ?? null,
      dueOn: input.expectedOn ?? input.dueOn ?? null,
      returnReason: input.type === 'customer_return' ? input.returnReason ?? 'other' : null,
      totalValue: fmtMoney(estimate),
      createdByUserId: userIdOf(ctx.actor),
      createdVia: channelOf(ctx.actor),
      createdAt: ctx.now(),
    }).returning();

    const stored: LineWithItem[] = input.lines.map((l, i) => {
      const item = itemsBySku.get(l.sku)!;
      return {
        orgId: ctx.orgId,
        documentId: id,
        lineNo: i + 1,
        itemId: item.id,
        qty: fmt(dec(l.qty)),
        unitCost: l.unitCost === undefined ? null : fmt(dec(l.unitCost)),
        value: l.unitCost !== undefined && priced.includes(input.type) ? fmtMoney(l.value === undefined ? dec(l.qty).times(dec(l.unitCost)) : dec(l.value)) : null,
        lot: l.lot ?? null,
        expiresOn: l.expiresOn ?? null,
        reason: l.reason ?? null,
        previousQty: l.previousQty === undefined ? null : fmt(dec(l.previousQty)),
        // The count starts now: variance is measured against the book as it stands at this moment.
        bookQty: input.type === 'stocktake' ? fmt(books.get(`${item.id}|${l.lot ?? ''}`) ?? ZERO) : null,
        receivedQty: null, discrepancyQty: null, discrepancyValue: null, acceptedQty: null, rejectedQty: null, cancelledQty: null, costPieces: null,
        orderLineNo: l.orderLine ?? null,
        sku: item.sku, lotTracked: item.lotTracked, shelfLifeDays: item.shelfLifeDays,
      };
    });
    const inserts = Promise.all([insertDocument, ctx.db.execute(insertLines(ctx.orgId, id, stored))]);
    // A submission will ask for the approval rules: they go out in the round trip of the inserts.
    const rulesRead = input.submit ? readApprovalRules(ctx) : undefined;
    rulesRead?.catch(() => undefined); // an insert's error is the one to report; submitLocked awaits the read otherwise
    const [[doc]] = await inserts;
    if (input.type === 'production') await recordProductionOrder(ctx, doc!.id, input);
    await writeAudit(ctx, { entity: 'document', entityId: doc!.id, action: 'create', to: 'draft' });
    // Made in this transaction, so nobody else can see or lock it yet: submitted as it is in memory.
    if (input.submit) await submitLocked(ctx, doc!, stored.sort((a, b) => a.lineNo - b.lineNo), rulesRead);
    return { id: doc!.id };
  });
}

/**
 * A new document's lines, as one JSON parameter: the lines are known whole here (nothing of them is
 * read back), and a 500-line document built as 7,500 bound values cost the query builder more than
 * the database took to insert them.
 */
function insertLines(orgId: string, documentId: string, lines: LineWithItem[]) {
  const rows = lines.map((l) => ({
    line_no: l.lineNo, item_id: l.itemId, qty: l.qty, unit_cost: l.unitCost, value: l.value, lot: l.lot, expires_on: l.expiresOn,
    reason: l.reason, previous_qty: l.previousQty, book_qty: l.bookQty, order_line_no: l.orderLineNo,
  }));
  return sql`insert into document_lines (org_id, document_id, line_no, item_id, qty, unit_cost, value, lot, expires_on, reason, previous_qty, book_qty, order_line_no)
    select ${orgId}::uuid, ${documentId}::uuid, r.line_no, r.item_id, r.qty, r.unit_cost, r.value, r.lot, r.expires_on, r.reason, r.previous_qty, r.book_qty, r.order_line_no
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(line_no int, item_id uuid, qty numeric, unit_cost numeric, value numeric,
      lot text, expires_on date, reason text, previous_qty numeric, book_qty numeric, order_line_no int)`;
}

/** A requisition that names no supplying warehouse asks the store's supplier for its items (`supplyingWarehouse`), when there is one. */
async function withSupplier(ctx: Ctx, input: CreateDocumentInput): Promise<CreateDocumentInput> {
  if (input.type !== 'requisition' || input.toWarehouse || !input.warehouse) return input;
  const [store] = await ctx.db.select({ id: warehouses.id }).from(warehouses).where(and(eq(warehouses.orgId, ctx.orgId), eq(warehouses.code, input.warehouse)));
  const lineItems = await ctx.db.select({ id: items.id }).from(items).where(and(eq(items.orgId, ctx.orgId), inArray(items.sku, input.lines.map((l) => l.sku))));
  const supplier = store ? await supplyingWarehouse(ctx.db, ctx.orgId, store.id, lineItems.map((i) => i.id)) : undefined;
  return supplier ? { ...input, toWarehouse: supplier.code } : input;
}

function checkShape(input: CreateDocumentInput) {
  const issues: FieldIssue[] = [];
  if (!input.warehouse) issues.push({ field: 'warehouse', message: 'required' });
  if (input.type === 'transfer') {
    if (!input.toWarehouse) issues.push({ field: 'toWarehouse', message: 'required for a transfer' });
    else if (input.toWarehouse === input.warehouse) issues.push({ field: 'toWarehouse', message: 'must differ from warehouse' });
  } else if (input.toWarehouse && input.type !== 'production' && input.type !== 'requisition') {
    issues.push({ field: 'toWarehouse', message: 'only a transfer, a requisition or a production order has a destination' });
  }
  issues.push(...productionShapeIssues(input), ...orderShapeIssues(input));
  if (input.returnOf && input.type !== 'customer_return' && input.type !== 'purchase_return') {
    issues.push({ field: 'returnOf', message: 'only customer_return and purchase_return refer to a returned document' });
  }
  if (input.lines.length === 0) issues.push({ field: 'lines', message: 'at least one line is required' });
  input.lines.forEach((l, i) => {
    const q = dec(l.qty);
    const qtySize = decimalSizeIssue(q, 3);
    if (qtySize) issues.push({ field: `lines.${i}.qty`, message: qtySize });
    const costSize = l.unitCost === undefined ? undefined : decimalSizeIssue(dec(l.unitCost), 6);
    if (costSize) issues.push({ field: `lines.${i}.unitCost`, message: costSize });
    if (input.type === 'adjustment' ? q.isZero() : input.type === 'stocktake' ? q.isNeg() : !q.gt(0)) {
      const rule = input.type === 'adjustment' ? 'must not be 0' : input.type === 'stocktake' ? 'must be 0 or more' : 'must be greater than 0';
      issues.push({ field: `lines.${i}.qty`, message: rule });
    }
    const pricedLater = input.type === 'receipt' && input.orderOf !== undefined;
    if (priced.includes(input.type) && l.unitCost === undefined && !pricedLater) issues.push({ field: `lines.${i}.unitCost`, message: `required for ${input.type}` });
    if (l.unitCost !== undefined && dec(l.unitCost).isNeg()) issues.push({ field: `lines.${i}.unitCost`, message: 'must be 0 or more' });
    if (l.previousQty !== undefined && input.type !== 'opening') issues.push({ field: `lines.${i}.previousQty`, message: 'only on opening lines' });
    if (l.value !== undefined) {
      const message = valueIssue(input.type, q, l.unitCost, dec(l.value));
      if (message) issues.push({ field: `lines.${i}.value`, message });
    }
  });
  if (issues.length) throw new ValidationError(issues);
}

function checkLines(input: CreateDocumentInput, itemsBySku: Map<string, Item>) {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  input.lines.forEach((l, i) => {
    const item = itemsBySku.get(l.sku)!;
    const facts = { sku: l.sku, name: item.name };
    // Stock coming in must say which lot it is; a customer return with returnOf can take the issue's lot.
    const needsLot = ['opening', 'receipt', 'stocktake'].includes(input.type)
      || (input.type === 'adjustment' && dec(l.qty).gt(0))
      || (input.type === 'customer_return' && !input.returnOf);
    if (!item.lotTracked && (l.lot || l.expiresOn)) {
      issues.push({ field: `lines.${i}.lot`, message: `${l.sku} is not lot-tracked`, reason: 'not_lot_tracked', facts });
    }
    if (item.lotTracked && needsLot && !l.lot) {
      issues.push({ field: `lines.${i}.lot`, message: `${l.sku} is lot-tracked: name the lot`, reason: 'lot_required', facts });
    }
    const key = `${l.sku}|${l.lot ?? ''}`;
    if (input.type === 'stocktake' && seen.has(key)) {
      issues.push({ field: `lines.${i}.sku`, message: `${l.sku} is counted twice`, reason: 'counted_twice', facts });
    }
    seen.add(key);
  });
  if (issues.length) throw new ValidationError(issues);
}

async function resolveWarehouses(ctx: Ctx, input: CreateDocumentInput) {
  const codes = [input.warehouse!, ...(input.toWarehouse ? [input.toWarehouse] : [])];
  const rows = await ctx.db.select().from(warehouses).where(and(eq(warehouses.orgId, ctx.orgId), inArray(warehouses.code, codes)));
  const byCode = new Map(rows.map((w) => [w.code, w]));
  const missing = codes.find((c) => !byCode.has(c));
  if (missing) throw new NotFoundError('warehouse', missing);
  return [byCode.get(input.warehouse!)!, input.toWarehouse ? byCode.get(input.toWarehouse)! : null] as const;
}

/**
 * The lines' items with what their valuation in the warehouse with code `warehouseCode` holds now
 * (for the document's estimated value), in one query; the warehouse is found by its code, so this
 * read need not wait for the warehouse's.
 */
function itemsWithCosts(ctx: Ctx, skus: string[], warehouseCode: string) {
  const warehouseId = sql`(select ${warehouses.id} from ${warehouses} where ${warehouses.orgId} = ${ctx.orgId} and ${warehouses.code} = ${warehouseCode})`;
  // Promise.resolve sends it now (a builder is sent only when awaited), beside the warehouses' read.
  return Promise.resolve(ctx.db.select({ item: items, qty: valuations.qty, value: valuations.value, last: valuations.lastUnitCost }).from(items)
    .leftJoin(valuations, and(eq(valuations.orgId, items.orgId), eq(valuations.itemId, items.id), eq(valuations.warehouseId, warehouseId)))
    .where(and(eq(items.orgId, ctx.orgId), inArray(items.sku, [...new Set(skus)]))));
}

/** The items by sku and the unit cost each would leave the warehouse at now. Throws NotFoundError naming an unknown sku. */
function knownItems(skus: string[], rows: Awaited<ReturnType<typeof itemsWithCosts>>) {
  const itemsBySku = new Map(rows.map((r) => [r.item.sku, r.item]));
  const missing = skus.find((s) => !itemsBySku.has(s));
  if (missing) throw new NotFoundError('item', missing);
  const costs = new Map(rows.map((r) => [r.item.id, r.qty !== null && dec(r.qty).gt(0) ? dec(r.value!).div(r.qty) : dec(r.last ?? 0)]));
  return { itemsBySku, costs };
}

/** Book quantity per item and lot (lot '' for items without lots; lot-tracked counts name their lot). */
async function bookQuantities(ctx: Ctx, itemIds: string[], warehouseId: string): Promise<Map<string, Decimal>> {
  const rows = await ctx.db.select({ itemId: stockBalances.itemId, lot: stockBalances.lot, qty: stockBalances.qty })
    .from(stockBalances)
    .where(and(eq(stockBalances.orgId, ctx.orgId), eq(stockBalances.warehouseId, warehouseId), inArray(stockBalances.itemId, itemIds)));
  return new Map(rows.map((r) => [`${r.itemId}|${r.lot}`, dec(r.qty)]));
}

/**
 * A line value given beside its unit cost (an import's price per pack) must be what that unit cost
 * rounds: within half a unit of its sixth place per unit, and half a cent.
 */
function valueIssue(type: DocumentType, qty: Decimal, unitCost: string | undefined, value: Decimal): string | undefined {
  if (type !== 'opening' && type !== 'receipt') return 'only opening and receipt lines carry a value';
  if (unitCost === undefined) return 'needs the unit cost it rounds to';
  const size = decimalSizeIssue(value, 2);
  if (size) return size;
  const slack = qty.abs().times('0.0000005').plus('0.005');
  if (value.minus(qty.times(dec(unitCost))).abs().gt(slack)) return `${fmtMoney(value)} is not ${fmt(qty)} × ${unitCost}`;
  return undefined;
}
