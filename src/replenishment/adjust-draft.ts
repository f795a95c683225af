import { and, eq } from 'drizzle-orm';
import { documentLines, documents } from '../../db/schema';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { ConflictError, ValidationError } from '../errors';
import { lockDocument } from '../inventory/documents/load';
import { dec, fmt, fmtMoney, sum, ZERO } from '../lib/decimal';
import { authorize } from '../people/permissions';

/**
 * Changes the quantities of a draft purchase order or requisition before it is submitted (a
 * person adjusting what replenishment suggested), by line number. Whoever may create documents at
 * its warehouse may (the rule book's `create`). Throws NotFoundError, ForbiddenError, ConflictError
 * (`wrong_status`: no longer a draft), ValidationError (a quantity not above 0).
 */
export async function adjustDraftOrder(ctx: Ctx, ref: string, quantities: Map<number, string>): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const { doc, lines } = await lockDocument(tx, ref);
    await authorize(tx, 'create', { warehouseId: doc.warehouseId });
    if (doc.status !== 'draft' || (doc.type !== 'purchase_order' && doc.type !== 'requisition')) {
      throw new ConflictError(`${doc.number} is ${doc.status}: only a draft order's quantities can change`, { number: doc.number, status: doc.status })
        .because('wrong_status', { number: doc.number, status: doc.status, action: 'adjust' });
    }
    for (const [lineNo, qty] of quantities) {
      if (!dec(qty).gt(0)) throw ValidationError.field('qty', `line ${lineNo}: must be greater than 0`);
    }
    const oldQty = sum(lines.map((l) => dec(l.qty)));
    const newLines = lines.map((l) => ({ ...l, qty: quantities.get(l.lineNo) ?? l.qty }));
    for (const l of newLines) {
      if (!quantities.has(l.lineNo)) continue;
      const value = l.unitCost === null ? null : fmtMoney(dec(l.qty).times(l.unitCost));
      await tx.db.update(documentLines).set({ qty: fmt(dec(l.qty)), ...(doc.type === 'purchase_order' ? { value } : {}) })
        .where(and(eq(documentLines.orgId, tx.orgId), eq(documentLines.documentId, doc.id), eq(documentLines.lineNo, l.lineNo)));
    }
    // A purchase order's value is what it agrees to pay; a requisition's stays an estimate, scaled with its quantity.
    const newQty = sum(newLines.map((l) => dec(l.qty)));
    const total = doc.type === 'purchase_order'
      ? sum(newLines.map((l) => dec(l.qty).times(l.unitCost ?? 0)))
      : oldQty.isZero() ? ZERO : dec(doc.totalValue).times(newQty).div(oldQty);
    await tx.db.update(documents).set({ totalValue: fmtMoney(total) }).where(and(eq(documents.orgId, tx.orgId), eq(documents.id, doc.id)));
    await writeAudit(tx, { entity: 'document', entityId: doc.id, action: 'adjust', comment: [...quantities].map(([n, q]) => `line ${n}: ${q}`).join(', ') });
  });
}
