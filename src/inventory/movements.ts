import type { Bucket } from '../../db/schema';
import { InsufficientStockError, UnprocessableError } from '../errors';
import { Decimal, ZERO, fmt, sum } from '../lib/decimal';
import { revalue, takeScoped, type LayerScope } from './revalue';
import { keyOf, lotKey, splitLotKey, type Key, type LotState, type StockState } from './stock-state';
import { addAtCost, addPieces, currentUnitCost, addTransit, take, takeTransit, unitCostOf, type Origin, type Piece, type Valuation } from './valuation';

/** A piece of one lot: what moved, with its cost and the age of the layer it came from. */
export type LotPiece = Piece & { lot: string };

/** One stock movement of a document line; a posting is a list of these, applied in order. */
export type Movement = Key & { lineNo: number } & (
  /** In at a unit cost (receipt, opening, surplus, a customer return); null = the current unit cost. */
  | { kind: 'in'; lot: string; expiresOn: string | null; expiryDefault?: string | null; qty: Decimal; unitCost: Decimal | null; value?: Decimal | undefined }
  /**
   * In at carried cost, per lot (a transfer's destination, a reversal of an outbound movement);
   * `fromLine` carries what an earlier `out` of that line took.
   */
  | { kind: 'in_pieces'; bucket: Bucket; pieces: LotPiece[] | { fromLine: number } }
  /**
   * Out at current cost; `lot: null` picks lots first-expiry-first-out. A reversal names its lot and
   * may ask for its original value (`atValue`, moving average) or its own layers first (FIFO);
   * reversing one completion of a production order asks for that completion's layer (`preferLayers`).
   */
  | { kind: 'out'; lot: string | null; qty: Decimal; preferDocumentId?: string; atValue?: Decimal; preferLayers?: LayerScope }
  /** Out of transit at the value the shipment carried. */
  | { kind: 'out_transit'; pieces: LotPiece[] }
  /**
   * Production: in at exactly what lines `fromLines` of this posting took out, plus `addValue` (the
   * work absorbed), as one new cost layer: the output's value is its materials' to the cent.
   */
  | { kind: 'in_produced'; lot: string; expiresOn: string | null; expiryDefault?: string | null; qty: Decimal; fromLines: number[]; addValue: Decimal }
  /**
   * Revaluation (the period close): value in or out with no quantity, one ledger row of qty 0 for
   * what was applied (see `revalue`: FIFO to one document's layers in `layers`, else the average).
   */
  | { kind: 'revalue'; value: Decimal; layers?: LayerScope }
);

export type LedgerDraft = Key & {
  lineNo: number; lot: string; bucket: Bucket; qty: Decimal; value: Decimal; unitCost: Decimal;
  balanceQty: Decimal; balanceValue: Decimal;
};

export type Applied = { ledger: LedgerDraft[]; pieces: Map<number, LotPiece[]> };

/**
 * Applies movements to the locked state. Refuses the whole posting (nothing is written: the caller's
 * transaction rolls back) when any movement would take more than a lot, warehouse or transit holds.
 */
export function applyMovements(state: StockState, documentId: string, at: Date, movements: Movement[]): Applied {
  const ledger: LedgerDraft[] = [];
  const pieces = new Map<number, LotPiece[]>();
  const initial = new Map([...state.valuations].map(([k, v]) => [k, v.qty]));
  const named = namedOuts(movements);
  for (const m of movements) {
    const v = state.valuations.get(keyOf(m))!;
    const origin: Origin = { documentId, lineNo: m.lineNo, at };
    const record = (lot: string, bucket: Bucket, qty: Decimal, value: Decimal) =>
      ledger.push({
        itemId: m.itemId, warehouseId: m.warehouseId, lineNo: m.lineNo, lot, bucket, qty, value,
        unitCost: unitCostOf(qty, value),
        balanceQty: bucket === 'stock' ? v.qty : v.transitQty,
        balanceValue: bucket === 'stock' ? v.value : v.transitValue,
      });
    switch (m.kind) {
      case 'in': {
        registerLot(state, m, m.lot, m.expiresOn, m.expiryDefault ?? null);
        const unitCost = m.unitCost ?? currentUnitCost(v);
        const value = addAtCost(v, m.qty, unitCost, origin, m.value);
        lotOf(state, m, m.lot).qty = lotOf(state, m, m.lot).qty.plus(m.qty);
        ledger.push({ itemId: m.itemId, warehouseId: m.warehouseId, lineNo: m.lineNo, lot: m.lot, bucket: 'stock',
          qty: m.qty, value, unitCost, balanceQty: v.qty, balanceValue: v.value });
        break;
      }
      case 'in_pieces':
        for (const [lot, group] of byLot('fromLine' in m.pieces ? pieces.get(m.pieces.fromLine) ?? [] : m.pieces)) {
          const qty = sum(group.map((p) => p.qty));
          const l = lotOf(state, m, lot);
          if (m.bucket === 'stock') {
            const value = addPieces(v, group, origin);
            l.qty = l.qty.plus(qty);
            record(lot, 'stock', qty, value);
          } else {
            const value = sum(group.map((p) => p.value));
            addTransit(v, qty, value);
            l.transitQty = l.transitQty.plus(qty);
            record(lot, 'transit', qty, value);
          }
        }
        break;
      case 'out': {
        const taken: LotPiece[] = [];
        for (const { lot, qty } of pickLots(state, m, movements, initial, named)) {
          const got = m.preferLayers ? takeScoped(v, qty, m.preferLayers, m.atValue)
            : take(v, qty, { preferDocumentId: m.preferDocumentId, atValue: m.atValue });
          const l = lotOf(state, m, lot);
          l.qty = l.qty.minus(qty);
          const value = sum(got.map((p) => p.value));
          record(lot, 'stock', qty.neg(), value.neg());
          taken.push(...got.map((p) => ({ ...p, lot })));
        }
        pieces.set(m.lineNo, [...(pieces.get(m.lineNo) ?? []), ...taken]);
        break;
      }
      case 'in_produced': {
        registerLot(state, m, m.lot, m.expiresOn, m.expiryDefault ?? null);
        const taken = ledger.filter((e) => m.fromLines.includes(e.lineNo) && e.bucket === 'stock').map((e) => e.value.neg());
        const value = addPieces(v, [{ qty: m.qty, value: sum(taken).plus(m.addValue), receivedAt: null }], origin);
        lotOf(state, m, m.lot).qty = lotOf(state, m, m.lot).qty.plus(m.qty);
        record(m.lot, 'stock', m.qty, value);
        break;
      }
      case 'revalue':
        record('', 'stock', ZERO, revalue(v, m.value, m.layers));
        break;
      case 'out_transit':
        for (const [lot, group] of byLot(m.pieces)) {
          const qty = sum(group.map((p) => p.qty));
          const value = sum(group.map((p) => p.value));
          const l = lotOf(state, m, lot);
          if (qty.gt(l.transitQty)) throw shortage(state, m, lot, qty, l.transitQty);
          takeTransit(v, qty, value);
          l.transitQty = l.transitQty.minus(qty);
          record(lot, 'transit', qty.neg(), value.neg());
        }
        break;
    }
  }
  return { ledger, pieces };
}

/**
 * What the posting's outbound movements that name their lot will take, per lot (`lotKey`), still to
 * come: a line taking first-expiry-first-out leaves it to them, whichever line comes first.
 */
function namedOuts(movements: Movement[]): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  for (const m of movements) {
    if (m.kind !== 'out' || m.lot === null) continue;
    const k = lotKey(m, m.lot);
    out.set(k, (out.get(k) ?? ZERO).plus(m.qty));
  }
  return out;
}

/**
 * Which lots an outbound movement takes: the named one, or first-expiry-first-out (no expiry last)
 * from what the named ones of the same posting leave (`named`, counted down as they are taken).
 */
function pickLots(state: StockState, m: Movement & { kind: 'out' }, all: Movement[], initial: Map<string, Decimal>, named: Map<string, Decimal>) {
  const needed = () => sum(all.filter((o) => o.kind === 'out' && keyOf(o) === keyOf(m)).map((o) => (o as { qty: Decimal }).qty));
  if (m.lot !== null) {
    const have = lotOf(state, m, m.lot).qty;
    if (m.qty.gt(have)) {
      // The document's need of the lot against what the lot held before its lines took any: two lines of 5
      // on a lot of 8 are short 10 against 8, not 5 against the 3 the first one left.
      const sameLot = all.filter((o): o is typeof m => o.kind === 'out' && o.lot === m.lot && keyOf(o) === keyOf(m));
      const before = sum(sameLot.slice(0, sameLot.indexOf(m)).map((o) => o.qty));
      throw shortage(state, m, m.lot || null, sum(sameLot.map((o) => o.qty)), have.plus(before));
    }
    const k = lotKey(m, m.lot);
    named.set(k, (named.get(k) ?? ZERO).minus(m.qty));
    return [{ lot: m.lot, qty: m.qty }];
  }
  const v = state.valuations.get(keyOf(m))!;
  const expiries = state.expiries.get(m.itemId);
  const candidates = [...lotsOf(state, keyOf(m))]
    .map((lot) => ({ lot, qty: state.lots.get(lotKey(m, lot))!.qty.minus(Decimal.max(named.get(lotKey(m, lot)) ?? ZERO, ZERO)) }))
    .filter((c) => c.qty.gt(0))
    .sort((a, b) => byExpiry(expiries?.get(a.lot) ?? null, expiries?.get(b.lot) ?? null) || (a.lot < b.lot ? -1 : 1));
  const picks: { lot: string; qty: Decimal }[] = [];
  let rest = m.qty;
  for (const c of candidates) {
    if (rest.isZero()) break;
    const q = Decimal.min(rest, c.qty);
    picks.push({ lot: c.lot, qty: q });
    rest = rest.minus(q);
  }
  if (!rest.isZero()) {
    // Short, counting what the named lines take: the whole posting's need against what there was.
    if (needed().gt(initial.get(keyOf(m)) ?? ZERO) || m.qty.gt(v.qty)) throw shortage(state, m, null, needed(), initial.get(keyOf(m)) ?? ZERO);
    // Enough in all, but the named lines hold more of their lots than those lots have: theirs is the shortage to name.
    const over = [...named].find(([k, q]) => k.startsWith(`${keyOf(m)}|`) && q.gt(state.lots.get(k)?.qty ?? ZERO));
    if (!over) throw new Error(`internal: lot balances of ${keyOf(m)} do not add up to its valuation`);
    const [lot, want] = over;
    throw shortage(state, m, splitLotKey(lot).lot || null, want, state.lots.get(lot)?.qty ?? ZERO);
  }
  return picks;
}

/**
 * The lot codes each item and warehouse has in `state.lots`, indexed on first use and kept as lots
 * appear (`lotOf`): picking lots for each line of a 5,000-line issue would otherwise walk every lot
 * of the document each time.
 */
const lotIndex = new WeakMap<StockState, Map<string, Set<string>>>();

function lotsOf(state: StockState, key: string): Set<string> {
  let index = lotIndex.get(state);
  if (!index) {
    index = new Map();
    for (const k of state.lots.keys()) {
      const { key, lot } = splitLotKey(k);
      addLot(index, key, lot);
    }
    lotIndex.set(state, index);
  }
  return index.get(key) ?? new Set();
}

function addLot(index: Map<string, Set<string>>, key: string, lot: string) {
  const lots = index.get(key);
  if (lots) lots.add(lot);
  else index.set(key, new Set([lot]));
}

const byExpiry = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

/**
 * A lot's expiry is registered once, by the first movement that brings the lot in: the date given, else
 * `fallback` (one worked out from the shelf life). A later movement of a known lot must not give another
 * date; a worked-out one is only a default (received again on a later day, it would differ).
 */
function registerLot(state: StockState, m: Key, lot: string, expiresOn: string | null, fallback: string | null) {
  if (lot === '') return;
  const known = state.expiries.get(m.itemId) ?? new Map<string, string | null>();
  state.expiries.set(m.itemId, known);
  if (!known.has(lot)) {
    known.set(lot, expiresOn ?? fallback);
    state.newLots.push({ itemId: m.itemId, code: lot, expiresOn: expiresOn ?? fallback, defaulted: expiresOn === null });
  } else if (expiresOn !== null && known.get(lot) !== expiresOn) {
    const sku = state.items.get(m.itemId)!.sku;
    const registered = known.get(lot) ?? null;
    throw new UnprocessableError(`lot ${lot} of ${sku} already expires on ${registered ?? 'no date'}, not ${expiresOn}`, { sku, lot, expiresOn: registered })
      .because('lot_expiry_clash', { sku, lot, expiresOn: registered, given: expiresOn });
  }
}

function lotOf(state: StockState, k: Key, lot: string): LotState {
  const key = lotKey(k, lot);
  let l = state.lots.get(key);
  if (!l) {
    state.lots.set(key, (l = { qty: ZERO, transitQty: ZERO, changed: true }));
    const index = lotIndex.get(state);
    if (index) addLot(index, keyOf(k), lot);
  }
  l.changed = true;
  return l;
}

function byLot(pieces: LotPiece[]): Map<string, LotPiece[]> {
  const groups = new Map<string, LotPiece[]>();
  for (const p of pieces) groups.set(p.lot, [...(groups.get(p.lot) ?? []), p]);
  return groups;
}

function shortage(state: StockState, k: Key, lot: string | null, needed: Decimal, available: Decimal) {
  return new InsufficientStockError([{
    sku: state.items.get(k.itemId)!.sku,
    warehouse: state.warehouseCodes.get(k.warehouseId)!,
    lot,
    needed: fmt(needed),
    available: fmt(available),
  }]);
}

export type { Valuation };
