import { dec, toMoney, ZERO, type Decimal } from '../lib/decimal';

/**
 * Splits the value of an item in a warehouse over its lots (value lives per item and warehouse,
 * quantity per lot). Each lot holding stock gets qty × average cost in cents; the last one by the
 * order given takes the remainder, so the lots always sum to the valuation exactly. Lots with
 * nothing on hand get 0; when none holds stock the last takes the (normally zero) value.
 */
export function apportionLotValues(lotQtys: Decimal[], totalQty: Decimal, totalValue: Decimal): Decimal[] {
  const values = lotQtys.map(() => ZERO);
  const holders = lotQtys.flatMap((q, i) => (q.gt(0) ? [i] : []));
  const last = holders.length > 0 ? holders[holders.length - 1]! : lotQtys.length - 1;
  if (last < 0) return values;
  const averageCost = totalQty.gt(0) ? totalValue.div(totalQty) : ZERO;
  let given = ZERO;
  for (const i of holders) {
    if (i === last) continue;
    values[i] = toMoney(lotQtys[i]!.times(averageCost));
    given = given.plus(values[i]);
  }
  values[last] = dec(totalValue).minus(given);
  return values;
}
