import { Decimal, ZERO, sum, toMoney, toUnitCost } from '../lib/decimal';

/**
 * Valuation of one item in one warehouse, in memory, while its row is locked. Pure arithmetic:
 * moving weighted average or FIFO layers. Money is rounded to cents per movement; the movement
 * that empties a balance takes exactly what remains, so value reaches 0 with quantity.
 */
export type Method = 'moving_average' | 'fifo';

export type Layer = {
  id: number | null;
  documentId: string;
  lineNo: number;
  receivedAt: Date;
  qtyIn: Decimal;
  qtyRemaining: Decimal;
  unitCost: Decimal;
  valueRemaining: Decimal;
  changed: boolean;
};

export type Valuation = {
  itemId: string;
  warehouseId: string;
  method: Method;
  qty: Decimal;
  value: Decimal;
  transitQty: Decimal;
  transitValue: Decimal;
  lastUnitCost: Decimal | null;
  /** FIFO only: open layers, oldest first. */
  layers: Layer[];
};

/** A slice of stock with its cost: what an outbound movement took, or an inbound one brings. */
export type Piece = { qty: Decimal; value: Decimal; receivedAt: Date | null };

export type Origin = { documentId: string; lineNo: number; at: Date };

/** The cost a new outbound unit would leave at: the average, or the last cost when nothing is left. */
export function currentUnitCost(v: Valuation): Decimal {
  if (v.qty.gt(0)) return toUnitCost(v.value.div(v.qty));
  return v.lastUnitCost ?? ZERO;
}

export const unitCostOf = (qty: Decimal, value: Decimal) => (qty.isZero() ? ZERO : toUnitCost(value.abs().div(qty.abs())));

/** Adds `qty` at `unitCost` (or at `given`, the exact value that cost rounds); returns the value added (rounded to cents). */
export function addAtCost(v: Valuation, qty: Decimal, unitCost: Decimal, origin: Origin, given?: Decimal): Decimal {
  const value = toMoney(given ?? qty.times(unitCost));
  if (v.method === 'fifo') v.layers.push(newLayer(origin, origin.at, qty, unitCost, value));
  v.qty = v.qty.plus(qty);
  v.value = v.value.plus(value);
  v.lastUnitCost = toUnitCost(unitCost);
  return value;
}

/** Adds pieces at the value they carry (a transfer's layers, a reversal's restored cost). */
export function addPieces(v: Valuation, pieces: Piece[], origin: Origin): Decimal {
  for (const p of pieces) {
    if (p.qty.isZero()) continue;
    if (v.method === 'fifo') v.layers.push(newLayer(origin, p.receivedAt ?? origin.at, p.qty, unitCostOf(p.qty, p.value), p.value));
    v.qty = v.qty.plus(p.qty);
    v.value = v.value.plus(p.value);
    v.lastUnitCost = unitCostOf(p.qty, p.value);
  }
  if (v.method === 'fifo') sortLayers(v.layers);
  return sum(pieces.map((p) => p.value));
}

export type TakeOptions = {
  /** FIFO: consume this document's own layers first (a return to supplier, a reversal). */
  preferDocumentId?: string;
  /** Moving average: leave at this value instead of the average (a reversal at its original cost). */
  atValue?: Decimal;
};

/** Takes `qty` out (the caller has checked it is there); returns the pieces taken with their cost. */
export function take(v: Valuation, qty: Decimal, options: TakeOptions = {}): Piece[] {
  if (qty.gt(v.qty)) throw new Error(`internal: taking ${qty} from ${v.qty}`);
  const pieces = v.method === 'fifo' ? takeFifo(v, qty, options.preferDocumentId) : [takeAverage(v, qty, options.atValue)];
  const value = sum(pieces.map((p) => p.value));
  v.qty = v.qty.minus(qty);
  v.value = v.value.minus(value);
  v.lastUnitCost = unitCostOf(qty, value);
  return pieces;
}

function takeAverage(v: Valuation, qty: Decimal, atValue: Decimal | undefined): Piece {
  if (qty.eq(v.qty)) return { qty, value: v.value, receivedAt: null };
  const wanted = atValue ?? toMoney(qty.times(currentUnitCost(v)));
  // Rounding must never take more value than is there, nor leave it negative.
  const value = Decimal.max(ZERO, Decimal.min(wanted, v.value));
  return { qty, value, receivedAt: null };
}

function takeFifo(v: Valuation, qty: Decimal, preferDocumentId: string | undefined): Piece[] {
  const order = preferDocumentId
    ? [...v.layers.filter((l) => l.documentId === preferDocumentId), ...v.layers.filter((l) => l.documentId !== preferDocumentId)]
    : v.layers;
  const pieces: Piece[] = [];
  let need = qty;
  for (const layer of order) {
    if (need.isZero()) break;
    if (layer.qtyRemaining.isZero()) continue;
    const q = Decimal.min(need, layer.qtyRemaining);
    const value = q.eq(layer.qtyRemaining)
      ? layer.valueRemaining
      : Decimal.min(toMoney(q.times(layer.unitCost)), layer.valueRemaining);
    layer.qtyRemaining = layer.qtyRemaining.minus(q);
    layer.valueRemaining = layer.valueRemaining.minus(value);
    layer.changed = true;
    pieces.push({ qty: q, value, receivedAt: layer.receivedAt });
    need = need.minus(q);
  }
  if (!need.isZero()) throw new Error(`internal: FIFO layers short by ${need} for item ${v.itemId}`);
  v.layers = v.layers.filter((l) => l.qtyRemaining.gt(0) || l.id !== null);
  return pieces;
}

function newLayer(origin: Origin, receivedAt: Date, qty: Decimal, unitCost: Decimal, value: Decimal): Layer {
  return {
    id: null,
    documentId: origin.documentId,
    lineNo: origin.lineNo,
    receivedAt,
    qtyIn: qty,
    qtyRemaining: qty,
    unitCost: toUnitCost(unitCost),
    valueRemaining: value,
    changed: true,
  };
}

/** Oldest first; layers from the same instant keep the order they were made in. */
function sortLayers(layers: Layer[]) {
  const index = new Map(layers.map((l, i) => [l, i]));
  layers.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || index.get(a)! - index.get(b)!);
}

/** Transit (shipped to this warehouse, not yet received) is valued at what the shipment carried. */
export function addTransit(v: Valuation, qty: Decimal, value: Decimal) {
  v.transitQty = v.transitQty.plus(qty);
  v.transitValue = v.transitValue.plus(value);
}

export function takeTransit(v: Valuation, qty: Decimal, value: Decimal) {
  if (qty.gt(v.transitQty)) throw new Error(`internal: taking ${qty} from transit ${v.transitQty}`);
  // Each shipment leaves transit with exactly the value it brought, so transit sums stay exact.
  v.transitQty = v.transitQty.minus(qty);
  v.transitValue = v.transitValue.minus(value);
}
