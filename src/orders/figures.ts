import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client';
import { dec, ZERO, type Decimal } from '../lib/decimal';
import { countingStatuses, openOrderStatus } from './kinds';

/**
 * The order figures of stock, per item and warehouse, in one place (API, chat answers, dashboard
 * and replenishment all read them here):
 * - `onOrder`: still open on approved purchase orders at the warehouse and on approved requisitions
 *   the warehouse (a store) asked for;
 * - `reserved`: still open on approved sales orders from the warehouse;
 * - `inTransit`: shipped towards the warehouse and not yet received.
 * `available` is on hand − reserved (`availableOf`).
 */
export type OrderFigures = { itemId: string; warehouseId: string; onOrder: Decimal; reserved: Decimal; inTransit: Decimal };

export const figuresKey = (itemId: string, warehouseId: string) => `${itemId}|${warehouseId}`;

export const noFigures = (itemId: string, warehouseId: string): OrderFigures =>
  ({ itemId, warehouseId, onOrder: ZERO, reserved: ZERO, inTransit: ZERO });

export const availableOf = (onHand: Decimal | string, figures: Pick<OrderFigures, 'reserved'> | undefined) =>
  dec(onHand).minus(figures?.reserved ?? ZERO);

export type FiguresFilter = { warehouseIds?: string[] | undefined; itemIds?: string[] | undefined };

/** Figures keyed by `figuresKey(itemId, warehouseId)`; only pairs with something on order, reserved or in transit. */
export async function orderFigures(db: Queryable, orgId: string, filter: FiguresFilter = {}): Promise<Map<string, OrderFigures>> {
  const out = new Map<string, OrderFigures>();
  if (filter.warehouseIds?.length === 0 || filter.itemIds?.length === 0) return out;
  const where = (wh: SQL, item: SQL) => sql`${filter.warehouseIds ? sql`and ${wh} in ${inList(filter.warehouseIds)}` : sql``}
    ${filter.itemIds ? sql`and ${item} in ${inList(filter.itemIds)}` : sql``}`;
  const rows = await queryRows<{ item_id: string; warehouse_id: string; on_order: string; reserved: string; in_transit: string }>(db, sql`
    with o as (${openOrderQuantities(orgId, where(sql`d.warehouse_id`, sql`l.item_id`))}),
    t as (
      select v.item_id, v.warehouse_id, v.transit_qty from valuations v
      where v.org_id = ${orgId} and v.transit_qty <> 0 ${where(sql`v.warehouse_id`, sql`v.item_id`)})
    select coalesce(o.item_id, t.item_id) as item_id, coalesce(o.warehouse_id, t.warehouse_id) as warehouse_id,
      coalesce(o.on_order, 0)::text as on_order, coalesce(o.reserved, 0)::text as reserved, coalesce(t.transit_qty, 0)::text as in_transit
    from (select item_id, warehouse_id,
            sum(case when type = 'sales_order' then 0 else open end) as on_order,
            sum(case when type = 'sales_order' then open else 0 end) as reserved
          from o group by item_id, warehouse_id) o
    full join t on t.item_id = o.item_id and t.warehouse_id = o.warehouse_id`);
  for (const r of rows) {
    const f = { itemId: r.item_id, warehouseId: r.warehouse_id, onOrder: dec(r.on_order), reserved: dec(r.reserved), inTransit: dec(r.in_transit) };
    if (f.onOrder.isZero() && f.reserved.isZero() && f.inTransit.isZero()) continue;
    out.set(figuresKey(f.itemId, f.warehouseId), f);
  }
  return out;
}

/**
 * What is still open per open order and item: ordered − cancelled − fulfilled (never below 0).
 * Columns: `org_id`, `order_id`, `type`, `warehouse_id` (the order's own warehouse: the requisition's asking
 * store), `item_id`, `open`. `more` narrows the orders (`d` documents, `l` their lines).
 */
export function openOrderQuantities(orgId: string, more: SQL = sql``): SQL {
  return openQuantities(sql`d.org_id = ${orgId}`, more);
}

/**
 * Reserved stock per item and warehouse: what approved sales orders from the warehouse still hold
 * open. Rows `org_id`, `item_id`, `warehouse_id`, `reserved`. `orgId` null: every organisation (the
 * low-stock scan). `more` narrows the orders (`d`) and their lines (`l`).
 */
export function reservedQuantities(orgId: string | null, more: SQL = sql``): SQL {
  return sql`select org_id, item_id, warehouse_id, sum(open) as reserved
    from (${openQuantities(orgId === null ? sql`true` : sql`d.org_id = ${orgId}`, sql`and d.type = 'sales_order' ${more}`)}) as o
    group by org_id, item_id, warehouse_id`;
}

/**
 * The item-and-warehouse balances of an organisation whose available stock (on hand − reserved) is
 * below their reorder rule's minimum (`valuations.min_qty`, kept there by a trigger): the one reading
 * of "below safety stock" that the dashboard's tile and list and chat's 低库存 share. Rows `item_id`,
 * `warehouse_id`, `qty`, `value`, `min_qty`, `reserved`, `available`. `inWarehouses` narrows it, given
 * a warehouse id column (the orders' and the balances'), e.g. `and ${column} = ${id}`.
 */
export function belowSafety(orgId: string, inWarehouses: (column: SQL) => SQL = () => sql``): SQL {
  return sql`with r as (${reservedQuantities(orgId, inWarehouses(sql`d.warehouse_id`))})
    select v.item_id, v.warehouse_id, v.qty, v.value, v.min_qty, coalesce(r.reserved, 0) as reserved, v.qty - coalesce(r.reserved, 0) as available
    from valuations v
    left join r on r.item_id = v.item_id and r.warehouse_id = v.warehouse_id
    where v.org_id = ${orgId} and v.qty - coalesce(r.reserved, 0) < v.min_qty ${inWarehouses(sql`v.warehouse_id`)}`;
}

function openQuantities(orgs: SQL, more: SQL): SQL {
  const counting = sql.join(countingStatuses.map((s) => sql`${s}`), sql`, `);
  return sql`
    select d.org_id, d.id as order_id, d.type, d.warehouse_id, l.item_id,
      greatest(sum(l.qty - coalesce(l.cancelled_qty, 0)) - coalesce(max(f.done), 0), 0) as open
    from documents d
    join document_lines l on l.org_id = d.org_id and l.document_id = d.id
    left join lateral (
      select sum(fl.qty) as done from documents fd
      join document_lines fl on fl.org_id = fd.org_id and fl.document_id = fd.id
      where fd.org_id = d.org_id and fd.order_of_id = d.id and fl.item_id = l.item_id
        and fd.status in (${counting}) and fd.reversed_by_id is null) f on true
    where ${orgs} and d.type in ('purchase_order', 'sales_order', 'requisition') and d.status = ${openOrderStatus} ${more}
    group by d.org_id, d.id, d.type, d.warehouse_id, l.item_id`;
}

const inList = (ids: string[]) => sql`(${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`;
