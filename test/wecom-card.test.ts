import { describe, expect, it } from 'vitest';
import { renderApprovalCard, type ApprovalCardInput } from '../cards/approval-card';
import { renderLowStockCard } from '../cards/low-stock-card';
import type { Card } from '../cards/model';
import { renderNoticeCard } from '../cards/notice-card';
import {
  renderWeComCard, WECOM_BUTTON_KEY_MAX_BYTES, WECOM_BUTTON_TEXT_MAX_CHARS, WECOM_BUTTONS_MAX, WECOM_HORIZONTAL_MAX_ITEMS,
  WECOM_HORIZONTAL_VALUE_MAX_CHARS, WECOM_KEYNAME_MAX_CHARS, WECOM_MARKDOWN_MAX_BYTES, WECOM_SUB_TITLE_MAX_CHARS, WECOM_TITLE_MAX_CHARS, wecomReplaceName,
} from '../cards/render-wecom';

const tz = 'Asia/Shanghai';
const at = '2025-11-25T06:05:00.000Z';
const docId = '0b6f3c2e-4a1d-4c8e-9f7a-2d5e8c1b3a90';
const approval: ApprovalCardInput = {
  document: {
    id: docId, number: 'TR-2025-0012', type: 'transfer', warehouse: 'WH01', toWarehouse: 'WH02', totalValue: '12800.5', counterparty: null, note: '门店补货',
    lines: Array.from({ length: 7 }, (_, i) => ({ sku: `SKU${i + 1}`, qty: String(24 * (i + 1)), unit: '瓶' })),
  },
  level: 1, levels: 2, submittedBy: '李四', timezone: tz, documentUrl: `https://erp.example.com/documents/${docId}`,
};
const cola = { sku: 'COLA330', name: '可乐 330ml', unit: '瓶', packUnits: [{ name: '箱', factor: '24' }] };

const cards: Record<string, Card> = {
  'approval pending': renderApprovalCard(approval),
  'approval approved': renderApprovalCard({ ...approval, decided: { outcome: 'approved', by: '张三', at } }),
  'low stock open': renderLowStockCard({ alertId: '7e2a9d41-5b3c-4f6e-8a1d-9c0b2e4f6a13', item: cola, warehouse: { code: 'WH02', name: '一号门店' }, onHand: '30', available: '18', safetyStock: '48', reorderQty: '240', timezone: tz }),
  'notice': renderNoticeCard({ title: '帮助', text: '库存 可乐 — 查库存' }),
};

const chars = (s: unknown) => [...String(s ?? '')].length;

/** Every limit of reference/wecom.md §5.1 and §8 that the renderer promises. */
function expectWithinLimits(rendered: ReturnType<typeof renderWeComCard>) {
  if (rendered.msgtype === 'markdown') {
    expect(Buffer.byteLength(rendered.markdown.content)).toBeLessThanOrEqual(WECOM_MARKDOWN_MAX_BYTES);
    return;
  }
  const c = rendered.template_card as Record<string, any>;
  expect(chars(c.main_title.title)).toBeLessThanOrEqual(WECOM_TITLE_MAX_CHARS);
  expect(chars(c.sub_title_text)).toBeLessThanOrEqual(WECOM_SUB_TITLE_MAX_CHARS);
  expect(c.horizontal_content_list.length).toBeLessThanOrEqual(WECOM_HORIZONTAL_MAX_ITEMS);
  for (const h of c.horizontal_content_list) {
    expect(chars(h.keyname)).toBeLessThanOrEqual(WECOM_KEYNAME_MAX_CHARS);
    expect(chars(h.value)).toBeLessThanOrEqual(WECOM_HORIZONTAL_VALUE_MAX_CHARS);
  }
  for (const b of c.button_list ?? []) {
    expect(chars(b.text)).toBeLessThanOrEqual(WECOM_BUTTON_TEXT_MAX_CHARS);
    expect(Buffer.byteLength(b.key)).toBeLessThanOrEqual(WECOM_BUTTON_KEY_MAX_BYTES);
  }
  expect((c.button_list ?? []).length).toBeLessThanOrEqual(WECOM_BUTTONS_MAX);
}

describe('cards rendered for a WeCom self-built app', () => {
  it.each(Object.entries(cards))('%s', (_, card) => {
    const rendered = renderWeComCard(card, 'jxc-d1');
    expectWithinLimits(rendered);
    expect(rendered).toMatchSnapshot();
  });

  it('an approval card: button keys are the action ids; reject (which needs a reason) is left to the web', () => {
    const r = renderWeComCard(cards['approval pending']!, 'jxc-d1');
    expect(r.msgtype).toBe('template_card');
    const c = r.msgtype === 'template_card' ? r.template_card as Record<string, any> : {};
    expect(c.card_type).toBe('button_interaction');
    expect(c.task_id).toBe('jxc-d1');
    expect(c.button_list.map((b: any) => b.key)).toEqual([`approve:${docId}`]);
    expect(c.sub_title_text).toContain('驳回');
    expect(wecomReplaceName(cards['approval approved']!)).toContain('张三');
  });

  it('degrades an oversized card instead of failing', () => {
    const huge: Card = {
      title: '很长的标题'.repeat(30), tone: 'danger', body: '正文'.repeat(2000),
      fields: Array.from({ length: 20 }, (_, i) => ({ label: `字段名称很长${i}`, value: '值'.repeat(100) })),
      table: { columns: ['a', 'b'], rows: Array.from({ length: 500 }, (_, i) => [`r${i}`, 'x'.repeat(50)]) },
      actions: Array.from({ length: 9 }, (_, i) => ({ id: `ack_alert:${i}`, label: '一个很长很长的按钮文字', style: 'default' as const })),
      link: { label: '打开', url: 'https://erp.example.com/x' },
    };
    const r = renderWeComCard(huge, 'jxc-d2');
    expectWithinLimits(r);
    const c = r.msgtype === 'template_card' ? r.template_card as Record<string, any> : {};
    expect(c.button_list).toHaveLength(WECOM_BUTTONS_MAX);
    expect(c.horizontal_content_list.at(-1)).toMatchObject({ type: 1, url: 'https://erp.example.com/x' });
    expect(expectWithinLimits(renderWeComCard({ ...huge, actions: [], link: undefined } as unknown as Card, 'jxc-d3'))).toBeUndefined();
  });
});
