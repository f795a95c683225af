import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { Ctx } from '../context';
import { Decimal, ZERO, dec, toMoney } from '../lib/decimal';
import type { LayerScope } from '../inventory/revalue';

type Place = { itemId: string; warehouseId: string };

/**
 * Locks the item's valuation in the warehouse, as a posting would, so what is read next about its
 * stock stays true until the revaluation that follows has posted (same transaction, same lock).
 */
export async function lockValuation(ctx: Ctx, at: Place): Promise<void> {
  await queryRows(ctx.db, sql`select 1 from valuations
    where org_id = ${ctx.orgId} and item_id = ${at.itemId} and warehouse_id = ${at.warehouseId} for update`);
}

/** FIFO: what remains of one document's layers received in the scope's window, in one warehouse. */
export async function scopedQty(ctx: Ctx, at: Place, scope: LayerScope): Promise<Decimal> {
  const [row] = await queryRows<{ qty: string | null }>(ctx.db, sql`
    select sum(qty_remaining)::text as qty from cost_layers
    where org_id = ${ctx.orgId} and item_id = ${at.itemId} and warehouse_id = ${at.warehouseId}
      and document_id = ${scope.documentId} and qty_remaining > 0
      ${scope.from ? sql`and received_at >= ${scope.from.toISOString()}::timestamptz` : sql``}
      ${scope.to ? sql`and received_at < ${scope.to.toISOString()}::timestamptz` : sql``}`);
  return dec(row?.qty ?? 0);
}

/**
 * How much of the value a revaluation added to stock (`added`) is still in stock, for a reopening to
 * take off; the rest left with the stock issued since, into cost of goods, and comes back as a variance.
 *
 * FIFO: the value was spread over the order's layers by quantity, and issues take it with them unit
 * by unit, so what is left is `added` × (what remains of those layers now / what they held then).
 * Moving average: the value joined the item's pool in the warehouse; each outflow since took its
 * fraction of the pool's value, and so the same fraction of what was left of `added`. The ledger
 * carries the value after every row, so the product of those fractions is read off it. (Stock moved
 * to another warehouse counts as gone, like an issue.)
 */
export async function stillInStock(
  ctx: Ctx,
  revaluation: { documentId: string; added: Decimal } & Place,
  method: { fifo: true; scope: LayerScope; qtyThen: Decimal | null } | { fifo: false },
): Promise<Decimal> {
  const { added } = revaluation;
  if (added.isZero()) return ZERO;
  if (method.fifo) {
    // A close from before the quantity was kept (migration 0026): all of it, as it was then.
    if (method.qtyThen === null) return added;
    if (method.qtyThen.isZero()) return ZERO;
    const now = await scopedQty(ctx, revaluation, method.scope);
    return toMoney(added.times(Decimal.min(1, now.div(method.qtyThen))));
  }
  const outflows = await queryRows<{ value: string; balance_value: string }>(ctx.db, sql`
    select e.value::text as value, e.balance_value::text as balance_value from ledger_entries e
    where e.org_id = ${ctx.orgId} and e.item_id = ${revaluation.itemId} and e.warehouse_id = ${revaluation.warehouseId}
      and e.bucket = 'stock' and e.qty < 0
      and e.id > (select max(r.id) from ledger_entries r where r.org_id = ${ctx.orgId} and r.document_id = ${revaluation.documentId})
    order by e.id`);
  let left = new Decimal(1);
  for (const o of outflows) {
    const after = dec(o.balance_value);
    const before = after.minus(dec(o.value));
    if (before.lte(0)) return ZERO;
    left = left.times(after.div(before));
  }
  return toMoney(added.times(left));
}
