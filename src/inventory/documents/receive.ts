import { withTransaction, type Ctx } from '../../context';
import { ValidationError } from '../../errors';
import { dec, fmt, type Decimal } from '../../lib/decimal';
import { authorize } from '../../people/permissions';
import { commitPosting } from './commit-posting';
import { wrongStatus, wrongType } from './guards';
import { lockDocument } from './load';
import { planReceive } from './transfer-plan';

export type ReceivedLine = { line: number; qty: string };

/**
 * Receives a shipped transfer, in full or short (the shortage becomes the line's discrepancy). The
 * destination's warehouse lead or store manager, a supervisor or an admin confirms. Throws
 * NotFoundError, ForbiddenError, ConflictError (status, type), ValidationError (lines).
 */
export async function receiveTransfer(ctx: Ctx, ref: string, received?: ReceivedLine[]): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const { doc, lines } = await lockDocument(ctx, ref);
    await authorize(ctx, 'receive', { warehouseId: doc.toWarehouseId ?? doc.warehouseId });
    if (doc.type !== 'transfer') throw wrongType(doc, 'receive', 'transfer');
    if (doc.status !== 'shipped') throw wrongStatus(doc, 'receive');
    const qty = new Map<number, Decimal>();
    (received ?? []).forEach((r, i) => {
      const line = lines.find((l) => l.lineNo === r.line);
      if (!line) throw ValidationError.field(`lines.${i}.line`, `there is no line ${r.line}`, 'no_such_line', { line: r.line });
      const q = dec(r.qty);
      if (q.isNeg() || q.gt(line.qty)) {
        throw ValidationError.field(`lines.${i}.qty`, `must be between 0 and the ${line.qty} shipped`, 'qty_out_of_range',
          { sku: line.sku, what: 'received', max: fmt(dec(line.qty)), given: fmt(q) });
      }
      qty.set(r.line, q);
    });
    const plan = planReceive(doc, lines, qty);
    const short = lines.some((l) => (qty.get(l.lineNo) ?? dec(l.qty)).lt(l.qty));
    await commitPosting(ctx, doc, plan, { to: 'received', stamp: 'receivedAt', action: 'receive', extra: { hasDiscrepancy: short } });
    return { id: doc.id };
  });
}
