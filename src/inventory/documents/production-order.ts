import { and, eq } from 'drizzle-orm';
import { documentLines, documents, productionMaterials, productionOrders, type DocumentRow } from '../../../db/schema';
import { writeAudit } from '../../audit';
import type { Ctx } from '../../context';
import { NotFoundError, UnprocessableError, type FieldIssue } from '../../errors';
import { dec, fmt, fmtMoney, sum, toMoney, toUnitCost } from '../../lib/decimal';
import { resolveItems } from '../../master/resolve-items';
import { findBom, loadBom } from '../../production/boms';
import { currentCosts } from '../../production/current-costs';
import { rollUp, workPerUnit } from '../../production/standard-cost';
import type { CreateDocumentInput } from './inputs';

/** What only a production order may say, and must: one line (the output and the quantity ordered). */
export function productionShapeIssues(input: CreateDocumentInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (input.type !== 'production') {
    if (input.bomVersion !== undefined) issues.push({ field: 'bomVersion', message: 'only a production order has a BOM version' });
    if (input.materials !== undefined) issues.push({ field: 'materials', message: 'only a production order lists materials' });
    return issues;
  }
  if (input.lines.length > 1) issues.push({ field: 'lines', message: 'a production order has one line: the output and the quantity ordered' });
  if (input.materials?.length === 0) issues.push({ field: 'materials', message: 'list at least one material, or leave it out to use the BOM' });
  const seen = new Set<string>();
  (input.materials ?? []).forEach((m, i) => {
    if (!dec(m.qty).gt(0)) issues.push({ field: `materials.${i}.qty`, message: 'must be greater than 0' });
    // Consumption is tracked per item: a second line of the same item would be under-consumed at completion.
    if (seen.has(m.sku)) issues.push({ field: `materials.${i}.sku`, message: `${m.sku} is listed twice: give its whole quantity on one line` });
    seen.add(m.sku);
  });
  return issues;
}

/**
 * The production details of a new order: its BOM version (the one named, else the active one) and
 * its explicit materials, and its standard cost as the line's cost — the value approval rules see.
 * Throws NotFoundError (sku, BOM version), UnprocessableError `no_bom` (nothing to make it from).
 */
export async function recordProductionOrder(ctx: Ctx, documentId: string, input: CreateDocumentInput): Promise<void> {
  const output = input.lines[0]!;
  const materials = input.materials ?? [];
  const bySku = await resolveItems(ctx, [output.sku, ...materials.map((m) => m.sku)]);
  const bom = await findBom(ctx, output.sku, input.bomVersion).catch((err) => {
    if (err instanceof NotFoundError && input.bomVersion === undefined && materials.length) return undefined;
    if (err instanceof NotFoundError && input.bomVersion === undefined) {
      throw new UnprocessableError(`${output.sku} has no active BOM: put one, or list the order's materials`, { sku: output.sku })
        .because('no_bom', { sku: output.sku, name: bySku.get(output.sku)!.name });
    }
    throw err;
  });
  await ctx.db.insert(productionOrders).values({ orgId: ctx.orgId, documentId, bomId: bom?.id ?? null, bomPinned: input.bomVersion !== undefined });
  if (materials.length) {
    await ctx.db.insert(productionMaterials).values(materials.map((m, i) => ({
      orgId: ctx.orgId, documentId, lineNo: i + 1, itemId: bySku.get(m.sku)!.id, qty: m.qty,
    })));
  }
  await priceAtStandard(ctx, documentId);
}

/** An order's BOM version and explicit materials. */
export async function loadProductionOrder(ctx: Ctx, documentId: string) {
  const [order] = await ctx.db.select().from(productionOrders)
    .where(and(eq(productionOrders.orgId, ctx.orgId), eq(productionOrders.documentId, documentId)));
  if (!order) throw new NotFoundError('production order', documentId);
  const materials = await ctx.db.select().from(productionMaterials)
    .where(and(eq(productionMaterials.orgId, ctx.orgId), eq(productionMaterials.documentId, documentId)));
  return { bom: order.bomId ? await loadBom(ctx, order.bomId) : undefined, pinned: order.bomPinned, materials: materials.sort((a, b) => a.lineNo - b.lineNo) };
}

/**
 * The order's standard cost at today's costs, as its line's unit cost and its total: the BOM rolled
 * up, or the explicit materials at their current cost plus the BOM's operations.
 */
async function priceAtStandard(ctx: Ctx, documentId: string): Promise<void> {
  const order = await loadProductionOrder(ctx, documentId);
  const [line] = await ctx.db.select().from(documentLines)
    .where(and(eq(documentLines.orgId, ctx.orgId), eq(documentLines.documentId, documentId), eq(documentLines.lineNo, 1)));
  const qty = dec(line!.qty);
  let unitCost;
  if (order.materials.length === 0) unitCost = dec((await rollUp(ctx, order.bom!, new Set())).unitCost);
  else {
    const costs = await currentCosts(ctx, order.materials.map((m) => m.itemId));
    const materials = sum(order.materials.map((m) => dec(m.qty).times(costs.get(m.itemId)?.unitCost ?? 0)));
    const work = order.bom ? workPerUnit(order.bom) : { labor: dec(0), machine: dec(0) };
    unitCost = toUnitCost(materials.div(qty).plus(work.labor).plus(work.machine));
  }
  const value = toMoney(qty.times(unitCost));
  await ctx.db.update(documentLines).set({ unitCost: fmt(unitCost), value: fmtMoney(value) })
    .where(and(eq(documentLines.orgId, ctx.orgId), eq(documentLines.documentId, documentId), eq(documentLines.lineNo, 1)));
  await ctx.db.update(documents).set({ totalValue: fmtMoney(value) }).where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, documentId)));
}

/**
 * At submission the BOM version is fixed: an order that named none takes the version active now, and
 * its standard cost is taken again at today's costs, for the approval rules to judge.
 */
export async function fixProductionOrder(ctx: Ctx, doc: DocumentRow): Promise<void> {
  const order = await loadProductionOrder(ctx, doc.id);
  if (!order.pinned && order.bom && !order.bom.active) {
    const active = await findBom(ctx, order.bom.sku).catch(() => undefined);
    if (active) await ctx.db.update(productionOrders).set({ bomId: active.id }).where(eq(productionOrders.documentId, doc.id));
  }
  await priceAtStandard(ctx, doc.id);
}

/** Submitted (and approved where a rule asked) an order is in progress: work is reported and completed on it. */
export async function startProduction(ctx: Ctx, doc: DocumentRow): Promise<void> {
  await ctx.db.update(documents).set({ status: 'in_progress', dueAt: null })
    .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
  await writeAudit(ctx, { entity: 'document', entityId: doc.id, action: 'start', from: doc.status, to: 'in_progress' });
}
