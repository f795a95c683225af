import { and, eq, ne } from 'drizzle-orm';
import { alerts } from '../../db/schema';
import type { Ctx } from '../context';
import { fmt, type Decimal } from '../lib/decimal';
import { enqueue } from '../outbox/enqueue';
import { keyOf, type StockState } from './stock-state';

/**
 * In the posting's transaction, both ways across the safety stock (`state.rules`, read with the
 * locked valuations): an item and warehouse this posting took from at or above it to below gets an
 * alert — unless one is already unresolved (acknowledged or snoozed alike): one alert per item and
 * warehouse until it recovers — and an outbox event to announce it; one it lifted back to or above it
 * has its alert resolved at once, every copy of the card then showing 已恢复, so the next fall
 * alerts again. Reminders, snoozes and rule changes belong to the low-stock job.
 */
export async function recordLowStockCrossings(ctx: Ctx, documentId: string, before: Map<string, Decimal>, state: StockState) {
  for (const v of state.valuations.values()) {
    const rule = state.rules.get(keyOf(v));
    const was = before.get(keyOf(v));
    if (!rule || was === undefined) continue;
    if (was.lt(rule.minQty) && v.qty.gte(rule.minQty)) {
      await resolve(ctx, v);
      continue;
    }
    if (!(was.gte(rule.minQty) && v.qty.lt(rule.minQty))) continue;
    const [alert] = await ctx.db.insert(alerts)
      .values({ orgId: ctx.orgId, kind: 'low_stock', itemId: v.itemId, warehouseId: v.warehouseId, openedAt: ctx.now(), lastNotifiedAt: ctx.now() })
      .onConflictDoNothing().returning({ id: alerts.id });
    if (!alert) continue;
    await enqueue(ctx, 'low_stock', `low_stock:${alert.id}`, {
      alertId: alert.id, itemId: v.itemId, warehouseId: v.warehouseId, sku: state.items.get(v.itemId)!.sku, warehouse: state.warehouseCodes.get(v.warehouseId)!,
      qty: fmt(v.qty), minQty: fmt(rule.minQty), reorderQty: rule.reorderQty === null ? null : fmt(rule.reorderQty), documentId,
    });
  }
}

async function resolve(ctx: Ctx, key: { itemId: string; warehouseId: string }) {
  const now = ctx.now();
  const resolved = await ctx.db.update(alerts).set({ status: 'resolved', resolvedAt: now })
    .where(and(eq(alerts.orgId, ctx.orgId), eq(alerts.kind, 'low_stock'), eq(alerts.itemId, key.itemId), eq(alerts.warehouseId, key.warehouseId),
      ne(alerts.status, 'resolved')))
    .returning({ id: alerts.id });
  for (const a of resolved) await enqueue(ctx, 'alert_changed', `alert_changed:${a.id}:resolved:${now.getTime()}`, { alertId: a.id });
}
