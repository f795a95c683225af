import { and, asc, eq, like, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { documents } from '../../db/schema';
import { getAlert } from '../alerts/low-stock-alert';
import { withTransaction, type Ctx } from '../context';
import { ConflictError, UnprocessableError } from '../errors';
import { createDraftDocuments, type DraftGroup } from './drafts';
import { authorize } from '../people/permissions';
import { suggestionsFor } from './suggestions';

/**
 * The mark a low-stock card's draft carries, so a second tap finds it rather than making another;
 * numbered after the first (`low-stock:<id>:2`) when an earlier one was cancelled.
 */
export const alertDraftRef = (alertId: string) => `low-stock:${alertId}`;

/** The draft made from an alert that still stands (not cancelled), and how many were made. */
export async function alertDraft(ctx: Ctx, alertId: string) {
  const made = await draftsByRef(ctx, { prefix: alertDraftRef(alertId) });
  return { standing: made.find((d) => d.status !== 'cancelled'), made: made.length };
}
/** The marks of a weekly 要货建议's drafts: one per supplying warehouse. */
export const weeklyDraftPrefix = (warehouseId: string, week: string) => `weekly:${warehouseId}:${week}:`;

/** Documents whose external reference starts with the prefix, by number. */
export async function draftsByRef(ctx: Ctx, ref: { prefix: string }): Promise<{ id: string; number: string; status: string }[]> {
  return ctx.db.select({ id: documents.id, number: documents.number, status: documents.status }).from(documents)
    .where(and(eq(documents.orgId, ctx.orgId), like(documents.externalRef, `${ref.prefix}%`)))
    .orderBy(asc(documents.number));
}

/**
 * 生成采购单 / 生成要货单 on a low-stock card: a draft of the item's current suggestion. A second tap
 * (here or on another copy) answers the draft already made. Throws NotFoundError, ForbiddenError
 * (create at the warehouse), UnprocessableError (`nothing_to_order`: the forecast and the stock say
 * nothing is short any more; `no_supplier`), ConflictError (`stale_card`: the item is now supplied
 * the other way).
 */
export async function draftFromAlert(ctx: Ctx, alertId: string, kind: 'purchase_order' | 'requisition'): Promise<string> {
  return withTransaction(ctx, async (tx) => {
    const alert = await getAlert(tx, alertId);
    // Whether the draft stands yet or not: the card's button is for those who order for its warehouse.
    await authorize(tx, 'create', { warehouseId: alert.warehouse.id });
    await oneTapAtATime(tx, alertDraftRef(alertId));
    const { standing, made } = await alertDraft(tx, alertId);
    if (standing) return standing.id;
    const [s] = await suggestionsFor(tx, alert.warehouse.id, [alert.item.sku]);
    if (!s) {
      throw new UnprocessableError(`nothing to order: ${alert.item.sku} in ${alert.warehouse.code} is not short`, { sku: alert.item.sku })
        .because('nothing_to_order', { item: alert.item, warehouse: alert.warehouse });
    }
    if ((s.source ? 'requisition' : 'purchase_order') !== kind) {
      throw new ConflictError(`${alert.item.sku} is no longer ${kind === 'purchase_order' ? 'bought' : 'supplied by a warehouse'} there`).because('stale_card', {});
    }
    // The tapped message turns into the draft's card; other copies of the alert name the draft when next
    // rendered. No alert_changed here: it would turn the tapped message back into the alert before submission.
    const ref = made === 0 ? alertDraftRef(alertId) : `${alertDraftRef(alertId)}:${made + 1}`;
    const [doc] = await createDraftDocuments(tx, [s], { externalRef: () => ref, note: '低库存提醒生成' });
    return doc!.id;
  });
}

/**
 * The one tap of a weekly 要货建议 card: the store's requisition suggestions as drafts, one per
 * supplying warehouse. A second tap answers the drafts already made. Throws NotFoundError,
 * ForbiddenError, UnprocessableError (`nothing_to_order`).
 */
export async function draftWeekly(ctx: Ctx, warehouseId: string, week: string): Promise<string[]> {
  return withTransaction(ctx, async (tx) => {
    await authorize(tx, 'create', { warehouseId });
    await oneTapAtATime(tx, weeklyDraftPrefix(warehouseId, week));
    const made = await draftsByRef(tx, { prefix: weeklyDraftPrefix(warehouseId, week) });
    if (made.length > 0) return made.map((d) => d.id);
    const wanted = (await suggestionsFor(tx, warehouseId)).filter((s) => s.source);
    if (wanted.length === 0) {
      throw new UnprocessableError('nothing to ask for this week').because('nothing_to_order', {});
    }
    const docs = await createDraftDocuments(tx, wanted, {
      externalRef: (g: DraftGroup) => `${weeklyDraftPrefix(warehouseId, week)}${g.kind === 'requisition' ? g.source.code : 'supplier'}`,
      note: '每周要货建议生成',
    });
    return docs.map((d) => d.id);
  });
}

/**
 * Taps on the copies of one card (or two at once on the same copy) take turns, for the rest of their
 * transaction: the second then finds the first's draft instead of meeting its insert. An advisory
 * lock on the card's mark; PGlite has one connection and needs none, but takes it alike.
 */
async function oneTapAtATime(ctx: Ctx, mark: string): Promise<void> {
  await queryRows(ctx.db, sql`select pg_advisory_xact_lock(hashtextextended(${mark}, 0))`);
}
