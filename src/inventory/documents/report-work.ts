import { and, asc, eq } from 'drizzle-orm';
import { users, workCenters, workReports, type DocumentRow, type WorkCenter } from '../../../db/schema';
import { channelOf, userIdOf, withTransaction, type Ctx } from '../../context';
import { ValidationError } from '../../errors';
import { dec, fmt, fmtMoney, sum, toMoney, type Decimal } from '../../lib/decimal';
import { shareByLargestRemainder } from '../../lib/shares';
import { authorize } from '../../people/permissions';
import { requireWorkCenter } from '../../production/work-centers';
import { wrongStatus, wrongType } from './guards';
import { lockDocument } from './load';
import { loadProductionOrder } from './production-order';

export type WorkReportInput = {
  operation: string;
  /** Default: the work centre of the BOM operation with that name. */
  workCenter?: string | undefined;
  laborHours?: string | undefined;
  machineHours?: string | undefined;
  goodQty?: string | undefined;
  scrapQty?: string | undefined;
};

/** What a report would add, before it is recorded: the work centre and the cost at its rates now. */
export type PricedWork = {
  workCenter: WorkCenter; laborHours: Decimal; machineHours: Decimal; goodQty: Decimal; scrapQty: Decimal;
  laborCost: Decimal; machineCost: Decimal; cost: Decimal;
};

/**
 * Records one report of work on a production order in progress (报工), as whoever reports it: anyone
 * assigned to the order's warehouse. Its cost is laborHours × laborRate + machineHours × machineRate
 * at this moment (each part to the cent); it waits for the next completion to absorb it. Throws
 * NotFoundError, ForbiddenError, ConflictError (not in progress, not production), ValidationError.
 */
export async function reportWork(ctx: Ctx, ref: string, input: WorkReportInput) {
  return withTransaction(ctx, async (ctx) => {
    const { doc } = await lockDocument(ctx, ref);
    await authorize(ctx, 'report_work', { warehouseId: doc.warehouseId });
    const priced = await priceWork(ctx, doc, input);
    const [row] = await ctx.db.insert(workReports).values({
      orgId: ctx.orgId, documentId: doc.id, operation: input.operation, workCenterId: priced.workCenter.id,
      laborHours: fmt(priced.laborHours), machineHours: fmt(priced.machineHours), goodQty: fmt(priced.goodQty), scrapQty: fmt(priced.scrapQty),
      laborRate: priced.workCenter.laborRate, machineRate: priced.workCenter.machineRate,
      laborCost: fmtMoney(priced.laborCost), machineCost: fmtMoney(priced.machineCost), cost: fmtMoney(priced.cost),
      reportedByUserId: userIdOf(ctx.actor), reportedVia: channelOf(ctx.actor), at: ctx.now(),
    }).returning();
    return (await listWorkReports(ctx, doc.id)).find((r) => r.id === row!.id)!;
  });
}

/** Checks a report against the order and prices it at the work centre's rates now; writes nothing. */
export async function priceWork(ctx: Ctx, doc: DocumentRow, input: WorkReportInput): Promise<PricedWork> {
  if (doc.type !== 'production') throw wrongType(doc, 'report_work', 'production');
  if (doc.status !== 'in_progress') throw wrongStatus(doc, 'report_work');
  const { bom } = await loadProductionOrder(ctx, doc.id);
  const operations = bom?.operations ?? [];
  let workCenter: WorkCenter;
  if (input.workCenter) workCenter = await requireWorkCenter(ctx, input.workCenter);
  else {
    const op = operations.find((o) => o.name === input.operation);
    if (!op) {
      const names = operations.map((o) => o.name);
      throw ValidationError.field('workCenter', names.length
        ? `required: '${input.operation}' is not an operation of ${doc.number} (${names.join(', ')})`
        : `required: ${doc.number} has no BOM operations to take it from`, 'unknown_operation', { number: doc.number, operation: input.operation, operations: names });
    }
    [workCenter] = await ctx.db.select().from(workCenters).where(and(eq(workCenters.orgId, ctx.orgId), eq(workCenters.id, op.workCenterId))) as [WorkCenter];
  }
  const [laborHours, machineHours, goodQty, scrapQty] = [input.laborHours, input.machineHours, input.goodQty, input.scrapQty].map((v) => dec(v ?? 0)) as [Decimal, Decimal, Decimal, Decimal];
  if ([laborHours, machineHours, goodQty, scrapQty].every((d) => d.isZero())) {
    throw ValidationError.field('laborHours', 'report hours (laborHours, machineHours) or quantities (goodQty, scrapQty)', 'nothing_reported', { number: doc.number });
  }
  // The cost is API.md's formula rounded once (1.25 h × 30.5 + 0.75 h × 12.5 = 47.50, where rounding
  // each part first made 38.13 + 9.38 = 47.51); its labour and machine parts split it to the cent.
  const exact = [laborHours.times(workCenter.laborRate), machineHours.times(workCenter.machineRate)];
  const cost = toMoney(sum(exact));
  const [laborCost, machineCost] = shareByLargestRemainder(cost, exact) as [Decimal, Decimal];
  return { workCenter, laborHours, machineHours, goodQty, scrapQty, laborCost, machineCost, cost };
}

/** An order's work reports, oldest first, as the document shows them. */
export async function listWorkReports(ctx: Ctx, documentId: string) {
  const rows = await ctx.db.select({ r: workReports, wc: workCenters.code, by: users.name }).from(workReports)
    .innerJoin(workCenters, eq(workCenters.id, workReports.workCenterId))
    .leftJoin(users, eq(users.id, workReports.reportedByUserId))
    .where(and(eq(workReports.orgId, ctx.orgId), eq(workReports.documentId, documentId)))
    .orderBy(asc(workReports.at), asc(workReports.id));
  return rows.map(({ r, wc, by }) => ({
    id: r.id, operation: r.operation, workCenter: wc,
    laborHours: fmt(dec(r.laborHours)), machineHours: fmt(dec(r.machineHours)), goodQty: fmt(dec(r.goodQty)), scrapQty: fmt(dec(r.scrapQty)),
    laborCost: fmtMoney(dec(r.laborCost)), machineCost: fmtMoney(dec(r.machineCost)), cost: fmtMoney(dec(r.cost)),
    absorbed: r.completionId !== null, by, at: r.at.toISOString(),
  }));
}
