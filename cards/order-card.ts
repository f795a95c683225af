import { encodeAction } from './actions';
import { documentLink, type DocumentLinkInput, documentStatusName, documentTypeName, formatQtyWithPack, formatTime, warehouseLabel, type Instant, type PackUnit } from './format';
import type { Card, Field } from './model';

/** What the card needs of an order: a `DocumentView` with item names fits as it is. */
export type OrderCardDocument = {
  id: string; number: string; type: string; status: string;
  warehouse: string; toWarehouse: string | null; counterparty?: string | null;
  dueOn?: string | null; dueAt?: Instant | null;
  lines: { line: number; sku: string; qty: string; openQty?: string; name?: string; unit?: string; packUnits?: readonly PackUnit[] }[];
  warehouseNames?: ReadonlyMap<string, string>;
};

export type OrderCardInput = { document: OrderCardDocument; timezone: string } & DocumentLinkInput;

export const ORDER_CARD_LINES = 10;

/**
 * A sales order (发货申请) or requisition (要货单) waiting for the warehouse that fills it: who it is
 * for, what, by when, and one tap — 一键发货 posts the issue, 按单调拨 ships the transfer — for
 * everything still open. Once filled or cancelled the card says so and has no button.
 */
export function renderOrderCard(input: OrderCardInput): Card {
  const { document: doc, timezone } = input;
  const label = (code: string | null) => (code ? warehouseLabel({ code, name: doc.warehouseNames?.get(code) }) : '?');
  const requisition = doc.type === 'requisition';
  const fields: Field[] = [
    { label: '单号', value: doc.number },
    requisition ? { label: '要货门店', value: label(doc.warehouse) } : { label: '客户', value: doc.counterparty || '-' },
    { label: requisition ? '供货仓库' : '发货仓库', value: label(requisition ? doc.toWarehouse : doc.warehouse) },
    ...(doc.dueOn ? [{ label: '要求日期', value: doc.dueOn }] : []),
    ...(doc.status === 'approved' && doc.dueAt ? [{ label: '请在此前处理', value: formatTime(doc.dueAt, timezone) }] : []),
  ];
  const shown = doc.lines.slice(0, ORDER_CARD_LINES);
  const rest = doc.lines.length - shown.length;
  const qty = (q: string, l: (typeof shown)[number]) => (l.unit ? formatQtyWithPack(q, l.unit, l.packUnits) : q);
  const link = documentLink(input);
  const open = doc.status === 'approved';
  const verb = requisition ? '调拨' : '发货';
  return {
    // Posted means filled: said as what happened (已发货 / 已调拨), not as a ledger word.
    title: `${documentTypeName(doc.type)} ${doc.number}：${open ? `待${verb}` : doc.status === 'posted' ? `已${verb}` : documentStatusName(doc.status)}`,
    tone: open ? 'info' : doc.status === 'cancelled' ? 'neutral' : 'success',
    fields,
    table: {
      columns: ['商品', '数量', `未${verb}`],
      rows: shown.map((l) => [l.name ? `${l.name} (${l.sku})` : l.sku, qty(l.qty, l), qty(l.openQty ?? l.qty, l)]),
      ...(rest > 0 ? { note: `另有 ${rest} 行未列出` } : {}),
    },
    actions: open ? [orderButton(doc)] : [],
    ...(open ? {} : { status: doc.status === 'cancelled' ? '已取消' : `已全部${verb}` }),
    ...(link ? { link } : {}),
  };
}

/** 一键发货 for a sales order, 按单调拨 for a requisition: fills everything still open. */
export const orderButton = (doc: { id: string; type: string }, suffix = '') =>
  ({ id: encodeAction({ verb: 'fulfil', documentId: doc.id }), label: `${doc.type === 'requisition' ? '按单调拨' : '一键发货'}${suffix}`, style: 'primary' as const });
