import { sql } from 'drizzle-orm';
import type { Outbound } from '../../../../bots/platform';
import { formatQtyWithPack } from '../../../../cards/format';
import { queryRows } from '../../../../db/client';
import type { Ctx } from '../../../context';
import { ValidationError } from '../../../errors';
import { dec, type Decimal } from '../../../lib/decimal';
import { decimalSizeIssue } from '../../../lib/fields';
import { authorize } from '../../../people/permissions';
import { MOVED_OUT_DAYS, movedOut } from '../../../inventory/moved-out';
import { findWarehouse, preferredWarehouses, warehouseNamedIn, type ChatPlace } from '../chat-place';
import { findItem, type FoundItem } from '../find-item';
import { proposeReturn } from '../return-draft';
import type { ReturnIntent } from '../understand';
import { pickCard } from './stock-question';

/** English and colloquial unit words → the pack unit names items use. */
const unitSynonyms: Record<string, string[]> = {
  箱: ['case', 'cases', 'box', 'boxes', 'ctn', 'carton', 'cartons'],
  包: ['pack', 'packs', 'bag', 'bags'],
  瓶: ['bottle', 'bottles'],
  袋: ['bag', 'bags'],
};

/** A typed quantity in the item's base unit, or the units it could have said. */
export function toBaseQty(item: Pick<FoundItem, 'unit' | 'packUnits'>, amount: string, unit?: string): { qty: string } | { unknownUnit: string; known: string[] } {
  const u = unit?.trim().toLowerCase();
  const known = [item.unit, ...item.packUnits.map((p) => p.name)];
  if (!u || u === item.unit.toLowerCase() || ['pcs', 'pc', 'piece', 'pieces', '个', '件'].includes(u) && !item.packUnits.some((p) => p.name === u)) {
    return { qty: inBase(dec(amount), item.unit, amount, unit) };
  }
  const pack = item.packUnits.find((p) => p.name.toLowerCase() === u || unitSynonyms[p.name]?.includes(u));
  if (pack) return { qty: inBase(dec(amount).times(pack.factor), item.unit, amount, unit) };
  if (unitSynonyms[item.unit]?.includes(u)) return { qty: inBase(dec(amount), item.unit, amount, unit) };
  return { unknownUnit: unit!, known };
}

/** The base quantity, if the ledger can hold it as it is (3 places, 14 digits); else a question back, naming what was typed. */
function inBase(qty: Decimal, baseUnit: string, amount: string, unit: string | undefined): string {
  const said = `${amount}${unit ?? ''}`;
  if (qty.decimalPlaces() > 3) {
    throw ValidationError.field('qty', `「${said}」是 ${qty.toFixed()} ${baseUnit}，数量最多 3 位小数，请换个写法`);
  }
  if (decimalSizeIssue(qty, 3)) throw ValidationError.field('qty', `「${said}」太大了，请检查数量`);
  return qty.toFixed();
}

/** `退货 可乐 5箱 临期 客户张三`: the draft to confirm, or the one question still open. */
export async function answerReturnReport(ctx: Ctx, place: ChatPlace, typed: ReturnIntent, chosen?: FoundItem, said?: string): Promise<Outbound[]> {
  const intent = await withWarehouseNamed(ctx, typed);
  if (!intent.item && !chosen) return [{ text: '退哪个商品、多少？例如：退货 可乐 5箱 临期 客户张三' }];
  if (!intent.qty) return [{ text: `退多少「${intent.item}」？例如：退货 ${intent.item} 5箱 临期` }];
  let item = chosen;
  if (!item) {
    const found = await findItem(ctx, intent.item, said);
    if (found.kind === 'none') {
      return [{ text: `没找到「${intent.item}」。${found.suggestions.length ? `你是不是要找：${found.suggestions.map((s) => s.name).join('、')}？` : ''}` }];
    }
    if (found.kind === 'ambiguous') return [{ card: await pickCard(ctx, place, found.candidates, { purpose: 'return', intent }) }];
    item = found.item;
  }
  const qty = toBaseQty(item, intent.qty.amount, intent.qty.unit);
  if ('unknownUnit' in qty) return [{ text: `${item.name} 没有单位「${qty.unknownUnit}」，可以用：${qty.known.join('、')}。` }];
  if (!dec(qty.qty).gt(0)) return [{ text: '退货数量要大于 0。' }];
  const warehouse = intent.warehouse ? await findWarehouse(ctx, intent.warehouse) : (await preferredWarehouses(ctx, place))[0];
  if (!warehouse) return [{ text: intent.warehouse ? `没有叫「${intent.warehouse}」的仓库。` : '退到哪个仓库？在消息里加上仓库，例如：退货 可乐 5箱 临期 @总仓' }];
  // Refused now, as transfers and counts are, not after a card whose 确认 could never go through.
  await authorize(ctx, 'create', { warehouseId: warehouse.id });
  const typedQty = intent.qty.unit ? `${intent.qty.amount} ${intent.qty.unit}` : null;
  const warning = await implausibleReturn(ctx, item, qty.qty);
  const card = await proposeReturn(ctx, place.userId, {
    itemId: item.id, sku: item.sku, name: item.name, unit: item.unit, qty: qty.qty, typedQty,
    reason: intent.reason, reasonText: intent.reasonText ?? null, customer: intent.customer ?? null, warehouseId: warehouse.id,
  });
  return warning ? [{ text: warning }, { card }] : [{ card }];
}

/**
 * `退货 可乐 2罐 徐汇`: a warehouse named without its marker (@, 退到) is left by the grammar in the
 * reason or the item words (it cannot know the company's warehouse names); taken out of them here.
 */
async function withWarehouseNamed(ctx: Ctx, intent: ReturnIntent): Promise<ReturnIntent> {
  if (intent.warehouse) return intent;
  if (intent.reasonText) {
    const named = await warehouseNamedIn(ctx, intent.reasonText);
    if (named) return { ...intent, warehouse: named.warehouse.code, reasonText: named.rest || undefined };
  }
  if (intent.item) {
    const named = await warehouseNamedIn(ctx, intent.item);
    if (named?.rest) return { ...intent, warehouse: named.warehouse.code, item: named.rest };
  }
  return intent;
}

/**
 * A return larger than everything sold in the last 90 days and everything on hand is almost surely
 * a slip (`100000箱`): say so before the card, in units and packs, so nobody confirms it unread.
 */
async function implausibleReturn(ctx: Ctx, item: FoundItem, qty: string): Promise<string | undefined> {
  const sold = await movedOut(ctx, item.id, { types: ['issue'] });
  const [row] = await queryRows<{ on_hand: string }>(ctx.db, sql`
    select coalesce((select sum(qty) from stock_balances where org_id = ${ctx.orgId} and item_id = ${item.id}), 0)::text as on_hand`);
  const onHand = dec(row?.on_hand ?? '0');
  if (dec(qty).lte(sold) || dec(qty).lte(onHand)) return undefined;
  const q = (v: string) => formatQtyWithPack(v, item.unit, item.packUnits);
  return `⚠ 请核对数量：退 ${q(qty)}，比近 ${MOVED_OUT_DAYS} 天卖出的 ${q(sold.toFixed())} 和现有库存 ${q(onHand.toFixed())} 都多。数量不对请点取消后重发。`;
}
