import { and, eq, inArray } from 'drizzle-orm';
import { alerts, reorderRules } from '../../db/schema';
import type { Ctx } from '../context';
import { dec, fmt, type Decimal } from '../lib/decimal';
import { enqueue } from '../outbox/enqueue';
import { keyOf, type StockState } from './stock-state';

/**
 * In the posting's transaction: every item and warehouse whose stock this posting took from at or
 * above its safety stock to below it gets an alert — unless one is already unresolved (acknowledged
 * or snoozed alike): one alert per item and warehouse until it recovers — and an outbox row to
 * announce it. Recovery and reminders belong to the low-stock job.
 */
export async function recordLowStockCrossings(ctx: Ctx, documentId: string, before: Map<string, Decimal>, state: StockState) {
  const fell = [...state.valuations.values()].filter((v) => v.qty.lt(before.get(keyOf(v)) ?? v.qty));
  if (fell.length === 0) return;
  const rules = await ctx.db.select().from(reorderRules).where(and(eq(reorderRules.orgId, ctx.orgId),
    inArray(reorderRules.itemId, [...new Set(fell.map((v) => v.itemId))])));
  for (const v of fell) {
    const rule = rules.find((r) => r.itemId === v.itemId && r.warehouseId === v.warehouseId);
    if (!rule) continue;
    const min = dec(rule.minQty);
    if (before.get(keyOf(v))!.gte(min) && v.qty.lt(min)) {
      const [alert] = await ctx.db.insert(alerts)
        .values({ orgId: ctx.orgId, kind: 'low_stock', itemId: v.itemId, warehouseId: v.warehouseId, openedAt: ctx.now(), lastNotifiedAt: ctx.now() })
        .onConflictDoNothing().returning({ id: alerts.id });
      if (!alert) continue;
      await enqueue(ctx, 'low_stock', `low_stock:${alert.id}`, {
        alertId: alert.id, itemId: v.itemId, warehouseId: v.warehouseId, sku: state.items.get(v.itemId)?.sku, warehouse: state.warehouseCodes.get(v.warehouseId),
        qty: fmt(v.qty), minQty: fmt(min), reorderQty: rule.reorderQty === null ? null : fmt(dec(rule.reorderQty)), documentId,
      });
    }
  }
}
