import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { Ctx } from '../context';
import { Decimal, ZERO, dec, toUnitCost } from '../lib/decimal';

export type CurrentCost = { qty: Decimal; unitCost: Decimal; hasCost: boolean };

/**
 * What each item costs today: value / qty over all its warehouses, or — out of stock — the unit
 * cost of its last movement (`hasCost` false when it never moved). One query for all of them.
 */
export async function currentCosts(ctx: Ctx, itemIds: string[]): Promise<Map<string, CurrentCost>> {
  if (itemIds.length === 0) return new Map();
  const ids = `{${[...new Set(itemIds)].join(',')}}`;
  const rows = await queryRows<{ id: string; qty: string; value: string; last: string | null }>(ctx.db, sql`
    select i.id, coalesce(sum(v.qty), 0)::text as qty, coalesce(sum(v.value), 0)::text as value,
      (select e.unit_cost::text from ledger_entries e
        where e.org_id = i.org_id and e.item_id = i.id and e.bucket = 'stock' and e.qty <> 0
        order by e.id desc limit 1) as last
    from items i left join valuations v on v.org_id = i.org_id and v.item_id = i.id
    where i.org_id = ${ctx.orgId} and i.id = any(${ids}::uuid[])
    group by i.id`);
  return new Map(rows.map((r) => {
    const qty = dec(r.qty);
    const unitCost = qty.gt(0) ? toUnitCost(dec(r.value).div(qty)) : r.last === null ? ZERO : dec(r.last);
    return [r.id, { qty, unitCost, hasCost: qty.gt(0) || r.last !== null }];
  }));
}
