import { encodeAction } from './actions';
import { formatMoney, formatQty, formatTime, warehouseLabel, type Instant, itemLabel } from './format';
import type { Card, Field } from './model';

export type WorkReportCardInput = {
  draftId: string;
  number: string;
  item: { sku: string; name: string; unit: string };
  operation: string;
  workCenter: { code: string; name: string };
  laborHours: string; machineHours: string; goodQty: string; scrapQty: string;
  laborRate: string; machineRate: string; laborCost: string; machineCost: string; cost: string;
  state?: { kind: 'confirmed'; by: string; at: Instant } | { kind: 'cancelled'; by: string; at: Instant };
  timezone: string;
};

/** A work report (报工) as the bot understood it, with the cost it adds; 确认 records it, once. */
export function renderWorkReportCard(input: WorkReportCardInput): Card {
  const { state, timezone } = input;
  const hours = (h: string, rate: string, cost: string) => `${formatQty(h)} 小时 × ${formatMoney(rate)}/小时 = ${formatMoney(cost)}`;
  const fields: Field[] = [
    { label: '生产单', value: input.number },
    { label: '产品', value: itemLabel(input.item) },
    { label: '工序', value: `${input.operation} · ${warehouseLabel(input.workCenter)}` },
    ...(input.laborHours !== '0' ? [{ label: '人工工时', value: hours(input.laborHours, input.laborRate, input.laborCost) }] : []),
    ...(input.machineHours !== '0' ? [{ label: '机器工时', value: hours(input.machineHours, input.machineRate, input.machineCost) }] : []),
    ...(input.goodQty !== '0' || input.scrapQty !== '0'
      ? [{ label: '数量', value: `合格 ${formatQty(input.goodQty)} ${input.item.unit} · 报废 ${formatQty(input.scrapQty)} ${input.item.unit}` }] : []),
    { label: '本次成本', value: formatMoney(input.cost) },
  ];
  if (state?.kind === 'confirmed') {
    return { title: '报工已登记', tone: 'success', fields, actions: [], status: `已确认 · ${state.by} · ${formatTime(state.at, timezone)}` };
  }
  if (state?.kind === 'cancelled') {
    return { title: '报工已取消', tone: 'neutral', fields, actions: [], status: `已取消 · ${state.by} · ${formatTime(state.at, timezone)}` };
  }
  return {
    title: '请确认报工', tone: 'info', fields,
    body: '确认后计入这张生产单，下次完工时进入产品成本。',
    actions: [
      { id: encodeAction({ verb: 'confirm_work', draftId: input.draftId }), label: '确认', style: 'primary' },
      { id: encodeAction({ verb: 'cancel_work', draftId: input.draftId }), label: '取消', style: 'default' },
    ],
  };
}
