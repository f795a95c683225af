import { Decimal } from '../src/lib/decimal';
import { encodeAction } from './actions';
import { documentStatusName, formatQtyWithPack, formatTime, warehouseLabel, type CardItem, type Instant, itemLabel } from './format';
import type { Card } from './model';

export type LowStockCardInput = {
  alertId: string;
  item: CardItem;
  warehouse: { code: string; name?: string | null };
  /** Decimal strings in the item's base unit. */
  onHand: string;
  /** On hand less what is committed; the alert compares this with the safety stock. Defaults to onHand. */
  available?: string;
  safetyStock: string;
  /** The rule's reorder quantity, when it has one. */
  reorderQty?: string | null;
  /**
   * The replenishment suggestion, when the forecast has one: it replaces the rule's suggestion and
   * offers a draft order — a purchase order when bought, a requisition when another warehouse
   * supplies it — or names the draft already made from this card.
   */
  replenish?: { kind: 'purchase_order' | 'requisition'; suggestedQty: string; draft?: { number: string; status: string } | undefined } | undefined;
  /** Acknowledged, snoozed, or recovered: the outcome line replaces the buttons. */
  state?:
    | { kind: 'acknowledged'; by: string; at: Instant }
    | { kind: 'snoozed'; by: string; until: Instant }
    | { kind: 'recovered'; at: Instant };
  timezone: string;
};

/** The snooze the card offers. */
export const LOW_STOCK_SNOOZE_HOURS = 4;

/**
 * Suggested reorder: the rule's reorder quantity, or else what brings available stock back up to
 * the safety stock — never less than that shortfall.
 */
export function suggestedReorder(available: string, safetyStock: string, reorderQty?: string | null): Decimal {
  const shortfall = Decimal.max(0, new Decimal(safetyStock).minus(available));
  return reorderQty ? Decimal.max(shortfall, new Decimal(reorderQty)) : shortfall;
}

/** A low-stock alert with 知道了 / 稍后提醒, or its outcome once handled or recovered. */
export function renderLowStockCard(input: LowStockCardInput): Card {
  const { item, state, timezone } = input;
  const q = (v: string) => formatQtyWithPack(v, item.unit, item.packUnits);
  const available = input.available ?? input.onHand;
  const fields = [
    { label: '商品', value: itemLabel(item) },
    { label: '仓库', value: warehouseLabel(input.warehouse) },
    { label: '在库', value: q(input.onHand) },
    ...(input.available !== undefined ? [{ label: '可用', value: q(available) }] : []),
    { label: '安全库存', value: q(input.safetyStock) },
  ];
  if (state?.kind === 'recovered') {
    return {
      title: `库存已恢复：${item.name}`, tone: 'success', fields, actions: [],
      status: `已恢复 · ${formatTime(state.at, timezone)}`,
    };
  }
  const suggested = input.replenish?.suggestedQty ?? suggestedReorder(available, input.safetyStock, input.reorderQty).toFixed();
  fields.push({ label: '建议补货', value: q(suggested) });
  if (input.replenish?.draft) fields.push({ label: input.replenish.kind === 'purchase_order' ? '采购单' : '要货单', value: `${input.replenish.draft.number}（${documentStatusName(input.replenish.draft.status)}）` });
  const title = `低库存：${item.name}`;
  if (state?.kind === 'acknowledged') {
    return { title, tone: 'neutral', fields, actions: [], status: `已知悉 · ${state.by} · ${formatTime(state.at, timezone)}` };
  }
  if (state?.kind === 'snoozed') {
    return { title, tone: 'neutral', fields, actions: [], status: `稍后提醒 · ${state.by} · ${formatTime(state.until, timezone)} 再提醒` };
  }
  return {
    title, tone: 'warning', fields,
    actions: [
      { id: encodeAction({ verb: 'ack_alert', alertId: input.alertId }), label: '知道了', style: 'primary' },
      { id: encodeAction({ verb: 'snooze_alert', alertId: input.alertId, hours: LOW_STOCK_SNOOZE_HOURS }), label: `稍后提醒（${LOW_STOCK_SNOOZE_HOURS} 小时）`, style: 'default' },
      ...draftButton(input),
    ],
  };
}

/** 生成采购单 / 生成要货单 with the quantity, until a draft was made from this card. */
function draftButton(input: LowStockCardInput): Card['actions'] {
  const r = input.replenish;
  if (!r || r.draft) return [];
  const qty = formatQtyWithPack(r.suggestedQty, input.item.unit, input.item.packUnits);
  return r.kind === 'purchase_order'
    ? [{ id: encodeAction({ verb: 'draft_po', alertId: input.alertId }), label: `生成采购单（${qty}）`, style: 'default' }]
    : [{ id: encodeAction({ verb: 'draft_rq', alertId: input.alertId }), label: `生成要货单（${qty}）`, style: 'default' }];
}
