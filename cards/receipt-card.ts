import { encodeAction } from './actions';
import {
  documentLink, type DocumentLinkInput, formatQtyWithPack, formatTime, itemName, routeLabel, truncate, type Instant, type PackUnit,
} from './format';
import type { Card, Field } from './model';
import { Decimal } from '../src/lib/decimal';

export type ReceiptLine = {
  line: number; sku: string; qty: string; lot?: string | null; name?: string; unit?: string; packUnits?: readonly PackUnit[];
  /** Once received: what arrived (the rest is short). */
  receivedQty?: string | null;
};

export type ReceiptCardInput = {
  document: {
    id: string; number: string; warehouse: string; toWarehouse: string | null;
    warehouseNames?: ReadonlyMap<string, string>;
    shippedAt?: Instant | null;
    lines: ReceiptLine[];
  };
  /** Once confirmed: who confirmed the receipt and when; each line's `receivedQty` says what arrived. */
  outcome?: { kind: 'received'; by: string; at: Instant };
  /**
   * A short receipt typed in chat (`TR-… 可乐少了2罐`), waiting for its sender's tap: the lines'
   * `receivedQty` are what would be recorded. Cancelled, it says who and when.
   */
  proposal?: { draftId: string; cancelled?: { by: string; at: Instant } };
  timezone: string;
} & DocumentLinkInput;

/** Lines listed on the card; the rest are counted. */
export const RECEIPT_CARD_LINES = 20;

export const SHORTAGE_INPUT = { name: 'shortage', label: '短缺说明', placeholder: '写少了什么，例如：可乐 6, 红牛 1箱', required: true } as const;

const qtyOf = (l: ReceiptLine, qty: string) => (l.unit ? formatQtyWithPack(qty, l.unit, l.packUnits) : qty);
/** What did not arrive of a line (zero before it is received). */
const shortOf = (l: ReceiptLine) => new Decimal(l.qty).minus(l.receivedQty ?? l.qty);

/** "可口可乐 330ml 少 2 罐": the shortage in words, for the status line and the notice to the sender. */
export function shortageSummary(lines: readonly ReceiptLine[]): string {
  return lines.filter((l) => shortOf(l).gt(0)).map((l) => `${itemName(l)} 少 ${qtyOf(l, shortOf(l).toFixed())}`).join('，');
}

/**
 * A shipped transfer at its destination: 确认收货 (all arrived) or 有短缺 (say what is missing).
 * Received, it shows per line what was shipped, what arrived and what is short, and who confirmed when.
 */
export function renderReceiptCard(input: ReceiptCardInput): Card {
  const { document: doc, outcome, timezone } = input;
  const shown = doc.lines.slice(0, RECEIPT_CARD_LINES);
  const rest = doc.lines.length - shown.length;
  const link = documentLink(input);
  const fields: Field[] = [
    { label: '单号', value: doc.number },
    { label: '调出 → 调入', value: routeLabel(doc.warehouse, doc.toWarehouse, doc.warehouseNames) },
    ...(doc.shippedAt ? [{ label: '发货时间', value: formatTime(doc.shippedAt, timezone) }] : []),
  ];
  const note = rest > 0 ? { note: `另有 ${rest} 行未列出` } : {};
  const base = { fields, ...(link ? { link } : {}) };
  const perLine = {
    columns: ['商品', '发货', '实收', '短缺'],
    rows: shown.map((l) => [itemName(l), qtyOf(l, l.qty), qtyOf(l, l.receivedQty ?? l.qty), shortOf(l).gt(0) ? qtyOf(l, shortOf(l).toFixed()) : '-']),
    ...note,
  };
  const { proposal } = input;
  if (proposal && !outcome) {
    if (proposal.cancelled) {
      return { title: `收货登记已取消：调拨单 ${doc.number}`, tone: 'neutral', ...base, table: perLine, actions: [],
        status: `已取消 · ${proposal.cancelled.by} · ${formatTime(proposal.cancelled.at, timezone)}` };
    }
    return {
      title: `请确认收货（有短缺）：调拨单 ${doc.number}`, tone: 'warning', ...base, table: perLine,
      body: `确认后按实收入库，短缺记为差异：${shortageSummary(doc.lines)}。写错了就点「取消」，再发一次，例如：${doc.number} 可乐少了2罐`,
      actions: [
        { id: encodeAction({ verb: 'confirm_receipt', draftId: proposal.draftId }), label: '确认收货（有短缺）', style: 'primary' },
        { id: encodeAction({ verb: 'cancel_receipt', draftId: proposal.draftId }), label: '取消', style: 'default' },
      ],
    };
  }
  if (outcome) {
    const short = doc.lines.some((l) => shortOf(l).gt(0));
    return {
      title: `${short ? '已收货（有短缺）' : '已收货'}：调拨单 ${doc.number}`, tone: short ? 'warning' : 'success', ...base,
      table: perLine,
      actions: [],
      status: `${short ? '有短缺' : '已全部收到'} · ${outcome.by} · ${formatTime(outcome.at, timezone)}${short ? ` · ${truncate(shortageSummary(doc.lines), 200)}` : ''}`,
    };
  }
  return {
    title: `待收货：调拨单 ${doc.number}`, tone: 'info', ...base,
    table: { columns: ['商品', '批次', '发货数量'], rows: shown.map((l) => [itemName(l), l.lot || '-', qtyOf(l, l.qty)]), ...note },
    body: '货到后点「确认收货」；少了什么点「有短缺」写上，例如：可乐 6, 红牛 1箱。',
    actions: [
      { id: encodeAction({ verb: 'receive', documentId: doc.id }), label: '确认收货', style: 'primary' },
      { id: encodeAction({ verb: 'receive_short', documentId: doc.id }), label: '有短缺', style: 'danger', inputs: [{ ...SHORTAGE_INPUT }] },
    ],
  };
}
