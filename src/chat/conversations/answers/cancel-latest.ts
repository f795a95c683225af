import { and, desc, eq, gt, inArray } from 'drizzle-orm';
import type { Outbound } from '../../../../bots/platform';
import type { Card } from '../../../../cards/model';
import { documentTypeName } from '../../../../cards/format';
import { chatDrafts, documents, type DocumentType } from '../../../../db/schema';
import type { Ctx } from '../../../context';
import { cancelDocument } from '../../../inventory/documents/cancel';
import { may } from '../../../people/permissions';
import { documentCardFor } from '../../cards/document-card';
import type { ChatPlace } from '../chat-place';
import { decideDocument, type DocumentDraft } from '../document-draft';
import { decideShortReceipt } from '../receipt-draft';
import { decideReturn } from '../return-draft';
import type { CancelLatestIntent } from '../understand/intent';
import { decideWorkReport } from '../work-report-draft';

/** How far back "刚才" reaches: older drafts and documents are not what someone means by "the one just now". */
const LATEST_HOURS = 24;

type What = NonNullable<CancelLatestIntent['what']>;
const draftKinds: Record<What, 'return' | 'document' | 'receipt' | 'work_report'> = {
  return: 'return', transfer: 'document', wastage: 'document', count: 'document', work_report: 'work_report', receipt: 'receipt',
};
const documentTypes: Partial<Record<What, DocumentType>> = { return: 'customer_return', transfer: 'transfer', wastage: 'adjustment', count: 'stocktake' };
const names: Record<What, string> = { return: '退货', transfer: '调拨', wastage: '报损', count: '盘点', work_report: '报工', receipt: '收货' };

/**
 * `我刚才那个退货取消掉`, `取消刚才的调拨`: the asker's latest open draft (of that kind, when named)
 * is cancelled as its 取消 button would; with none open, their latest document still theirs to cancel
 * is cancelled by the cancel verb (the rule book decides). Otherwise says there is nothing to cancel.
 */
export async function answerCancelLatest(ctx: Ctx, place: ChatPlace, intent: CancelLatestIntent): Promise<Outbound[]> {
  const since = new Date(ctx.now().getTime() - LATEST_HOURS * 3_600_000);
  const kinds = intent.what ? [draftKinds[intent.what]] : Object.values(draftKinds);
  const open = await ctx.db.select().from(chatDrafts)
    .where(and(eq(chatDrafts.orgId, ctx.orgId), eq(chatDrafts.userId, place.userId), eq(chatDrafts.status, 'open'),
      inArray(chatDrafts.kind, [...new Set(kinds)]), gt(chatDrafts.createdAt, since)))
    .orderBy(desc(chatDrafts.createdAt)).limit(20);
  const draft = open.find((d) => d.kind !== 'document' || !intent.what || draftKinds[intent.what] !== 'document'
    || (d.payload as unknown as DocumentDraft).card.kind === intent.what);
  if (draft) return [{ text: '好的，已取消。' }, { card: await cancelDraft(ctx, draft.kind, draft.id) }];

  const type = intent.what ? documentTypes[intent.what] : undefined;
  const recent = await ctx.db.select({ id: documents.id, number: documents.number, type: documents.type, status: documents.status, warehouseId: documents.warehouseId })
    .from(documents)
    .where(and(eq(documents.orgId, ctx.orgId), eq(documents.createdByUserId, place.userId), gt(documents.createdAt, since),
      inArray(documents.status, ['draft', 'submitted', 'awaiting_approval', 'rejected']), ...(type ? [eq(documents.type, type)] : [])))
    .orderBy(desc(documents.createdAt)).limit(20);
  // The latest the rule book lets them cancel (a staff member's waiting for approval is not theirs to
  // call off); with none, the latest, so that the refusal says why.
  const doc = recent.find((d) => may(ctx.actor, 'cancel', { warehouseId: d.warehouseId, createdBy: place.userId, status: d.status })) ?? recent[0];
  if (!doc) return [{ text: `没有找到你刚才的${intent.what ? names[intent.what] : ''}可以取消（${LATEST_HOURS} 小时内、还没处理的）。` }];
  await cancelDocument(ctx, doc.id);
  return [{ text: `好的，${documentTypeName(doc.type)} ${doc.number} 已取消。` }, { card: await documentCardFor(ctx, doc.id) }];
}

function cancelDraft(ctx: Ctx, kind: string, id: string): Promise<Card> {
  if (kind === 'return') return decideReturn(ctx, id, 'cancelled');
  if (kind === 'work_report') return decideWorkReport(ctx, id, 'cancelled');
  if (kind === 'receipt') return decideShortReceipt(ctx, id, 'cancelled');
  return decideDocument(ctx, id, 'cancelled');
}
