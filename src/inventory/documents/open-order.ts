import { and, eq } from 'drizzle-orm';
import { documentLines, documents, type DocumentRow } from '../../../db/schema';
import { dueAtFor } from '../../approvals/service-levels';
import { writeAudit } from '../../audit';
import type { Ctx } from '../../context';
import { addDays, localMidnight } from '../../lib/calendar';
import { enqueue } from '../../outbox/enqueue';
import { watchLowStock } from '../low-stock';

/**
 * Submitted with no approval needed, or approved at its last level: an order is open (`approved`).
 * A purchase order falls due at the end of its expected day; a sales order or requisition waits
 * for its warehouse under the service level (24 h by default) and that warehouse's group gets its
 * card (a requisition: the supplying warehouse's).
 */
export async function openOrder(ctx: Ctx, doc: DocumentRow): Promise<void> {
  await watchReservation(ctx, doc);
  const now = ctx.now();
  const dueAt = await openOrderDueAt(ctx, doc, now);
  await ctx.db.update(documents).set({ status: 'approved', approvedAt: doc.approvedAt ?? now, dueAt })
    .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
  if (doc.status !== 'approved') await writeAudit(ctx, { entity: 'document', entityId: doc.id, action: 'open', from: doc.status, to: 'approved' });
  if (doc.type === 'purchase_order') return;
  const warehouseId = doc.type === 'requisition' ? doc.toWarehouseId! : doc.warehouseId;
  await enqueue(ctx, 'order_opened', `order_opened:${doc.id}`, { documentId: doc.id, number: doc.number, type: doc.type, warehouseId });
}

/**
 * When an open order falls overdue, counted from `from` (it opened, or a reversal opened it again):
 * a purchase order at the end of its expected day, a sales order or requisition after its service level.
 */
export async function openOrderDueAt(ctx: Ctx, doc: DocumentRow, from: Date): Promise<Date | null> {
  if (doc.type === 'purchase_order') return doc.dueOn ? localMidnight(addDays(doc.dueOn, 1), ctx.timezone) : null;
  return dueAtFor(ctx, doc.type, 'approved', from);
}

/**
 * A sales order reserves its warehouse's stock while open: before it opens or is called off, the
 * low-stock watch reads what is available of its items there (`watchLowStock`).
 */
export async function watchReservation(ctx: Ctx, doc: DocumentRow): Promise<void> {
  if (doc.type !== 'sales_order') return;
  const lines = await ctx.db.selectDistinct({ itemId: documentLines.itemId }).from(documentLines)
    .where(and(eq(documentLines.orgId, ctx.orgId), eq(documentLines.documentId, doc.id)));
  watchLowStock(ctx, doc.id, lines.map((l) => ({ itemId: l.itemId, warehouseId: doc.warehouseId })), true);
}
