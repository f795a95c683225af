import { and, eq, inArray } from 'drizzle-orm';
import type { Card } from '../../cards/model';
import { formatTime } from '../../cards/format';
import { renderLowStockCard } from '../../cards/low-stock-card';
import { alerts, items, reorderRules, users, valuations, warehouses } from '../../db/schema';
import { writeAudit } from '../audit';
import { requireOwnWarehouse, roleName } from '../chat/action-policy';
import type { Ctx } from '../context';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { fmt, dec } from '../lib/decimal';
import { enqueue } from '../outbox/enqueue';

/** Who may acknowledge or snooze a low-stock alert: the warehouse's people, and those above them. */
const ALERT_ROLES = ['warehouse_lead', 'store_manager', 'supervisor', 'admin'];

/**
 * Acknowledge (seen, being handled) or snooze (remind again after `hours`) an open alert, claimed
 * with `UPDATE … WHERE status … RETURNING`: a second or stale tap is told who already did it.
 * Every copy of the card is then updated through the outbox.
 */
export async function actOnAlert(ctx: Ctx, alertId: string, act: { kind: 'acknowledge' } | { kind: 'snooze'; hours: number }): Promise<Card> {
  const actor = ctx.actor;
  if (actor.type === 'job' || !actor.userId) throw new ForbiddenError('only a person acts on alerts').withChat('提醒要由本人用自己的账号来处理');
  const [alert] = await ctx.db.select({ a: alerts, code: warehouses.code }).from(alerts).innerJoin(warehouses, eq(warehouses.id, alerts.warehouseId))
    .where(and(eq(alerts.orgId, ctx.orgId), eq(alerts.id, alertId)));
  if (!alert) throw new NotFoundError('alert', alertId);
  if (!actor.roles.some((r) => ALERT_ROLES.includes(r))) throw new ForbiddenError(`处理提醒需要${ALERT_ROLES.map(roleName).join('、')}`);
  if (!actor.roles.includes('admin') && !actor.roles.includes('supervisor')) await requireOwnWarehouse(ctx, actor.userId, alert.code);
  const now = ctx.now();
  const set = act.kind === 'acknowledge'
    ? { status: 'acknowledged' as const, acknowledgedByUserId: actor.userId, acknowledgedAt: now }
    : { status: 'snoozed' as const, acknowledgedByUserId: actor.userId, acknowledgedAt: now, snoozedUntil: new Date(now.getTime() + act.hours * 3_600_000) };
  const [claimed] = await ctx.db.update(alerts).set(set)
    .where(and(eq(alerts.id, alertId), inArray(alerts.status, act.kind === 'acknowledge' ? ['open', 'snoozed'] : ['open']))).returning();
  if (!claimed) throw new ConflictError(await alreadyHandled(ctx, alert.a));
  await writeAudit(ctx, { entity: 'alert', entityId: alertId, action: act.kind, from: alert.a.status, to: claimed.status });
  await enqueue(ctx, 'alert_changed', `alert_changed:${alertId}:${claimed.status}:${now.getTime()}`, { alertId });
  return alertCard(ctx, alertId);
}

/** Why a second tap did nothing: recovered (when), or who acknowledged or snoozed it, and when. */
async function alreadyHandled(ctx: Ctx, a: typeof alerts.$inferSelect): Promise<string> {
  const at = (t: Date | null) => (t ? `在 ${formatTime(t, ctx.timezone)} ` : '');
  if (a.status === 'resolved') return `库存已恢复，这条提醒已${at(a.resolvedAt)}关闭`;
  const [who] = a.acknowledgedByUserId ? await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, a.acknowledgedByUserId)) : [];
  const by = who?.name ?? '有人';
  if (a.status === 'snoozed') return `${by} 已经设为稍后提醒${a.snoozedUntil ? `，${formatTime(a.snoozedUntil, ctx.timezone)} 再提醒` : ''}`;
  return `${by} 已${at(a.acknowledgedAt)}确认了这条提醒`;
}

/** The alert's card in its current state: open with buttons, or acknowledged / snoozed / recovered. */
export async function alertCard(ctx: Ctx, alertId: string): Promise<Card> {
  const [row] = await ctx.db
    .select({ a: alerts, sku: items.sku, name: items.name, unit: items.unit, packUnits: items.packUnits, code: warehouses.code, whName: warehouses.name,
      qty: valuations.qty, min: reorderRules.minQty, reorder: reorderRules.reorderQty, by: users.name })
    .from(alerts)
    .innerJoin(items, eq(items.id, alerts.itemId))
    .innerJoin(warehouses, eq(warehouses.id, alerts.warehouseId))
    .leftJoin(valuations, and(eq(valuations.orgId, alerts.orgId), eq(valuations.itemId, alerts.itemId), eq(valuations.warehouseId, alerts.warehouseId)))
    .leftJoin(reorderRules, and(eq(reorderRules.orgId, alerts.orgId), eq(reorderRules.itemId, alerts.itemId), eq(reorderRules.warehouseId, alerts.warehouseId)))
    .leftJoin(users, eq(users.id, alerts.acknowledgedByUserId))
    .where(and(eq(alerts.orgId, ctx.orgId), eq(alerts.id, alertId)));
  if (!row) throw new NotFoundError('alert', alertId);
  const a = row.a;
  const state = a.status === 'acknowledged' ? { kind: 'acknowledged' as const, by: row.by ?? '', at: a.acknowledgedAt! }
    : a.status === 'snoozed' ? { kind: 'snoozed' as const, by: row.by ?? '', until: a.snoozedUntil! }
    : a.status === 'resolved' ? { kind: 'recovered' as const, at: a.resolvedAt! } : undefined;
  return renderLowStockCard({
    alertId, item: { sku: row.sku, name: row.name, unit: row.unit, packUnits: row.packUnits },
    warehouse: { code: row.code, name: row.whName }, onHand: fmt(dec(row.qty ?? 0)), safetyStock: fmt(dec(row.min ?? 0)),
    reorderQty: row.reorder === null ? null : fmt(dec(row.reorder)), timezone: ctx.timezone, ...(state ? { state } : {}),
  });
}
