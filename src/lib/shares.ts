import { Decimal, ZERO, sum } from './decimal';

/**
 * Shares `amount` out over `weights` to the cent by largest remainder: each share is rounded toward
 * zero to the cent, and the cents left over go, one each, to the shares that lost the most (ties:
 * the earlier one). The shares always add up to `amount` exactly. All weights zero: nothing can be
 * shared, and every share is 0 (the caller decides whether that is an error).
 */
export function shareByLargestRemainder(amount: Decimal, weights: Decimal[]): Decimal[] {
  const total = sum(weights);
  if (weights.length === 0 || total.isZero()) return weights.map(() => ZERO);
  const sign = amount.isNeg() ? -1 : 1;
  const cents = amount.abs().times(100);
  const exact = weights.map((w) => cents.times(w).div(total));
  const floors = exact.map((e) => e.floor());
  let left = cents.minus(sum(floors)).toNumber();
  const order = exact.map((e, i) => ({ i, rest: e.minus(floors[i]!) }))
    .sort((a, b) => b.rest.cmp(a.rest) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = floors[i]!.plus(1);
    left--;
  }
  return floors.map((f) => f.div(100).times(sign));
}
