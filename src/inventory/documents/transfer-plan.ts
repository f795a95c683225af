import type { DocumentRow } from '../../../db/schema';
import { Decimal, ZERO, dec, fmt, fmtMoney, sum, toMoney } from '../../lib/decimal';
import type { LotPiece, Movement } from '../movements';
import type { LineWithItem } from './load';
import { signedLines, storedPieces, type Plan } from './plan';

/** Shipping: out of the source at its cost, into the destination's transit carrying that cost, lot by lot. */
export function planShip(doc: DocumentRow, lines: LineWithItem[]): Plan {
  const movements: Movement[] = lines.flatMap((l) => [
    { itemId: l.itemId, warehouseId: doc.warehouseId, lineNo: l.lineNo, kind: 'out', lot: l.lot ?? null, qty: dec(l.qty) },
    { itemId: l.itemId, warehouseId: doc.toWarehouseId!, lineNo: l.lineNo, kind: 'in_pieces', bucket: 'transit', pieces: { fromLine: l.lineNo } },
  ]);
  return {
    movements,
    finish: ({ ledger, pieces }) => {
      const result = signedLines(doc, lines, ledger, -1);
      result.lines.forEach((u) => (u.costPieces = storedPieces(pieces.get(u.lineNo))));
      return result;
    },
  };
}

/**
 * Receiving: everything shipped leaves transit; what arrived enters the destination at the carried
 * cost; a shortage stays on the line as a discrepancy (quantity and value) for someone to resolve.
 */
export function planReceive(doc: DocumentRow, lines: LineWithItem[], received: Map<number, Decimal>): Plan {
  const split = new Map(lines.map((l) => [l.lineNo, splitPieces(carried(l), received.get(l.lineNo) ?? dec(l.qty))]));
  const movements: Movement[] = lines.flatMap((l) => {
    const base = { itemId: l.itemId, warehouseId: doc.toWarehouseId!, lineNo: l.lineNo };
    const { arrived } = split.get(l.lineNo)!;
    return [
      { ...base, kind: 'out_transit', pieces: carried(l) } as Movement,
      ...(arrived.length ? [{ ...base, kind: 'in_pieces', bucket: 'stock', pieces: arrived } as Movement] : []),
    ];
  });
  return {
    movements,
    finish: () => {
      const updates = lines.map((l) => {
        const { arrived, missing } = split.get(l.lineNo)!;
        const missingQty = sum(missing.map((p) => p.qty));
        return {
          lineNo: l.lineNo,
          receivedQty: fmt(sum(arrived.map((p) => p.qty))),
          discrepancyQty: fmt(missingQty),
          discrepancyValue: fmtMoney(sum(missing.map((p) => p.value))),
        };
      });
      return { lines: updates, totalValue: toMoney(sum(lines.map((l) => dec(l.value ?? 0)))) };
    },
  };
}

const carried = (l: LineWithItem): LotPiece[] =>
  (l.costPieces ?? []).map((p) => ({ lot: p.lot, qty: dec(p.qty), value: dec(p.value), receivedAt: p.receivedAt ? new Date(p.receivedAt) : null }));

/** The first `qty` of the carried pieces arrived; the rest is missing. A split piece keeps its cost per unit. */
function splitPieces(pieces: LotPiece[], qty: Decimal) {
  const arrived: LotPiece[] = [];
  const missing: LotPiece[] = [];
  let rest = qty;
  for (const p of pieces) {
    const q = Decimal.min(rest, p.qty);
    rest = rest.minus(q);
    if (q.eq(p.qty)) arrived.push(p);
    else if (q.isZero()) missing.push(p);
    else {
      const value = toMoney(p.value.times(q).div(p.qty));
      arrived.push({ ...p, qty: q, value });
      missing.push({ ...p, qty: p.qty.minus(q), value: p.value.minus(value) });
    }
  }
  return { arrived, missing, rest: rest.gt(0) ? rest : ZERO };
}
