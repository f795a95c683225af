import { Decimal } from '../src/lib/decimal';
import { formatQtyWithPack, formatTime, warehouseLabel, type CardItem, type Instant, itemLabel } from './format';
import type { Card } from './model';

export type StockAnswerRow = {
  warehouse: string;
  name?: string | null;
  /** Decimal strings in the item's base unit. */
  onHand: string;
  inTransit: string;
  /** Open on sales orders (发货申请): on hand less this is available. */
  reserved?: string;
  /** Open on purchase orders and requisitions towards the warehouse (已订). */
  onOrder?: string;
  available: string;
  safetyStock?: string | null;
  nearestExpiry?: { lot: string; expiresOn: string } | null;
};

export type StockAnswerCardInput = {
  item: CardItem;
  /** In the order to show: the asking store's own warehouse first. */
  rows: StockAnswerRow[];
  asOf?: Instant;
  timezone: string;
};

/** Warehouses listed; the totals still count every one. */
export const STOCK_ANSWER_ROWS = 30;

const below = (r: StockAnswerRow) => !!r.safetyStock && new Decimal(r.available).lt(r.safetyStock);

/**
 * An answer to `库存 可乐`: per warehouse on hand, in transit, on order and reserved (columns shown
 * when any order stands), available, safety stock and nearest expiry.
 */
export function renderStockAnswerCard(input: StockAnswerCardInput): Card {
  const { item, rows } = input;
  const q = (v: string) => formatQtyWithPack(v, item.unit, item.packUnits);
  const total = (pick: (r: StockAnswerRow) => string) => rows.reduce((s, r) => s.plus(pick(r)), new Decimal(0)).toFixed();
  const shown = rows.slice(0, STOCK_ANSWER_ROWS);
  const rest = rows.length - shown.length;
  // Order columns only where orders stand: an item nobody ordered keeps the short table.
  const reserved = rows.some((r) => r.reserved && !new Decimal(r.reserved).isZero());
  const onOrder = rows.some((r) => r.onOrder && !new Decimal(r.onOrder).isZero());
  return {
    title: `库存：${item.name}`,
    tone: rows.some(below) ? 'warning' : 'info',
    fields: [
      { label: '商品', value: itemLabel(item) },
      { label: '合计在库', value: q(total((r) => r.onHand)) },
      { label: '合计在途', value: q(total((r) => r.inTransit)) },
      { label: '合计可用', value: q(total((r) => r.available)) },
      ...(reserved ? [{ label: '合计预留', value: q(total((r) => r.reserved ?? '0')) }] : []),
      ...(onOrder ? [{ label: '合计已订', value: q(total((r) => r.onOrder ?? '0')) }] : []),
      ...(input.asOf ? [{ label: '截至', value: formatTime(input.asOf, input.timezone) }] : []),
    ],
    ...(rows.length === 0 ? { body: '各仓库都没有这个商品的库存。' } : {
      table: {
        columns: ['仓库', '在库', '在途', ...(onOrder ? ['已订'] : []), ...(reserved ? ['预留'] : []), '可用', '安全库存', '最近效期'],
        rows: shown.map((r) => [
          `${below(r) ? '⚠ ' : ''}${warehouseLabel({ code: r.warehouse, name: r.name })}`,
          q(r.onHand), q(r.inTransit), ...(onOrder ? [q(r.onOrder ?? '0')] : []), ...(reserved ? [q(r.reserved ?? '0')] : []), q(r.available),
          r.safetyStock ? q(r.safetyStock) : '-',
          r.nearestExpiry ? `${r.nearestExpiry.expiresOn} (${r.nearestExpiry.lot})` : '-',
        ]),
        ...(rest > 0 ? { note: `另有 ${rest} 个仓库未列出（合计已计入）` } : {}),
      },
    }),
    ...(rows.some(below) ? { body: '⚠ 可用低于安全库存' } : {}),
    actions: [],
  };
}
