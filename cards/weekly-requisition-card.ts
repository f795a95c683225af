import { encodeAction } from './actions';
import { formatQtyWithPack, warehouseLabel, type CardItem } from './format';
import type { Card } from './model';

export type WeeklyRequisitionCardInput = {
  store: { id: string; code: string; name: string };
  /** The Monday it is for, YYYYMMDD (the button's key), and the days the forecast covers. */
  week: string;
  from: string;
  to: string;
  lines: (CardItem & { source: { code: string; name: string }; demand: string; suggestedQty: string })[];
  /** The requisitions already made from it. */
  drafts: { number: string; status: string }[];
};

/**
 * Monday's 要货建议 for a store's group: each item's expected need and the suggested requisition in
 * cases, with one tap to make the requisitions (one per supplying warehouse). Once made, the card
 * names them instead of offering the tap again.
 */
export function renderWeeklyRequisitionCard(input: WeeklyRequisitionCardInput): Card {
  const q = (l: WeeklyRequisitionCardInput['lines'][number], v: string) => formatQtyWithPack(v, l.unit, l.packUnits);
  const base: Card = {
    title: `要货建议：${input.store.name}`, tone: 'info',
    fields: [{ label: '门店', value: warehouseLabel(input.store) }, { label: '预测期间', value: `${input.from.slice(5)} ~ ${input.to.slice(5)}` }],
    table: {
      columns: ['商品', '供货仓库', '预计用量', '建议要货'],
      rows: input.lines.map((l) => [`${l.name}（${l.sku}）`, l.source.name, q(l, l.demand), q(l, l.suggestedQty)]),
    },
    actions: [],
  };
  if (input.drafts.length > 0) return { ...base, tone: 'neutral', status: `已生成要货单 ${input.drafts.map((d) => d.number).join('、')}` };
  if (input.lines.length === 0) return { ...base, tone: 'neutral', body: '本周库存充足，不需要要货。' };
  return { ...base, actions: [{ id: encodeAction({ verb: 'weekly_rq', warehouseId: input.store.id, week: input.week }), label: '一键生成要货单', style: 'primary' }] };
}
