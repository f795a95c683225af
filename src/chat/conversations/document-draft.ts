import { and, eq } from 'drizzle-orm';
import { chatDrafts, users } from '../../../db/schema';
import type { Card } from '../../../cards/model';
import { renderDocumentDraftCard, type DocumentDraftCardInput } from '../../../cards/document-draft-card';
import type { Ctx } from '../../context';
import { NotFoundError } from '../../errors';
import { createDocument, type CreateDocumentInput } from '../../inventory/documents/create';
import { documentCardFor } from '../cards/document-card';
import { claimDraft } from './claim-draft';

/** A transfer, wastage or count typed in chat: the document to create and the card that shows it. */
export type DocumentDraft = { input: CreateDocumentInput; card: Omit<DocumentDraftCardInput, 'draftId' | 'state' | 'timezone'> };

export async function proposeDocument(ctx: Ctx, userId: string, draft: DocumentDraft): Promise<Card> {
  const [row] = await ctx.db.insert(chatDrafts).values({ orgId: ctx.orgId, userId, kind: 'document', payload: draft, createdAt: ctx.now() }).returning();
  return documentDraftCard(ctx, row!.id);
}

/**
 * Confirm creates and submits the document as its sender — the verb asks the rule book again and
 * takes it as far as they may (ships, posts, or waits for the lead or an approver); Cancel drops it.
 * Claimed once (see claimDraft). Confirmed, the answer is the document's own card.
 */
export async function decideDocument(ctx: Ctx, draftId: string, decision: 'confirmed' | 'cancelled'): Promise<Card> {
  const draft = await claimDraft(ctx, 'document', draftId, decision);
  if (decision === 'cancelled') return documentDraftCard(ctx, draftId);
  const d = draft.payload as unknown as DocumentDraft;
  const { id } = await createDocument(ctx, { ...d.input, submit: true });
  await ctx.db.update(chatDrafts).set({ documentId: id }).where(eq(chatDrafts.id, draftId));
  return documentCardFor(ctx, id);
}

/** The draft's card in its current state. */
export async function documentDraftCard(ctx: Ctx, draftId: string): Promise<Card> {
  const [row] = await ctx.db.select({ draft: chatDrafts, by: users.name }).from(chatDrafts).innerJoin(users, eq(users.id, chatDrafts.userId))
    .where(and(eq(chatDrafts.orgId, ctx.orgId), eq(chatDrafts.id, draftId), eq(chatDrafts.kind, 'document')));
  if (!row) throw new NotFoundError('document draft', draftId);
  if (row.draft.status === 'confirmed' && row.draft.documentId) return documentCardFor(ctx, row.draft.documentId);
  const d = row.draft.payload as unknown as DocumentDraft;
  return renderDocumentDraftCard({
    ...d.card, draftId, timezone: ctx.timezone,
    ...(row.draft.status === 'cancelled' ? { state: { kind: 'cancelled' as const, by: row.by, at: row.draft.decidedAt! } } : {}),
  });
}
