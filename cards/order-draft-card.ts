import { encodeAction } from './actions';
import { documentTypeName, formatQtyWithPack, warehouseLabel, type CardItem } from './format';
import type { Card } from './model';

export type OrderDraftCardInput = {
  document: {
    id: string; number: string; type: 'purchase_order' | 'requisition';
    warehouse: { code: string; name: string }; toWarehouse: { code: string; name: string } | null; counterparty: string | null;
    lines: (CardItem & { qty: string })[];
  };
};

/**
 * A draft purchase order or requisition made from a card (low stock, the weekly 要货建议): the lines
 * with units and packs, and 提交 / 改数量 / 取消. Once submitted or cancelled its subject shows the
 * document's status card instead (src/chat/cards/order-draft.ts).
 */
export function renderOrderDraftCard({ document: d }: OrderDraftCardInput): Card {
  const lines = d.lines.map((l) => `${l.name}（${l.sku}）：${formatQtyWithPack(l.qty, l.unit, l.packUnits)}`);
  const sample = d.lines.map((l) => `${l.name} ${l.qty}`).join(', ');
  return {
    title: `${documentTypeName(d.type)}草稿 ${d.number}`, tone: 'info',
    fields: [
      { label: d.type === 'purchase_order' ? '收货仓库' : '要货门店', value: warehouseLabel(d.warehouse) },
      d.type === 'purchase_order'
        ? { label: '供应商', value: d.counterparty ?? '—' }
        : { label: '供货仓库', value: d.toWarehouse ? warehouseLabel(d.toWarehouse) : '—' },
    ],
    body: `${lines.join('\n')}\n\n数量按补货建议填好，可先改数量（如「可乐 3箱」）再提交。`,
    actions: [
      { id: encodeAction({ verb: 'submit_draft', documentId: d.id }), label: '提交', style: 'primary' },
      {
        id: encodeAction({ verb: 'adjust_draft', documentId: d.id }), label: '改数量', style: 'default',
        inputs: [{ name: 'qty', label: '新数量（商品 数量，可写箱数，如 可乐 3箱）', placeholder: sample, required: true }],
      },
      { id: encodeAction({ verb: 'cancel', documentId: d.id }), label: '取消', style: 'danger' },
    ],
  };
}
