import type { DocumentRow } from '../../../db/schema';
import { ValidationError } from '../../errors';
import { Decimal, dec, fmt, fmtMoney, sum, toMoney } from '../../lib/decimal';
import type { Applied, LedgerDraft, LotPiece, Movement } from '../movements';
import { unitCostOf } from '../valuation';
import type { LineWithItem } from './load';
import { addDays, localDate } from '../../lib/calendar';
import type { ReturnSource } from './returns';

/** What posting changes on a line besides the ledger. Decimals as strings, ready to store. */
export type LineUpdate = {
  lineNo: number;
  /** Only a reversal sets its lines' quantities at posting: they are what it actually moved. */
  qty?: string;
  value?: string | null;
  unitCost?: string | null;
  costPieces?: { lot: string; qty: string; value: string; receivedAt: string | null }[];
  acceptedQty?: string;
  rejectedQty?: string;
  receivedQty?: string;
  discrepancyQty?: string;
  discrepancyValue?: string;
};

export type Plan = { movements: Movement[]; finish: (applied: Applied) => { lines: LineUpdate[]; totalValue: Decimal } };

type Line = LineWithItem;
const at = (doc: DocumentRow, l: Line) => ({ itemId: l.itemId, warehouseId: doc.warehouseId, lineNo: l.lineNo });

export const storedPieces = (pieces: LotPiece[] = []) =>
  pieces.map((p) => ({ lot: p.lot, qty: fmt(p.qty), value: fmtMoney(p.value), receivedAt: p.receivedAt?.toISOString() ?? null }));

/** Receipts and openings: in at the line's cost; a new lot without a date gets one from the shelf life. */
export function planInbound(doc: DocumentRow, lines: Line[], postedAt: Date, timezone: string): Plan {
  const fromShelfLife = (l: Line) => (!l.lot || l.shelfLifeDays === null ? null : addDays(localDate(postedAt, timezone), l.shelfLifeDays));
  return {
    movements: lines.map((l) => ({
      ...at(doc, l), kind: 'in', lot: l.lot ?? '', expiresOn: l.expiresOn, expiryDefault: fromShelfLife(l), qty: dec(l.qty), unitCost: dec(l.unitCost!),
      // The value the line was created with: qty × unitCost, or exactly what an import priced per pack.
      value: l.value === null ? undefined : dec(l.value),
    })),
    finish: ({ ledger }) => signedLines(doc, lines, ledger, 1),
  };
}

/** Issues and purchase returns: out at current cost (a purchase return under FIFO from its receipt's layer first). */
export function planOutbound(doc: DocumentRow, lines: Line[], source?: Map<string, ReturnSource>): Plan {
  return {
    movements: lines.map((l, i) => {
      const lot = l.lot ?? returnedLot(l, i, source?.get(l.itemId)) ?? null;
      return { ...at(doc, l), kind: 'out', lot, qty: dec(l.qty), ...(doc.returnOfId ? { preferDocumentId: doc.returnOfId } : {}) };
    }),
    finish: ({ ledger, pieces }) => {
      const result = signedLines(doc, lines, ledger, -1);
      result.lines.forEach((u) => (u.costPieces = storedPieces(pieces.get(u.lineNo))));
      return result;
    },
  };
}

/** Refuses, at creation, a return line without a lot whose original moved several (see `returnedLot`). */
export function checkReturnLots(lines: Array<{ sku: string; lot?: string | null | undefined }>, itemIdOf: (sku: string) => string, sources: Map<string, ReturnSource>) {
  lines.forEach((l, i) => {
    if (!l.lot) returnedLot(l, i, sources.get(itemIdOf(l.sku)));
  });
}

/**
 * The lot a return line without one goes back to: the one lot its original moved. When the original
 * moved several, which one is the user's to say (400 naming them): taking the first, or first-expiry,
 * would put units in a lot they never came from, with that lot's expiry.
 */
function returnedLot(l: { sku: string }, i: number, from: ReturnSource | undefined): string | undefined {
  const lots = from?.lots ?? [];
  if (lots.length <= 1) return lots[0];
  throw ValidationError.field(`lines.${i}.lot`, `${l.sku} left in lots ${lots.join(', ')}: name the one this return is of`, 'return_lot_missing',
    { sku: l.sku, lots });
}

/** Customer return after QC: the accepted quantity comes in, at the cost its issue left at (or the current cost). */
export function planCustomerReturn(doc: DocumentRow, lines: Line[], accepted: Map<number, Decimal>, source?: Map<string, ReturnSource>): Plan {
  const movements: Movement[] = [];
  lines.forEach((l, i) => {
    const qty = accepted.get(l.lineNo) ?? dec(l.qty);
    if (qty.isZero()) return;
    const from = source?.get(l.itemId);
    const lot = l.lot ?? returnedLot(l, i, from) ?? '';
    if (l.lotTracked && !lot) {
      throw ValidationError.field(`lines.${i}.lot`, `${l.sku} is lot-tracked: name the lot it came back in`, 'return_lot_missing', { sku: l.sku });
    }
    movements.push({ ...at(doc, l), kind: 'in', lot, expiresOn: l.expiresOn, qty, unitCost: from?.unitCost ?? null });
  });
  return {
    movements,
    finish: ({ ledger }) => {
      const result = signedLines(doc, lines, ledger, 1);
      const byNo = new Map(lines.map((l) => [l.lineNo, l]));
      for (const u of result.lines) {
        const line = byNo.get(u.lineNo)!;
        const qty = accepted.get(u.lineNo) ?? dec(line.qty);
        Object.assign(u, { acceptedQty: fmt(qty), rejectedQty: fmt(dec(line.qty).minus(qty)), unitCost: fmt(unitCostOf(qty, dec(u.value!))) });
      }
      return result;
    },
  };
}

/** Stocktakes and adjustments: the signed difference in or out; a surplus at the line's cost or the current one. */
export function planDifference(doc: DocumentRow, lines: Line[]): Plan {
  const movements: Movement[] = [];
  for (const l of lines) {
    const diff = doc.type === 'stocktake' ? dec(l.qty).minus(l.bookQty ?? 0) : dec(l.qty);
    if (diff.gt(0)) {
      movements.push({ ...at(doc, l), kind: 'in', lot: l.lot ?? '', expiresOn: l.expiresOn, qty: diff, unitCost: l.unitCost === null ? null : dec(l.unitCost) });
    } else if (diff.lt(0)) {
      // A count names its lot; an adjustment without one takes the first-expiring lots.
      const lot = l.lot ?? (doc.type === 'stocktake' ? '' : null);
      movements.push({ ...at(doc, l), kind: 'out', lot, qty: diff.neg() });
    }
  }
  return {
    movements,
    finish: ({ ledger, pieces }) => {
      const result = signedLines(doc, lines, ledger, 1);
      // What went out keeps the lots and FIFO layers it left (as an issue's does), so a reversal puts them back as they were.
      for (const u of result.lines) {
        const taken = pieces.get(u.lineNo);
        if (taken?.length) u.costPieces = storedPieces(taken);
      }
      return result;
    },
  };
}

/** Line values from the ledger, `sign` making an outbound document's values positive (cost of goods moved). */
export function signedLines(doc: DocumentRow, lines: Line[], ledger: LedgerDraft[], sign: 1 | -1) {
  // The ledger's rows by line, once: a 5,000-line document would otherwise filter 5,000 rows per line.
  const byLine = new Map<number, LedgerDraft[]>();
  for (const e of ledger) {
    if (e.bucket !== 'stock' || e.warehouseId !== doc.warehouseId) continue;
    const rows = byLine.get(e.lineNo);
    if (rows) rows.push(e);
    else byLine.set(e.lineNo, [e]);
  }
  const updates: LineUpdate[] = lines.map((l) => {
    const rows = byLine.get(l.lineNo) ?? [];
    const value = sum(rows.map((e) => e.value)).times(sign);
    const moved = sum(rows.map((e) => e.qty)).abs();
    const cost = moved.isZero() ? (l.unitCost === null ? null : l.unitCost) : fmt(unitCostOf(moved, value));
    return { lineNo: l.lineNo, value: fmtMoney(value), unitCost: cost };
  });
  return { lines: updates, totalValue: toMoney(sum(updates.map((u) => dec(u.value ?? 0)))) };
}

