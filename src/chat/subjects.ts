import { and, eq } from 'drizzle-orm';
import { auditLog, documents, users, warehouses } from '../../db/schema';
import type { Card } from '../../cards/model';
import { renderApprovalCard } from '../../cards/approval-card';
import { renderDocumentStatusCard } from '../../cards/document-status-card';
import { renderNoticeCard } from '../../cards/notice-card';
import { renderOverdueCard } from '../../cards/overdue-card';
import { renderQcCard } from '../../cards/qc-card';
import { alertCard } from '../alerts/low-stock-alert';
import { listOverdue } from '../approvals/overdue';
import { digestCard } from '../alerts/daily-digest';
import { nearExpiryCard } from '../alerts/near-expiry';
import type { Ctx } from '../context';
import { documentNames } from '../inventory/documents/names';
import { getDocument } from '../inventory/documents/view';

/**
 * The card about a subject, rendered from the current state: what a delivery sends, what a click
 * is answered with, and what every copy is updated to. Subjects: `approval:<documentId>`,
 * `document:<documentId>`, `qc:<documentId>`, `alert:<alertId>`, `overdue:<warehouseId>[:escalated]`,
 * `near_expiry:<warehouseId>:<date>`, `digest:<warehouseId>:<date>`.
 */
export async function cardForSubject(ctx: Ctx, subject: string): Promise<Card> {
  const [kind, a] = subject.split(':');
  if (kind === 'approval') return approvalCard(ctx, a!);
  if (kind === 'document') return documentStatusCard(ctx, a!);
  if (kind === 'qc') return qcCard(ctx, a!);
  if (kind === 'alert') return alertCard(ctx, a!);
  if (kind === 'overdue') return overdueCard(ctx, a!, subject.endsWith(':escalated'));
  if (kind === 'near_expiry') return nearExpiryCard(ctx, subject);
  if (kind === 'digest') return digestCard(ctx, subject);
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

/** A document's status card, linking to its page. */
export async function documentStatusCard(ctx: Ctx, ref: string): Promise<Card> {
  const document = await namedDocument(ctx, ref);
  return renderDocumentStatusCard({ document, timezone: ctx.timezone, ...(await documentUrlFor(ctx, document.id)) });
}

/** `overdue:<warehouseId>[:escalated]`: the warehouse's overdue documents as they stand now. */
async function overdueCard(ctx: Ctx, warehouseId: string, escalated: boolean): Promise<Card> {
  const [wh] = await ctx.db.select({ code: warehouses.code }).from(warehouses).where(and(eq(warehouses.orgId, ctx.orgId), eq(warehouses.id, warehouseId)));
  const groups = wh ? await listOverdue(ctx, { warehouse: wh.code }) : [];
  return renderOverdueCard({ groups, escalated, timezone: ctx.timezone });
}

async function qcCard(ctx: Ctx, documentId: string): Promise<Card> {
  const doc = await namedDocument(ctx, documentId);
  const [row] = await ctx.db.select({ reason: documents.returnReason }).from(documents).where(eq(documents.id, doc.id));
  const posted = doc.status === 'posted' ? (await ctx.db.select({ name: users.name }).from(auditLog).innerJoin(users, eq(users.id, auditLog.userId))
    .where(and(eq(auditLog.orgId, ctx.orgId), eq(auditLog.entityId, doc.id), eq(auditLog.action, 'post'))))[0] : undefined;
  return renderQcCard({
    document: doc, reasonClass: row?.reason ?? null, timezone: ctx.timezone,
    done: doc.status === 'posted' ? { by: posted?.name ?? '', at: doc.postedAt! } : null,
    ...(await documentUrlFor(ctx, doc.id)),
  });
}

async function approvalCard(ctx: Ctx, documentId: string): Promise<Card> {
  const doc = await namedDocument(ctx, documentId);
  const pending = doc.approvals.find((a) => a.status === 'pending');
  const decided = [...doc.approvals].reverse().find((a) => a.status === 'approved' || a.status === 'rejected');
  const final = !pending && decided;
  return renderApprovalCard({
    document: doc,
    level: pending?.level ?? decided?.level ?? 1,
    levels: doc.approvals.length,
    timezone: ctx.timezone,
    ...(await documentUrlFor(ctx, doc.id)),
    ...(final ? { decided: { outcome: decided.status as 'approved' | 'rejected', by: decided.by ?? '', at: decided.at!, reason: decided.comment } } : {}),
  });
}
