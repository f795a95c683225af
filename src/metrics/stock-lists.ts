import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { PackUnit } from '../../db/schema';
import { formatQtyWithPack } from '../../cards/format';
import type { Ctx } from '../context';
import { ValidationError } from '../errors';
import { DEFAULT_NEAR_EXPIRY_DAYS, lotShareValue, nearExpiryCondition } from '../inventory/near-expiry';
import { localDate } from '../lib/calendar';
import { dec, fmt, fmtMoney } from '../lib/decimal';
import { availableOf, belowSafety, figuresKey, orderFigures } from '../orders/figures';
import { requireWarehouseId } from '../refs';

/**
 * The lists behind the dashboard's stock figures (stock.ts), so every tile opens what it counts:
 * the items in stock (by warehouse or category), the items below safety stock, the near-expiry
 * lots, and the posted issues of a period. Quantities come with `qtyLabel`, the base unit and the
 * packs it fills as the cards write it ("240 罐 (10 箱)"), so no page re-derives packs.
 */

export const stockListViews = ['in_stock', 'below_safety', 'near_expiry'] as const;
export type StockListView = (typeof stockListViews)[number];
/** At most this many rows a list: the biggest values (or nearest expiries) first. */
export const STOCK_LIST_LIMIT = 500;

export type StockListQuery = {
  view: StockListView;
  warehouse?: string | undefined;
  /** An item category; the empty string asks for items with none. */
  category?: string | undefined;
  nearExpiryDays?: number | undefined;
};

export type StockListRow = {
  sku: string; name: string; category: string | null; unit: string;
  warehouse: string; warehouseName: string;
  qty: string; qtyLabel: string; value: string;
  /** Order figures of the item at the warehouse (src/orders/figures.ts): reserved by sales orders, on purchase orders and requisitions, on hand − reserved. */
  reserved: string; onOrder: string; available: string; availableLabel: string;
  safetyStock: string | null;
  lot: string | null; expiresOn: string | null;
};

type Raw = {
  item_id: string; warehouse_id: string; sku: string; name: string; category: string | null; unit: string; pack_units: PackUnit[] | string;
  warehouse: string; warehouse_name: string; qty: string; value: string; safety: string | null; lot: string | null; expires_on: string | null;
};

export async function listStockItems(ctx: Ctx, query: StockListQuery): Promise<{ view: StockListView; rows: StockListRow[] }> {
  const warehouseId = query.warehouse === undefined ? undefined : await requireWarehouseId(ctx, query.warehouse);
  const inWarehouse = (wh: SQL) => (warehouseId === undefined ? sql`` : sql`and ${wh} = ${warehouseId}`);
  const inCategory = query.category === undefined ? sql`` : sql`and coalesce(i.category, '') = ${query.category}`;
  const filters = (wh: SQL) => sql`${inWarehouse(wh)} ${inCategory}`;
  const item = sql`i.id as item_id, w.id as warehouse_id, i.sku, i.name, nullif(i.category, '') as category, i.unit, i.pack_units, w.code as warehouse, w.name as warehouse_name`;
  let rows: Raw[];
  if (query.view === 'in_stock') {
    rows = await queryRows<Raw>(ctx.db, sql`
      select ${item}, v.qty::text as qty, v.value::text as value, r.min_qty::text as safety, null as lot, null as expires_on
      from valuations v
      join items i on i.org_id = v.org_id and i.id = v.item_id
      join warehouses w on w.org_id = v.org_id and w.id = v.warehouse_id
      left join reorder_rules r on r.org_id = v.org_id and r.item_id = v.item_id and r.warehouse_id = v.warehouse_id
      where v.org_id = ${ctx.orgId} and v.qty > 0 ${filters(sql`v.warehouse_id`)}
      order by v.value desc, i.sku collate "C", w.code collate "C" limit ${STOCK_LIST_LIMIT}`);
  } else if (query.view === 'below_safety') {
    rows = await queryRows<Raw>(ctx.db, sql`
      select ${item}, b.qty::text as qty, b.value::text as value, b.min_qty::text as safety, null as lot, null as expires_on
      from (${belowSafety(ctx.orgId, inWarehouse)}) as b
      join items i on i.org_id = ${ctx.orgId} and i.id = b.item_id
      join warehouses w on w.org_id = ${ctx.orgId} and w.id = b.warehouse_id
      where true ${inCategory}
      order by b.available / b.min_qty, i.sku collate "C", w.code collate "C" limit ${STOCK_LIST_LIMIT}`);
  } else {
    const today = localDate(ctx.now(), ctx.timezone);
    rows = await queryRows<Raw>(ctx.db, sql`
      select ${item}, sb.qty::text as qty, ${lotShareValue}::text as value, null as safety, sb.lot, l.expires_on::text as expires_on
      from stock_balances sb
      join lots l on l.org_id = sb.org_id and l.item_id = sb.item_id and l.code = sb.lot
      join items i on i.org_id = sb.org_id and i.id = sb.item_id
      join warehouses w on w.org_id = sb.org_id and w.id = sb.warehouse_id
      left join valuations v on v.org_id = sb.org_id and v.item_id = sb.item_id and v.warehouse_id = sb.warehouse_id
      where sb.org_id = ${ctx.orgId} and sb.qty > 0 and ${nearExpiryCondition(today, query.nearExpiryDays ?? DEFAULT_NEAR_EXPIRY_DAYS)}
        ${filters(sql`sb.warehouse_id`)}
      order by l.expires_on, i.sku collate "C", w.code collate "C", sb.lot collate "C" limit ${STOCK_LIST_LIMIT}`);
  }
  const figures = await orderFigures(ctx.db, ctx.orgId, {
    itemIds: [...new Set(rows.map((r) => r.item_id))], warehouseIds: [...new Set(rows.map((r) => r.warehouse_id))],
  });
  return {
    view: query.view,
    rows: rows.map((r) => {
      const packs: PackUnit[] = typeof r.pack_units === 'string' ? JSON.parse(r.pack_units) : r.pack_units ?? [];
      const qty = fmt(dec(r.qty));
      const f = figures.get(figuresKey(r.item_id, r.warehouse_id));
      const available = fmt(availableOf(r.qty, f));
      return {
        sku: r.sku, name: r.name, category: r.category, unit: r.unit, warehouse: r.warehouse, warehouseName: r.warehouse_name,
        qty, qtyLabel: formatQtyWithPack(qty, r.unit, packs), value: fmtMoney(dec(r.value)),
        reserved: fmt(f?.reserved ?? dec(0)), onOrder: fmt(f?.onOrder ?? dec(0)), available, availableLabel: formatQtyWithPack(available, r.unit, packs),
        safetyStock: r.safety === null ? null : fmt(dec(r.safety)), lot: r.lot, expiresOn: r.expires_on,
      };
    }),
  };
}

export type IssueListRow = { id: string; number: string; warehouse: string; warehouseName: string; postedAt: string; value: string; lines: number; reason: string | null };

/** Posted issue documents (not reversals) of local days `from`..`to`, newest first: what the issues trend counts. */
export async function listIssues(ctx: Ctx, query: { from: string; to: string; warehouse?: string | undefined }): Promise<{ from: string; to: string; documents: IssueListRow[] }> {
  if (query.from > query.to) throw ValidationError.field('from', `must not be after to (${query.to})`);
  const warehouseId = query.warehouse === undefined ? undefined : await requireWarehouseId(ctx, query.warehouse);
  const tz = ctx.timezone;
  const rows = await queryRows<{ id: string; number: string; warehouse: string; warehouse_name: string; posted_at: Date | string; value: string; lines: number; reason: string | null }>(ctx.db, sql`
    select d.id, d.number, w.code as warehouse, w.name as warehouse_name, d.posted_at, d.total_value::text as value, d.reason,
      (select count(*)::int from document_lines dl where dl.document_id = d.id) as lines
    from documents d join warehouses w on w.org_id = d.org_id and w.id = d.warehouse_id
    where d.org_id = ${ctx.orgId} and d.type = 'issue' and d.status = 'posted' and d.reverses_id is null
      and d.posted_at >= (${query.from}::date::timestamp at time zone ${tz}) and d.posted_at < ((${query.to}::date + 1)::timestamp at time zone ${tz})
      ${warehouseId === undefined ? sql`` : sql`and d.warehouse_id = ${warehouseId}`}
    order by d.posted_at desc, d.number collate "C" desc limit ${STOCK_LIST_LIMIT}`);
  return {
    from: query.from, to: query.to,
    documents: rows.map((r) => ({
      id: r.id, number: r.number, warehouse: r.warehouse, warehouseName: r.warehouse_name, postedAt: new Date(r.posted_at).toISOString(),
      value: fmtMoney(dec(r.value)), lines: r.lines, reason: r.reason,
    })),
  };
}
