import { describe, expect, it } from 'vitest';
import { decodeAction } from '../cards/actions';
import { renderLowStockCard } from '../cards/low-stock-card';
import type { Card } from '../cards/model';
import { renderOrderDraftCard } from '../cards/order-draft-card';
import { checkLarkLimits, renderLarkCard } from '../cards/render-lark';
import { renderSandboxCard } from '../cards/render-sandbox';
import { renderWeComCard } from '../cards/render-wecom';
import { renderWeeklyRequisitionCard } from '../cards/weekly-requisition-card';

const A = '7e2a9d41-5b3c-4f6e-8a1d-9c0b2e4f6a13';
const B = '0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f';
const cola = { sku: 'A', name: '可乐', unit: '罐', packUnits: [{ name: '箱', factor: '24' }] };
const lowStock = { alertId: A, item: cola, warehouse: { code: 'WH', name: '总仓' }, onHand: '30', safetyStock: '40', timezone: 'Asia/Shanghai' };

const cards: Record<string, Card> = {
  'low stock with 生成采购单': renderLowStockCard({ ...lowStock, replenish: { kind: 'purchase_order', suggestedQty: '96' } }),
  'low stock with its draft': renderLowStockCard({ ...lowStock, replenish: { kind: 'requisition', suggestedQty: '96', draft: { number: 'RQ-20261207-0001', status: 'draft' } } }),
  'order draft': renderOrderDraftCard({
    document: {
      id: B, number: 'PO-20261207-0001', type: 'purchase_order', warehouse: { code: 'WH', name: '总仓' }, toWarehouse: null, counterparty: '可口可乐',
      lines: [{ ...cola, qty: '96' }, { sku: 'B', name: '红牛', unit: '罐', packUnits: [], qty: '10' }],
    },
  }),
  'weekly requisition': renderWeeklyRequisitionCard({
    store: { id: A, code: 'S1', name: '一号店' }, week: '20261207', from: '2026-12-08', to: '2026-12-14', drafts: [],
    lines: [{ ...cola, source: { code: 'WH', name: '总仓' }, demand: '90', suggestedQty: '120' }],
  }),
  'weekly requisition made': renderWeeklyRequisitionCard({
    store: { id: A, code: 'S1', name: '一号店' }, week: '20261207', from: '2026-12-08', to: '2026-12-14', drafts: [{ number: 'RQ-20261207-0002', status: 'draft' }],
    lines: [{ ...cola, source: { code: 'WH', name: '总仓' }, demand: '90', suggestedQty: '120' }],
  }),
};

describe('replenishment cards', () => {
  it.each(Object.entries(cards))('%s: within Lark limits, WeCom renders, ids decode, snapshot', (_, card) => {
    const lark = renderLarkCard(card);
    expect(checkLarkLimits(lark).ok).toBe(true);
    expect(() => renderWeComCard(card, 'task-1')).not.toThrow();
    for (const a of card.actions) expect(decodeAction(a.id)).toBeDefined();
    expect(JSON.parse(JSON.stringify(card))).toEqual(card);
    expect({ sandbox: renderSandboxCard(card), lark }).toMatchSnapshot();
  });

  it('offers the draft button only until a draft stands, with the quantity in cases', () => {
    expect(cards['low stock with 生成采购单']!.actions.map((a) => a.label)).toEqual(['知道了', '稍后提醒（4 小时）', '生成采购单（96 罐 (4 箱)）']);
    expect(cards['low stock with its draft']!.actions.map((a) => a.label)).toEqual(['知道了', '稍后提醒（4 小时）']);
    expect(cards['low stock with its draft']!.fields).toContainEqual({ label: '要货单', value: 'RQ-20261207-0001（草稿）' });
    expect(cards['weekly requisition made']!.actions).toEqual([]);
    expect(cards['weekly requisition made']!.status).toBe('已生成要货单 RQ-20261207-0002');
    expect(cards['order draft']!.actions.map((a) => a.label)).toEqual(['提交', '改数量', '取消']);
  });
});
