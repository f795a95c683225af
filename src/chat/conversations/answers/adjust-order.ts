import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Outbound } from '../../../../bots/platform';
import { documents } from '../../../../db/schema';
import type { Ctx } from '../../../context';
import { loadLines } from '../../../inventory/documents/load';
import { adjustDraftOrder } from '../../../replenishment/adjust-draft';
import { orderDraftCard } from '../../cards/order-draft';
import { nameLines, parseLineQuantities } from '../../shortage';
import type { ChatUser } from '../../identity';

/**
 * `改 可乐 3箱`: new quantities for a draft purchase order or requisition — the one named, else the
 * newest draft this person made — answered with the draft's card to submit. The verb asks the rule book.
 */
export async function answerAdjustOrder(ctx: Ctx, user: ChatUser, intent: { lines: string; number?: string | undefined }): Promise<Outbound[]> {
  const [draft] = await ctx.db.select({ id: documents.id, number: documents.number }).from(documents)
    .where(and(eq(documents.orgId, ctx.orgId), eq(documents.status, 'draft'), inArray(documents.type, ['purchase_order', 'requisition']),
      intent.number ? eq(documents.number, intent.number) : eq(documents.createdByUserId, user.userId)))
    .orderBy(desc(documents.createdAt)).limit(1);
  if (!draft) {
    return [{ text: intent.number
      ? `${intent.number} 不是待提交的采购单或要货单草稿。`
      : '你现在没有待提交的采购单或要货单草稿。可以在低库存提醒上点「生成采购单」或「生成要货单」。' }];
  }
  const named = await nameLines(ctx, await loadLines(ctx, draft.id));
  if (!intent.lines) return [{ text: `改成多少？例如：改 ${named[0]?.name ?? '可乐'} 3${named[0]?.packUnits[0]?.name ?? ''}` }];
  await adjustDraftOrder(ctx, draft.id, parseLineQuantities(intent.lines, named, 'qty'));
  const card = await orderDraftCard(ctx, draft.id);
  return card ? [{ card }] : [{ text: `${draft.number} 已更新。` }];
}
