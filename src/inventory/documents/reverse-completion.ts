import { and, desc, eq, isNull } from 'drizzle-orm';
import { completionMaterials, documentLines, documents, productionCompletions, workReports, type DocumentRow } from '../../../db/schema';
import { writeAudit } from '../../audit';
import { channelOf, userIdOf, type Ctx } from '../../context';
import { ConflictError } from '../../errors';
import { dec, fmt, fmtMoney, sum, toMoney, toUnitCost } from '../../lib/decimal';
import { periodOf, refuseClosedPeriod } from '../../production/periods';
import type { Movement } from '../movements';
import { commitPosting } from './commit-posting';
import type { LineWithItem } from './load';
import { nextDocumentNumber } from './numbering';
import { completedTotals } from './production-totals';

/**
 * Reverses a production order's last completion that is not reversed yet (红字), as a new posted
 * document (`RV-…`, type production, `reverses` the order): the output leaves `toWarehouse` again
 * (FIFO: from the layer that completion made first; moving average: at the value it came in with,
 * where it can), and each material comes back with the exact cost pieces it left with. The work it absorbed
 * waits for the next completion again, and a posted order goes back in progress. Called by
 * reverseDocument under its lock and rule book. Throws ConflictError (no completion to reverse; its
 * month closed) and InsufficientStockError (the output is no longer there: nothing written).
 */
export async function reverseCompletion(ctx: Ctx, doc: DocumentRow, lines: LineWithItem[]): Promise<{ id: string }> {
  const [last] = await ctx.db.select().from(productionCompletions)
    .where(and(eq(productionCompletions.orgId, ctx.orgId), eq(productionCompletions.documentId, doc.id), isNull(productionCompletions.reversalId)))
    .orderBy(desc(productionCompletions.seq)).limit(1);
  if (!last) {
    throw new ConflictError(`${doc.number} has no completion to reverse`, { number: doc.number })
      .because('nothing_to_reverse', { number: doc.number });
  }
  await refuseClosedPeriod(ctx, periodOf(last.at, ctx.timezone), 'reversing a completion of it');
  const materials = await ctx.db.select().from(completionMaterials)
    .where(and(eq(completionMaterials.orgId, ctx.orgId), eq(completionMaterials.completionId, last.id)));
  const output = lines[0]!;
  const at = ctx.now();
  const [reversal] = await ctx.db.insert(documents).values({
    orgId: ctx.orgId, number: await nextDocumentNumber(ctx, 'reversal'), type: 'production', status: 'submitted',
    warehouseId: doc.warehouseId, toWarehouseId: doc.toWarehouseId, note: `reversal of ${doc.number} completion ${last.seq}`,
    reversesId: doc.id, createdByUserId: userIdOf(ctx.actor), createdVia: channelOf(ctx.actor), createdAt: at, submittedAt: at,
  }).returning();
  await ctx.db.insert(documentLines).values({ orgId: ctx.orgId, documentId: reversal!.id, lineNo: 1, itemId: output.itemId, qty: '0' });

  const movements: Movement[] = [
    { itemId: output.itemId, warehouseId: doc.toWarehouseId ?? doc.warehouseId, lineNo: 1, kind: 'out', lot: output.lotTracked ? doc.number : '',
      qty: dec(last.qty), atValue: dec(last.value), preferLayers: { documentId: doc.id, from: last.at, to: new Date(last.at.getTime() + 1) } },
    ...materials.map((m): Movement => ({
      itemId: m.itemId, warehouseId: doc.warehouseId, lineNo: m.ledgerLine, kind: 'in_pieces', bucket: 'stock',
      pieces: m.costPieces.map((p) => ({ lot: p.lot, qty: dec(p.qty), value: dec(p.value), receivedAt: p.receivedAt ? new Date(p.receivedAt) : null })),
    })),
  ];
  await commitPosting(ctx, reversal!, {
    movements,
    finish: ({ ledger }) => {
      const value = sum(ledger.filter((e) => e.lineNo === 1).map((e) => e.value));
      return { lines: [{ lineNo: 1, qty: fmt(dec(last.qty).neg()), value: fmtMoney(value), unitCost: fmt(toUnitCost(value.abs().div(last.qty))) }], totalValue: toMoney(value) };
    },
  }, { to: 'posted', stamp: 'postedAt', action: 'post' });

  await ctx.db.update(productionCompletions).set({ reversalId: reversal!.id }).where(eq(productionCompletions.id, last.id));
  await ctx.db.update(workReports).set({ completionId: null }).where(and(eq(workReports.orgId, ctx.orgId), eq(workReports.completionId, last.id)));
  const after = await completedTotals(ctx, doc.id);
  await ctx.db.update(documentLines)
    .set({ value: fmtMoney(after.value), unitCost: after.qty.isZero() ? output.unitCost : fmt(toUnitCost(after.value.div(after.qty))) })
    .where(and(eq(documentLines.orgId, ctx.orgId), eq(documentLines.documentId, doc.id), eq(documentLines.lineNo, 1)));
  await ctx.db.update(documents).set({ status: 'in_progress', postedAt: null, totalValue: fmtMoney(after.value) })
    .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
  await writeAudit(ctx, { entity: 'document', entityId: doc.id, action: 'reverse_completion', from: doc.status, to: 'in_progress',
    comment: `completion ${last.seq} reversed by ${reversal!.number}` });
  return { id: reversal!.id };
}
