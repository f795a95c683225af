import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { Ctx } from '../context';
import { dec, type Decimal } from '../lib/decimal';

/** One production order's output and costs in a month: its completions there that stand (not reversed). */
export type OrderFacts = {
  documentId: string; number: string; itemId: string; sku: string; name: string; toWarehouseId: string; fifo: boolean;
  qty: Decimal; runs: Decimal; materialCost: Decimal; laborCost: Decimal; machineCost: Decimal; laborHours: Decimal; machineHours: Decimal;
};
/** What an order consumed in the month, per material: how multi-level overhead finds its way up. */
export type Consumption = { documentId: string; itemId: string; qty: Decimal };

type Row = {
  document_id: string; number: string; item_id: string; sku: string; name: string; to_warehouse_id: string; method: string; runs: number;
  qty: string; material: string; labor: string; machine: string; labor_hours: string; machine_hours: string;
};

/** The month's orders and their consumption, each in one query over its completions in [start, end). */
export async function periodFacts(ctx: Ctx, bounds: { start: Date; end: Date }): Promise<{ orders: OrderFacts[]; consumption: Consumption[] }> {
  const inPeriod = sql`c.org_id = ${ctx.orgId} and c.reversal_id is null
    and c.at >= ${bounds.start.toISOString()}::timestamptz and c.at < ${bounds.end.toISOString()}::timestamptz`;
  const rows = await queryRows<Row>(ctx.db, sql`
    select d.id as document_id, d.number, l.item_id, i.sku, i.name, coalesce(d.to_warehouse_id, d.warehouse_id) as to_warehouse_id,
      i.valuation_method as method, count(*)::int as runs, sum(c.qty)::text as qty, sum(c.material_cost)::text as material,
      sum(c.labor_cost)::text as labor, sum(c.machine_cost)::text as machine,
      sum(c.labor_hours)::text as labor_hours, sum(c.machine_hours)::text as machine_hours
    from production_completions c
    join documents d on d.id = c.document_id
    join document_lines l on l.document_id = d.id and l.line_no = 1
    join items i on i.id = l.item_id
    where ${inPeriod}
    group by d.id, d.number, l.item_id, i.sku, i.name, d.to_warehouse_id, d.warehouse_id, i.valuation_method
    order by d.number`);
  const consumed = await queryRows<{ document_id: string; item_id: string; qty: string }>(ctx.db, sql`
    select c.document_id, m.item_id, sum(m.qty)::text as qty
    from production_completions c join completion_materials m on m.completion_id = c.id
    where ${inPeriod}
    group by c.document_id, m.item_id`);
  return {
    orders: rows.map((r) => ({
      documentId: r.document_id, number: r.number, itemId: r.item_id, sku: r.sku, name: r.name, toWarehouseId: r.to_warehouse_id,
      fifo: r.method === 'fifo', runs: dec(r.runs), qty: dec(r.qty), materialCost: dec(r.material), laborCost: dec(r.labor),
      machineCost: dec(r.machine), laborHours: dec(r.labor_hours), machineHours: dec(r.machine_hours),
    })),
    consumption: consumed.map((c) => ({ documentId: c.document_id, itemId: c.item_id, qty: dec(c.qty) })),
  };
}

/**
 * How much of each order's month output may still be on hand: FIFO, what remains of the layers its
 * completions made that month; moving average, all that its warehouse holds of the item (units are
 * not told apart there — `allocate` shares it among the month's orders of that item and warehouse).
 */
export async function onHandOf(ctx: Ctx, orders: OrderFacts[], bounds: { start: Date; end: Date }): Promise<Map<string, Decimal>> {
  if (orders.length === 0) return new Map();
  const ids = `{${orders.map((o) => o.documentId).join(',')}}`;
  const layers = await queryRows<{ document_id: string; qty: string }>(ctx.db, sql`
    select l.document_id, sum(l.qty_remaining)::text as qty from cost_layers l
    where l.org_id = ${ctx.orgId} and l.document_id = any(${ids}::uuid[]) and l.qty_remaining > 0
      and l.received_at >= ${bounds.start.toISOString()}::timestamptz and l.received_at < ${bounds.end.toISOString()}::timestamptz
    group by l.document_id`);
  const averages = await queryRows<{ item_id: string; warehouse_id: string; qty: string }>(ctx.db, sql`
    select v.item_id, v.warehouse_id, v.qty::text as qty from valuations v
    where v.org_id = ${ctx.orgId} and (v.item_id, v.warehouse_id) in (
      select l.item_id, coalesce(d.to_warehouse_id, d.warehouse_id) from documents d
      join document_lines l on l.document_id = d.id and l.line_no = 1 where d.id = any(${ids}::uuid[]))`);
  const byLayer = new Map(layers.map((l) => [l.document_id, dec(l.qty)]));
  const byKey = new Map(averages.map((a) => [`${a.item_id}|${a.warehouse_id}`, dec(a.qty)]));
  return new Map(orders.map((o) => [o.documentId, o.fifo ? byLayer.get(o.documentId) ?? dec(0) : byKey.get(`${o.itemId}|${o.toWarehouseId}`) ?? dec(0)]));
}
