import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { chatDrafts, documentLines, items, users, workCenters } from '../../../db/schema';
import type { Card } from '../../../cards/model';
import { renderWorkReportCard } from '../../../cards/work-report-card';
import type { Ctx } from '../../context';
import { NotFoundError } from '../../errors';
import { claimDraft } from './claim-draft';
import { reportWork } from '../../inventory/documents/report-work';
import { dec, fmt, fmtMoney } from '../../lib/decimal';

/** What the bot understood of a `报工` message and priced, waiting for the worker's tap. */
export type WorkReportDraft = {
  documentId: string; number: string; operation: string; workCenterId: string;
  laborHours: string; machineHours: string; goodQty: string; scrapQty: string;
  laborRate: string; machineRate: string; laborCost: string; machineCost: string; cost: string;
  /** The message as typed: the same message again (a resend, a double send) finds this draft. */
  text: string;
};

/** Within this long, the same report typed again by the same person is the same report. */
const SAME_MESSAGE_MINUTES = 30;

/**
 * The card to confirm a work report: a new draft, or — the same person sent the same text about the
 * same order a moment ago — the draft they already have, so one report is recorded once.
 */
export async function proposeWorkReport(ctx: Ctx, userId: string, draft: WorkReportDraft): Promise<Card> {
  const since = new Date(ctx.now().getTime() - SAME_MESSAGE_MINUTES * 60_000);
  const [same] = await ctx.db.select({ id: chatDrafts.id }).from(chatDrafts)
    .where(and(eq(chatDrafts.orgId, ctx.orgId), eq(chatDrafts.userId, userId), eq(chatDrafts.kind, 'work_report'),
      inArray(chatDrafts.status, ['open', 'confirmed']), gt(chatDrafts.createdAt, since),
      sql`${chatDrafts.payload}->>'documentId' = ${draft.documentId}`, sql`${chatDrafts.payload}->>'text' = ${draft.text}`))
    .orderBy(desc(chatDrafts.createdAt)).limit(1);
  if (same) return workReportCard(ctx, same.id);
  const [row] = await ctx.db.insert(chatDrafts).values({
    orgId: ctx.orgId, userId, kind: 'work_report', payload: draft, documentId: draft.documentId, createdAt: ctx.now(),
  }).returning();
  return workReportCard(ctx, row!.id);
}

/**
 * Confirm records the work report as the reporter (the rule book asks again: anyone at the order's
 * warehouse); Cancel drops it. Claimed with `UPDATE … WHERE status = 'open'`, so a second tap (or a
 * tap on the copy a resend showed) is told it is done already and records nothing.
 */
export async function decideWorkReport(ctx: Ctx, draftId: string, decision: 'confirmed' | 'cancelled'): Promise<Card> {
  const draft = await claimDraft(ctx, 'work_report', draftId, decision);
  if (decision === 'confirmed') {
    const d = draft.payload as unknown as WorkReportDraft;
    const [wc] = await ctx.db.select({ code: workCenters.code }).from(workCenters).where(eq(workCenters.id, d.workCenterId));
    await reportWork(ctx, d.documentId, {
      operation: d.operation, workCenter: wc!.code, laborHours: d.laborHours, machineHours: d.machineHours, goodQty: d.goodQty, scrapQty: d.scrapQty,
    });
  }
  return workReportCard(ctx, draftId);
}

/** The draft's card in its current state. */
export async function workReportCard(ctx: Ctx, draftId: string): Promise<Card> {
  const [row] = await ctx.db.select({ draft: chatDrafts, by: users.name }).from(chatDrafts).innerJoin(users, eq(users.id, chatDrafts.userId))
    .where(and(eq(chatDrafts.orgId, ctx.orgId), eq(chatDrafts.id, draftId)));
  if (!row) throw new NotFoundError('work report', draftId);
  const d = row.draft.payload as unknown as WorkReportDraft;
  const [item] = await ctx.db.select({ sku: items.sku, name: items.name, unit: items.unit }).from(documentLines)
    .innerJoin(items, eq(items.id, documentLines.itemId))
    .where(and(eq(documentLines.orgId, ctx.orgId), eq(documentLines.documentId, d.documentId), eq(documentLines.lineNo, 1)));
  const [wc] = await ctx.db.select({ code: workCenters.code, name: workCenters.name }).from(workCenters).where(eq(workCenters.id, d.workCenterId));
  const at = row.draft.decidedAt ?? ctx.now();
  const money = (v: string) => fmtMoney(dec(v));
  return renderWorkReportCard({
    draftId, number: d.number, item: item!, operation: d.operation, workCenter: wc!,
    laborHours: d.laborHours, machineHours: d.machineHours, goodQty: d.goodQty, scrapQty: d.scrapQty,
    laborRate: fmt(dec(d.laborRate)), machineRate: fmt(dec(d.machineRate)), laborCost: money(d.laborCost), machineCost: money(d.machineCost), cost: money(d.cost),
    timezone: ctx.timezone,
    ...(row.draft.status === 'confirmed' ? { state: { kind: 'confirmed' as const, by: row.by, at } } : {}),
    ...(row.draft.status === 'cancelled' ? { state: { kind: 'cancelled' as const, by: row.by, at } } : {}),
  });
}
