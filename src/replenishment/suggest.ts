import { Decimal } from '../lib/decimal';

/** Everything one suggestion is worked out from, in the item's base unit. */
export type SuggestionInputs = {
  onHand: Decimal;
  inTransit: Decimal;
  onOrder: Decimal;
  reserved: Decimal;
  /** The forecast over the next leadTimeDays + coverDays days. */
  demand: Decimal;
  safetyStock: Decimal;
  minOrderQty: Decimal | null;
  /** The base units in one purchase pack (the item's largest pack unit), or null when it has none. */
  packFactor: Decimal | null;
};

/** Each step of the arithmetic, so a buyer can see why the quantity is what it is. */
export type SuggestionParts = {
  /** On hand + in transit + on order − reserved: what the warehouse will have without ordering. */
  position: Decimal;
  /** demand + safety stock − position. */
  shortfall: Decimal;
  /** The shortfall raised to the minimum order. */
  raised: Decimal;
  /** Raised up to whole packs: the suggestion. */
  suggestedQty: Decimal;
  /** suggestedQty in packs (null without a pack unit). */
  packs: Decimal | null;
};

/**
 * suggestedQty = demand + safetyStock − (onHand + inTransit + onOrder − reserved), raised to the
 * minimum order, then up to whole packs. Null when nothing is short (the shortfall is 0 or less):
 * such items are not suggested at all.
 */
export function suggestQuantity(i: SuggestionInputs): SuggestionParts | null {
  const position = i.onHand.plus(i.inTransit).plus(i.onOrder).minus(i.reserved);
  const shortfall = i.demand.plus(i.safetyStock).minus(position);
  if (shortfall.lte(0)) return null;
  const raised = i.minOrderQty && i.minOrderQty.gt(shortfall) ? i.minOrderQty : shortfall;
  if (!i.packFactor) return { position, shortfall, raised, suggestedQty: storable(raised), packs: null };
  const packs = raised.div(i.packFactor).ceil();
  return { position, shortfall, raised, suggestedQty: storable(packs.times(i.packFactor)), packs };
}

/**
 * Up to the three places a quantity keeps, so a draft can be made of it: a pack of 1.2345 base units
 * makes 3 packs 3.7035, ordered as 3.704 (rounding down would leave the order short).
 */
const storable = (qty: Decimal) => qty.toDecimalPlaces(3, Decimal.ROUND_UP);

/** The pack a buyer orders in: the item's largest pack unit (a 箱 of 24 rather than a 包 of 6). */
export function purchasePack(packUnits: readonly { name: string; factor: string }[]): { name: string; factor: Decimal } | null {
  let best: { name: string; factor: Decimal } | null = null;
  for (const p of packUnits) {
    const factor = new Decimal(p.factor);
    if (!best || factor.gt(best.factor)) best = { name: p.name, factor };
  }
  return best;
}
