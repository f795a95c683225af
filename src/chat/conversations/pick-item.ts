import { and, eq } from 'drizzle-orm';
import type { PlatformName } from '../../../bots/platform';
import type { Card } from '../../../cards/model';
import { renderNoticeCard } from '../../../cards/notice-card';
import { chatDrafts, items } from '../../../db/schema';
import type { Ctx } from '../../context';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import { answerReturnReport } from './answers/return-report';
import { stockCard } from './answers/stock-question';
import { unitCostAnswer } from './answers/unit-cost';
import { findWarehouse } from './chat-place';
import type { ReturnIntent } from './understand';

/**
 * A tap on one of the candidates offered for an ambiguous name: the list (a draft) says what was
 * being asked — a stock question, a return report or a unit cost — and is used once, by the person who asked.
 */
export async function pickItem(ctx: Ctx, sessionId: string, itemId: string, where: { platform: PlatformName; chatId: string | null }): Promise<Card> {
  const userId = ctx.actor.type === 'job' ? null : ctx.actor.userId;
  const [draft] = await ctx.db.select().from(chatDrafts).where(and(eq(chatDrafts.orgId, ctx.orgId), eq(chatDrafts.id, sessionId), eq(chatDrafts.kind, 'pick')));
  if (!draft) throw new NotFoundError('pick list', sessionId);
  if (draft.userId !== userId || !userId) throw new ForbiddenError('这是别人的问题，请自己发一次');
  const [claimed] = await ctx.db.update(chatDrafts).set({ status: 'confirmed', decidedAt: ctx.now() })
    .where(and(eq(chatDrafts.id, sessionId), eq(chatDrafts.status, 'open'))).returning();
  if (!claimed) throw new ConflictError('已经选过了');
  const place = { platform: where.platform, chatId: where.chatId ?? '', userId };
  const payload = draft.payload as { purpose: 'stock' | 'return' | 'unit_cost'; warehouse?: string | null; intent?: ReturnIntent };
  if (payload.purpose === 'stock') {
    const warehouse = payload.warehouse ? await findWarehouse(ctx, payload.warehouse) : undefined;
    return stockCard(ctx, place, itemId, warehouse?.id);
  }
  const [item] = await ctx.db.select({ id: items.id, sku: items.sku, name: items.name, unit: items.unit, packUnits: items.packUnits, category: items.category })
    .from(items).where(and(eq(items.orgId, ctx.orgId), eq(items.id, itemId)));
  if (!item) throw new NotFoundError('item', itemId);
  // A tap answers with one card: the return's draft card rather than the warning before it.
  const answers = payload.purpose === 'unit_cost' ? [await unitCostAnswer(ctx, item)] : await answerReturnReport(ctx, place, payload.intent!, item);
  const answer = answers.find((a) => 'card' in a) ?? answers[0];
  return answer && 'card' in answer ? answer.card : renderNoticeCard({ title: '退货', text: answer && 'text' in answer ? answer.text : '' });
}
