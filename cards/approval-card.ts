import { encodeAction } from './actions';
import {
  documentLink, type DocumentLinkInput, documentTypeName, formatMoney, formatQty, formatQtyWithPack, formatTime, itemName, routeLabel, truncate, type Instant, type PackUnit,
} from './format';
import type { Card, Field } from './model';

/** What the card needs of a document: a `DocumentView` fits as it is. */
export type ApprovalDocument = {
  id: string;
  number: string;
  type: string;
  warehouse: string;
  toWarehouse: string | null;
  /** Decimal string, as in DocumentView ("12800.00"). */
  totalValue: string;
  counterparty?: string | null;
  note?: string | null;
  lines: { sku: string; qty: string; name?: string; unit?: string; packUnits?: readonly PackUnit[] }[];
  /** Warehouse names by code, to show 总仓 (CENTRAL) rather than the code alone. */
  warehouseNames?: ReadonlyMap<string, string>;
};

export type ApprovalDecision = { outcome: 'approved' | 'rejected'; by: string; at: Instant; reason?: string | null };

export type ApprovalCardInput = {
  document: ApprovalDocument;
  /** The level this card asks for (1-based) and how many the document needs. */
  level: number;
  levels: number;
  /** Who asked and when: an approver weighs a request by who made it and how long it has waited. */
  submittedBy?: string | null;
  submittedAt?: Instant | null;
  decided?: ApprovalDecision;
  /** While a later level waits: the levels already approved, by whom and when. */
  approvedLevels?: { level: number; by: string; at: Instant }[];
  timezone: string;
} & DocumentLinkInput;

/** Lines listed on the card; the rest are counted. */
export const APPROVAL_CARD_LINES = 5;

export const REJECT_REASON_INPUT = { name: 'reason', label: '驳回原因', placeholder: '请填写驳回原因', required: true } as const;

/**
 * An approval request: pending with 批准 and 驳回 (a reason required), or decided with the outcome,
 * who decided and when, and no buttons — every copy of the card is re-rendered to this.
 */
export function renderApprovalCard(input: ApprovalCardInput): Card {
  const { document: doc, decided, timezone } = input;
  const route = routeLabel(doc.warehouse, doc.toWarehouse, doc.warehouseNames);
  const fields: Field[] = [
    { label: '单号', value: doc.number },
    { label: '类型', value: documentTypeName(doc.type) },
    { label: doc.toWarehouse ? '调出 → 调入' : '仓库', value: route },
    { label: '金额', value: formatMoney(doc.totalValue) },
  ];
  if (doc.counterparty) fields.push({ label: '往来单位', value: doc.counterparty });
  if (input.submittedBy) {
    fields.push({ label: '提交人', value: input.submittedAt ? `${input.submittedBy} · ${formatTime(input.submittedAt, timezone)}` : input.submittedBy });
  }
  if (input.levels > 1) fields.push({ label: '审批级别', value: `第 ${input.level}/${input.levels} 级` });
  if (!decided && input.approvedLevels?.length) {
    fields.push({ label: '已批准', value: input.approvedLevels.map((a) => `第 ${a.level} 级 ${a.by} · ${formatTime(a.at, timezone)}`).join('；') });
  }

  const shown = doc.lines.slice(0, APPROVAL_CARD_LINES).map((l) =>
    `${itemName(l)} × ${l.unit ? formatQtyWithPack(l.qty, l.unit, l.packUnits) : formatQty(l.qty)}`);
  const more = doc.lines.length - shown.length;
  const body = [
    ...shown,
    ...(more > 0 ? [`…及另外 ${more} 行`] : []),
    ...(doc.note ? [`备注：${truncate(doc.note, 200)}`] : []),
  ].join('\n');
  const link = documentLink(input);
  const common = { fields, ...(body ? { body } : {}), ...(link ? { link } : {}) };
  const what = `${documentTypeName(doc.type)} ${doc.number}`;

  if (decided) {
    const approved = decided.outcome === 'approved';
    const reason = !approved && decided.reason ? ` · 原因：${truncate(decided.reason, 200)}` : '';
    return {
      title: `${approved ? '已批准' : '已驳回'}：${what}`,
      tone: approved ? 'success' : 'danger',
      ...common,
      actions: [],
      status: `${approved ? '已批准' : '已驳回'} · ${decided.by} · ${formatTime(decided.at, timezone)}${reason}`,
    };
  }
  return {
    title: `待审批：${what}`,
    tone: 'warning',
    ...common,
    actions: [
      { id: encodeAction({ verb: 'approve', documentId: doc.id }), label: '批准', style: 'primary' },
      { id: encodeAction({ verb: 'reject', documentId: doc.id }), label: '驳回', style: 'danger', inputs: [{ ...REJECT_REASON_INPUT }] },
    ],
  };
}
