import { Decimal } from '../src/lib/decimal';
import { daysBetween, formatMoney, formatQtyWithPack, warehouseLabel, type CardItem, itemLabel } from './format';
import type { Card } from './model';

/** `value`: the lot's share of its item's stock value, when known (a decimal string). */
export type NearExpiryLot = { item: CardItem; lot: string; expiresOn: string; qty: string; value?: string };

export type NearExpiryCardInput = {
  warehouse: { code: string; name?: string | null };
  /** The configured window in days. */
  withinDays: number;
  lots: NearExpiryLot[];
  /** Today's date in the organisation's zone (YYYY-MM-DD): days left are counted from it. */
  today: string;
  /** Adds the advice to issue these lots first. */
  suggestIssueFirst?: boolean;
};

export const NEAR_EXPIRY_CARD_ROWS = 30;

const left = (days: number) => (days < 0 ? `已过期 ${-days} 天` : days === 0 ? '今天到期' : `${days} 天`);

/** Lots in one warehouse expiring within the window, soonest first; expired ones make the card red. */
export function renderNearExpiryCard(input: NearExpiryCardInput): Card {
  const lots = [...input.lots].sort((a, b) => a.expiresOn.localeCompare(b.expiresOn) || a.item.sku.localeCompare(b.item.sku));
  const expired = lots.filter((l) => l.expiresOn < input.today).length;
  const shown = lots.slice(0, NEAR_EXPIRY_CARD_ROWS);
  const rest = lots.length - shown.length;
  const fields = [
    { label: '仓库', value: warehouseLabel(input.warehouse) },
    { label: '临期批次', value: `${lots.length - expired} 个（${input.withinDays} 天内）` },
    ...(expired > 0 ? [{ label: '已过期', value: `${expired} 个` }] : []),
    ...(lots.some((l) => l.value !== undefined)
      ? [{ label: '货值', value: formatMoney(lots.reduce((s, l) => s.plus(l.value ?? 0), new Decimal(0)).toFixed()) }] : []),
  ];
  if (lots.length === 0) return { title: '没有临期批次', tone: 'success', fields, actions: [] };
  return {
    title: `临期提醒：${warehouseLabel(input.warehouse)}`,
    tone: expired > 0 ? 'danger' : 'warning',
    fields,
    ...(input.suggestIssueFirst ? { body: '建议先出这些批次：出库时指定批次，或按先到期先出。' } : {}),
    table: {
      columns: ['商品', '批次', '到期日', '剩余', '数量'],
      rows: shown.map((l) => [
        itemLabel(l.item), l.lot, l.expiresOn, left(daysBetween(input.today, l.expiresOn)),
        formatQtyWithPack(l.qty, l.item.unit, l.item.packUnits),
      ]),
      ...(rest > 0 ? { note: `另有 ${rest} 个批次未列出` } : {}),
    },
    actions: [],
  };
}
