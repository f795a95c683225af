import { isOrder } from '../../orders/kinds';
import { settleOrder } from './order-link';
import { wrongStatus } from './guards';
import { and, asc, eq } from 'drizzle-orm';
import { documentLines, documents, ledgerEntries, type DocumentRow } from '../../../db/schema';
import { channelOf, userIdOf, withTransaction, type Ctx } from '../../context';
import { ConflictError } from '../../errors';
import { Decimal, ZERO, dec, fmt, fmtMoney, sum, toMoney } from '../../lib/decimal';
import type { LotPiece, Movement } from '../movements';
import { writeAudit } from '../../audit';
import { commitPosting } from './commit-posting';
import { lockDocument, type LineWithItem } from './load';
import { nextDocumentNumber } from './numbering';
import type { Plan } from './plan';
import { unitCostOf } from '../valuation';
import { openReturnsOf } from './returns';
import { authorize } from '../../people/permissions';
import { reverseCompletion } from './reverse-completion';

/** Documents whose line values count what left the primary warehouse. */
const outboundTypes = ['issue', 'purchase_return', 'transfer'];

/**
 * Undoes a posted (or received) document with a new posted document of the same type that
 * references it (红字冲销). Stock that came in leaves again (FIFO: from its own layer first; moving
 * average: at its original value where it can); stock that went out comes back with the exact cost
 * pieces it left with. Refused whole with InsufficientStockError (422) when the stock it brought is
 * no longer there; ConflictError (409) when already reversed, not posted, or returned against; ForbiddenError
 * unless a supervisor or an admin asks (reversals correct the books).
 */
export async function reverseDocument(ctx: Ctx, ref: string): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const { doc, lines } = await lockDocument(ctx, ref);
    await authorize(ctx, 'reverse', { warehouseId: doc.warehouseId });
    // A production order is reversed a completion at a time; a revaluation only by reopening its month.
    if (doc.type === 'production' && !doc.reversesId) return reverseCompletion(ctx, doc, lines);
    if (doc.type === 'revaluation') {
      throw new ConflictError(`${doc.number} is a period close's revaluation: reopen the period instead`, { number: doc.number })
        .because('reopen_period', { number: doc.number });
    }
    // An order moved no stock: what fulfilled it is reversed instead, and opens the order again.
    if (isOrder(doc.type)) throw wrongStatus(doc, 'reverse');
    if (doc.reversedById) throw new ConflictError(`${doc.number} has already been reversed`, { number: doc.number });
    if (doc.reversesId) throw new ConflictError(`${doc.number} is itself a reversal; post the original again instead`, { number: doc.number });
    if (doc.status !== 'posted' && doc.status !== 'received') {
      throw new ConflictError(`${doc.number} is ${doc.status}; only posted documents can be reversed`, { number: doc.number, status: doc.status });
    }
    const returns = await openReturnsOf(ctx, doc.id);
    if (returns.length) throw new ConflictError(`${doc.number} has returns (${returns.join(', ')}); reverse them first`, { returns });

    const entries = await ctx.db.select().from(ledgerEntries)
      .where(and(eq(ledgerEntries.orgId, ctx.orgId), eq(ledgerEntries.documentId, doc.id))).orderBy(asc(ledgerEntries.id));
    const at = ctx.now();
    const [reversal] = await ctx.db.insert(documents).values({
      orgId: ctx.orgId, number: await nextDocumentNumber(ctx, 'reversal'), type: doc.type, status: 'submitted',
      warehouseId: doc.warehouseId, toWarehouseId: doc.toWarehouseId, counterparty: doc.counterparty,
      reason: doc.reason, note: `reversal of ${doc.number}`, reversesId: doc.id,
      createdByUserId: userIdOf(ctx.actor), createdVia: channelOf(ctx.actor), createdAt: at, submittedAt: at,
    }).returning();
    await ctx.db.insert(documentLines).values(lines.map((l) => ({
      orgId: ctx.orgId, documentId: reversal!.id, lineNo: l.lineNo, itemId: l.itemId, qty: '0', lot: l.lot,
      expiresOn: l.expiresOn, reason: l.reason,
    })));
    await writeAudit(ctx, { entity: 'document', entityId: reversal!.id, action: 'create', to: 'submitted', comment: `reverses ${doc.number}` });
    await commitPosting(ctx, reversal!, planReversal(doc, lines, entries), { to: 'posted', stamp: 'postedAt', action: 'post' });
    await ctx.db.update(documents).set({ reversedById: reversal!.id })
      .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
    await writeAudit(ctx, { entity: 'document', entityId: doc.id, action: 'reverse', from: doc.status, to: doc.status, comment: `reversed by ${reversal!.number}` });
    await settleOrder(ctx, doc.orderOfId);
    return { id: reversal!.id };
  });
}

type Entry = typeof ledgerEntries.$inferSelect;

/** The inverse of every net movement of the original: what came in goes out first, then what went out comes back. */
function planReversal(doc: DocumentRow, lines: LineWithItem[], entries: Entry[]): Plan {
  const nets = new Map<string, { e: Entry; qty: Decimal; value: Decimal }>();
  for (const e of entries) {
    const k = [e.lineNo, e.itemId, e.warehouseId, e.lot, e.bucket].join('|');
    const n = nets.get(k) ?? { e, qty: ZERO, value: ZERO };
    nets.set(k, { e, qty: n.qty.plus(e.qty), value: n.value.plus(e.value) });
  }
  const outs: Movement[] = [];
  const ins: Movement[] = [];
  for (const { e, qty, value } of nets.values()) {
    if (qty.isZero() && value.isZero()) continue; // transit in and out of a received transfer
    const base = { itemId: e.itemId, warehouseId: e.warehouseId, lineNo: e.lineNo };
    const piece: LotPiece = { lot: e.lot, qty: qty.abs(), value: value.abs(), receivedAt: null };
    if (qty.gt(0)) {
      outs.push(e.bucket === 'stock'
        ? { ...base, kind: 'out', lot: e.lot, qty, preferDocumentId: doc.id, atValue: value }
        : { ...base, kind: 'out_transit', pieces: [piece] });
    } else {
      const line = lines.find((l) => l.lineNo === e.lineNo)!;
      const left = (line.costPieces ?? []).filter((p) => p.lot === e.lot && e.bucket === 'stock' && e.warehouseId === doc.warehouseId);
      const pieces = left.length
        ? left.map((p) => ({ lot: p.lot, qty: dec(p.qty), value: dec(p.value), receivedAt: p.receivedAt ? new Date(p.receivedAt) : null }))
        : [piece];
      ins.push({ ...base, kind: 'in_pieces', bucket: e.bucket, pieces });
    }
  }
  const sign = outboundTypes.includes(doc.type) ? -1 : 1;
  return {
    movements: [...outs, ...ins],
    finish: ({ ledger }) => {
      const updates = lines.map((l) => {
        const own = ledger.filter((e) => e.lineNo === l.lineNo && e.bucket === 'stock' && e.warehouseId === doc.warehouseId);
        const qty = sum(own.map((e) => e.qty)).times(sign);
        const value = sum(own.map((e) => e.value)).times(sign);
        return { lineNo: l.lineNo, value: fmtMoney(value), unitCost: fmt(unitCostOf(qty, value)), qty: fmt(qty) };
      });
      return { lines: updates, totalValue: toMoney(sum(updates.map((u) => dec(u.value)))) };
    },
  };
}
