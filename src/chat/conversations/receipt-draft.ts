import { and, eq } from 'drizzle-orm';
import { chatDrafts, users } from '../../../db/schema';
import type { Card } from '../../../cards/model';
import { renderReceiptCard } from '../../../cards/receipt-card';
import type { Ctx } from '../../context';
import { NotFoundError } from '../../errors';
import { getDocument } from '../../inventory/documents/view';
import { documentNames } from '../../inventory/documents/names';
import { receiveTransfer, type ReceivedLine } from '../../inventory/documents/receive';
import { receiptCard } from '../cards/subjects';
import { claimDraft } from './claim-draft';

/** A short receipt typed in chat (`TR-… 可乐少了2罐`), waiting for its sender's tap. */
export type ReceiptDraft = { documentId: string; received: ReceivedLine[] };

/** Records the draft and returns the card to confirm it: per line shipped, received and short, with 确认 / 取消. */
export async function proposeShortReceipt(ctx: Ctx, userId: string, draft: ReceiptDraft): Promise<Card> {
  const [row] = await ctx.db.insert(chatDrafts).values({
    orgId: ctx.orgId, userId, kind: 'receipt', payload: draft, documentId: draft.documentId, createdAt: ctx.now(),
  }).returning();
  return receiptDraftCard(ctx, row!.id);
}

/**
 * Confirm receives the transfer with what arrived, as the sender (`receiveTransfer` asks the rule book
 * and refuses a transfer no longer shipped); Cancel drops it. Claimed once (see claimDraft).
 */
export async function decideShortReceipt(ctx: Ctx, draftId: string, decision: 'confirmed' | 'cancelled'): Promise<Card> {
  const draft = await claimDraft(ctx, 'receipt', draftId, decision);
  if (decision === 'confirmed') {
    const d = draft.payload as unknown as ReceiptDraft;
    await receiveTransfer(ctx, d.documentId, d.received);
    return receiptCard(ctx, d.documentId);
  }
  return receiptDraftCard(ctx, draftId);
}

/** The draft's card: once confirmed, the transfer's receipt card as it now stands. */
export async function receiptDraftCard(ctx: Ctx, draftId: string): Promise<Card> {
  const [row] = await ctx.db.select({ draft: chatDrafts, by: users.name }).from(chatDrafts).innerJoin(users, eq(users.id, chatDrafts.userId))
    .where(and(eq(chatDrafts.orgId, ctx.orgId), eq(chatDrafts.id, draftId), eq(chatDrafts.kind, 'receipt')));
  if (!row) throw new NotFoundError('receipt draft', draftId);
  const d = row.draft.payload as unknown as ReceiptDraft;
  if (row.draft.status === 'confirmed') return receiptCard(ctx, d.documentId);
  const doc = await getDocument(ctx, d.documentId);
  const names = await documentNames(ctx, doc);
  const received = new Map(d.received.map((r) => [r.line, r.qty]));
  return renderReceiptCard({
    document: { ...doc, warehouseNames: names.warehouses, lines: doc.lines.map((l) => ({ ...l, ...names.items.get(l.sku), receivedQty: received.get(l.line) ?? l.qty })) },
    proposal: { draftId, ...(row.draft.status === 'cancelled' ? { cancelled: { by: row.by, at: row.draft.decidedAt! } } : {}) },
    timezone: ctx.timezone,
  });
}
