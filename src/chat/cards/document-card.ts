import { and, asc, eq } from 'drizzle-orm';
import { nextStepOf, type NextStep } from '../../../cards/next-step';
import type { Card } from '../../../cards/model';
import { documentApprovals, documents } from '../../../db/schema';
import type { Ctx } from '../../context';
import { NotFoundError } from '../../errors';
import { mayDecide } from '../../inventory/documents/decide';
import { documentRef } from '../../inventory/documents/load';
import { postAction } from '../../inventory/documents/post';
import { allows, personOf, type Action } from '../../people/permissions';
import { approvalCard, documentStatusCard, receiptCard } from './subjects';

/**
 * The card for a document someone asked about by its number, with the buttons they may use (the
 * rule book says): the approval card with 批准 / 驳回 for who can decide its level now; the receipt
 * card with 确认收货 / 有短缺 for who receives a shipped transfer; otherwise its status card,
 * offering the next step only to who may take it. The verbs ask the rule book again on the tap.
 */
export async function documentCardFor(ctx: Ctx, ref: string): Promise<Card> {
  const [doc] = await ctx.db.select().from(documents).where(documentRef(ctx.orgId, ref));
  if (!doc) throw new NotFoundError('document', ref);
  const person = personOf(ctx.actor);
  if (!person) return documentStatusCard(ctx, doc.id);
  if (doc.status === 'awaiting_approval') {
    const levels = await ctx.db.select().from(documentApprovals)
      .where(and(eq(documentApprovals.orgId, ctx.orgId), eq(documentApprovals.documentId, doc.id))).orderBy(asc(documentApprovals.level));
    if (mayDecide(doc, levels, person)) return approvalCard(ctx, doc.id);
  }
  const step = nextStepOf(doc);
  const may = step !== undefined && allows(person, ruleOf(step, doc), { warehouseId: step === 'receive' ? doc.toWarehouseId ?? doc.warehouseId : doc.warehouseId });
  if (step === 'receive' && may) return receiptCard(ctx, doc.id);
  return documentStatusCard(ctx, doc.id, { nextStep: may });
}

const ruleOf = (step: NextStep, doc: Parameters<typeof postAction>[0]): Action => (step === 'post' ? postAction(doc) : step);
