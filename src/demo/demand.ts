import { and, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/client';
import { demandHistory, items, warehouses } from '../../db/schema';
import type { Ctx } from '../context';
import { addDays, localDate } from '../lib/calendar';
import { setReorderRule } from '../master/set-reorder-rule';

/** How many past days of sales 徐汇店 has on file: four weeks, enough for the weekly-season forecast. */
export const demoDemandDays = 28;

/** 徐汇店's daily sales, base units: weekdays, then Saturday and Sunday (a store busy at the weekend). */
const demoDemand = [
  { sku: 'NFSQ-550', weekday: 18, weekend: 36, minQty: '24' },
  { sku: 'KSF-HSNR', weekday: 5, weekend: 11, minQty: '12' },
];

/** Day-to-day wobble, fixed so every demo is the same: -2…+2 by the day's place in the week and month. */
const wobble = (i: number) => [0, 1, -1, 2, -2, 1, 0][(i * 3) % 7]!;

/**
 * Four weeks of daily demand for 徐汇店 — water and noodles, busier on Saturday and Sunday — as the
 * go-live demand import would file it (history only, never stock), in one insert; and 徐汇店's rules
 * for them supplied by 总仓, so `GET /api/v1/forecast?warehouse=STORE-XH&sku=NFSQ-550` shows a
 * weekly pattern and the Monday 要货建议 card has something to suggest to 徐汇店群.
 */
export async function seedDemand(tx: Queryable, ctx: Ctx): Promise<void> {
  const [store] = await tx.select({ id: warehouses.id }).from(warehouses).where(and(eq(warehouses.orgId, ctx.orgId), eq(warehouses.code, 'STORE-XH')));
  const ids = new Map((await tx.select({ id: items.id, sku: items.sku }).from(items)
    .where(and(eq(items.orgId, ctx.orgId), inArray(items.sku, demoDemand.map((d) => d.sku))))).map((i) => [i.sku, i.id]));
  const today = localDate(ctx.now(), ctx.timezone);
  const rows = demoDemand.flatMap((d) => Array.from({ length: demoDemandDays }, (_, n) => {
    const day = addDays(today, n - demoDemandDays);
    const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
    return { orgId: ctx.orgId, itemId: ids.get(d.sku)!, warehouseId: store!.id, day, qty: String((weekend ? d.weekend : d.weekday) + wobble(n)), importedAt: ctx.now() };
  }));
  await tx.insert(demandHistory).values(rows);
  for (const d of demoDemand) await setReorderRule(ctx, { sku: d.sku, warehouse: 'STORE-XH', minQty: d.minQty, source: 'CENTRAL' });
}
