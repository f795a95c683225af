import { and, eq, inArray } from 'drizzle-orm';
import { documentLines, documents, items, type DocumentRow, type DocumentType } from '../../../db/schema';
import { writeAudit } from '../../audit';
import type { Ctx } from '../../context';
import { ConflictError, NotFoundError, OverOrderError, UnprocessableError } from '../../errors';
import { Decimal, dec, fmt, fmtMoney, sum, toMoney, toUnitCost, ZERO } from '../../lib/decimal';
import { doneStatus, isOrder, openOrderStatus, orderTypeFor } from '../../orders/kinds';
import { orderProgress } from '../../orders/progress';
import { documentRef } from './load';
import { enqueue } from '../../outbox/enqueue';
import { openOrderDueAt } from './open-order';

/**
 * The order a receipt, issue or transfer names with `orderOf`: of the matching type (a receipt a
 * purchase order, an issue a sales order, a transfer a requisition), open, and at the same place —
 * a transfer from the requisition's supplying warehouse to the store that asked. Throws
 * NotFoundError, UnprocessableError (`order_of_wrong_type`, `order_of_other_warehouse`), ConflictError (`order_not_open`).
 */
export async function resolveOrderOf(
  ctx: Ctx, doc: { type: DocumentType; warehouseId: string; toWarehouseId: string | null }, ref: string, lock = false,
): Promise<DocumentRow> {
  const query = ctx.db.select().from(documents).where(documentRef(ctx.orgId, ref));
  const [order] = lock ? await query.for('update') : await query;
  if (!order) throw new NotFoundError('document', ref);
  const wanted = orderTypeFor(doc.type);
  if (!wanted || order.type !== wanted) {
    throw new UnprocessableError(`${order.number} (${order.type}) cannot be fulfilled by a ${doc.type}${wanted ? `: it must name a ${wanted}` : ''}`, { orderOf: order.number })
      .because('order_of_wrong_type', { number: order.number, type: order.type, fulfilType: doc.type, wanted: wanted ?? null });
  }
  if (order.status !== openOrderStatus) {
    throw new ConflictError(`${order.number} is ${order.status}: only an approved (open) order can be fulfilled`, { orderOf: order.number, status: order.status })
      .because('order_not_open', { number: order.number, status: order.status });
  }
  const samePlace = doc.type === 'transfer'
    ? order.toWarehouseId === doc.warehouseId && order.warehouseId === doc.toWarehouseId
    : order.warehouseId === doc.warehouseId;
  if (!samePlace) {
    throw new UnprocessableError(`${order.number} is for another warehouse`, { orderOf: order.number })
      .because('order_of_other_warehouse', { number: order.number });
  }
  return order;
}

export type OrderedLine = { itemId: string; sku: string; qty: Decimal };

/** What is still open on an order, per item. */
export async function openByItem(ctx: Ctx, orderId: string): Promise<Map<string, Decimal>> {
  const open = new Map<string, Decimal>();
  for (const l of (await orderProgress(ctx.db, ctx.orgId, [orderId])).get(orderId) ?? []) open.set(l.itemId, (open.get(l.itemId) ?? ZERO).plus(l.open));
  return open;
}

/**
 * Refuses (422 `over_order`) lines that would take an item past what is still open on the order
 * (an item the order does not list has nothing open). Called at creation for an early answer and
 * again at posting under the order's row lock, so two receipts at once cannot both pass.
 */
export async function checkAgainstOrder(ctx: Ctx, order: DocumentRow, lines: OrderedLine[]): Promise<void> {
  const open = await openByItem(ctx, order.id);
  const given = new Map<string, OrderedLine>();
  for (const l of lines) given.set(l.itemId, { ...l, qty: (given.get(l.itemId)?.qty ?? ZERO).plus(l.qty) });
  const over = [...given.values()].find((l) => l.qty.gt(open.get(l.itemId) ?? ZERO));
  if (!over) return;
  const left = open.get(over.itemId) ?? ZERO;
  const [item] = await ctx.db.select({ name: items.name, unit: items.unit }).from(items).where(and(eq(items.orgId, ctx.orgId), eq(items.id, over.itemId)));
  throw new OverOrderError(`${over.sku}: ${fmt(over.qty)} is more than the ${fmt(left)} still open on ${order.number}`, {
    orderOf: order.number, sku: over.sku, open: fmt(left), given: fmt(over.qty),
  }).because('over_order', { number: order.number, sku: over.sku, name: item?.name ?? over.sku, unit: item?.unit ?? '', open: fmt(left), given: fmt(over.qty) });
}

/** Before a fulfilling document moves stock: its order locked, and nothing past what is open. */
export async function guardOrderOf(ctx: Ctx, doc: DocumentRow, lines: { itemId: string; sku: string; qty: string }[]): Promise<void> {
  if (!doc.orderOfId) return;
  const order = await resolveOrderOf(ctx, doc, doc.orderOfId, true);
  await checkAgainstOrder(ctx, order, lines.map((l) => ({ itemId: l.itemId, sku: l.sku, qty: dec(l.qty) })));
}

/**
 * After a fulfilling document moved stock (or was reversed): an order with nothing open is done (a
 * purchase order received, a sales order or requisition posted); one opened again by a reversal is
 * open once more. Cancelled orders stay cancelled.
 */
export async function settleOrder(ctx: Ctx, orderId: string | null): Promise<void> {
  if (!orderId) return;
  const [order] = await ctx.db.select().from(documents).where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, orderId))).for('update');
  if (!order || !isOrder(order.type)) return;
  const open = [...(await openByItem(ctx, order.id)).values()].some((q) => q.gt(0));
  const done = doneStatus[order.type];
  const to = order.status === openOrderStatus && !open ? done : order.status === done && open ? openOrderStatus : null;
  if (!to) return;
  // Opened again, it falls due again: the warehouse has work to do from now on.
  await ctx.db.update(documents)
    .set(to === done ? { status: to, postedAt: ctx.now(), dueAt: null } : { status: to, postedAt: null, dueAt: await openOrderDueAt(ctx, order, ctx.now()) })
    .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, order.id)));
  await writeAudit(ctx, { entity: 'document', entityId: order.id, action: to === done ? 'fulfilled' : 'reopened', from: order.status, to });
  await orderChanged(ctx, order.id, to);
}

/** Every copy of an order's card (一键发货 / 按单调拨) shows its new state; the dedupe key is per state reached. */
export async function orderChanged(ctx: Ctx, orderId: string, status: string): Promise<void> {
  await enqueue(ctx, 'order_changed', `order_changed:${orderId}:${status}:${ctx.now().getTime()}`, { documentId: orderId, status });
}

export type OrderPrice = { unitCost: string; value?: string };

/**
 * The price of each receipt line against a purchase order (undefined for a line that names its own):
 * what the line takes of the order's open lines of its item, in line order as progress counts it, at
 * each order line's price. Within one order line, that line's price; across two priced apart (10 at
 * 3, then 10 at 4: 15 received is 30 + 20), the exact value of the pieces and the unit cost it rounds
 * to. With nothing open to take from, the item's first order line's price.
 */
export async function orderPrices(ctx: Ctx, orderId: string, lines: { itemId: string; qty: Decimal; priced: boolean }[]): Promise<(OrderPrice | undefined)[]> {
  const [rows, progress] = await Promise.all([
    ctx.db.select({ itemId: documentLines.itemId, unitCost: documentLines.unitCost, lineNo: documentLines.lineNo }).from(documentLines)
      .where(and(eq(documentLines.orgId, ctx.orgId), inArray(documentLines.documentId, [orderId]))),
    orderProgress(ctx.db, ctx.orgId, [orderId]),
  ]);
  const costOf = new Map(rows.map((r) => [r.lineNo, r.unitCost]));
  const open = (progress.get(orderId) ?? []).map((p) => ({ itemId: p.itemId, left: p.open, cost: costOf.get(p.lineNo) ?? null }));
  return lines.map((l) => {
    // A line with its own price still takes its part of the order lines, as progress will count it.
    const pieces: { qty: Decimal; cost: string }[] = [];
    let need = l.qty;
    for (const o of open) {
      if (o.itemId !== l.itemId || o.cost === null || !need.gt(0) || !o.left.gt(0)) continue;
      const take = Decimal.min(need, o.left);
      pieces.push({ qty: take, cost: o.cost });
      o.left = o.left.minus(take);
      need = need.minus(take);
    }
    if (l.priced) return undefined;
    if (pieces.length === 0) {
      const first = rows.filter((r) => r.itemId === l.itemId && r.unitCost !== null).sort((a, b) => a.lineNo - b.lineNo)[0];
      return first ? { unitCost: first.unitCost! } : undefined;
    }
    if (pieces.every((p) => dec(p.cost).eq(pieces[0]!.cost))) return { unitCost: pieces[0]!.cost };
    const value = toMoney(sum(pieces.map((p) => p.qty.times(p.cost))));
    return { unitCost: fmt(toUnitCost(value.div(l.qty))), value: fmtMoney(value) };
  });
}
