import { and, eq, inArray, isNull } from 'drizzle-orm';
import { completionMaterials, productionCompletions, workReports, type DocumentRow } from '../../../db/schema';
import { withTransaction, type Ctx } from '../../context';
import { ValidationError } from '../../errors';
import { Decimal, ZERO, dec, fmt, fmtMoney, sum, toUnitCost } from '../../lib/decimal';
import { addDays, localDate } from '../../lib/calendar';
import { enqueue } from '../../outbox/enqueue';
import { authorize } from '../../people/permissions';
import { periodOf, refuseClosedPeriod } from '../../production/periods';
import type { Movement } from '../movements';
import { commitPosting } from './commit-posting';
import { checkGivenMaterials, materialsFor, type Material } from './completion-materials';
import { wrongStatus, wrongType } from './guards';
import { lockDocument, type LineWithItem } from './load';
import { storedPieces, type Plan } from './plan';
import { completedTotals } from './production-totals';
import { loadProductionOrder } from './production-order';

export type CompletionInput = { qty: string; materials?: { sku: string; qty: string }[] | undefined; final?: boolean | undefined };

/**
 * Completes `qty` of a production order in ONE posting (warehouse_lead of its warehouse, supervisor,
 * admin): the materials leave `warehouse` at their valuation cost (FIFO layers or the average), and
 * the output enters `toWarehouse` as a new cost layer valued at exactly those materials + every
 * work report not absorbed by an earlier completion. The order is `posted` on `final` or once the
 * completed quantity reaches the ordered one. Throws NotFoundError, ForbiddenError, ConflictError
 * (not in progress; its month closed), ValidationError, InsufficientStockError (nothing written).
 */
export async function completeProduction(ctx: Ctx, ref: string, input: CompletionInput): Promise<{ id: string }> {
  // One instant for the whole completion: its row, its ledger and its layer, so a reversal finds that layer.
  const at = ctx.now();
  return withTransaction({ ...ctx, now: () => at }, async (ctx) => {
    const { doc, lines } = await lockDocument(ctx, ref);
    await authorize(ctx, 'complete', { warehouseId: doc.warehouseId });
    if (doc.type !== 'production') throw wrongType(doc, 'complete', 'production');
    if (doc.status !== 'in_progress') throw wrongStatus(doc, 'complete');
    await refuseClosedPeriod(ctx, periodOf(ctx.now(), ctx.timezone), 'completing production in it');
    const qty = dec(input.qty);
    if (!qty.gt(0)) throw ValidationError.field('qty', 'must be greater than 0');
    checkGivenMaterials(input.materials);

    const output = lines[0]!;
    const before = await completedTotals(ctx, doc.id);
    const final = input.final === true || before.qty.plus(qty).gte(output.qty);
    const order = await loadProductionOrder(ctx, doc.id);
    const materials = await materialsFor(ctx, doc, order, dec(output.qty), qty, input.materials, final);
    const work = await ctx.db.select().from(workReports)
      .where(and(eq(workReports.orgId, ctx.orgId), eq(workReports.documentId, doc.id), isNull(workReports.completionId)));
    const labor = sum(work.map((w) => dec(w.laborCost)));
    const machine = sum(work.map((w) => dec(w.machineCost)));

    let result = { materialCost: ZERO, value: ZERO, pieces: new Map<number, ReturnType<typeof storedPieces>>(), values: new Map<number, Decimal>() };
    const plan: Plan = {
      movements: completionMovements(ctx, doc, output, qty, materials, labor.plus(machine)),
      finish: ({ ledger, pieces }) => {
        const values = new Map(materials.map((_, i) => [i + 2, sum(ledger.filter((e) => e.lineNo === i + 2).map((e) => e.value.neg()))]));
        const materialCost = sum([...values.values()]);
        const value = materialCost.plus(labor).plus(machine);
        result = { materialCost, value, values, pieces: new Map(materials.map((_, i) => [i + 2, storedPieces(pieces.get(i + 2))])) };
        const total = before.value.plus(value);
        return { lines: [{ lineNo: 1, value: fmtMoney(total), unitCost: fmt(toUnitCost(total.div(before.qty.plus(qty)))) }], totalValue: total };
      },
    };
    await commitPosting(ctx, doc, plan, { to: final ? 'posted' : 'in_progress', stamp: 'postedAt', action: 'complete', extra: final ? {} : { postedAt: null } });

    const [completion] = await ctx.db.insert(productionCompletions).values({
      orgId: ctx.orgId, documentId: doc.id, seq: before.count + 1, qty: fmt(qty),
      materialCost: fmtMoney(result.materialCost), laborCost: fmtMoney(labor), machineCost: fmtMoney(machine),
      laborHours: fmt(sum(work.map((w) => dec(w.laborHours)))), machineHours: fmt(sum(work.map((w) => dec(w.machineHours)))),
      value: fmtMoney(result.value), unitCost: fmt(toUnitCost(result.value.div(qty))), final, at: ctx.now(),
    }).returning();
    if (materials.length) {
      await ctx.db.insert(completionMaterials).values(materials.map((m, i) => ({
        orgId: ctx.orgId, completionId: completion!.id, ledgerLine: i + 2, itemId: m.itemId, qty: fmt(m.qty),
        value: fmtMoney(result.values.get(i + 2)!), costPieces: result.pieces.get(i + 2)!,
      })));
    }
    if (work.length) await ctx.db.update(workReports).set({ completionId: completion!.id }).where(inArray(workReports.id, work.map((w) => w.id)));
    await enqueue(ctx, 'production_completed', `production_completed:${completion!.id}`, {
      documentId: doc.id, number: doc.number, type: doc.type, warehouseId: doc.warehouseId, completionId: completion!.id,
      toWarehouseId: doc.toWarehouseId ?? doc.warehouseId, qty: fmt(qty), unitCost: completion!.unitCost,
    });
    return { id: doc.id };
  });
}

/**
 * Materials out first (ledger lines 2…, in order), then the output in (line 1) at what they took plus
 * the work. A lot-tracked output is lot-numbered by its order, dated from its shelf life at its first
 * completion (a later completion of the same order adds to that lot and keeps its date).
 */
function completionMovements(ctx: Ctx, doc: DocumentRow, output: LineWithItem, qty: Decimal, materials: Material[], work: Decimal): Movement[] {
  const lot = output.lotTracked ? doc.number : '';
  const expiresOn = output.lotTracked && output.shelfLifeDays !== null ? addDays(localDate(ctx.now(), ctx.timezone), output.shelfLifeDays) : null;
  return [
    ...materials.map((m, i): Movement => ({ itemId: m.itemId, warehouseId: doc.warehouseId, lineNo: i + 2, kind: 'out', lot: null, qty: m.qty })),
    { itemId: output.itemId, warehouseId: doc.toWarehouseId ?? doc.warehouseId, lineNo: 1, kind: 'in_produced', lot, expiresOn: null, expiryDefault: expiresOn, qty,
      fromLines: materials.map((_, i) => i + 2), addValue: work },
  ];
}
