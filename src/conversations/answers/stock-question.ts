import { encodeAction } from '../../../cards/actions';
import type { Card } from '../../../cards/model';
import { renderStockAnswerCard } from '../../../cards/stock-answer-card';
import type { Outbound } from '../../../bots/platform';
import { chatDrafts } from '../../../db/schema';
import type { Ctx } from '../../context';
import { findWarehouse, preferredWarehouses, type ChatPlace } from '../chat-place';
import { findItem, type FoundItem } from '../find-item';
import { stockAnswer, type StockAnswerLine } from '../stock-answer';

/** `库存 可乐` and friends: the stock card, a list to pick from, or "not found" with suggestions. */
export async function answerStockQuestion(ctx: Ctx, place: ChatPlace, query: string, warehouse?: string): Promise<Outbound[]> {
  if (!query) return [{ text: '查哪个商品？例如：库存 可乐，或直接发条码。' }];
  const where = warehouse ? await findWarehouse(ctx, warehouse) : undefined;
  if (warehouse && !where) return [{ text: `没有叫「${warehouse}」的仓库。` }];
  const found = await findItem(ctx, query);
  if (found.kind === 'none') {
    const hint = found.suggestions.length ? `你是不是要找：${found.suggestions.map((s) => s.name).join('、')}？` : '请换个说法，或发商品编码、条码。';
    return [{ text: `没找到「${query}」。${hint}` }];
  }
  if (found.kind === 'ambiguous') return [{ card: await pickCard(ctx, place, found.candidates, { purpose: 'stock', warehouse: where?.code ?? null }) }];
  return [{ card: await stockCard(ctx, place, found.item.id, where?.id) }];
}

export async function stockCard(ctx: Ctx, place: ChatPlace, itemId: string, warehouseId?: string): Promise<Card> {
  const preferred = warehouseId ? [warehouseId] : (await preferredWarehouses(ctx, place)).map((w) => w.id);
  const answer = await stockAnswer(ctx, itemId, { preferWarehouseIds: preferred });
  const rows: StockAnswerLine[] = answer.rows;
  return renderStockAnswerCard(warehouseId ? { ...answer, rows: rows.filter((r) => r.warehouseId === warehouseId) } : answer);
}

/** Several close matches: a card of candidates; the tap names this list (a draft) and the item. */
export async function pickCard(ctx: Ctx, place: ChatPlace, candidates: FoundItem[], payload: Record<string, unknown>): Promise<Card> {
  const [draft] = await ctx.db.insert(chatDrafts).values({ orgId: ctx.orgId, userId: place.userId, kind: 'pick', payload, createdAt: ctx.now() }).returning();
  return {
    title: '找到几个相近的商品，选一个：',
    tone: 'info',
    fields: [],
    actions: candidates.map((c) => ({ id: encodeAction({ verb: 'pick_item', sessionId: draft!.id, itemId: c.id }), label: `${c.name}（${c.sku}）`, style: 'default' as const })),
  };
}
