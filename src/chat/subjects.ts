import type { Card } from '../../cards/model';
import { renderApprovalCard } from '../../cards/approval-card';
import type { Ctx } from '../context';
import { getDocument } from '../inventory/documents/view';

/**
 * The card about a subject, rendered from the current state: what a delivery sends, what a click
 * is answered with, and what every copy is updated to. Subjects: `approval:<documentId>`,
 * `document:<documentId>`, `low_stock:<itemId>:<warehouseId>`.
 */
export async function cardForSubject(ctx: Ctx, subject: string): Promise<Card> {
  const [kind, id] = subject.split(':');
  if (kind === 'approval' || kind === 'document') return approvalCard(ctx, id!);
  return { title: '通知', tone: 'info', fields: [], body: subject, actions: [] };
}

async function approvalCard(ctx: Ctx, documentId: string): Promise<Card> {
  const doc = await getDocument(ctx, documentId);
  const pending = doc.approvals.find((a) => a.status === 'pending');
  const decided = [...doc.approvals].reverse().find((a) => a.status === 'approved' || a.status === 'rejected');
  const final = !pending && decided;
  return renderApprovalCard({
    document: doc,
    level: pending?.level ?? decided?.level ?? 1,
    levels: doc.approvals.length,
    timezone: ctx.timezone,
    ...(final ? { decided: { outcome: decided.status as 'approved' | 'rejected', by: decided.by ?? '', at: decided.at!, reason: decided.comment } } : {}),
  });
}
