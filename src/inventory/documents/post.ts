import type { DocumentRow } from '../../../db/schema';
import { withTransaction, type Ctx } from '../../context';
import { ConflictError, ValidationError } from '../../errors';
import { dec, fmt, type Decimal } from '../../lib/decimal';
import { authorize, type Action } from '../../people/permissions';
import { commitPosting } from './commit-posting';
import { guardApproval, openStatuses, wrongStatus, wrongType } from './guards';
import { lockDocument, type LineWithItem } from './load';
import { planCustomerReturn, planDifference, planInbound, planOutbound, type Plan } from './plan';
import { guardOrderOf, settleOrder } from './order-link';
import { checkReturnable, resolveReturnOf, returnSources } from './returns';

export type QcLine = { line: number; acceptedQty: string };

/**
 * Which rule of the rule book posting a document falls under: QC for a customer return, counts for
 * stocktakes and adjustments, shipping for an issue that fills a sales order (as 一键发货 does), else submitting.
 */
export const postAction = (doc: Pick<DocumentRow, 'type' | 'orderOfId'>): Action =>
  doc.type === 'customer_return' ? 'qc' : doc.type === 'stocktake' || doc.type === 'adjustment' ? 'post_count'
    : doc.type === 'issue' && doc.orderOfId !== null ? 'ship' : 'submit';

/**
 * Posts a document (a customer return: its QC result) as the actor, under the rule book: QC and
 * counts are the warehouse lead's, other postings anyone's at the warehouse. Transfers ship and
 * receive instead. Throws NotFoundError, ForbiddenError, ConflictError (status, type, approval
 * needed), ValidationError (QC lines) and what committing throws (InsufficientStockError…).
 */
export async function postDocument(ctx: Ctx, ref: string, qc?: QcLine[]): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const { doc, lines } = await lockDocument(ctx, ref);
    await authorize(ctx, postAction(doc), { warehouseId: doc.warehouseId });
    if (doc.type === 'transfer') {
      throw new ConflictError(`${doc.number} is a transfer: ship it, then receive it`, { number: doc.number }).because('post_a_transfer', { number: doc.number });
    }
    if (!openStatuses.includes(doc.status)) throw wrongStatus(doc, qc ? 'qc' : 'post');
    if (qc && doc.type !== 'customer_return') {
      throw ValidationError.field('lines', 'QC quantities are only for customer returns', 'wrong_type',
        { number: doc.number, type: doc.type, expected: 'customer_return', verb: 'qc' });
    }
    await guardApproval(ctx, doc);
    await postLocked(ctx, doc, lines, qc);
    return { id: doc.id };
  });
}

/** Posting once the caller has locked the document and knows it may (submission, the last approval). */
export async function postLocked(ctx: Ctx, doc: DocumentRow, lines: LineWithItem[], qc?: QcLine[]): Promise<void> {
  await guardOrderOf(ctx, doc, lines);
  await commitPosting(ctx, doc, await planPosting(ctx, doc, lines, qc), { to: 'posted', stamp: 'postedAt', action: 'post' });
  await settleOrder(ctx, doc.orderOfId);
}

async function planPosting(ctx: Ctx, doc: DocumentRow, lines: LineWithItem[], qc?: QcLine[]): Promise<Plan> {
  switch (doc.type) {
    case 'opening':
    case 'receipt':
      return planInbound(doc, lines, ctx.now(), ctx.timezone);
    case 'issue':
      return planOutbound(doc, lines);
    case 'purchase_return':
      return planOutbound(doc, lines, await checkedReturnSource(ctx, doc, lines));
    case 'customer_return':
      return planCustomerReturn(doc, lines, acceptedQuantities(lines, qc), await checkedReturnSource(ctx, doc, lines));
    case 'stocktake':
    case 'adjustment':
      return planDifference(doc, lines);
    default:
      // Transfers ship and receive; orders, production and revaluations have verbs of their own.
      throw new ConflictError(`${doc.number} (${doc.type}) is not posted this way`, { number: doc.number })
        .because('wrong_type', { number: doc.number, type: doc.type, expected: 'issue', verb: 'post' });
  }
}

/** A return re-checks, under its original's row lock, that nothing was returned meanwhile. */
async function checkedReturnSource(ctx: Ctx, doc: DocumentRow, lines: LineWithItem[]) {
  if (!doc.returnOfId) return undefined;
  const original = await resolveReturnOf(ctx, doc.type, doc.returnOfId, true);
  await checkReturnable(ctx, original, lines.map((l) => ({ itemId: l.itemId, sku: l.sku, qty: dec(l.qty) })), doc.id);
  return returnSources(ctx, original);
}

function acceptedQuantities(lines: LineWithItem[], qc: QcLine[] | undefined): Map<number, Decimal> {
  const accepted = new Map<number, Decimal>();
  (qc ?? []).forEach((q, i) => {
    const line = lines.find((l) => l.lineNo === q.line);
    if (!line) throw ValidationError.field(`lines.${i}.line`, `there is no line ${q.line}`, 'no_such_line', { line: q.line });
    const qty = dec(q.acceptedQty);
    if (qty.isNeg() || qty.gt(line.qty)) {
      throw ValidationError.field(`lines.${i}.acceptedQty`, `must be between 0 and ${line.qty}`, 'qty_out_of_range',
        { sku: line.sku, what: 'accepted', max: fmt(dec(line.qty)), given: fmt(qty) });
    }
    accepted.set(q.line, qty);
  });
  return accepted;
}
