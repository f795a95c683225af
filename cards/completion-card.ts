import { formatMoney, formatQtyWithPack, formatTime, warehouseLabel, type CardItem, type Instant, itemLabel } from './format';
import type { Card } from './model';

export type CompletionCardInput = {
  number: string;
  seq: number;
  item: CardItem;
  qty: string;
  unitCost: string;
  value: string;
  materialCost: string; laborCost: string; machineCost: string;
  warehouse: { code: string; name?: string | null };
  /** The order is done (posted) with this completion. */
  final: boolean;
  reversedBy: string | null;
  at: Instant;
  timezone: string;
};

/** What came into the output warehouse from production, at what unit cost (for its group). */
export function renderCompletionCard(input: CompletionCardInput): Card {
  const reversed = input.reversedBy !== null;
  return {
    title: `${reversed ? '完工已冲销' : '完工入库'} ${input.number}${input.final ? '（已完成）' : ''}`,
    tone: reversed ? 'neutral' : 'success',
    fields: [
      { label: '产品', value: itemLabel(input.item) },
      { label: '入库', value: `${formatQtyWithPack(input.qty, input.item.unit, input.item.packUnits)} → ${warehouseLabel(input.warehouse)}` },
      { label: '单位成本', value: `${formatMoney(input.unitCost)}/${input.item.unit}` },
      { label: '金额', value: `${formatMoney(input.value)}（材料 ${formatMoney(input.materialCost)} · 人工 ${formatMoney(input.laborCost)} · 机器 ${formatMoney(input.machineCost)}）` },
      { label: '第几次完工', value: `第 ${input.seq} 次 · ${formatTime(input.at, input.timezone)}` },
    ],
    ...(reversed ? { status: `已由 ${input.reversedBy} 冲销` } : {}),
    actions: [],
  };
}
