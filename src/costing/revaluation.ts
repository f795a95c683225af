import { and, eq } from 'drizzle-orm';
import { documentLines, documents } from '../../db/schema';
import { writeAudit } from '../audit';
import { channelOf, userIdOf, type Ctx } from '../context';
import { Decimal, fmtMoney, sum } from '../lib/decimal';
import { commitPosting } from '../inventory/documents/commit-posting';
import { lockDocument } from '../inventory/documents/load';
import { nextDocumentNumber } from '../inventory/documents/numbering';
import type { LayerScope } from '../inventory/revalue';
import { lockValuation, stillInStock } from './still-in-stock';

export type Revaluation = { itemId: string; warehouseId: string; stock: Decimal; variance: Decimal; scope: LayerScope; note: string };

/**
 * Posts one revaluation document (`CV-…`): line 1 adds `stock` to the output still on hand with a
 * ledger row of qty 0 (FIFO: to the order's own layers of the month; moving average: to the
 * average); line 2 (no ledger row) is the cost-of-goods variance — `variance`, plus whatever of
 * `stock` the stock could no longer take. Returns the document and what each line came to.
 */
export async function postRevaluation(ctx: Ctx, r: Revaluation, reverses?: string): Promise<{ id: string; stock: Decimal; variance: Decimal }> {
  const at = ctx.now();
  const [doc] = await ctx.db.insert(documents).values({
    orgId: ctx.orgId, number: await nextDocumentNumber(ctx, reverses ? 'reversal' : 'revaluation'), type: 'revaluation', status: 'submitted',
    warehouseId: r.warehouseId, reason: 'period_close', note: r.note, reversesId: reverses ?? null,
    createdByUserId: userIdOf(ctx.actor), createdVia: channelOf(ctx.actor), createdAt: at, submittedAt: at,
  }).returning();
  await ctx.db.insert(documentLines).values([
    { orgId: ctx.orgId, documentId: doc!.id, lineNo: 1, itemId: r.itemId, qty: '0', reason: 'stock' },
    { orgId: ctx.orgId, documentId: doc!.id, lineNo: 2, itemId: r.itemId, qty: '0', reason: 'cogs_variance' },
  ]);
  let outcome = { stock: r.stock, variance: r.variance };
  await commitPosting(ctx, doc!, {
    movements: [{ itemId: r.itemId, warehouseId: r.warehouseId, lineNo: 1, kind: 'revalue', value: r.stock, layers: r.scope }],
    finish: ({ ledger }) => {
      const applied = sum(ledger.map((e) => e.value));
      outcome = { stock: applied, variance: r.variance.plus(r.stock).minus(applied) };
      return {
        lines: [{ lineNo: 1, value: fmtMoney(applied), unitCost: null }, { lineNo: 2, value: fmtMoney(outcome.variance), unitCost: null }],
        totalValue: applied.plus(outcome.variance),
      };
    },
  }, { to: 'posted', stamp: 'postedAt', action: 'post' });
  return { id: doc!.id, ...outcome };
}

/**
 * Undoes a revaluation with a new posted one that references it (never an edit). Of the value it
 * added to stock, the share still there comes off again (`stillInStock`); the share that has left
 * since with issued stock is booked back as a cost-of-goods variance, with the original's own
 * variance: together exactly the original, reversed. The original is marked reversed.
 */
export async function reverseRevaluation(ctx: Ctx, id: string, settled: { scope: LayerScope; fifo: boolean; stockQty: Decimal | null }): Promise<{ id: string }> {
  const { doc, lines } = await lockDocument(ctx, id);
  const [stockLine, varianceLine] = lines;
  const place = { itemId: stockLine!.itemId, warehouseId: doc.warehouseId };
  await lockValuation(ctx, place);
  const added = new Decimal(stockLine!.value ?? 0);
  const left = await stillInStock(ctx, { documentId: doc.id, added, ...place },
    settled.fifo ? { fifo: true, scope: settled.scope, qtyThen: settled.stockQty } : { fifo: false });
  const reversal = await postRevaluation(ctx, {
    ...place, stock: left.neg(), variance: new Decimal(varianceLine?.value ?? 0).plus(added.minus(left)).neg(),
    scope: settled.scope, note: `reversal of ${doc.number}`,
  }, doc.id);
  await ctx.db.update(documents).set({ reversedById: reversal.id }).where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
  await writeAudit(ctx, { entity: 'document', entityId: doc.id, action: 'reverse', from: doc.status, to: doc.status, comment: 'period reopened' });
  return { id: reversal.id };
}
