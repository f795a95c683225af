import { and, eq } from 'drizzle-orm';
import { holderOf } from './holder';
import { auditLog, documents, users, warehouses } from '../../../db/schema';
import type { Card } from '../../../cards/model';
import { renderApprovalCard } from '../../../cards/approval-card';
import { renderDocumentStatusCard } from '../../../cards/document-status-card';
import { renderNoticeCard } from '../../../cards/notice-card';
import { renderOverdueCard } from '../../../cards/overdue-card';
import { renderOrderCard } from '../../../cards/order-card';
import { renderQcCard } from '../../../cards/qc-card';
import { renderReceiptCard } from '../../../cards/receipt-card';
import { alertCard } from './alert-card';
import { listOverdue } from '../../approvals/overdue';
import { completionCard } from './completion-card';
import { costCloseCard } from './cost-close-card';
import { digestCard } from './digest-card';
import { nearExpiryCard } from './near-expiry-card';
import { orderDraftCard } from './order-draft';
import { weeklyRequisitionCard } from './weekly-requisition';
import type { Ctx } from '../../context';
import { documentNames } from '../../inventory/documents/names';
import { getDocument } from '../../inventory/documents/view';

/**
 * The card about a subject, rendered from the current state: what a delivery sends, what a click
 * is answered with, and what every copy is updated to. Subjects: `approval:<documentId>`,
 * `document:<documentId>`, `qc:<documentId>`, `receipt:<documentId>`, `alert:<alertId>`, `overdue:<warehouseId>[:escalated]`,
 * `near_expiry:<warehouseId>:<date>`, `digest:<warehouseId>:<date>`, `completion:<completionId>`, `cost_close:<closeId>`,
 * `order:<documentId>`, `order_draft:<documentId>`, `weekly_requisition:<warehouseId>:<week YYYYMMDD>`.
 */
export async function cardForSubject(ctx: Ctx, subject: string): Promise<Card> {
  const [kind, a] = subject.split(':');
  if (kind === 'approval') return approvalCard(ctx, a!);
  if (kind === 'document') return documentStatusCard(ctx, a!);
  if (kind === 'qc') return qcCard(ctx, a!);
  if (kind === 'receipt') return receiptCard(ctx, a!);
  if (kind === 'alert') return alertCard(ctx, a!);
  if (kind === 'overdue') return overdueCard(ctx, a!, subject.endsWith(':escalated'));
  if (kind === 'near_expiry') return nearExpiryCard(ctx, subject);
  if (kind === 'digest') return digestCard(ctx, subject);
  if (kind === 'completion') return completionCard(ctx, a!);
  if (kind === 'cost_close') return costCloseCard(ctx, a!);
  if (kind === 'order_draft') return (await orderDraftCard(ctx, a!)) ?? documentStatusCard(ctx, a!);
  if (kind === 'weekly_requisition') return weeklyRequisitionCard(ctx, a!, subject.split(':')[2]!);
  if (kind === 'order') return orderCard(ctx, a!);
  return renderNoticeCard({ title: '通知', text: subject });
}

/** The signed link to a document's page for its card, when the context makes them (PUBLIC_URL set). */
const documentUrlFor = async (ctx: Ctx, documentId: string) => ({ documentUrl: await ctx.documentUrl?.(documentId) });

/** A document as cards show it: each line with its item's name, unit and packs; warehouse names by code. */
async function namedDocument(ctx: Ctx, ref: string) {
  const doc = await getDocument(ctx, ref);
  const names = await documentNames(ctx, doc);
  return { ...doc, lines: doc.lines.map((l) => ({ ...l, ...names.items.get(l.sku) })), warehouseNames: names.warehouses };
}

/** A document's status card, linking to its page; `nextStep: false` leaves out the step's button (the asker may not take it). */
export async function documentStatusCard(ctx: Ctx, ref: string, options: { nextStep?: boolean } = {}): Promise<Card> {
  const document = await namedDocument(ctx, ref);
  const holder = holderOf(document, document.warehouseNames);
  return renderDocumentStatusCard({ document, holder, timezone: ctx.timezone, ...options, ...(await documentUrlFor(ctx, document.id)) });
}

/** `order:<documentId>`: an open sales order or requisition with its 一键发货 / 按单调拨 button, or how it ended. */
async function orderCard(ctx: Ctx, documentId: string): Promise<Card> {
  const document = await namedDocument(ctx, documentId);
  return renderOrderCard({ document, timezone: ctx.timezone, ...(await documentUrlFor(ctx, document.id)) });
}

/** `overdue:<warehouseId>[:escalated]`: the warehouse's overdue documents as they stand now. */
async function overdueCard(ctx: Ctx, warehouseId: string, escalated: boolean): Promise<Card> {
  const [wh] = await ctx.db.select({ code: warehouses.code }).from(warehouses).where(and(eq(warehouses.orgId, ctx.orgId), eq(warehouses.id, warehouseId)));
  const groups = wh ? await listOverdue(ctx, { warehouse: wh.code }) : [];
  return renderOverdueCard({ groups, escalated, timezone: ctx.timezone });
}

/** Who took a step on a document (the audit trail's `action`), by name; '' for a job. */
async function actedBy(ctx: Ctx, documentId: string, action: string): Promise<string> {
  const [row] = await ctx.db.select({ name: users.name }).from(auditLog).innerJoin(users, eq(users.id, auditLog.userId))
    .where(and(eq(auditLog.orgId, ctx.orgId), eq(auditLog.entityId, documentId), eq(auditLog.action, action)));
  return row?.name ?? '';
}

/** Who asked for a document (its creator), by name; null for one an import or a job made. */
async function requesterOf(ctx: Ctx, documentId: string): Promise<string | null> {
  const [row] = await ctx.db.select({ name: users.name }).from(documents).innerJoin(users, eq(users.id, documents.createdByUserId))
    .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, documentId)));
  return row?.name ?? null;
}

/** `receipt:<documentId>`: a shipped transfer at its destination; once received, shipped / received / short per line and who received it. */
export async function receiptCard(ctx: Ctx, documentId: string): Promise<Card> {
  const doc = await namedDocument(ctx, documentId);
  const received = doc.status === 'received' ? { kind: 'received' as const, by: await actedBy(ctx, doc.id, 'receive'), at: doc.receivedAt! } : undefined;
  return renderReceiptCard({ document: doc, timezone: ctx.timezone, ...(received ? { outcome: received } : {}), ...(await documentUrlFor(ctx, doc.id)) });
}

async function qcCard(ctx: Ctx, documentId: string): Promise<Card> {
  const doc = await namedDocument(ctx, documentId);
  const [row] = await ctx.db.select({ reason: documents.returnReason }).from(documents).where(eq(documents.id, doc.id));
  return renderQcCard({
    document: doc, reasonClass: row?.reason ?? null, timezone: ctx.timezone,
    done: doc.status === 'posted' ? { by: await actedBy(ctx, doc.id, 'post'), at: doc.postedAt! } : null,
    ...(await documentUrlFor(ctx, doc.id)),
  });
}

export async function approvalCard(ctx: Ctx, documentId: string): Promise<Card> {
  const doc = await namedDocument(ctx, documentId);
  const pending = doc.approvals.find((a) => a.status === 'pending');
  const decided = [...doc.approvals].reverse().find((a) => a.status === 'approved' || a.status === 'rejected');
  const final = !pending && decided;
  const approvedLevels = pending ? doc.approvals.filter((a) => a.level < pending.level && a.status === 'approved' && a.at)
    .map((a) => ({ level: a.level, by: a.by ?? '', at: a.at! })) : [];
  return renderApprovalCard({
    document: doc,
    level: pending?.level ?? decided?.level ?? 1,
    levels: doc.approvals.length,
    submittedBy: await requesterOf(ctx, doc.id),
    submittedAt: doc.submittedAt ?? doc.createdAt,
    timezone: ctx.timezone,
    ...(approvedLevels.length ? { approvedLevels } : {}),
    ...(await documentUrlFor(ctx, doc.id)),
    ...(final ? { decided: { outcome: decided.status as 'approved' | 'rejected', by: decided.by ?? '', at: decided.at!, reason: decided.comment } } : {}),
  });
}
