import { and, eq } from 'drizzle-orm';
import { documentLines, documents } from '../../../db/schema';
import { fmt } from '../../lib/decimal';
import { isOrder } from '../../orders/kinds';
import { orderProgress } from '../../orders/progress';
import { orderChanged } from './order-link';
import { watchReservation } from './open-order';
import { writeAudit } from '../../audit';
import { withTransaction, type Ctx } from '../../context';
import { authorize } from '../../people/permissions';
import { openStatuses, wrongStatus } from './guards';
import { lockDocument } from './load';
import { completedTotals } from './production-totals';

/**
 * An order called off (采购取消, a sales order or requisition withdrawn): what is still open on each
 * line is recorded as cancelled; what was already received, issued or shipped stays.
 */
async function cancelOpenRest(ctx: Ctx, orderId: string): Promise<void> {
  const progress = (await orderProgress(ctx.db, ctx.orgId, [orderId])).get(orderId) ?? [];
  for (const l of progress) {
    await ctx.db.update(documentLines).set({ cancelledQty: fmt(l.cancelled.plus(l.open)) })
      .where(and(eq(documentLines.orgId, ctx.orgId), eq(documentLines.documentId, orderId), eq(documentLines.lineNo, l.lineNo)));
  }
}

/**
 * Cancels a document that has not moved stock yet (an open order: its open rest) (a production order: none of its completions stand): its creator while draft or submitted, its
 * warehouse's lead, a supervisor or an admin. Throws NotFoundError, ForbiddenError, ConflictError.
 */
export async function cancelDocument(ctx: Ctx, ref: string, comment?: string): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const { doc } = await lockDocument(ctx, ref);
    await authorize(ctx, 'cancel', { warehouseId: doc.warehouseId, createdBy: doc.createdByUserId, status: doc.status });
    // A production order in progress may be called off while nothing it completed stands.
    const stopped = doc.type === 'production' && doc.status === 'in_progress' && (await completedTotals(ctx, doc.id)).qty.isZero();
    if (![...openStatuses, 'rejected'].includes(doc.status) && !stopped) throw wrongStatus(doc, 'cancel');
    if (isOrder(doc.type)) {
      await watchReservation(ctx, doc);
      await cancelOpenRest(ctx, doc.id);
      await orderChanged(ctx, doc.id, 'cancelled');
    }
    await ctx.db.update(documents).set({ status: 'cancelled', cancelledAt: ctx.now(), dueAt: null })
      .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
    await writeAudit(ctx, { entity: 'document', entityId: doc.id, action: 'cancel', from: doc.status, to: 'cancelled', comment: comment ?? null });
    return { id: doc.id };
  });
}
