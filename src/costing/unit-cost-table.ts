import { and, eq } from 'drizzle-orm';
import { costSettlements, items } from '../../db/schema';
import type { Ctx } from '../context';
import { Decimal, ZERO, dec, fmt, fmtMoney, sum, toUnitCost } from '../lib/decimal';
import { checkPeriod, periodBounds, standingClose } from '../production/periods';
import { periodFacts } from './period-facts';

export type UnitCostRow = {
  sku: string; name: string; qty: string; material: string; labor: string; machine: string; overhead: string; total: string; unitCost: string;
  compare?: { period: string; unitCost: string | null; diff: string | null; diffPct: string | null };
};
export type UnitCostTable = { period: string; status: 'open' | 'closed'; rows: UnitCostRow[] };

type Parts = { sku: string; name: string; qty: Decimal; material: Decimal; labor: Decimal; machine: Decimal; overhead: Decimal };

/**
 * The unit cost table (产品单位成本表) of the items produced in a month, one row per item: materials at
 * the value they left stock with, labour and machine from the work absorbed, and — once the month is
 * closed — overhead, what was inherited from intermediate products included. `total` is the sum of
 * the parts and `unitCost = total / qty` (6 places). With `compare`, another month's unit cost beside
 * each row. Throws ValidationError for a period that is not YYYY-MM.
 */
export async function unitCostTable(ctx: Ctx, period: string, compare?: string): Promise<UnitCostTable> {
  checkPeriod(period);
  if (compare !== undefined) checkPeriod(compare, 'compare');
  const table = await tableOf(ctx, period);
  if (compare === undefined) return table;
  const other = new Map((await tableOf(ctx, compare)).rows.map((r) => [r.sku, dec(r.unitCost)]));
  return {
    ...table,
    rows: table.rows.map((r) => {
      const then = other.get(r.sku);
      const diff = then === undefined ? null : dec(r.unitCost).minus(then);
      return { ...r, compare: {
        period: compare, unitCost: then === undefined ? null : fmt(then), diff: diff === null ? null : fmt(diff),
        diffPct: diff === null || then!.isZero() ? null : diff.div(then!).times(100).toDecimalPlaces(2).toFixed(2),
      } };
    }),
  };
}

async function tableOf(ctx: Ctx, period: string): Promise<UnitCostTable> {
  const close = await standingClose(ctx, period);
  const parts = close ? await closedParts(ctx, close.id) : await openParts(ctx, period);
  const rows = [...group(parts).values()].sort((a, b) => (a.sku < b.sku ? -1 : 1)).map((p) => {
    const total = p.material.plus(p.labor).plus(p.machine).plus(p.overhead);
    return {
      sku: p.sku, name: p.name, qty: fmt(p.qty), material: fmtMoney(p.material), labor: fmtMoney(p.labor), machine: fmtMoney(p.machine),
      overhead: fmtMoney(p.overhead), total: fmtMoney(total), unitCost: fmt(p.qty.isZero() ? ZERO : toUnitCost(total.div(p.qty))),
    };
  });
  return { period, status: close ? 'closed' : 'open', rows };
}

/** A closed month: as its close settled it (overhead = direct + inherited, per order). */
async function closedParts(ctx: Ctx, closeId: string): Promise<Parts[]> {
  const rows = await ctx.db.select({ s: costSettlements, sku: items.sku, name: items.name }).from(costSettlements)
    .innerJoin(items, eq(items.id, costSettlements.itemId))
    .where(and(eq(costSettlements.orgId, ctx.orgId), eq(costSettlements.closeId, closeId)));
  return rows.map(({ s, sku, name }) => ({
    sku, name, qty: dec(s.qty), material: dec(s.materialCost), labor: dec(s.laborCost), machine: dec(s.machineCost), overhead: dec(s.direct).plus(s.inherited),
  }));
}

/** An open month: its completions as they stand, no overhead yet. */
async function openParts(ctx: Ctx, period: string): Promise<Parts[]> {
  const { orders } = await periodFacts(ctx, await periodBounds(ctx, period));
  return orders.map((o) => ({ sku: o.sku, name: o.name, qty: o.qty, material: o.materialCost, labor: o.laborCost, machine: o.machineCost, overhead: ZERO }));
}

function group(parts: Parts[]): Map<string, Parts> {
  const bySku = new Map<string, Parts[]>();
  for (const p of parts) bySku.set(p.sku, [...(bySku.get(p.sku) ?? []), p]);
  return new Map([...bySku].map(([sku, ps]) => [sku, {
    sku, name: ps[0]!.name, qty: sum(ps.map((p) => p.qty)), material: sum(ps.map((p) => p.material)), labor: sum(ps.map((p) => p.labor)),
    machine: sum(ps.map((p) => p.machine)), overhead: sum(ps.map((p) => p.overhead)),
  }]));
}
