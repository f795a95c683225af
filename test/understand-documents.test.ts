import { describe, expect, it } from 'vitest';
import { FULL_HELP_TEXT, intentSchema, understand } from '../src/chat/conversations/understand';

// Documents, short receipts and "cancel the one just now" as people type them: what is read, pure.
const N = 'TR-20261207-0001';
const table: [string, unknown][] = [
  ['调拨 红牛 5箱 到 徐汇店', { intent: 'document_request', kind: 'transfer', lines: '红牛 5箱', to: '徐汇店' }],
  ['调拨 红牛 5箱到徐汇店', { intent: 'document_request', kind: 'transfer', lines: '红牛 5箱', to: '徐汇店' }],
  ['调货 可乐 2箱 从总仓 到徐汇店', { intent: 'document_request', kind: 'transfer', lines: '可乐 2箱', from: '总仓', to: '徐汇店' }],
  ['调 红牛 1箱 去静安店', { intent: 'document_request', kind: 'transfer', lines: '红牛 1箱', to: '静安店' }],
  ['调拨 红牛 5箱, 可乐 2箱 到 徐汇店 @总仓', { intent: 'document_request', kind: 'transfer', lines: '红牛 5箱, 可乐 2箱', from: '总仓', to: '徐汇店' }],
  ['transfer potato 5 to xuhui', { intent: 'document_request', kind: 'transfer', lines: 'potato 5', to: 'xuhui' }],
  ['调拨', { intent: 'document_request', kind: 'transfer', lines: '' }],
  ['报损 牛奶 3盒 破损', { intent: 'document_request', kind: 'wastage', lines: '牛奶 3盒', reason: '破损' }],
  ['报损 可乐 2罐 过期', { intent: 'document_request', kind: 'wastage', lines: '可乐 2罐', reason: '过期' }],
  ['报废 水饺 1袋 原因：化冻了', { intent: 'document_request', kind: 'wastage', lines: '水饺 1袋', reason: '化冻了' }],
  ['报损 牛奶 3盒', { intent: 'document_request', kind: 'wastage', lines: '牛奶 3盒' }],
  ['盘点 可乐 实盘 46', { intent: 'document_request', kind: 'count', lines: '可乐 46' }],
  ['盘点 可乐 46 @徐汇店', { intent: 'document_request', kind: 'count', lines: '可乐 46', from: '徐汇店' }],
  ['盘点 红牛 两箱', { intent: 'document_request', kind: 'count', lines: '红牛 两箱' }],
  [`${N} 可乐少了2罐`, { intent: 'short_receipt', number: N, shortage: '可乐少了2罐' }],
  [`tr-20261207-0001 缺 红牛 1箱`, { intent: 'short_receipt', number: N, shortage: '缺 红牛 1箱' }],
  [`${N} 有短缺`, { intent: 'short_receipt', number: N, shortage: '有短缺' }],
  ['我刚才那个退货取消掉', { intent: 'cancel_latest', what: 'return' }],
  ['取消刚才的调拨', { intent: 'cancel_latest', what: 'transfer' }],
  ['刚才的报损不要了', { intent: 'cancel_latest', what: 'wastage' }],
  ['撤销上一个', { intent: 'cancel_latest' }],
  // Not these: a document type named with its number, a stock word, a store with 调 in its name.
  [`调拨单 ${N}`, { intent: 'document', number: N }],
  [N, { intent: 'document', number: N }],
  ['盘点单', { intent: 'unknown', text: '盘点单' }],
];

describe('documents typed in chat, read', () => {
  it.each(table)('%s', (text, expected) => {
    const got = understand(text);
    expect(intentSchema.parse(got)).toEqual(got);
    expect(got).toEqual(expected);
  });
});

describe('the full help', () => {
  it.each([
    ['调拨 红牛 5箱 到 徐汇店', 'document_request'], ['报损 牛奶 3盒 破损', 'document_request'], ['盘点 可乐 实盘 46', 'document_request'],
    ['TR-20261125-0007 可乐少了2罐', 'short_receipt'], ['取消刚才的退货', 'cancel_latest'],
  ])('shows %s, which is understood', (example, intent) => {
    expect(FULL_HELP_TEXT).toContain(example);
    expect(understand(example).intent).toBe(intent);
  });
});
