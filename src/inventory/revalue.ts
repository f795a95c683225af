import { Decimal, ZERO, sum, toUnitCost } from '../lib/decimal';
import { shareByLargestRemainder } from '../lib/shares';
import { take, type Layer, type Piece, type Valuation } from './valuation';

/** Which FIFO layers a revaluation reaches: one document's, received in a window (a month's completions). */
export type LayerScope = { documentId: string; from?: Date | undefined; to?: Date | undefined };

/**
 * Adds `value` (negative: removes it) to stock without moving any quantity, and returns what was
 * applied. Moving average: to the item's value in the warehouse. FIFO with a scope: to that
 * document's open layers in the window, split to the cent by largest remainder over their
 * remaining quantities. Stock never carries value without quantity, and no layer or balance goes
 * below zero: what cannot be placed is left unapplied, for the caller to book as a variance.
 */
export function revalue(v: Valuation, value: Decimal, scope?: LayerScope): Decimal {
  if (value.isZero() || v.qty.isZero()) return ZERO;
  if (v.method !== 'fifo' || !scope) {
    const applied = Decimal.max(value, v.value.neg());
    v.value = v.value.plus(applied);
    return applied;
  }
  const layers = v.layers.filter((l) => inScope(l, scope) && l.qtyRemaining.gt(0));
  if (layers.length === 0) return ZERO;
  const shares = shareByLargestRemainder(value, layers.map((l) => l.qtyRemaining));
  const applied = layers.map((l, i) => relayer(v, l, Decimal.max(shares[i]!, l.valueRemaining.neg())));
  const total = sum(applied);
  v.value = v.value.plus(total);
  return total;
}

/**
 * A layer's new value is stored as a fresh layer of the same document, line and date (the old one
 * emptied), so its unit cost changes with it and later partial issues leave at the new cost; the
 * posting core then saves it like any other layer.
 */
function relayer(v: Valuation, layer: Layer, add: Decimal): Decimal {
  if (add.isZero()) return ZERO;
  const fresh: Layer = {
    ...layer, id: null, qtyIn: layer.qtyRemaining, valueRemaining: layer.valueRemaining.plus(add),
    unitCost: toUnitCost(layer.valueRemaining.plus(add).div(layer.qtyRemaining)), changed: true,
  };
  layer.qtyRemaining = ZERO;
  layer.valueRemaining = ZERO;
  layer.changed = true;
  v.layers.splice(v.layers.indexOf(layer) + 1, 0, fresh);
  return add;
}

const inScope = (l: Layer, scope: LayerScope) =>
  l.documentId === scope.documentId && (!scope.from || l.receivedAt >= scope.from) && (!scope.to || l.receivedAt < scope.to);

/**
 * Takes `qty` out from the layers in `scope` first, newest first, then oldest first as usual (FIFO):
 * undoing one completion takes back exactly the layer it made. Moving average: at `atValue`.
 */
export function takeScoped(v: Valuation, qty: Decimal, scope: LayerScope, atValue?: Decimal): Piece[] {
  if (v.method !== 'fifo') return take(v, qty, { atValue });
  const position = new Map(v.layers.map((l, i) => [l, i]));
  v.layers = [...v.layers.filter((l) => inScope(l, scope)).reverse(), ...v.layers.filter((l) => !inScope(l, scope))];
  const pieces = take(v, qty);
  // Back to FIFO order (date, then the order layers were made in) for whatever moves next.
  v.layers.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (position.get(a) ?? 0) - (position.get(b) ?? 0));
  return pieces;
}
