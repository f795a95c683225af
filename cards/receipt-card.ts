import { encodeAction } from './actions';
import { documentLink, type DocumentLinkInput, formatQty, formatTime, truncate, type Instant } from './format';
import type { Card } from './model';

export type ReceiptCardInput = {
  document: {
    id: string; number: string; warehouse: string; toWarehouse: string | null;
    shippedAt?: Instant | null;
    lines: { line: number; sku: string; qty: string; lot?: string | null; name?: string; unit?: string }[];
  };
  /** Once confirmed: everything arrived, or a shortage was reported with its note. */
  outcome?: { kind: 'received'; by: string; at: Instant } | { kind: 'short'; by: string; at: Instant; note: string };
  timezone: string;
} & DocumentLinkInput;

/** Lines listed on the card; the rest are counted. */
export const RECEIPT_CARD_LINES = 20;

export const SHORTAGE_INPUT = { name: 'shortage', label: '短缺说明', placeholder: '按商品写短缺数量，例如 A001:2, B002:1', required: true } as const;

/** A shipped transfer waiting at its destination: 全部收到, or 有短缺 with what is missing. */
export function renderReceiptCard(input: ReceiptCardInput): Card {
  const { document: doc, outcome, timezone } = input;
  const shown = doc.lines.slice(0, RECEIPT_CARD_LINES);
  const rest = doc.lines.length - shown.length;
  const link = documentLink(input);
  const base = {
    fields: [
      { label: '单号', value: doc.number },
      { label: '调出 → 调入', value: `${doc.warehouse} → ${doc.toWarehouse ?? '?'}` },
      ...(doc.shippedAt ? [{ label: '发货时间', value: formatTime(doc.shippedAt, timezone) }] : []),
      { label: '行数', value: `${doc.lines.length} 行` },
    ],
    table: {
      columns: ['行', '商品', '批次', '发货数量'],
      rows: shown.map((l) => [String(l.line), l.name ? `${l.sku} ${l.name}` : l.sku, l.lot || '-', `${formatQty(l.qty)}${l.unit ? ` ${l.unit}` : ''}`]),
      ...(rest > 0 ? { note: `另有 ${rest} 行未列出` } : {}),
    },
    ...(link ? { link } : {}),
  };
  if (outcome?.kind === 'received') {
    return { title: `已收货：调拨单 ${doc.number}`, tone: 'success', ...base, actions: [], status: `已全部收到 · ${outcome.by} · ${formatTime(outcome.at, timezone)}` };
  }
  if (outcome?.kind === 'short') {
    return {
      title: `已收货（有短缺）：调拨单 ${doc.number}`, tone: 'warning', ...base, actions: [],
      status: `有短缺 · ${outcome.by} · ${formatTime(outcome.at, timezone)} · ${truncate(outcome.note, 200)}`,
    };
  }
  return {
    title: `待收货：调拨单 ${doc.number}`, tone: 'info', ...base,
    actions: [
      { id: encodeAction({ verb: 'receive', documentId: doc.id }), label: '全部收到', style: 'primary' },
      { id: encodeAction({ verb: 'receive_short', documentId: doc.id }), label: '有短缺', style: 'danger', inputs: [{ ...SHORTAGE_INPUT }] },
    ],
  };
}
