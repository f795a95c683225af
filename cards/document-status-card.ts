import {
  documentLink, type DocumentLinkInput, documentStatusName, documentTypeName, formatMoney, formatQty, formatQtyWithPack, formatTime, itemName, routeLabel, truncate,
  type Instant, type PackUnit,
} from './format';
import type { Card, Field, Tone } from './model';
import { nextStepButton } from './next-step';

/** What the card needs of a document: a `DocumentView` fits as it is. */
export type StatusDocument = {
  id: string; number: string; type: string; status: string;
  warehouse: string; toWarehouse: string | null;
  totalValue: string;
  counterparty?: string | null;
  rejectReason?: string | null;
  hasDiscrepancy?: boolean;
  lines: { line: number; sku: string; qty: string; lot?: string | null; name?: string; unit?: string; packUnits?: readonly PackUnit[] }[];
  /** Warehouse names by code: cards say 总仓 → 徐汇店, not the codes. */
  warehouseNames?: ReadonlyMap<string, string>;
};

export type DocumentStatusCardInput = {
  document: StatusDocument;
  /** Who must act now (an approver level, a warehouse) and since when; none once the document is done. */
  holder?: { who: string; since: Instant } | null;
  /** Whether to offer the one-tap next step; off when the person who asked may not take it. */
  nextStep?: boolean;
  timezone: string;
} & DocumentLinkInput;

export const DOCUMENT_STATUS_CARD_LINES = 10;

const tones: Record<string, Tone> = { posted: 'success', received: 'success', rejected: 'danger', cancelled: 'neutral', draft: 'neutral' };

/** The answer to a typed document number: status, lines, who holds it and since when. */
export function renderDocumentStatusCard(input: DocumentStatusCardInput): Card {
  const { document: doc, holder, timezone } = input;
  const fields: Field[] = [
    { label: '单号', value: doc.number },
    { label: '类型', value: documentTypeName(doc.type) },
    { label: '状态', value: documentStatusName(doc.status) + (doc.hasDiscrepancy ? ' · 有差异' : '') },
    { label: doc.toWarehouse ? '调出 → 调入' : '仓库', value: routeLabel(doc.warehouse, doc.toWarehouse, doc.warehouseNames) },
    { label: '金额', value: formatMoney(doc.totalValue) },
  ];
  if (doc.counterparty) fields.push({ label: '往来单位', value: doc.counterparty });
  if (holder) fields.push({ label: '当前处理', value: `${holder.who} · 自 ${formatTime(holder.since, timezone)}` });
  if (doc.status === 'rejected' && doc.rejectReason) fields.push({ label: '驳回原因', value: truncate(doc.rejectReason, 200) });
  const shown = doc.lines.slice(0, DOCUMENT_STATUS_CARD_LINES);
  const rest = doc.lines.length - shown.length;
  const next = input.nextStep === false ? undefined : nextStepButton(doc);
  const link = documentLink(input);
  return {
    title: `${documentTypeName(doc.type)} ${doc.number}：${documentStatusName(doc.status)}`,
    tone: tones[doc.status] ?? 'info',
    fields,
    table: {
      columns: ['行', '商品', '数量', '批次'],
      rows: shown.map((l) => [String(l.line), itemName(l), l.unit ? formatQtyWithPack(l.qty, l.unit, l.packUnits) : formatQty(l.qty), l.lot || '-']),
      ...(rest > 0 ? { note: `另有 ${rest} 行未列出` } : {}),
    },
    actions: next ? [next] : [],
    ...(link ? { link } : {}),
  };
}
