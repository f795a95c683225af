import type { DocumentRow } from '../../../db/schema';
import { withTransaction, type Ctx } from '../../context';
import { authorize } from '../../people/permissions';
import { commitPosting } from './commit-posting';
import { enqueue } from '../../outbox/enqueue';
import { guardApproval, openStatuses, wrongStatus, wrongType } from './guards';
import { lockDocument, type LineWithItem } from './load';
import { planShip } from './transfer-plan';
import { guardOrderOf, settleOrder } from './order-link';

/**
 * Ships a transfer: stock leaves the source and is in transit to the destination. The source's
 * warehouse lead, a supervisor or an admin ships. Throws NotFoundError, ForbiddenError,
 * ConflictError (status, type, approval needed) and InsufficientStockError.
 */
export async function shipTransfer(ctx: Ctx, ref: string): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const { doc, lines } = await lockDocument(ctx, ref);
    await authorize(ctx, 'ship', { warehouseId: doc.warehouseId });
    if (doc.type !== 'transfer') throw wrongType(doc, 'ship', 'transfer');
    if (!openStatuses.includes(doc.status)) throw wrongStatus(doc, 'ship');
    await guardApproval(ctx, doc);
    await shipLocked(ctx, doc, lines);
    return { id: doc.id };
  });
}

/** Shipping once the caller has locked the transfer and knows it may (submission, the last approval). */
export async function shipLocked(ctx: Ctx, doc: DocumentRow, lines: LineWithItem[]): Promise<void> {
  await guardOrderOf(ctx, doc, lines);
  await commitPosting(ctx, doc, planShip(doc, lines), { to: 'shipped', stamp: 'shippedAt', action: 'ship' });
  await settleOrder(ctx, doc.orderOfId);
  // The destination must confirm what arrives: its group (or its receivers) gets the receipt card.
  await enqueue(ctx, 'transfer_shipped', `transfer_shipped:${doc.id}`, {
    documentId: doc.id, number: doc.number, type: doc.type, warehouseId: doc.warehouseId, toWarehouseId: doc.toWarehouseId!,
  });
}
