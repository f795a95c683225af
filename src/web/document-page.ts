import {
  documentStatusName, documentTypeName, formatDateTime, formatMoney, formatQty, returnReasonName, warehouseLabel,
} from '../../cards/format';
import type { DocumentView } from '../inventory/documents/view';
import { escapeHtml, htmlPage } from './layout';

/**
 * The document page a card links to, as one self-contained HTML page: UTF-8, Chinese labels,
 * laid out for a phone (it opens in WeCom's or Lark's in-app browser), inline styles only, no
 * scripts or external assets. Every value is escaped.
 */

const layout = (title: string, body: string) => htmlPage({ title, body });

type Pair = [label: string, value: string | null | undefined];

const dl = (pairs: Pair[]) => {
  const shown = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '');
  return shown.length ? `<dl>${shown.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>` : '';
};

const approvalStatusNames: Record<string, string> = { waiting: '未开始', pending: '待审批', approved: '已批准', rejected: '已驳回' };
const badgeTone: Record<string, string> = { posted: 'success', received: 'success', approved: 'success', rejected: 'danger', cancelled: 'neutral', draft: 'neutral' };

export type DocumentPageInput = {
  document: DocumentView;
  /** Names and units of the lines' items, by sku. */
  items: Map<string, { name: string; unit: string }>;
  /** Warehouse names, by code. */
  warehouses: Map<string, string>;
  timezone: string;
  /** When the link that opened the page stops working. */
  linkExpiresAt: Date;
};

export function renderDocumentPage(input: DocumentPageInput): string {
  const { document: doc, items, warehouses, timezone } = input;
  const when = (at: string | null) => (at ? formatDateTime(at, timezone) : null);
  const wh = (code: string | null) => (code ? warehouseLabel({ code, name: warehouses.get(code) }) : null);
  const unitOf = (sku: string) => items.get(sku)?.unit;
  const q = (qty: string | null, sku: string) => (qty === null ? null : `${formatQty(qty)}${unitOf(sku) ? ` ${unitOf(sku)}` : ''}`);
  const status = documentStatusName(doc.status) + (doc.hasDiscrepancy ? ' · 有差异' : '');

  const header = dl([
    ['单号', doc.number],
    ['类型', documentTypeName(doc.type)],
    ['状态', status],
    ...(doc.toWarehouse ? [['调出仓', wh(doc.warehouse)], ['调入仓', wh(doc.toWarehouse)]] as Pair[] : [['仓库', wh(doc.warehouse)]] as Pair[]),
    ['金额', formatMoney(doc.totalValue)],
    ['往来单位', doc.counterparty],
    ['原因', doc.reason],
    ['外部单号', doc.externalRef],
    ['原单', doc.returnOf],
    ['冲销单据', doc.reverses],
    ['被冲销', doc.reversedBy],
    ['备注', doc.note],
    ...(doc.status === 'rejected' ? [['驳回原因', doc.rejectReason]] as Pair[] : []),
  ]);
  const dates = dl([
    ['创建', when(doc.createdAt)], ['提交', when(doc.submittedAt)], ['批准', when(doc.approvedAt)], ['驳回', when(doc.rejectedAt)],
    ['发货', when(doc.shippedAt)], ['收货', when(doc.receivedAt)], ['过账', when(doc.postedAt)], ['取消', when(doc.cancelledAt)],
    ['应完成', when(doc.dueAt)],
  ]);

  const lines = doc.lines.map((l) => {
    const name = items.get(l.sku)?.name;
    return `<div class="box line"><h3>${escapeHtml(`${l.line}. ${l.sku}`)}${name ? ` ${escapeHtml(name)}` : ''}</h3>${dl([
      ['数量', q(l.qty, l.sku)],
      ['单价', l.unitCost === null ? null : `¥${formatQty(l.unitCost)}`],
      ['金额', l.value === null ? null : formatMoney(l.value)],
      ['批次', l.lot],
      ['效期', l.expiresOn],
      ['原因', l.reason ? returnReasonName(l.reason) : null],
      ['原数量', q(l.previousQty, l.sku)],
      ['账面数量', q(l.bookQty, l.sku)],
      ['盘点差异', q(l.variance, l.sku)],
      ['实收', q(l.receivedQty, l.sku)],
      ['收货差异', q(l.discrepancyQty, l.sku)],
      ['差异金额', l.discrepancyValue === null ? null : formatMoney(l.discrepancyValue)],
      ['合格', q(l.acceptedQty, l.sku)],
      ['不合格', q(l.rejectedQty, l.sku)],
    ])}</div>`;
  }).join('');

  const approvals = doc.approvals.map((a) => `<div class="box">${dl([
    ['级别', `第 ${a.level}/${doc.approvals.length} 级`],
    ['状态', approvalStatusNames[a.status] ?? a.status],
    ['审批人', a.by],
    ['时间', when(a.at)],
    [a.status === 'rejected' ? '驳回原因' : '意见', a.comment],
  ])}</div>`).join('');

  const title = `${documentTypeName(doc.type)} ${doc.number}`;
  return layout(title, [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p><span class="badge ${badgeTone[doc.status] ?? ''}">${escapeHtml(status)}</span></p>`,
    `<div class="box">${header}</div>`,
    dates ? `<h2>时间</h2><div class="box">${dates}</div>` : '',
    `<h2>明细（${doc.lines.length} 行）</h2>${lines || '<div class="box muted">没有明细</div>'}`,
    approvals ? `<h2>审批</h2>${approvals}` : '',
    `<p class="muted">链接有效期至 ${escapeHtml(formatDateTime(input.linkExpiresAt, timezone))}；过期后把单号发给机器人可获取新链接。</p>`,
  ].join(''));
}

/** The page shown instead of a document: a bad or expired link, or no such document. */
export function renderMessagePage(title: string, text: string): string {
  return layout(title, `<div class="msg"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></div>`);
}
