import { and, asc, eq } from 'drizzle-orm';
import { costPools, type PoolDriver } from '../../db/schema';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { ValidationError, type FieldIssue } from '../errors';
import { dec, fmtMoney } from '../lib/decimal';
import { authorize } from '../people/permissions';
import { checkPeriod, refuseClosedPeriod } from '../production/periods';
import { FormulaError, parseFormula } from './formula';

export type PoolInput = { name: string; amount: string; driver: PoolDriver; formula?: string | undefined };
export type PoolJson = { name: string; amount: string; driver: PoolDriver; formula: string | null };

/**
 * Replaces a month's overhead pools (admin: the period close). Every formula is parsed now, so a bad
 * one is a 400 naming its token, never a surprise at the close. Throws ValidationError, ForbiddenError,
 * ConflictError `period_closed` (reopen the month first).
 */
export async function putPools(ctx: Ctx, period: string, pools: PoolInput[]): Promise<{ period: string; pools: PoolJson[] }> {
  return withTransaction(ctx, async (ctx) => {
    await authorize(ctx, 'admin');
    checkPeriod(period);
    checkPools(pools);
    await refuseClosedPeriod(ctx, period, 'changing its pools');
    await ctx.db.delete(costPools).where(and(eq(costPools.orgId, ctx.orgId), eq(costPools.period, period)));
    if (pools.length) {
      await ctx.db.insert(costPools).values(pools.map((p, i) => ({
        orgId: ctx.orgId, period, position: i + 1, name: p.name, amount: p.amount, driver: p.driver, formula: p.driver === 'formula' ? p.formula! : null,
      })));
    }
    await writeAudit(ctx, { entity: 'cost_period', entityId: period, action: 'put_pools', comment: pools.map((p) => `${p.name} ${p.amount}`).join(', ') });
    return { period, pools: await listPools(ctx, period) };
  });
}

function checkPools(pools: PoolInput[]) {
  const issues: FieldIssue[] = [];
  const names = new Set<string>();
  pools.forEach((p, i) => {
    if (names.has(p.name)) issues.push({ field: `pools.${i}.name`, message: `'${p.name}' is listed twice` });
    names.add(p.name);
    if (p.driver !== 'formula' && p.formula !== undefined) issues.push({ field: `pools.${i}.formula`, message: 'only for driver "formula"' });
    if (p.driver === 'formula' && !p.formula) issues.push({ field: `pools.${i}.formula`, message: 'required for driver "formula"' });
    if (p.driver === 'formula' && p.formula) {
      try {
        parseFormula(p.formula);
      } catch (err) {
        if (!(err instanceof FormulaError)) throw err;
        issues.push({ field: `pools.${i}.formula`, message: err.message, reason: 'bad_formula', facts: { token: err.token, pool: p.name } });
      }
    }
  });
  if (issues.length) throw new ValidationError(issues);
}

export async function listPools(ctx: Ctx, period: string): Promise<PoolJson[]> {
  const rows = await ctx.db.select().from(costPools).where(and(eq(costPools.orgId, ctx.orgId), eq(costPools.period, period))).orderBy(asc(costPools.position));
  return rows.map((r) => ({ name: r.name, amount: fmtMoney(dec(r.amount)), driver: r.driver, formula: r.formula }));
}
