import type { Card } from '../../../cards/model';
import { renderOrderDraftCard } from '../../../cards/order-draft-card';
import type { Ctx } from '../../context';
import { documentNames } from '../../inventory/documents/names';
import { getDocument } from '../../inventory/documents/view';

/**
 * `order_draft:<documentId>`: a draft order made from a card, with 提交 / 改数量 / 取消 while it is
 * a draft; undefined once submitted or cancelled (its subject then shows the document's status card).
 */
export async function orderDraftCard(ctx: Ctx, documentId: string): Promise<Card | undefined> {
  const doc = await getDocument(ctx, documentId);
  if (doc.status !== 'draft' || (doc.type !== 'purchase_order' && doc.type !== 'requisition')) return undefined;
  const names = await documentNames(ctx, doc);
  const wh = (code: string) => ({ code, name: names.warehouses.get(code) ?? code });
  return renderOrderDraftCard({
    document: {
      id: doc.id, number: doc.number, type: doc.type, counterparty: doc.counterparty,
      warehouse: wh(doc.warehouse), toWarehouse: doc.toWarehouse ? wh(doc.toWarehouse) : null,
      lines: doc.lines.map((l) => ({ sku: l.sku, qty: l.qty, ...(names.items.get(l.sku) ?? { name: l.sku, unit: '' }) })),
    },
  });
}
