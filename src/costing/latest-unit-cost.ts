import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { Ctx } from '../context';
import { NotFoundError } from '../errors';
import { periodOf, shiftPeriod } from '../production/periods';
import { standardCost } from '../production/standard-cost';
import { unitCostTable, type UnitCostRow } from './unit-cost-table';

export type LatestUnitCost =
  | { kind: 'period'; period: string; status: 'open' | 'closed'; row: UnitCostRow }
  | { kind: 'standard'; cost: Awaited<ReturnType<typeof standardCost>> }
  | { kind: 'none' };

/**
 * An item's latest unit cost, for `成本 杯面`: its row in the unit cost table of the last month it was
 * produced in (beside the month before), else — never produced — its standard cost by its BOM at
 * today's costs, else nothing.
 */
export async function latestUnitCost(ctx: Ctx, item: { id: string; sku: string }): Promise<LatestUnitCost> {
  const [last] = await queryRows<{ at: string }>(ctx.db, sql`
    select max(c.at)::text as at from production_completions c
    join document_lines l on l.document_id = c.document_id and l.line_no = 1
    where c.org_id = ${ctx.orgId} and c.reversal_id is null and l.item_id = ${item.id}`);
  if (last?.at) {
    const period = periodOf(new Date(last.at), ctx.timezone);
    const table = await unitCostTable(ctx, period, shiftPeriod(period, -1));
    const row = table.rows.find((r) => r.sku === item.sku);
    if (row) return { kind: 'period', period, status: table.status, row };
  }
  try {
    return { kind: 'standard', cost: await standardCost(ctx, item.sku) };
  } catch (err) {
    if (err instanceof NotFoundError) return { kind: 'none' };
    throw err;
  }
}
