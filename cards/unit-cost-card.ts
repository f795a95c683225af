import { formatMoney, formatQty } from './format';
import type { Card } from './model';

export type UnitCostCardInput = {
  item: { sku: string; name: string; unit: string };
  /** From a month's unit cost table; `standard` when the item was never produced (its BOM at today's costs). */
  source: { kind: 'period'; period: string; status: 'open' | 'closed' } | { kind: 'standard'; version: number };
  qty?: string;
  unitCost: string;
  parts: { material: string; labor: string; machine: string; overhead?: string };
  compare?: { period: string; unitCost: string; diffPct: string | null } | null;
};

/** `成本 杯面`: the latest unit cost of an item with its parts. */
export function renderUnitCostCard(input: UnitCostCardInput): Card {
  const { source, parts, item } = input;
  const where = source.kind === 'standard' ? `标准成本（BOM 第 ${source.version} 版，按今日成本）`
    : `${source.period} ${source.status === 'closed' ? '已结转' : '未结转，不含制造费用'}`;
  return {
    title: `单位成本 · ${item.name}`,
    tone: 'info',
    fields: [
      { label: '单位成本', value: `${formatMoney(input.unitCost)}/${item.unit}` },
      { label: '口径', value: where },
      ...(input.qty ? [{ label: '产量', value: `${formatQty(input.qty)} ${item.unit}` }] : []),
      ...(input.compare ? [{ label: `对比 ${input.compare.period}`, value: `${formatMoney(input.compare.unitCost)}${input.compare.diffPct ? `（${input.compare.diffPct.startsWith('-') ? '' : '+'}${input.compare.diffPct}%）` : ''}` }] : []),
    ],
    table: {
      columns: ['构成', source.kind === 'standard' ? '每单位' : '金额'],
      rows: [['材料', formatMoney(parts.material)], ['人工', formatMoney(parts.labor)], ['机器', formatMoney(parts.machine)],
        ...(parts.overhead !== undefined ? [['制造费用', formatMoney(parts.overhead)]] : [])],
    },
    actions: [],
  };
}
