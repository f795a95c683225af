import { and, asc, eq } from 'drizzle-orm';
import { workCenters, type WorkCenter } from '../../db/schema';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { NotFoundError } from '../errors';
import { dec, fmt } from '../lib/decimal';
import { authorize } from '../people/permissions';

export type WorkCenterInput = { name: string; laborRate: string; machineRate: string };
export type WorkCenterJson = { code: string; name: string; laborRate: string; machineRate: string };

export const toWorkCenterJson = (w: WorkCenter): WorkCenterJson =>
  ({ code: w.code, name: w.name, laborRate: fmt(dec(w.laborRate)), machineRate: fmt(dec(w.machineRate)) });

/**
 * Creates or changes a work centre (admin: master data). Changing a rate never reprices work already
 * reported: a work report keeps the rates of its moment. Throws ForbiddenError.
 */
export async function putWorkCenter(ctx: Ctx, code: string, input: WorkCenterInput): Promise<WorkCenterJson> {
  return withTransaction(ctx, async (ctx) => {
    await authorize(ctx, 'admin');
    const [row] = await ctx.db.insert(workCenters)
      .values({ orgId: ctx.orgId, code, name: input.name, laborRate: input.laborRate, machineRate: input.machineRate, createdAt: ctx.now() })
      .onConflictDoUpdate({
        target: [workCenters.orgId, workCenters.code],
        set: { name: input.name, laborRate: input.laborRate, machineRate: input.machineRate },
      })
      .returning();
    await writeAudit(ctx, { entity: 'work_center', entityId: row!.id, action: 'put', comment: `${code}: labor ${input.laborRate}, machine ${input.machineRate}` });
    return toWorkCenterJson(row!);
  });
}

export async function listWorkCenters(ctx: Ctx): Promise<WorkCenterJson[]> {
  const rows = await ctx.db.select().from(workCenters).where(eq(workCenters.orgId, ctx.orgId)).orderBy(asc(workCenters.code));
  return rows.map(toWorkCenterJson);
}

/** A work centre by code. Throws NotFoundError naming it. */
export async function requireWorkCenter(ctx: Ctx, code: string): Promise<WorkCenter> {
  const [row] = await ctx.db.select().from(workCenters).where(and(eq(workCenters.orgId, ctx.orgId), eq(workCenters.code, code)));
  if (!row) throw new NotFoundError('work center', code);
  return row;
}
