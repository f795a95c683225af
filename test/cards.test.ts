import { describe, expect, it } from 'vitest';
import { decodeAction } from '../cards/actions';
import { renderApprovalCard, type ApprovalCardInput, type ApprovalDocument } from '../cards/approval-card';
import { renderDigestCard } from '../cards/digest-card';
import { renderDocumentStatusCard, type StatusDocument } from '../cards/document-status-card';
import { formatDateTime, formatHours, formatMoney, formatQtyWithPack, formatTime } from '../cards/format';
import { renderLowStockCard, type LowStockCardInput } from '../cards/low-stock-card';
import type { Card } from '../cards/model';
import { renderNearExpiryCard } from '../cards/near-expiry-card';
import { renderNoticeCard } from '../cards/notice-card';
import { OVERDUE_CARD_ROWS_PER_WAREHOUSE, renderOverdueCard, type OverdueCardDocument, type OverdueCardGroup } from '../cards/overdue-card';
import { renderReceiptCard, type ReceiptCardInput } from '../cards/receipt-card';
import { checkLarkLimits, LARK_CARD_MAX_BYTES, LARK_CARD_MAX_ELEMENTS, renderLarkCard } from '../cards/render-lark';
import { renderSandboxCard } from '../cards/render-sandbox';
import { renderReturnDraftCard, type ReturnDraftCardInput } from '../cards/return-draft-card';
import { renderStockAnswerCard, type StockAnswerRow } from '../cards/stock-answer-card';
import { renderCompletionCard } from '../cards/completion-card';
import { COST_CLOSE_CARD_MOVERS, renderCostCloseCard } from '../cards/cost-close-card';
import { renderUnitCostCard } from '../cards/unit-cost-card';
import { renderWorkReportCard, type WorkReportCardInput } from '../cards/work-report-card';
import type { OverdueGroup } from '../src/approvals/overdue';
import type { DocumentView } from '../src/inventory/documents/view';

// The card inputs take the service's own shapes as they are (checked by tsc, never called).
void {
  approval: (v: DocumentView): ApprovalDocument => v,
  status: (v: DocumentView): StatusDocument => v,
  overdue: (g: OverdueGroup): OverdueCardGroup => g,
};

const tz = 'Asia/Shanghai';
const at = '2025-11-25T06:05:00.000Z'; // 14:05 in Shanghai
const docId = '0b6f3c2e-4a1d-4c8e-9f7a-2d5e8c1b3a90';
const alertId = '7e2a9d41-5b3c-4f6e-8a1d-9c0b2e4f6a13';
const draftId = '3c1d5e7f-9a2b-4c6d-8e0f-1a3b5c7d9e2f';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const cola = { sku: 'COLA330', name: '可乐 330ml', unit: '瓶', packUnits: [{ name: '箱', factor: '24' }] };

const workReport: WorkReportCardInput = {
  draftId, number: 'MO-20261206-0003', item: { sku: 'CUPNOODLE', name: '杯面', unit: '杯' }, operation: '包装', workCenter: { code: 'PACK', name: '包装线' },
  laborHours: '2', machineHours: '1.5', goodQty: '200', scrapQty: '3', laborRate: '24', machineRate: '12', laborCost: '48.00', machineCost: '18.00', cost: '66.00', timezone: tz,
};
const transfer: ApprovalDocument = {
  id: docId, number: 'TR-2025-0012', type: 'transfer', warehouse: 'WH01', toWarehouse: 'WH02', totalValue: '12800.5',
  counterparty: null, note: '门店补货',
  lines: Array.from({ length: 7 }, (_, i) => ({ sku: `SKU${i + 1}`, qty: String(24 * (i + 1)), unit: '瓶' })),
};
const approval: ApprovalCardInput = { document: transfer, level: 1, levels: 2, submittedBy: '李四', submittedAt: at, timezone: tz, documentUrl: `https://erp.example.com/documents/${docId}` };
const lowStock: LowStockCardInput = {
  alertId, item: cola, warehouse: { code: 'WH02', name: '一号门店' }, onHand: '30', available: '18', safetyStock: '48', reorderQty: '240', timezone: tz,
};
const receipt: ReceiptCardInput = {
  document: {
    id: docId, number: 'TR-2025-0012', warehouse: 'WH01', toWarehouse: 'WH02', shippedAt: at,
    lines: [{ line: 1, sku: 'COLA330', name: '可乐 330ml', qty: '240', unit: '瓶', packUnits: cola.packUnits, lot: 'L2311' }, { line: 2, sku: 'WATER', qty: '48', lot: null }],
  },
  timezone: tz,
};
const overdueDoc = (n: number, status: string, type = 'transfer', hours = n): OverdueCardDocument =>
  ({ id: id(n), number: `TR-${String(n).padStart(4, '0')}`, type, status, dueAt: '2025-11-24T02:00:00.000Z', overdueHours: hours });
const overdueGroups: OverdueCardGroup[] = [
  { warehouse: 'WH01', name: '总仓', documents: [overdueDoc(1, 'approved'), overdueDoc(2, 'awaiting_approval', 'issue', 0.5)] },
  { warehouse: 'WH02', name: '一号门店', documents: [overdueDoc(3, 'shipped', 'transfer', 50.2)] },
];
const stockRows: StockAnswerRow[] = [
  { warehouse: 'WH02', name: '一号门店', onHand: '30', inTransit: '240', available: '18', safetyStock: '48', nearestExpiry: { lot: 'L2311', expiresOn: '2025-12-01' } },
  { warehouse: 'WH01', name: '总仓', onHand: '2405', inTransit: '0', available: '2400', safetyStock: null, nearestExpiry: null },
];
const returnDraft: ReturnDraftCardInput = {
  draftId, item: cola, qty: '120', typedQty: '5箱', reasonClass: 'near_expiry', reasonText: '客户说快过期了', customer: '张三',
  warehouse: { code: 'WH02', name: '一号门店' }, timezone: tz,
};
const statusDoc: StatusDocument = {
  id: docId, number: 'TR-2025-0012', type: 'transfer', status: 'shipped', warehouse: 'WH01', toWarehouse: 'WH02', totalValue: '12800.5',
  lines: Array.from({ length: 12 }, (_, i) => ({ line: i + 1, sku: `SKU${i + 1}`, qty: '24', lot: i % 2 ? `L${i}` : null })),
};

const cards: Record<string, Card> = {
  'approval pending': renderApprovalCard(approval),
  'approval approved': renderApprovalCard({ ...approval, decided: { outcome: 'approved', by: '张三', at } }),
  'approval rejected': renderApprovalCard({ ...approval, decided: { outcome: 'rejected', by: '张三', at, reason: '数量有误' } }),
  'low stock open': renderLowStockCard(lowStock),
  'low stock acknowledged': renderLowStockCard({ ...lowStock, state: { kind: 'acknowledged', by: '王五', at } }),
  'low stock snoozed': renderLowStockCard({ ...lowStock, state: { kind: 'snoozed', by: '王五', until: '2025-11-25T10:05:00Z' } }),
  'low stock recovered': renderLowStockCard({ ...lowStock, onHand: '270', available: '258', state: { kind: 'recovered', at } }),
  'overdue': renderOverdueCard({ groups: overdueGroups, timezone: tz }),
  'overdue escalated': renderOverdueCard({ groups: overdueGroups, escalated: true, timezone: tz }),
  'overdue none': renderOverdueCard({ groups: [], timezone: tz }),
  'receipt pending': renderReceiptCard(receipt),
  'receipt received': renderReceiptCard({ ...receipt, outcome: { kind: 'received', by: '赵六', at } }),
  'receipt short': renderReceiptCard({
    ...receipt, document: { ...receipt.document, lines: receipt.document.lines.map((l) => ({ ...l, receivedQty: l.line === 1 ? '238' : l.qty })) },
    outcome: { kind: 'received', by: '赵六', at },
  }),
  'stock answer': renderStockAnswerCard({ item: cola, rows: stockRows, asOf: at, timezone: tz }),
  'stock answer none': renderStockAnswerCard({ item: cola, rows: [], timezone: tz }),
  'return draft': renderReturnDraftCard(returnDraft),
  'return confirmed': renderReturnDraftCard({ ...returnDraft, state: { kind: 'confirmed', by: '张三', at, documentNumber: 'CR-2025-0003' } }),
  'return cancelled': renderReturnDraftCard({ ...returnDraft, state: { kind: 'cancelled', by: '张三', at } }),
  'document status shipped': renderDocumentStatusCard({ document: statusDoc, holder: { who: '一号门店 (WH02) 收货', since: at }, timezone: tz }),
  'document status rejected': renderDocumentStatusCard({
    document: { ...statusDoc, type: 'issue', status: 'rejected', toWarehouse: null, counterparty: '某某超市', rejectReason: '数量有误', lines: statusDoc.lines.slice(0, 2) },
    timezone: tz, documentUrl: `https://erp.example.com/documents/${docId}`,
  }),
  'near expiry': renderNearExpiryCard({
    warehouse: { code: 'WH02', name: '一号门店' }, withinDays: 30, today: '2025-11-25',
    lots: [
      { item: cola, lot: 'L2312', expiresOn: '2025-12-20', qty: '240' },
      { item: cola, lot: 'L2311', expiresOn: '2025-11-25', qty: '30' },
      { item: { sku: 'MILK', name: '牛奶 1L', unit: '盒' }, lot: 'M01', expiresOn: '2025-11-20', qty: '6' },
    ],
  }),
  'near expiry none': renderNearExpiryCard({ warehouse: { code: 'WH02' }, withinDays: 30, today: '2025-11-25', lots: [] }),
  'digest': renderDigestCard({
    warehouse: { code: 'WH02', name: '一号门店' }, date: '2025-11-24',
    movements: [{ type: 'receipt', documents: 3, value: '12000' }, { type: 'issue', documents: 5, value: '3450.5' }, { type: 'adjustment', documents: 0, value: '0' }],
    backlog: [{ status: 'awaiting_approval', documents: 2 }, { status: 'shipped', documents: 1 }, { status: 'approved', documents: 0 }],
    overdue: 1, alerts: { lowStock: 2, nearExpiry: 3 },
  }),
  'digest quiet': renderDigestCard({ date: '2025-11-24', movements: [], backlog: [], overdue: 0, alerts: { lowStock: 0, nearExpiry: 0 } }),
  'notice': renderNoticeCard({ title: '帮助', text: '库存 可乐 — 查库存\n退货 可乐 5箱 临期 客户张三 — 登记退货' }),
  'work report': renderWorkReportCard(workReport),
  'work report confirmed': renderWorkReportCard({ ...workReport, state: { kind: 'confirmed', by: '小王', at } }),
  'completion': renderCompletionCard({
    number: 'MO-20261206-0003', seq: 2, item: cola, qty: '240', unitCost: '2.366667', value: '568.00', materialCost: '420.00',
    laborCost: '120.00', machineCost: '28.00', warehouse: { code: 'WH01', name: '总仓' }, final: true, reversedBy: null, at, timezone: tz,
  }),
  'unit cost': renderUnitCostCard({
    item: cola, source: { kind: 'period', period: '2026-12', status: 'closed' }, qty: '80', unitCost: '5.63275',
    parts: { material: '245.28', labor: '72.00', machine: '0.00', overhead: '133.34' }, compare: { period: '2026-11', unitCost: '5.2', diffPct: '8.32' },
  }),
  'unit cost standard': renderUnitCostCard({ item: cola, source: { kind: 'standard', version: 2 }, unitCost: '3.266', parts: { material: '3.066', labor: '0.2', machine: '0' } }),
  'cost close': renderCostCloseCard({
    period: '2026-12', compare: '2026-11', products: 7, overhead: '150.01',
    movers: Array.from({ length: 7 }, (_, i) => ({ sku: `P${i}`, name: `产品${i}`, unitCost: `${5 + i}`, before: i === 6 ? null : '5', diffPct: i === 6 ? null : `${(6 - i) * 4}.00` })),
  }),
};

/** Every button a Lark card carries, with its callback action id. */
function larkButtons(node: unknown): { id: string | undefined; type: unknown; form: boolean }[] {
  const found: { id: string | undefined; type: unknown; form: boolean }[] = [];
  const walk = (n: unknown, inForm: boolean) => {
    if (Array.isArray(n)) return n.forEach((x) => walk(x, inForm));
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.tag === 'button') {
      const cb = (o.behaviors as { type: string; value?: { a?: string } }[]).find((b) => b.type === 'callback');
      if (cb) found.push({ id: cb.value?.a, type: o.type, form: inForm });
    }
    Object.values(o).forEach((v) => walk(v, inForm || o.tag === 'form'));
  };
  walk(node, false);
  return found;
}

describe('cards, rendered for Lark and the sandbox', () => {
  it.each(Object.entries(cards))('%s', (_, card) => {
    const lark = renderLarkCard(card);
    expect(checkLarkLimits(lark).ok).toBe(true);
    expect(lark).toMatchObject({ schema: '2.0', config: { update_multi: true } });
    // Every button on Lark is one of the card's, and none is lost.
    expect(larkButtons(lark).map((b) => b.id).sort()).toEqual(renderSandboxCard(card).actions.map((a) => a.id).sort());
    // The sandbox stores cards as JSON: nothing may change on the way through.
    expect(JSON.parse(JSON.stringify(card))).toEqual(card);
    expect({ sandbox: renderSandboxCard(card), lark }).toMatchSnapshot();
  });
});

describe('approval card', () => {
  it('asks for exactly approve and reject of that document, the reject with a required reason', () => {
    const card = cards['approval pending']!;
    expect(card.actions.map((a) => decodeAction(a.id))).toEqual([{ verb: 'approve', documentId: docId }, { verb: 'reject', documentId: docId }]);
    const [approve, reject] = card.actions;
    expect(approve).toMatchObject({ label: '批准', style: 'primary' });
    expect(approve!.inputs).toBeUndefined();
    expect(reject).toMatchObject({ label: '驳回', style: 'danger', inputs: [{ name: 'reason', label: '驳回原因', required: true }] });
  });

  it('puts the reject in a Lark form whose input is required', () => {
    const lark = renderLarkCard(cards['approval pending']!);
    const buttons = larkButtons(lark);
    expect(buttons).toEqual([
      { id: `approve:${docId}`, type: 'primary', form: false },
      { id: `reject:${docId}`, type: 'danger', form: true },
    ]);
    const form = (lark.body as { elements: Record<string, unknown>[] }).elements.find((e) => e.tag === 'form')!;
    expect(form.elements).toEqual([
      expect.objectContaining({ tag: 'input', name: 'reason', required: true }),
      expect.objectContaining({ tag: 'button', form_action_type: 'submit', name: expect.any(String) }),
    ]);
  });

  it('shows the document: number, type, route, value, a few lines and how many more', () => {
    const card = cards['approval pending']!;
    expect(card.fields).toEqual(expect.arrayContaining([
      { label: '单号', value: 'TR-2025-0012' }, { label: '类型', value: '调拨单' },
      { label: '调出 → 调入', value: 'WH01 → WH02' }, { label: '金额', value: '¥12,800.50' }, { label: '审批级别', value: '第 1/2 级' },
      { label: '提交人', value: '李四 · 11-25 14:05' },
    ]));
    expect(card.body).toContain('SKU5 × 120 瓶');
    expect(card.body).not.toContain('SKU6');
    expect(card.body).toContain('…及另外 2 行');
    expect(card.link).toEqual({ label: '查看单据', url: `https://erp.example.com/documents/${docId}` });
  });

  it('once decided has no buttons anywhere, and says who decided, when, and why', () => {
    for (const name of ['approval approved', 'approval rejected']) {
      const card = cards[name]!;
      expect(card.actions).toEqual([]);
      expect(larkButtons(renderLarkCard(card))).toEqual([]);
      expect(renderSandboxCard(card).actions).toEqual([]);
    }
    expect(cards['approval approved']!.status).toBe('已批准 · 张三 · 11-25 14:05');
    expect(cards['approval rejected']!.status).toBe('已驳回 · 张三 · 11-25 14:05 · 原因：数量有误');
    expect(cards['approval rejected']!.tone).toBe('danger');
  });
});

describe('low-stock card', () => {
  it('offers acknowledge and a 4-hour snooze of that alert', () => {
    const card = cards['low stock open']!;
    expect(card.actions.map((a) => decodeAction(a.id))).toEqual([{ verb: 'ack_alert', alertId }, { verb: 'snooze_alert', alertId, hours: 4 }]);
    expect(card.actions.map((a) => a.label)).toEqual(['知道了', '稍后提醒（4 小时）']);
  });

  it('shows stock in base and pack units, and a reorder no smaller than the shortfall', () => {
    const fields = Object.fromEntries(cards['low stock open']!.fields.map((f) => [f.label, f.value]));
    expect(fields).toMatchObject({ 在库: '30 瓶 (1 箱 6 瓶)', 可用: '18 瓶', 安全库存: '48 瓶 (2 箱)', 建议补货: '240 瓶 (10 箱)' });
    const noRule = renderLowStockCard({ ...lowStock, reorderQty: null });
    expect(noRule.fields.find((f) => f.label === '建议补货')?.value).toBe('30 瓶 (1 箱 6 瓶)');
  });

  it('has no buttons once handled or recovered', () => {
    for (const name of ['low stock acknowledged', 'low stock snoozed', 'low stock recovered']) expect(cards[name]!.actions).toEqual([]);
    expect(cards['low stock recovered']!.status).toBe('已恢复 · 11-25 14:05');
    expect(cards['low stock snoozed']!.status).toContain('11-25 18:05');
  });
});

describe('overdue card', () => {
  it('groups per warehouse with the step each document allows', () => {
    const card = cards.overdue!;
    expect(card.sections!.map((s) => s.title)).toEqual(['总仓 · 2 张', '一号门店 · 1 张']);
    expect(card.sections![0]!.table!.rows[0]).toEqual(['TR-0001', '调拨单', '已批准', '11-24 10:00', '1 小时']);
    expect(card.sections!.flatMap((s) => s.actions ?? []).map((a) => decodeAction(a.id))).toEqual([
      { verb: 'ship', documentId: id(1) }, { verb: 'receive', documentId: id(3) },
    ]);
    expect(card.body).toContain('待审批的单据请在审批卡片中处理');
    expect(renderSandboxCard(card).actions.map((a) => a.label)).toEqual(['标记发货 TR-0001', '确认收货 TR-0003']);
  });

  it('caps the rows and says how many more there are', () => {
    const docs = Array.from({ length: 25 }, (_, i) => overdueDoc(i + 1, 'approved'));
    const card = renderOverdueCard({ groups: [{ warehouse: 'WH01', documents: docs }], timezone: tz });
    expect(card.sections![0]!.table!.rows).toHaveLength(OVERDUE_CARD_ROWS_PER_WAREHOUSE);
    expect(card.sections![0]!.table!.note).toBe(`另有 ${25 - OVERDUE_CARD_ROWS_PER_WAREHOUSE} 张未列出`);
    // Most overdue first.
    expect(card.sections![0]!.table!.rows[0]![0]).toBe('TR-0025');
  });
});

describe('receipt card', () => {
  it('offers receive, or a shortage with a required note', () => {
    const card = cards['receipt pending']!;
    expect(card.actions.map((a) => decodeAction(a.id))).toEqual([{ verb: 'receive', documentId: docId }, { verb: 'receive_short', documentId: docId }]);
    expect(card.actions.map((a) => a.label)).toEqual(['确认收货', '有短缺']);
    expect(card.actions[1]!.inputs).toEqual([expect.objectContaining({ name: 'shortage', label: '短缺说明', required: true })]);
    expect(cards['receipt short']!.actions).toEqual([]);
    expect(cards['receipt short']!.status).toBe('有短缺 · 赵六 · 11-25 14:05 · 可乐 330ml 少 2 瓶');
  });

  it('once received shows per line what was shipped, what arrived and what is short', () => {
    const short = cards['receipt short']!;
    expect(short.title).toBe('已收货（有短缺）：调拨单 TR-2025-0012');
    expect(short.table).toEqual({
      columns: ['商品', '发货', '实收', '短缺'],
      rows: [['可乐 330ml', '240 瓶 (10 箱)', '238 瓶 (9 箱 22 瓶)', '2 瓶'], ['WATER', '48', '48', '-']],
    });
    const full = cards['receipt received']!;
    expect(full.title).toBe('已收货：调拨单 TR-2025-0012');
    expect(full.status).toBe('已全部收到 · 赵六 · 11-25 14:05');
    expect(full.table!.rows.map((r) => r[3])).toEqual(['-', '-']);
  });

  it('names the route by warehouse names when it knows them', () => {
    const named = renderReceiptCard({ ...receipt, document: { ...receipt.document, warehouseNames: new Map([['WH01', '总仓'], ['WH02', '徐汇店']]) } });
    expect(named.fields).toContainEqual({ label: '调出 → 调入', value: '总仓 → 徐汇店' });
  });
});

describe('stock answer card', () => {
  it('answers per warehouse with totals, pack units and the nearest expiry', () => {
    const card = cards['stock answer']!;
    expect(card.fields).toEqual(expect.arrayContaining([{ label: '合计在库', value: '2,435 瓶 (101 箱 11 瓶)' }]));
    expect(card.table!.rows[0]).toEqual(['⚠ 一号门店', '30 瓶 (1 箱 6 瓶)', '240 瓶 (10 箱)', '18 瓶', '48 瓶 (2 箱)', '2025-12-01 (L2311)']);
    expect(card.tone).toBe('warning');
  });
});

describe('return draft card', () => {
  it('shows what was understood with confirm and cancel of that draft', () => {
    const card = cards['return draft']!;
    expect(card.actions.map((a) => decodeAction(a.id))).toEqual([{ verb: 'confirm_return', draftId }, { verb: 'cancel_return', draftId }]);
    expect(card.fields).toEqual(expect.arrayContaining([
      { label: '数量', value: '120 瓶 (5 箱)（输入：5箱）' }, { label: '原因', value: '临期 · 客户说快过期了' }, { label: '客户', value: '张三' },
    ]));
    expect(cards['return confirmed']!.actions).toEqual([]);
    expect(cards['return confirmed']!.status).toBe('已确认 · 张三 · 11-25 14:05 · 单号 CR-2025-0003');
    expect(cards['return cancelled']!.actions).toEqual([]);
  });
});

describe('production cards', () => {
  it('a work report shows its cost and confirms or cancels that draft; confirmed, it has no buttons', () => {
    const card = renderWorkReportCard(workReport);
    expect(card.fields).toContainEqual({ label: '人工工时', value: '2 小时 × ¥24.00/小时 = ¥48.00' });
    expect(card.fields).toContainEqual({ label: '本次成本', value: '¥66.00' });
    expect(card.actions.map((a) => decodeAction(a.id))).toEqual([{ verb: 'confirm_work', draftId }, { verb: 'cancel_work', draftId }]);
    expect(renderWorkReportCard({ ...workReport, state: { kind: 'confirmed', by: '小王', at } })).toMatchObject({ actions: [], status: '已确认 · 小王 · 11-25 14:05' });
  });
  it('a month’s close lists the biggest movers first, at most a few, and says how many more', () => {
    const card = cards['cost close']!;
    expect(card.table!.rows).toHaveLength(COST_CLOSE_CARD_MOVERS);
    expect(card.table!.rows[0]).toEqual(['产品0（P0）', '¥5.00', '¥5.00', '+24.00%']);
    expect(card.table!.note).toBe('另有 2 个产品，见产品单位成本表');
  });
});

describe('document status and near-expiry cards', () => {
  it('offers the next step of a shipped transfer and none of a rejected document', () => {
    expect(cards['document status shipped']!.actions.map((a) => decodeAction(a.id))).toEqual([{ verb: 'receive', documentId: docId }]);
    expect(cards['document status shipped']!.table!.note).toBe('另有 2 行未列出');
    expect(cards['document status rejected']!.actions).toEqual([]);
    expect(cards['document status rejected']!.fields).toEqual(expect.arrayContaining([{ label: '驳回原因', value: '数量有误' }]));
  });

  it('lists lots soonest first and counts the expired', () => {
    const card = cards['near expiry']!;
    expect(card.table!.rows.map((r) => [r[1], r[3]])).toEqual([['M01', '已过期 5 天'], ['L2311', '今天到期'], ['L2312', '25 天']]);
    expect(card.tone).toBe('danger');
  });
});

describe('format', () => {
  it('writes money, quantities, times and waits the same way everywhere', () => {
    expect(formatMoney('1234.5')).toBe('¥1,234.50');
    expect(formatMoney(-5)).toBe('-¥5.00');
    expect(formatMoney('-0.001')).toBe('¥0.00');
    expect(formatMoney('1234567.895')).toBe('¥1,234,567.90');
    expect(formatQtyWithPack('240', '瓶', [{ name: '箱', factor: '24' }, { name: '托', factor: '1200' }])).toBe('240 瓶 (10 箱)');
    expect(formatQtyWithPack('2500', '瓶', [{ name: '箱', factor: '24' }, { name: '托', factor: '1200' }])).toBe('2,500 瓶 (2 托 100 瓶)');
    expect(formatQtyWithPack('5', '瓶', [{ name: '箱', factor: '24' }])).toBe('5 瓶');
    expect(formatQtyWithPack('-30', '瓶', [{ name: '箱', factor: '24' }])).toBe('-30 瓶');
    expect(formatQtyWithPack('2.5', 'kg')).toBe('2.5 kg');
    expect(formatTime(at, tz)).toBe('11-25 14:05');
    expect(formatTime(at, 'UTC')).toBe('11-25 06:05');
    expect(formatDateTime('2025-12-31T16:30:00Z', tz)).toBe('2026-01-01 00:30');
    expect([0.5, 3.46, 24, 50.2].map(formatHours)).toEqual(['30 分钟', '3.5 小时', '1 天', '2 天 2 小时']);
  });
});

describe('Lark limits', () => {
  const within = (json: unknown) => {
    const limits = checkLarkLimits(json);
    expect(limits.bytes).toBeLessThanOrEqual(LARK_CARD_MAX_BYTES);
    expect(limits.elements).toBeLessThanOrEqual(LARK_CARD_MAX_ELEMENTS);
    expect(Buffer.byteLength(JSON.stringify(json))).toBe(limits.bytes);
  };

  it('counts components at every depth, but not a table\'s columns', () => {
    const json = {
      body: {
        elements: [
          { tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'markdown' }] }, { tag: 'column', elements: [] }] },
          { tag: 'form', elements: [{ tag: 'input' }, { tag: 'button' }] },
          { tag: 'table', columns: [{ name: 'c0' }, { name: 'c1' }], rows: [] },
        ],
      },
    };
    expect(checkLarkLimits(json)).toEqual({ ok: true, bytes: Buffer.byteLength(JSON.stringify(json)), elements: 8 });
    expect(checkLarkLimits({ body: { elements: Array.from({ length: 201 }, () => ({ tag: 'hr' })) } }).ok).toBe(false);
    expect(checkLarkLimits({ body: { elements: [{ tag: 'markdown', content: '库'.repeat(11_000) }] } }).ok).toBe(false);
  });

  it('fits a 500-document overdue card, in one warehouse or spread over many', () => {
    const docs = Array.from({ length: 500 }, (_, i) => overdueDoc(i + 1, ['approved', 'shipped', 'awaiting_approval'][i % 3]!));
    for (const groups of [
      [{ warehouse: 'WH01', name: '总仓', documents: docs }],
      Array.from({ length: 50 }, (_, w) => ({ warehouse: `WH${w}`, name: `仓库${w}`, documents: docs.slice(w * 10, w * 10 + 10) })),
    ]) {
      const card = renderOverdueCard({ groups, timezone: tz });
      within(renderLarkCard(card));
      expect(card.title).toBe('超时单据：500 张');
      expect(JSON.stringify(renderSandboxCard(card))).toContain('另有');
    }
  });

  it('fits a 100-warehouse stock answer', () => {
    const rows = Array.from({ length: 100 }, (_, w) => ({
      warehouse: `WH${String(w).padStart(3, '0')}`, name: `第${w}号门店`, onHand: '12345', inTransit: '240', available: '12000', safetyStock: '480',
      nearestExpiry: { lot: `L${w}`, expiresOn: '2026-01-01' },
    }));
    const card = renderStockAnswerCard({ item: cola, rows, timezone: tz });
    within(renderLarkCard(card));
    expect(card.fields.find((f) => f.label === '合计在库')?.value).toBe('1,234,500 瓶 (51,437 箱 12 瓶)');
    expect(card.table!.note).toContain('另有 70 个仓库未列出');
  });

  it('cuts down any card rather than failing, keeping its own buttons', () => {
    const long = '很长的内容'.repeat(200);
    const huge: Card = {
      title: long, tone: 'info',
      fields: Array.from({ length: 300 }, (_, i) => ({ label: `字段${i}`, value: long })),
      body: long.repeat(10),
      table: { columns: ['甲', '乙', '丙'], rows: Array.from({ length: 5000 }, () => [long, long, long]) },
      sections: Array.from({ length: 100 }, (_, s) => ({
        title: `分组${s}`,
        table: { columns: ['甲'], rows: Array.from({ length: 200 }, () => [long]) },
        actions: Array.from({ length: 30 }, (_, b) => ({ id: `ship:${id(s * 100 + b)}`, label: '标记发货', style: 'primary' as const })),
      })),
      actions: cards['approval pending']!.actions,
    };
    const lark = renderLarkCard(huge);
    within(lark);
    const ids = larkButtons(lark).map((b) => b.id);
    expect(ids).toEqual(expect.arrayContaining([`approve:${docId}`, `reject:${docId}`]));
    expect(JSON.stringify(lark)).toContain('…');
  });

  it('shows user text as it is, not as Lark markdown', () => {
    const lark = renderLarkCard(renderNoticeCard({ title: 't', text: '', fields: [{ label: '客户', value: '**张三** <at id=all></at>' }] }));
    const content = JSON.stringify(lark);
    expect(content).not.toContain('**张三**');
    expect(content).not.toContain('<at');
    expect(content).toContain('&#42;&#42;张三&#42;&#42; &#60;at id=all&#62;&#60;/at&#62;');
  });
});
