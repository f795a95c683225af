import { encodeAction } from './actions';
import { documentLink, type DocumentLinkInput, formatQty, returnReasonName, type Instant, formatTime } from './format';
import type { Card } from './model';

export type QcCardInput = {
  document: {
    id: string; number: string; warehouse: string; counterparty?: string | null; reason?: string | null;
    lines: { line: number; sku: string; qty: string; name?: string; unit?: string; acceptedQty?: string | null; rejectedQty?: string | null }[];
  };
  reasonClass?: string | null;
  /** Once QC is recorded: who, when. */
  done?: { by: string; at: Instant } | null;
  timezone: string;
} & DocumentLinkInput;

export const ACCEPTED_INPUT = { name: 'accepted', label: '合格数量', placeholder: '一行：直接写数字；多行：A001:3, B002:0', required: true } as const;

/** A customer return waiting for QC: what came back, and one input for how much of it is fit to restock. */
export function renderQcCard(input: QcCardInput): Card {
  const { document: doc } = input;
  const lines = doc.lines.map((l) => `${l.name ?? l.sku} × ${formatQty(l.qty)}${l.unit ? ` ${l.unit}` : ''}${l.acceptedQty ? `（合格 ${formatQty(l.acceptedQty)}，不合格 ${formatQty(l.rejectedQty ?? '0')}）` : ''}`);
  const link = documentLink(input);
  return {
    title: `客户退货待质检 ${doc.number}`,
    tone: input.done ? 'success' : 'warning',
    fields: [
      { label: '仓库', value: doc.warehouse },
      ...(doc.counterparty ? [{ label: '客户', value: doc.counterparty }] : []),
      ...(input.reasonClass ? [{ label: '原因', value: returnReasonName(input.reasonClass) }] : []),
    ],
    body: lines.join('\n'),
    actions: input.done ? [] : [{ id: encodeAction({ verb: 'qc', documentId: doc.id }), label: '记录质检', style: 'primary', inputs: [{ ...ACCEPTED_INPUT }] }],
    ...(input.done ? { status: `已质检 · ${input.done.by} · ${formatTime(input.done.at, input.timezone)}` } : {}),
    ...(link ? { link } : {}),
  };
}
