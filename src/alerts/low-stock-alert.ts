import { and, eq, inArray } from 'drizzle-orm';
import { alerts, items, reorderRules, users, valuations, warehouses, type PackUnit } from '../../db/schema';
import { writeAudit } from '../audit';
import type { Ctx } from '../context';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { dec, fmt } from '../lib/decimal';
import { enqueue } from '../outbox/enqueue';
import { availableOf, figuresKey, orderFigures } from '../orders/figures';
import { authorize, personOf } from '../people/permissions';

/**
 * Acknowledge (seen, being handled) or snooze (remind again after `hours`) an open alert, as a
 * person the rule book lets act on the warehouse's alerts. Claimed with `UPDATE … WHERE status …
 * RETURNING`: a second or stale tap is a ConflictError (`alert_handled`) saying who already did it.
 * Every copy of the card is then updated through the outbox.
 */
export async function actOnAlert(ctx: Ctx, alertId: string, act: { kind: 'acknowledge' } | { kind: 'snooze'; hours: number }): Promise<void> {
  const person = personOf(ctx.actor);
  // The card says who acknowledged it: only a person can.
  if (!person) throw new ForbiddenError('only a person acts on alerts').because('not_a_person', { verb: 'alert' });
  const [alert] = await ctx.db.select().from(alerts).where(and(eq(alerts.orgId, ctx.orgId), eq(alerts.id, alertId)));
  if (!alert) throw new NotFoundError('alert', alertId);
  await authorize(ctx, 'alert', { warehouseId: alert.warehouseId });
  const now = ctx.now();
  const set = act.kind === 'acknowledge'
    ? { status: 'acknowledged' as const, acknowledgedByUserId: person.userId, acknowledgedAt: now }
    : { status: 'snoozed' as const, acknowledgedByUserId: person.userId, acknowledgedAt: now, snoozedUntil: new Date(now.getTime() + act.hours * 3_600_000) };
  const [claimed] = await ctx.db.update(alerts).set(set)
    .where(and(eq(alerts.id, alertId), inArray(alerts.status, act.kind === 'acknowledge' ? ['open', 'snoozed'] : ['open']))).returning();
  if (!claimed) throw await alreadyHandled(ctx, alert);
  await writeAudit(ctx, { entity: 'alert', entityId: alertId, action: act.kind, from: alert.status, to: claimed.status });
  await enqueue(ctx, 'alert_changed', `alert_changed:${alertId}:${claimed.status}:${now.getTime()}`, { alertId });
}

/** Why a second tap did nothing: recovered (when), or who acknowledged or snoozed it, and when. */
async function alreadyHandled(ctx: Ctx, a: typeof alerts.$inferSelect): Promise<ConflictError> {
  const [who] = a.acknowledgedByUserId ? await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, a.acknowledgedByUserId)) : [];
  const at = a.status === 'resolved' ? a.resolvedAt : a.acknowledgedAt;
  return new ConflictError(`the alert is already ${a.status}`, { status: a.status })
    .because('alert_handled', { status: a.status, by: who?.name ?? null, at: at?.toISOString() ?? null, until: a.snoozedUntil?.toISOString() ?? null });
}

export type AlertFacts = {
  id: string;
  status: (typeof alerts.$inferSelect)['status'];
  item: { sku: string; name: string; unit: string; packUnits: PackUnit[] };
  warehouse: { id: string; code: string; name: string };
  onHand: string; safetyStock: string; reorderQty: string | null;
  /** Reserved by open sales orders, and on hand − that: what the alert is judged on. */
  reserved: string; available: string;
  by: string | null; acknowledgedAt: Date | null; snoozedUntil: Date | null; resolvedAt: Date | null;
};

/** An alert as it stands: the item, the warehouse, stock now, the rule, and who handled it. Throws NotFoundError. */
export async function getAlert(ctx: Ctx, alertId: string): Promise<AlertFacts> {
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
  const figures = (await orderFigures(ctx.db, ctx.orgId, { warehouseIds: [a.warehouseId], itemIds: [a.itemId] })).get(figuresKey(a.itemId, a.warehouseId));
  const onHand = dec(row.qty ?? 0);
  return {
    id: a.id, status: a.status,
    item: { sku: row.sku, name: row.name, unit: row.unit, packUnits: row.packUnits },
    warehouse: { id: a.warehouseId, code: row.code, name: row.whName },
    onHand: fmt(onHand), reserved: fmt(figures?.reserved ?? dec(0)), available: fmt(availableOf(onHand, figures)), safetyStock: fmt(dec(row.min ?? 0)), reorderQty: row.reorder === null ? null : fmt(dec(row.reorder)),
    by: row.by, acknowledgedAt: a.acknowledgedAt, snoozedUntil: a.snoozedUntil, resolvedAt: a.resolvedAt,
  };
}
