import { encodeAction } from './actions';
import { formatQtyWithPack, formatTime, warehouseLabel, type CardItem, type Instant } from './format';
import type { Card } from './model';

export type RequisitionDraftCardInput = {
  draftId: string;
  /** The asking store and the warehouse that supplies it. */
  store: { code: string; name?: string | null };
  supplier: { code: string; name?: string | null };
  /** Quantities in each item's base unit; `typedQty` as typed when it was in another unit. */
  lines: { item: CardItem; qty: string; typedQty?: string | null }[];
  state?: { kind: 'confirmed'; by: string; at: Instant; documentNumber?: string | null } | { kind: 'cancelled'; by: string; at: Instant };
  timezone: string;
};

/** What the bot understood of `要货 …`: the lines in units and packs, with 提交要货 / 取消; once answered, who did which. */
export function renderRequisitionDraftCard(input: RequisitionDraftCardInput): Card {
  const { state, timezone } = input;
  const fields = [
    { label: '要货门店', value: warehouseLabel(input.store) },
    { label: '供货仓库', value: warehouseLabel(input.supplier) },
  ];
  const table = {
    columns: ['商品', '数量'],
    rows: input.lines.map((l) => [`${l.item.name} (${l.item.sku})`, formatQtyWithPack(l.qty, l.item.unit, l.item.packUnits)]),
  };
  if (state?.kind === 'confirmed') {
    const number = state.documentNumber ? ` · 单号 ${state.documentNumber}` : '';
    return { title: '要货单已提交', tone: 'success', fields, table, actions: [], status: `已提交 · ${state.by} · ${formatTime(state.at, timezone)}${number}` };
  }
  if (state?.kind === 'cancelled') {
    return { title: '要货已取消', tone: 'neutral', fields, table, actions: [], status: `已取消 · ${state.by} · ${formatTime(state.at, timezone)}` };
  }
  return {
    title: '请确认要货', tone: 'info', fields, table,
    body: '提交后生成要货单，供货仓库在群里按单调拨。',
    actions: [
      { id: encodeAction({ verb: 'confirm_requisition', draftId: input.draftId }), label: '提交要货', style: 'primary' },
      { id: encodeAction({ verb: 'cancel_requisition', draftId: input.draftId }), label: '取消', style: 'default' },
    ],
  };
}
