import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client';
import { reorderRules, warehouses } from '../../db/schema';
import type { Ctx } from '../context';
import { addDays, localDate, localDay } from '../lib/calendar';
import type { Logger } from '../lib/logger';
import { enqueueMany } from '../outbox/enqueue';
import { draftsByRef, weeklyDraftPrefix } from './card-drafts';
import { suggestionsFor, type Suggestion } from './suggestions';

/** What a store's weekly 要货建议 shows: its requisition suggestions and the drafts made from them. */
export async function weeklyFacts(ctx: Ctx, warehouseId: string, week: string) {
  const [store] = await ctx.db.select({ id: warehouses.id, code: warehouses.code, name: warehouses.name }).from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), eq(warehouses.id, warehouseId)));
  const suggestions: Suggestion[] = store ? (await suggestionsFor(ctx, warehouseId)).filter((s) => s.source) : [];
  const today = localDate(ctx.now(), ctx.timezone);
  const days = Math.max(1, ...suggestions.map((s) => s.leadTimeDays + s.coverDays));
  return {
    store: store ?? { id: warehouseId, code: '?', name: '?' }, week, from: addDays(today, 1), to: addDays(today, days),
    suggestions, drafts: await draftsByRef(ctx, { prefix: weeklyDraftPrefix(warehouseId, week) }),
  };
}

/**
 * Monday 9:00: every store supplied by another warehouse (a reorder rule with a source) that needs
 * something this week gets its 要货建议 card in its group, once per week (the outbox dedupe key).
 */
export async function announceWeeklyRequisitions(db: Queryable, now: Date, timezone: string, log: Logger): Promise<{ stores: number; announced: number }> {
  const week = localDay(now, timezone);
  const stores = await db.selectDistinct({ orgId: reorderRules.orgId, warehouseId: reorderRules.warehouseId }).from(reorderRules)
    .where(isNotNull(reorderRules.sourceWarehouseId)).orderBy(sql`1, 2`);
  const events = [];
  for (const s of stores) {
    const ctx: Ctx = { db, orgId: s.orgId, actor: { type: 'job', job: 'weekly-requisition' }, now: () => now, timezone, log };
    const wanted = (await suggestionsFor(ctx, s.warehouseId)).filter((x) => x.source);
    if (wanted.length === 0) continue;
    events.push({ orgId: s.orgId, dedupeKey: `weekly_requisition:${s.warehouseId}:${week}`, payload: { warehouseId: s.warehouseId, week } });
  }
  const announced = await enqueueMany(db, 'weekly_requisition', now, events);
  return { stores: stores.length, announced };
}
