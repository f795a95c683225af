import { sql } from 'drizzle-orm';
import { encodeAction } from '../../../../cards/actions';
import { formatQtyWithPack } from '../../../../cards/format';
import type { Card } from '../../../../cards/model';
import { renderStockAnswerCard } from '../../../../cards/stock-answer-card';
import type { Outbound } from '../../../../bots/platform';
import { queryRows } from '../../../../db/client';
import { chatDrafts, type PackUnit } from '../../../../db/schema';
import type { Ctx } from '../../../context';
import { findWarehouse, preferredWarehouses, warehouseNamedIn, type ChatPlace, type WarehouseRef } from '../chat-place';
import { findItem, type FindItemResult, type FoundItem } from '../find-item';
import { stockAnswer, type StockAnswerLine } from '../stock-answer';
import { fallbackHelpText, type StockIntent } from '../understand';

/** One message names at most this many items; more is a list to send in parts. */
export const MAX_ITEMS_PER_QUESTION = 5;

/**
 * `库存 可乐`, `可乐`, `可乐和红牛`, `可乐 徐汇`: a stock card per item (a list to pick from when
 * several match, "did you mean" when none), in the named warehouse when one was named. A bare
 * reference that matches nothing was probably not about an item: it gets the short help, quoting
 * what was `typed`.
 */
export async function answerStock(ctx: Ctx, place: ChatPlace, intent: StockIntent, typed: string = intent.item): Promise<Outbound[]> {
  let { item } = intent;
  let parts = intent.items ?? [];
  let where: WarehouseRef | undefined;
  if (intent.warehouse) {
    where = await findWarehouse(ctx, intent.warehouse);
    if (!where) return [{ text: `没有叫「${intent.warehouse}」的仓库。` }];
  } else {
    // `徐汇店`, `库存 徐汇店` alone: what the store holds (an item named like a warehouse is rarer).
    const named = await warehouseNamedIn(ctx, item);
    if (named) ({ warehouse: where, rest: item } = named);
    // `可乐和红牛 徐汇`: the warehouse's word leaves the item it was typed after.
    if (named) parts = parts.map((p) => p.split(' ').filter((w) => w !== named.word).join(' ')).filter((p) => p.length > 0);
  }
  if (!item && where) return [{ text: await holdingsText(ctx, where) }];
  if (!item) return [{ text: '查哪个商品？例如：库存 可乐，或直接发商品名、条码、拼音首字母（kl）。' }];
  if (parts.length > 1) return answerSeveral(ctx, place, item, parts.slice(0, MAX_ITEMS_PER_QUESTION), where);
  const found = await findItem(ctx, item, typed);
  if (found.kind === 'none' && intent.bare && found.suggestions.length === 0) return [{ text: fallbackHelpText(typed) }];
  return [await oneAnswer(ctx, place, item, found, where)];
}

/** `库存 可乐` as before: the item words and an optional warehouse as typed. */
export async function answerStockQuestion(ctx: Ctx, place: ChatPlace, query: string, warehouse?: string): Promise<Outbound[]> {
  return answerStock(ctx, place, { intent: 'stock', item: query, ...(warehouse && { warehouse }) });
}

/**
 * `可乐和红牛`: one answer per item. When a part matches nothing but the whole does, the joiner was
 * part of a name, and the whole is the one item.
 */
async function answerSeveral(ctx: Ctx, place: ChatPlace, whole: string, parts: string[], where?: WarehouseRef): Promise<Outbound[]> {
  const found = await Promise.all(parts.map((p) => findItem(ctx, p)));
  if (found.some((f) => f.kind === 'none')) {
    const asOne = await findItem(ctx, whole);
    if (asOne.kind === 'found') return [await oneAnswer(ctx, place, whole, asOne, where)];
  }
  const answers: Outbound[] = [];
  for (const [i, f] of found.entries()) answers.push(await oneAnswer(ctx, place, parts[i]!, f, where));
  return answers;
}

async function oneAnswer(ctx: Ctx, place: ChatPlace, query: string, found: FindItemResult, where?: WarehouseRef): Promise<Outbound> {
  if (found.kind === 'none') {
    const hint = found.suggestions.length ? `你是不是要找：${found.suggestions.map((s) => s.name).join('、')}？` : '请换个说法，或发商品编码、条码、拼音首字母。';
    return { text: `没找到「${query}」。${hint}` };
  }
  if (found.kind === 'ambiguous') return { card: await pickCard(ctx, place, found.candidates, { purpose: 'stock', warehouse: where?.code ?? null }) };
  return { card: await stockCard(ctx, place, found.item.id, where?.id) };
}

/** Rows listed for `库存 @徐汇店` with no item: what the warehouse holds, most first. */
export const HOLDINGS_ROWS = 20;

/** `徐汇店库存`, `库存 @总仓`: what a warehouse holds, in units and packs, names first. */
async function holdingsText(ctx: Ctx, where: WarehouseRef): Promise<string> {
  const rows = await queryRows<{ name: string; unit: string; pack_units: PackUnit[]; qty: string; n: number }>(ctx.db, sql`
    select i.name, i.unit, i.pack_units, b.qty::text as qty, count(*) over ()::int as n
    from (select item_id, sum(qty) as qty from stock_balances where org_id = ${ctx.orgId} and warehouse_id = ${where.id}
      group by item_id having sum(qty) > 0) b
    join items i on i.id = b.item_id
    order by b.qty desc, i.name limit ${HOLDINGS_ROWS}`);
  if (rows.length === 0) return `${where.name}现在没有库存。`;
  const more = rows[0]!.n - rows.length;
  return [`${where.name}的库存（${rows[0]!.n} 种商品）：`, ...rows.map((r) => `· ${r.name} ${formatQtyWithPack(r.qty, r.unit, r.pack_units)}`),
    ...(more > 0 ? [`另有 ${more} 种未列出，发「库存 商品名 @${where.name}」查单个商品。`] : [])].join('\n');
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
