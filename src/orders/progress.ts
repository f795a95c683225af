import { and, eq, inArray, isNull } from 'drizzle-orm';
import { documentLines, documents } from '../../db/schema';
import type { Queryable } from '../../db/client';
import { dec, ZERO, type Decimal } from '../lib/decimal';
import { countingStatuses } from './kinds';

/** One order line's progress: ordered, fulfilled (received, issued, shipped), cancelled, and what is still open. */
export type LineProgress = { lineNo: number; itemId: string; qty: Decimal; fulfilled: Decimal; cancelled: Decimal; open: Decimal };

type OrderLine = { documentId: string; lineNo: number; itemId: string; qty: string; cancelledQty: string | null; status: string };

/**
 * Progress of each line of the given orders, keyed by order id. A fulfilling line that names its
 * order line (按单发货 by line) fills that line; what fulfilled an item without naming a line is
 * shared out over the order's lines of that item in line order, after those (an item ordered on two
 * lines fills the first first), so a line's open quantity never goes below 0; a cancelled order's is 0.
 */
export async function orderProgress(db: Queryable, orgId: string, orderIds: string[]): Promise<Map<string, LineProgress[]>> {
  const out = new Map<string, LineProgress[]>();
  if (orderIds.length === 0) return out;
  const lines: OrderLine[] = await db.select({
    documentId: documentLines.documentId, lineNo: documentLines.lineNo, itemId: documentLines.itemId, qty: documentLines.qty, cancelledQty: documentLines.cancelledQty,
    status: documents.status,
  }).from(documentLines).innerJoin(documents, eq(documents.id, documentLines.documentId))
    .where(and(eq(documentLines.orgId, orgId), inArray(documentLines.documentId, orderIds)));
  const { byLine, byItem: done } = await fulfilledByOrder(db, orgId, orderIds);
  for (const l of lines.sort((a, b) => a.lineNo - b.lineNo)) {
    const key = `${l.documentId}|${l.itemId}`;
    const left = done.get(key) ?? ZERO;
    const qty = dec(l.qty);
    const cancelled = dec(l.cancelledQty ?? 0);
    const named = least(byLine.get(`${l.documentId}|${l.lineNo}`) ?? ZERO, qty);
    const fulfilled = named.plus(least(left, qty.minus(named)));
    done.set(key, left.minus(fulfilled.minus(named)));
    // A cancelled order has nothing open, even when a reversal later gives back what it had received.
    const open = l.status === 'cancelled' ? ZERO : greatest(qty.minus(fulfilled).minus(cancelled), ZERO);
    const row = { lineNo: l.lineNo, itemId: l.itemId, qty, fulfilled, cancelled, open };
    out.set(l.documentId, [...(out.get(l.documentId) ?? []), row]);
  }
  return out;
}

/**
 * Fulfilled quantities by the documents that name the orders and count: per order line
 * (`orderId|lineNo`) where a fulfilling line names it, else per order and item (`orderId|itemId`).
 */
async function fulfilledByOrder(db: Queryable, orgId: string, orderIds: string[]) {
  const rows = await db.select({ orderId: documents.orderOfId, itemId: documentLines.itemId, orderLineNo: documentLines.orderLineNo, qty: documentLines.qty })
    .from(documents)
    .innerJoin(documentLines, and(eq(documentLines.orgId, documents.orgId), eq(documentLines.documentId, documents.id)))
    .where(and(eq(documents.orgId, orgId), inArray(documents.orderOfId, orderIds), inArray(documents.status, countingStatuses), isNull(documents.reversedById)));
  const byLine = new Map<string, Decimal>();
  const byItem = new Map<string, Decimal>();
  for (const r of rows) {
    const [map, key] = r.orderLineNo === null ? [byItem, `${r.orderId}|${r.itemId}`] : [byLine, `${r.orderId}|${r.orderLineNo}`];
    map.set(key, (map.get(key) ?? ZERO).plus(r.qty));
  }
  return { byLine, byItem };
}

const least = (a: Decimal, b: Decimal) => (a.lt(b) ? a : b);
const greatest = (a: Decimal, b: Decimal) => (a.gt(b) ? a : b);
