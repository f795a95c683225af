import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { TestApp } from '../harness';
import type { Shop } from './catalog';
import { check } from './measure';

/** What every scenario is given: the app, the shared shop, and the run's size. */
export type BenchContext = { h: TestApp; shop: Shop; scale: number; engine: 'pglite' | 'postgres' };

/** One scenario's numbers (flat, for the table and the JSON) and notes a reader needs to read them. */
export type ScenarioResult = { metrics: Record<string, number | string>; notes: string[] };

export type Scenario = { name: string; run: (ctx: BenchContext) => Promise<ScenarioResult> };

/** Scaled count, never below `min`. */
export const scaled = (ctx: BenchContext, n: number, min = 1) => Math.max(min, Math.round(n * ctx.scale));

/**
 * The ledger's sums per item and warehouse against the stored valuations: they must agree to the
 * cent, or the benchmark measured a wrong answer. Returns the number of balances checked.
 */
export async function checkLedgerAgrees(h: TestApp, orgId: string): Promise<number> {
  const rows = await queryRows<{ item_id: string; warehouse_id: string; ledger_qty: string; ledger_value: string; qty: string; value: string }>(h.db, sql`
    select v.item_id, v.warehouse_id, coalesce(e.qty, 0)::text as ledger_qty, coalesce(e.value, 0)::text as ledger_value,
      v.qty::text as qty, v.value::text as value
    from valuations v
    left join (select item_id, warehouse_id, sum(qty) as qty, sum(value) as value from ledger_entries
      where org_id = ${orgId} and bucket = 'stock' group by item_id, warehouse_id) e
      on e.item_id = v.item_id and e.warehouse_id = v.warehouse_id
    where v.org_id = ${orgId}`);
  const wrong = rows.filter((r) => Number(r.ledger_qty) !== Number(r.qty) || Number(r.ledger_value) !== Number(r.value));
  check(wrong.length === 0, `ledger disagrees with valuations on ${wrong.length} balances, e.g. ${JSON.stringify(wrong.slice(0, 3))}`);
  return rows.length;
}
