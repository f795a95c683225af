import {
  documentStatusName, documentTypeName, formatDateTime, formatMoney, formatQty, formatQtyWithPack, returnReasonName, warehouseLabel,
  type PackUnit,
} from '../../cards/format';
import type { HistoryEntry } from '../inventory/documents/history';
import type { DocumentView } from '../inventory/documents/view';
import { escapeHtml, htmlPage } from './layout';
import { PRINT_STYLE, printLayouts, type PrintLayout } from './document-print';

/**
 * The document page a card links to and its QR code opens, as one self-contained HTML page:
 * UTF-8, Chinese labels, laid out for a phone (it opens in WeCom's or Lark's in-app browser),
 * inline styles only, no scripts or external assets. The same page prints (src/web/document-print.ts):
 * on A4 with the company's name, signature boxes and the QR code, or on an 80 mm receipt printer
 * (`?layout=receipt`). Every value is escaped; the QR code's SVG is the library's paths only.
 */

type Pair = [label: string, value: string | null | undefined];

const dl = (pairs: Pair[]) => {
  const shown = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '');
  return shown.length ? `<dl>${shown.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>` : '';
};

const approvalStatusNames: Record<string, string> = { waiting: '未开始', pending: '待审批', approved: '已批准', rejected: '已驳回' };
const badgeTone: Record<string, string> = { posted: 'success', received: 'success', approved: 'success', rejected: 'danger', cancelled: 'neutral', draft: 'neutral' };
const actionNames: Record<string, string> = {
  create: '创建', submit: '提交', request_approval: '提交审批', approve: '批准', reject: '驳回', post: '过账', ship: '发货', receive: '收货',
  cancel: '取消', reverse: '红字冲销', start: '开始生产', complete: '完工入库', reverse_completion: '冲销完工',
};
const channelNames: Record<string, string> = { api: '接口', chat: '聊天', web: '网页', job: '系统' };

export type DocumentPageInput = {
  document: DocumentView;
  /** Names, units and pack units of the lines' items, by sku. */
  items: Map<string, { name: string; unit: string; packUnits?: readonly PackUnit[] }>;
  /** Warehouse names, by code. */
  warehouses: Map<string, string>;
  /** The organisation's name, printed at the top. */
  company: string;
  /** The audit trail of the document, oldest first. */
  history: HistoryEntry[];
  /** The signed link itself (what the QR code encodes) and the QR code as SVG markup. */
  link: string;
  qrSvg: string;
  layout: PrintLayout;
  timezone: string;
  /** When the link that opened the page stops working. */
  linkExpiresAt: Date;
  /** Now: when the page (and so a print of it) was made. */
  printedAt: Date;
};

/**
 * The audit trail words its comments for the log (`level 1: ok`, `rules: 大额调拨`, `reversed by RV-…`);
 * the page says the known ones in Chinese and shows anything else (a person's own words) as it is.
 */
function historyComment(comment: string): string {
  return comment
    .replace(/^level (\d+)(: )?/, (_m, level: string, colon?: string) => `第 ${level} 级${colon ? '：' : ''}`)
    .replace(/^rules: /, '审批规则：')
    .replace(/^reversed by /, '被冲销：')
    .replace(/^reverses /, '冲销：')
    .replace(/^completion (\d+) reversed by /, (_m, seq: string) => `第 ${seq} 次完工被冲销：`)
    .replace(/^period reopened$/, '成本期间重新打开');
}

/** Who signs a printed document, by type: the hand-over it records. */
function signatures(type: string): string[] {
  if (type === 'transfer') return ['制单', '审批', '发货', '收货'];
  if (type === 'receipt' || type === 'purchase_return') return ['制单', '审批', '仓管', '送货'];
  if (type === 'issue' || type === 'sales_order' || type === 'requisition') return ['制单', '审批', '仓管', '领用'];
  if (type === 'stocktake' || type === 'adjustment') return ['制单', '盘点', '复核', '审批'];
  return ['制单', '审批', '仓管', '经手'];
}

export function renderDocumentPage(input: DocumentPageInput): string {
  const { document: doc, items, warehouses, timezone } = input;
  const when = (at: string | null) => (at ? formatDateTime(at, timezone) : null);
  const wh = (code: string | null) => (code ? warehouseLabel({ code, name: warehouses.get(code) }) : null);
  const item = (sku: string) => items.get(sku);
  // Quantities in the base unit with the packs they fill ("240 罐 (10 箱)"), as the cards show them.
  const q = (qty: string | null, sku: string) => {
    if (qty === null) return null;
    const i = item(sku);
    return i ? formatQtyWithPack(qty, i.unit, i.packUnits) : formatQty(qty);
  };
  const status = documentStatusName(doc.status) + (doc.hasDiscrepancy ? ' · 有差异' : '');
  const typeName = documentTypeName(doc.type);

  const header = dl([
    ['单号', doc.number],
    ['类型', typeName],
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

  // One table for the phone and for paper: name first, code and details under it, quantity in units and packs.
  const lineRows = doc.lines.map((l) => {
    const details = [
      l.lot ? `批次 ${l.lot}` : null,
      l.expiresOn ? `效期 ${l.expiresOn}` : null,
      l.reason ? `原因 ${returnReasonName(l.reason)}` : null,
      l.previousQty !== null ? `原数量 ${q(l.previousQty, l.sku)}` : null,
      l.bookQty !== null ? `账面 ${q(l.bookQty, l.sku)}` : null,
      l.variance !== null ? `盘点差异 ${q(l.variance, l.sku)}` : null,
      l.receivedQty !== null ? `实收 ${q(l.receivedQty, l.sku)}` : null,
      l.discrepancyQty !== null ? `收货差异 ${q(l.discrepancyQty, l.sku)}` : null,
      l.discrepancyValue !== null ? `差异金额 ${formatMoney(l.discrepancyValue)}` : null,
      l.acceptedQty !== null ? `合格 ${q(l.acceptedQty, l.sku)}` : null,
      l.rejectedQty !== null ? `不合格 ${q(l.rejectedQty, l.sku)}` : null,
    ].filter((d): d is string => d !== null);
    const name = item(l.sku)?.name ?? l.sku;
    return `<tr class="line"><td class="n">${l.line}</td><td><div class="name">${escapeHtml(name)}</div>`
      + `<div class="muted">${escapeHtml([l.sku, ...details].join(' · '))}</div></td>`
      + `<td class="n qty">${escapeHtml(q(l.qty, l.sku))}</td>`
      + `<td class="n">${l.value === null ? '' : escapeHtml(formatMoney(l.value))}`
      + `${l.unitCost === null ? '' : `<div class="muted">单价 ¥${escapeHtml(formatQty(l.unitCost))}</div>`}</td></tr>`;
  }).join('');
  const lines = doc.lines.length
    ? `<table class="lines"><thead><tr><th class="n">行</th><th>品名 / 编码</th><th class="n">数量</th><th class="n">金额</th></tr></thead>`
      + `<tbody>${lineRows}</tbody><tfoot><tr><td></td><td>合计</td><td></td><td class="n">${escapeHtml(formatMoney(doc.totalValue))}</td></tr></tfoot></table>`
    : '<div class="muted">没有明细</div>';

  const approvals = doc.approvals.map((a) => `<div class="box">${dl([
    ['级别', `第 ${a.level}/${doc.approvals.length} 级`],
    ['状态', approvalStatusNames[a.status] ?? a.status],
    ['审批人', a.by],
    ['时间', when(a.at)],
    [a.status === 'rejected' ? '驳回原因' : '意见', a.comment],
  ])}</div>`).join('');

  const history = input.history.map((h) => {
    const step = (actionNames[h.action] ?? h.action) + (h.to && h.to !== h.from ? ` → ${documentStatusName(h.to)}` : '');
    const who = `${h.by ?? channelNames[h.channel] ?? h.channel}${h.by ? ` · ${channelNames[h.channel] ?? h.channel}` : ''}`;
    return `<li><span class="when">${escapeHtml(formatDateTime(h.at, timezone))}</span> <b>${escapeHtml(step)}</b> `
      + `<span class="muted">${escapeHtml(who)}${h.comment ? `：${escapeHtml(historyComment(h.comment))}` : ''}</span></li>`;
  }).join('');

  const sign = signatures(doc.type).map((s) => `<div class="sign"><span>${escapeHtml(s)}</span><i></i><span class="muted">日期</span><i></i></div>`).join('');
  const switcher = printLayouts(input.layout, input.link)
    .map((l) => (l.current ? `<b>${escapeHtml(l.label)}</b>` : `<a href="${escapeHtml(l.query)}">${escapeHtml(l.label)}</a>`)).join(' · ');

  const title = `${typeName} ${doc.number}`;
  const body = [
    `<div class="doc ${input.layout}">`,
    `<header class="head"><div><p class="company">${escapeHtml(input.company)}</p><h1>${escapeHtml(typeName)}</h1>`,
    `<p class="number">${escapeHtml(doc.number)} <span class="badge ${badgeTone[doc.status] ?? ''}">${escapeHtml(status)}</span></p></div>`,
    `<figure class="qr" title="${escapeHtml(input.link)}">${input.qrSvg}<figcaption>扫码查看进度</figcaption></figure></header>`,
    `<div class="box">${header}</div>`,
    `<h2>明细（${doc.lines.length} 行）</h2><div class="box">${lines}</div>`,
    dates ? `<h2>时间</h2><div class="box">${dates}</div>` : '',
    approvals ? `<h2>审批</h2>${approvals}` : '',
    history ? `<h2>处理记录</h2><div class="box"><ol class="history">${history}</ol></div>` : '',
    `<section class="signatures">${sign}</section>`,
    `<p class="printed muted">打印时间 ${escapeHtml(formatDateTime(input.printedAt, timezone))} · 只读页面，扫码可查看最新状态</p>`,
    `<p class="screen-only muted">打印：${switcher}（在浏览器菜单中选择“打印”）</p>`,
    `<p class="screen-only muted">链接有效期至 ${escapeHtml(formatDateTime(input.linkExpiresAt, timezone))}；过期后把单号发给机器人可获取新链接。</p>`,
    '</div>',
  ].join('');
  return htmlPage({ title, body, style: PRINT_STYLE[input.layout] });
}

/** The page shown instead of a document: a bad or expired link, or no such document. */
export function renderMessagePage(title: string, text: string): string {
  return htmlPage({ title, body: `<div class="msg"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></div>` });
}
