import { and, eq } from 'drizzle-orm';
import { chatDrafts } from '../../../db/schema';
import type { Ctx } from '../../context';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors';

type Kind = 'return' | 'work_report' | 'requisition' | 'receipt' | 'document';
/** How each kind of draft is named in refusals (NotFoundError's entity; the reasons error-text words). */
const words: Record<Kind, { entity: string; notYours: string; decided: string }> = {
  return: { entity: 'return report', notYours: 'not_your_draft', decided: 'draft_decided' },
  work_report: { entity: 'work report', notYours: 'not_your_work_report', decided: 'work_report_decided' },
  requisition: { entity: 'requisition draft', notYours: 'not_your_requisition', decided: 'requisition_decided' },
  receipt: { entity: 'receipt draft', notYours: 'not_your_chat_draft', decided: 'chat_draft_decided' },
  document: { entity: 'document draft', notYours: 'not_your_chat_draft', decided: 'chat_draft_decided' },
};

/**
 * A tap on a draft's Confirm or Cancel: only the person it was proposed to decides, once. The draft
 * is claimed with `UPDATE … WHERE status = 'open' RETURNING`, so a second tap (or a tap on another
 * copy of the card) is told what already happened and changes nothing. Returns the draft as it was.
 */
export async function claimDraft(ctx: Ctx, kind: Kind, draftId: string, decision: 'confirmed' | 'cancelled') {
  const w = words[kind];
  const userId = ctx.actor.type === 'job' ? null : ctx.actor.userId;
  const [draft] = await ctx.db.select().from(chatDrafts).where(and(eq(chatDrafts.orgId, ctx.orgId), eq(chatDrafts.id, draftId), eq(chatDrafts.kind, kind)));
  if (!draft) throw new NotFoundError(w.entity, draftId);
  if (draft.userId !== userId) throw new ForbiddenError(`only the reporter confirms or cancels a ${w.entity}`).because(w.notYours);
  const [claimed] = await ctx.db.update(chatDrafts).set({ status: decision, decidedAt: ctx.now() })
    .where(and(eq(chatDrafts.id, draftId), eq(chatDrafts.status, 'open'))).returning();
  if (!claimed) {
    throw new ConflictError(`the ${w.entity} is already ${draft.status}`, { status: draft.status })
      .because(w.decided, { status: draft.status, at: draft.decidedAt?.toISOString() ?? null });
  }
  return draft;
}
