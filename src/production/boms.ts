import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { bomLines, bomOperations, boms, items, workCenters, type Bom } from '../../db/schema';
import { writeAudit } from '../audit';
import { userIdOf, withTransaction, type Ctx } from '../context';
import { NotFoundError, ValidationError, type FieldIssue } from '../errors';
import { dec, fmt } from '../lib/decimal';
import { authorize } from '../people/permissions';
import { resolveItems } from '../master/resolve-items';
import { refuseCycle } from './bom-cycle';

export type BomInput = {
  outputQty?: string | undefined;
  lines: { sku: string; qty: string; scrapPct?: string | undefined }[];
  operations?: { name: string; workCenter: string; minutesPerUnit?: string | undefined }[] | undefined;
};

/** A BOM version as stored, with what costing and completions need: item ids, units, work centres' rates. */
export type LoadedBom = Bom & {
  sku: string;
  lines: { lineNo: number; itemId: string; sku: string; qty: string; scrapPct: string }[];
  operations: { seq: number; name: string; workCenterId: string; workCenter: string; minutesPerUnit: string; laborRate: string; machineRate: string }[];
};

export const bomJson = (b: LoadedBom) => ({
  sku: b.sku, version: b.version, active: b.active, outputQty: fmt(dec(b.outputQty)),
  lines: b.lines.map((l) => ({ sku: l.sku, qty: fmt(dec(l.qty)), scrapPct: fmt(dec(l.scrapPct)) })),
  operations: b.operations.map((o) => ({ seq: o.seq, name: o.name, workCenter: o.workCenter, minutesPerUnit: fmt(dec(o.minutesPerUnit)) })),
  createdAt: b.createdAt.toISOString(),
});
export type BomJson = ReturnType<typeof bomJson>;

/**
 * Adds a new version of an item's BOM and makes it the active one (admin: master data). Earlier
 * versions stay as they were, and so does every order already submitted on one of them. Throws
 * NotFoundError (sku, work centre), ValidationError (a component twice), DomainError `bom_cycle`
 * (422) when the output is among its components or would come back through one.
 */
export async function putBom(ctx: Ctx, sku: string, input: BomInput): Promise<BomJson> {
  return withTransaction(ctx, async (ctx) => {
    await authorize(ctx, 'admin');
    const bySku = await resolveItems(ctx, [sku, ...input.lines.map((l) => l.sku)]);
    const output = bySku.get(sku)!;
    checkLines(input);
    const centres = await resolveWorkCenters(ctx, (input.operations ?? []).map((o) => o.workCenter));
    await refuseCycle(ctx, output, input.lines.map((l) => bySku.get(l.sku)!));
    // Versions are numbered per item; the row lock on the item keeps two concurrent puts from taking one number.
    await ctx.db.execute(sql`select 1 from items where org_id = ${ctx.orgId} and id = ${output.id} for update`);
    const [last] = await ctx.db.select({ version: boms.version }).from(boms)
      .where(and(eq(boms.orgId, ctx.orgId), eq(boms.itemId, output.id))).orderBy(desc(boms.version)).limit(1);
    await ctx.db.update(boms).set({ active: false }).where(and(eq(boms.orgId, ctx.orgId), eq(boms.itemId, output.id), eq(boms.active, true)));
    const [bom] = await ctx.db.insert(boms).values({
      orgId: ctx.orgId, itemId: output.id, version: (last?.version ?? 0) + 1, active: true, outputQty: input.outputQty ?? '1',
      createdByUserId: userIdOf(ctx.actor), createdAt: ctx.now(),
    }).returning();
    await ctx.db.insert(bomLines).values(input.lines.map((l, i) => ({
      orgId: ctx.orgId, bomId: bom!.id, lineNo: i + 1, itemId: bySku.get(l.sku)!.id, qty: l.qty, scrapPct: l.scrapPct ?? '0',
    })));
    const ops = input.operations ?? [];
    if (ops.length) {
      await ctx.db.insert(bomOperations).values(ops.map((o, i) => ({
        orgId: ctx.orgId, bomId: bom!.id, seq: i + 1, name: o.name, workCenterId: centres.get(o.workCenter)!, minutesPerUnit: o.minutesPerUnit ?? '0',
      })));
    }
    await writeAudit(ctx, { entity: 'bom', entityId: bom!.id, action: 'create', comment: `${sku} v${bom!.version}` });
    return bomJson(await loadBom(ctx, bom!.id));
  });
}

/** A component listed twice. (The output among its own components is a cycle: `refuseCycle`, 422 as API.md has it.) */
function checkLines(input: BomInput) {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  input.lines.forEach((l, i) => {
    if (seen.has(l.sku)) issues.push({ field: `lines.${i}.sku`, message: `${l.sku} is listed twice` });
    seen.add(l.sku);
  });
  if (issues.length) throw new ValidationError(issues);
}

async function resolveWorkCenters(ctx: Ctx, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await ctx.db.select({ id: workCenters.id, code: workCenters.code }).from(workCenters)
    .where(and(eq(workCenters.orgId, ctx.orgId), inArray(workCenters.code, [...new Set(codes)])));
  const byCode = new Map(rows.map((r) => [r.code, r.id]));
  const missing = codes.find((c) => !byCode.has(c));
  if (missing) throw new NotFoundError('work center', missing);
  return byCode;
}

/** A version of an item's BOM (default: the active one). Throws NotFoundError. */
export async function getBom(ctx: Ctx, sku: string, version?: number): Promise<BomJson> {
  return bomJson(await findBom(ctx, sku, version));
}

export async function findBom(ctx: Ctx, sku: string, version?: number): Promise<LoadedBom> {
  const [row] = await ctx.db.select({ id: boms.id }).from(boms).innerJoin(items, eq(items.id, boms.itemId))
    .where(and(eq(boms.orgId, ctx.orgId), eq(items.sku, sku), version === undefined ? eq(boms.active, true) : eq(boms.version, version)));
  if (!row) throw new NotFoundError('bom', version === undefined ? sku : `${sku} v${version}`);
  return loadBom(ctx, row.id);
}

/** A BOM version by id, with its lines and operations. */
export async function loadBom(ctx: Ctx, bomId: string): Promise<LoadedBom> {
  const [head] = await ctx.db.select({ bom: boms, sku: items.sku }).from(boms).innerJoin(items, eq(items.id, boms.itemId))
    .where(and(eq(boms.orgId, ctx.orgId), eq(boms.id, bomId)));
  if (!head) throw new NotFoundError('bom', bomId);
  const lines = await ctx.db.select({ l: bomLines, sku: items.sku }).from(bomLines).innerJoin(items, eq(items.id, bomLines.itemId))
    .where(and(eq(bomLines.orgId, ctx.orgId), eq(bomLines.bomId, bomId))).orderBy(asc(bomLines.lineNo));
  const ops = await ctx.db.select({ o: bomOperations, w: workCenters }).from(bomOperations)
    .innerJoin(workCenters, eq(workCenters.id, bomOperations.workCenterId))
    .where(and(eq(bomOperations.orgId, ctx.orgId), eq(bomOperations.bomId, bomId))).orderBy(asc(bomOperations.seq));
  return {
    ...head.bom, sku: head.sku,
    lines: lines.map(({ l, sku }) => ({ lineNo: l.lineNo, itemId: l.itemId, sku, qty: l.qty, scrapPct: l.scrapPct })),
    operations: ops.map(({ o, w }) => ({
      seq: o.seq, name: o.name, workCenterId: w.id, workCenter: w.code, minutesPerUnit: o.minutesPerUnit, laborRate: w.laborRate, machineRate: w.machineRate,
    })),
  };
}
