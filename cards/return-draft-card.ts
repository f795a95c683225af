import { encodeAction } from './actions';
import { formatQtyWithPack, formatTime, returnReasonName, truncate, warehouseLabel, type CardItem, type Instant, itemLabel } from './format';
import type { Card } from './model';

export type ReturnDraftCardInput = {
  draftId: string;
  item: CardItem;
  /** Decimal string in the item's base unit ("5箱" typed → "120"). */
  qty: string;
  /** What the user typed for the quantity, shown when it was in another unit. */
  typedQty?: string | null;
  /** expired | near_expiry | damaged | wrong_item | quality | other */
  reasonClass: string;
  reasonText?: string | null;
  customer?: string | null;
  warehouse?: { code: string; name?: string | null } | null;
  state?: { kind: 'confirmed'; by: string; at: Instant; documentNumber?: string | null } | { kind: 'cancelled'; by: string; at: Instant };
  timezone: string;
};

/** What the bot understood of a return report, with 确认 / 取消; once answered, who did which. */
export function renderReturnDraftCard(input: ReturnDraftCardInput): Card {
  const { item, state, timezone } = input;
  const qty = formatQtyWithPack(input.qty, item.unit, item.packUnits);
  const fields = [
    { label: '商品', value: itemLabel(item) },
    { label: '数量', value: input.typedQty ? `${qty}（输入：${input.typedQty}）` : qty },
    { label: '原因', value: returnReasonName(input.reasonClass) + (input.reasonText ? ` · ${truncate(input.reasonText, 100)}` : '') },
    { label: '客户', value: input.customer || '未填写' },
    ...(input.warehouse ? [{ label: '退回仓库', value: warehouseLabel(input.warehouse) }] : []),
  ];
  if (state?.kind === 'confirmed') {
    const number = state.documentNumber ? ` · 单号 ${state.documentNumber}` : '';
    return { title: '退货已登记', tone: 'success', fields, actions: [], status: `已确认 · ${state.by} · ${formatTime(state.at, timezone)}${number}` };
  }
  if (state?.kind === 'cancelled') {
    return { title: '退货登记已取消', tone: 'neutral', fields, actions: [], status: `已取消 · ${state.by} · ${formatTime(state.at, timezone)}` };
  }
  return {
    title: '请确认退货登记', tone: 'info', fields,
    body: '确认后生成客户退货单，待质检入库。',
    actions: [
      { id: encodeAction({ verb: 'confirm_return', draftId: input.draftId }), label: '确认', style: 'primary' },
      { id: encodeAction({ verb: 'cancel_return', draftId: input.draftId }), label: '取消', style: 'default' },
    ],
  };
}
