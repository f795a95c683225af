import { and, eq, inArray, sql } from 'drizzle-orm';
import { demandHistory, items, warehouses, type Item } from '../../db/schema';
import { localDate } from '../lib/calendar';
import { dec, fmt } from '../lib/decimal';
import { readCode, readDate, readDecimal } from './cells';
import { factorOf } from './import-opening';
import { inChunks, reportRepeats, type ImportKind } from './kind';

/**
 * Past daily sales for go-live (`kind=demand`): `date,warehouse,sku,qty` (and `unit`, a pack unit,
 * optionally). History for the forecast only — it never touches stock. A day already on file is
 * replaced, so a corrected export can simply be imported again. A day with 0 is a day with no sales
 * (it counts: the forecast learns the quiet days too).
 */
export const demandImport: ImportKind = {
  columns: ['date', 'warehouse', 'sku', 'qty', 'unit'],
  required: ['date', 'warehouse', 'sku', 'qty'],
  async check(ctx, rows, tick) {
    const today = localDate(ctx.now(), ctx.timezone);
    const read = rows.map((r) => {
      tick();
      const date = readDate(r, 'date');
      if (date !== undefined && date >= today) r.fail('date', `${date} is not past: demand history ends yesterday (${today} is today)`);
      return {
        date, warehouse: readCode(r, 'warehouse', 'warehouse', true), sku: readCode(r, 'sku', 'sku', true),
        unit: readCode(r, 'unit', 'unit', false), qty: readDecimal(r, 'qty', 3, 'non_negative'),
      };
    });
    // Keyed on the day as read, not as written: 2025-01-05 and 2025/1/5 are one day, and one row of the insert.
    const dayKey = new Map(rows.map((r, i) => {
      const o = read[i]!;
      return [r, o.date === undefined || o.warehouse === undefined || o.sku === undefined ? undefined : `${o.date}|${o.warehouse}|${o.sku}`];
    }));
    reportRepeats(rows, (r) => [dayKey.get(r)], (r, key, first) =>
      r.fail('sku', `${r.text('sku')} in ${r.text('warehouse')} on ${key.split('|')[0]} is already on row ${first}`));
    const codes = [...new Set(read.map((o) => o.warehouse).filter((c) => c !== undefined))];
    const skus = [...new Set(read.map((o) => o.sku).filter((s) => s !== undefined))];
    const whRows = await inChunks(codes, 5000, (part) => ctx.db.select({ id: warehouses.id, code: warehouses.code }).from(warehouses)
      .where(and(eq(warehouses.orgId, ctx.orgId), inArray(warehouses.code, part))));
    const itemRows = await inChunks(skus, 5000, (part) => ctx.db.select().from(items)
      .where(and(eq(items.orgId, ctx.orgId), inArray(items.sku, part))));
    const whId = new Map(whRows.map((w) => [w.code, w.id]));
    const bySku = new Map<string, Item>(itemRows.map((i) => [i.sku, i]));
    const values = rows.map((r, i) => {
      const o = read[i]!;
      if (o.warehouse !== undefined && !whId.has(o.warehouse)) r.fail('warehouse', `unknown warehouse '${o.warehouse}'`);
      const item = o.sku === undefined ? undefined : bySku.get(o.sku);
      if (o.sku !== undefined && !item) r.fail('sku', `unknown item '${o.sku}'`);
      if (!item) return undefined;
      const factor = factorOf(r, item, o.unit);
      if (factor === undefined || o.qty === undefined || o.date === undefined || r.failed()) return undefined;
      const qty = dec(o.qty).times(factor);
      if (qty.decimalPlaces() > 3) {
        r.fail('qty', `${o.qty} ${o.unit} is ${fmt(qty)} ${item.unit}, more than 3 decimal places of ${item.unit}`);
        return undefined;
      }
      return { orgId: ctx.orgId, itemId: item.id, warehouseId: whId.get(o.warehouse!)!, day: o.date, qty: fmt(qty), importedAt: ctx.now() };
    });
    return async (tx, progress) => {
      const ready = values.filter((v) => v !== undefined);
      await inChunks(ready, 1000, async (part) => {
        await tx.db.insert(demandHistory).values(part)
          .onConflictDoUpdate({
            target: [demandHistory.orgId, demandHistory.itemId, demandHistory.warehouseId, demandHistory.day],
            set: { qty: sql`excluded.qty`, importedAt: sql`excluded.created_at` },
          });
      });
      progress(ready.length, ready.length);
      return {};
    };
  },
};
