import { and, eq } from 'drizzle-orm';
import { documents, type DocumentRow } from '../../../db/schema';
import { requestApproval, type ApprovalRuleRow } from '../../approvals/request-approval';
import { dueAtFor } from '../../approvals/service-levels';
import { writeAudit } from '../../audit';
import { userIdOf, withTransaction, writeSoon, type Ctx } from '../../context';
import { enqueue } from '../../outbox/enqueue';
import { authorize, may } from '../../people/permissions';
import { wrongStatus } from './guards';
import { lockDocument, type LineWithItem } from './load';
import { postAction, postLocked } from './post';
import { shipLocked } from './ship';
import { fixProductionOrder, startProduction } from './production-order';
import { openOrder } from './open-order';
import { isOrder } from '../../orders/kinds';

/**
 * Hands a draft over: anyone at its warehouse may. When the approval rules ask for nothing, it
 * moves on in the same transaction as far as the submitter may take it (`carryOn`). Throws
 * NotFoundError, ForbiddenError, ConflictError and whatever posting throws (InsufficientStockError…),
 * in which case nothing changes.
 */
export async function submitDocument(ctx: Ctx, ref: string): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const { doc, lines } = await lockDocument(ctx, ref);
    await submitLocked(ctx, doc, lines);
    return { id: doc.id };
  });
}

/**
 * Submitting a draft the caller holds locked (or made in this very transaction). `rulesRead`: the
 * approval rules, when the caller already sent for them (`readApprovalRules`).
 */
export async function submitLocked(ctx: Ctx, doc: DocumentRow, lines: LineWithItem[], rulesRead?: Promise<ApprovalRuleRow[]>): Promise<void> {
  await authorize(ctx, 'submit', { warehouseId: doc.warehouseId });
  if (doc.status === 'submitted') return askApprovalLate(ctx, doc, rulesRead);
  if (doc.status !== 'draft') throw wrongStatus(doc, 'submit');
  // Who submits may not be who drafted it (a lead submitting a clerk's draft): neither decides its approval.
  const submitted = { ...doc, status: 'submitted' as const, submittedAt: ctx.now(), submittedByUserId: userIdOf(ctx.actor) };
  // A submission that goes straight on to an approval request, a posting or a shipment is written by
  // that step's own update of the document (both carry submittedAt): the row is written once, not
  // twice (each is a new version of a row with seven indexes, status among them).
  if (!goesStraightOn(ctx, submitted)) {
    const update = ctx.db.update(documents).set({ status: 'submitted', submittedAt: submitted.submittedAt, submittedByUserId: submitted.submittedByUserId })
      .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
    // Sent without waiting: statements run in the order sent, so what follows sees it; awaited before the commit.
    await writeSoon(ctx, update);
  }
  await writeAudit(ctx, { entity: 'document', entityId: doc.id, action: 'submit', from: 'draft', to: 'submitted' });
  if (doc.type === 'production') await fixProductionOrder(ctx, submitted);
  if (await requestApproval(ctx, submitted, rulesRead)) return;
  await carryOn(ctx, submitted, lines);
}

/**
 * A document submitted before an approval rule that now covers it (a transfer waiting to be shipped,
 * a count waiting for its lead): posting or shipping it is refused until it is approved
 * (`needs_approval`, guards.ts), so submitting it again asks for the approval, as the refusal says;
 * the one asking counts as its submitter. With no rule covering it, it is simply submitted already.
 */
async function askApprovalLate(ctx: Ctx, doc: DocumentRow, rulesRead?: Promise<ApprovalRuleRow[]>): Promise<void> {
  if (!(await requestApproval(ctx, { ...doc, submittedByUserId: userIdOf(ctx.actor) }, rulesRead))) throw wrongStatus(doc, 'submit');
}

/** Whether a submission needing no approval is posted or shipped at once (by a submitter who may do that step). */
function goesStraightOn(ctx: Ctx, doc: DocumentRow): boolean {
  if (doc.type === 'production' || isOrder(doc.type) || doc.type === 'customer_return') return false;
  return may(ctx.actor, doc.type === 'transfer' ? 'ship' : postAction(doc), { warehouseId: doc.warehouseId });
}

/**
 * What follows a submission that needs no approval: a production order goes in progress, a transfer ships, a count or an adjustment
 * posts, anything else posts — when the submitter may do that step under the rule book. A customer
 * return always waits for its QC; a transfer or a count that the submitter may not take further
 * waits in `submitted` for the warehouse's lead, who is told (with a due time, so it also falls overdue).
 */
async function carryOn(ctx: Ctx, doc: DocumentRow, lines: LineWithItem[]): Promise<void> {
  if (doc.type === 'production') return startProduction(ctx, doc);
  if (isOrder(doc.type)) return openOrder(ctx, doc);
  if (goesStraightOn(ctx, doc)) {
    if (doc.type === 'transfer') await shipLocked(ctx, doc, lines);
    else await postLocked(ctx, doc, lines);
    return;
  }
  const step = doc.type === 'transfer' ? 'ship' : postAction(doc);
  await ctx.db.update(documents).set({ dueAt: await dueAtFor(ctx, doc.type, 'submitted', ctx.now()) })
    .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
  const event = { documentId: doc.id, number: doc.number, type: doc.type, warehouseId: doc.warehouseId };
  if (doc.type === 'customer_return') await enqueue(ctx, 'return_submitted', `return_submitted:${doc.id}`, event);
  else await enqueue(ctx, 'document_waiting', `document_waiting:${doc.id}`, { ...event, step });
}
