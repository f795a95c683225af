import type { Outbound } from '../../../../bots/platform';
import type { Ctx } from '../../../context';
import { dec } from '../../../lib/decimal';
import { supplyingWarehouse } from '../../../orders/supplier';
import { authorize } from '../../../people/permissions';
import { findWarehouse, preferredWarehouses, type ChatPlace } from '../chat-place';
import { findItem } from '../find-item';
import { proposeRequisition, type RequisitionDraft } from '../requisition-draft';
import type { RequisitionIntent } from '../understand';
import { toBaseQty } from './return-report';

const EXAMPLE = '要货 可乐 10箱 红牛 5箱';

/**
 * `要货 可乐 10箱 红牛 5箱`: the card with every line in units and packs and one tap to submit, or
 * one answer naming what is missing — an item without a quantity, an item not found or not clear,
 * a unit the item does not have, the store, the warehouse that supplies it. The rule book is asked
 * before the card (may this person ask for this store?), so the tap rarely fails.
 */
export async function answerRequisition(ctx: Ctx, place: ChatPlace, intent: RequisitionIntent): Promise<Outbound[]> {
  if (intent.lines.length === 0) return [{ text: `要什么、要多少？例如：${EXAMPLE}` }];
  const noQty = intent.lines.find((l) => !l.qty);
  if (noQty) return [{ text: `「${noQty.item}」要多少？在商品后面写上数量，例如：${EXAMPLE}` }];
  const store = intent.warehouse ? await findWarehouse(ctx, intent.warehouse) : (await preferredWarehouses(ctx, place))[0];
  if (!store) return [{ text: intent.warehouse ? `没有叫「${intent.warehouse}」的仓库。` : `给哪个门店要货？在消息里加上门店，例如：${EXAMPLE} @浦东店` }];
  await authorize(ctx, 'create', { warehouseId: store.id });

  const lines: RequisitionDraft['lines'] = [];
  for (const l of intent.lines) {
    const found = await findItem(ctx, l.item);
    if (found.kind === 'none') {
      return [{ text: `没找到「${l.item}」。${found.suggestions.length ? `你是不是要找：${found.suggestions.map((s) => s.name).join('、')}？` : ''}` }];
    }
    if (found.kind === 'ambiguous') {
      return [{ text: `「${l.item}」有好几个：${found.candidates.map((c) => `${c.name}（${c.sku}）`).join('、')}。请写全名或商品编码。` }];
    }
    const qty = toBaseQty(found.item, l.qty!.amount, l.qty!.unit);
    if ('unknownUnit' in qty) return [{ text: `${found.item.name} 没有单位「${qty.unknownUnit}」，可以用：${qty.known.join('、')}。` }];
    if (!dec(qty.qty).gt(0)) return [{ text: `「${found.item.name}」的数量要大于 0。` }];
    lines.push({ itemId: found.item.id, sku: found.item.sku, qty: qty.qty, typedQty: l.qty!.unit ? `${l.qty!.amount} ${l.qty!.unit}` : null });
  }
  const supplier = await supplyingWarehouse(ctx.db, ctx.orgId, store.id, lines.map((l) => l.itemId));
  if (!supplier) return [{ text: '找不到给这个门店供货的仓库：请在补货规则里写明供货仓库（或只设一个总仓），或在系统里开要货单并写明调出仓库。' }];
  return [{ card: await proposeRequisition(ctx, place.userId, { storeId: store.id, supplierId: supplier.id, lines }) }];
}
