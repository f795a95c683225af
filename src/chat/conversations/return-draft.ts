import { and, eq } from 'drizzle-orm';
import { chatDrafts, items, users, warehouses } from '../../../db/schema';
import type { Card } from '../../../cards/model';
import { renderReturnDraftCard } from '../../../cards/return-draft-card';
import type { Ctx } from '../../context';
import { NotFoundError } from '../../errors';
import { claimDraft } from './claim-draft';
import { createDocument } from '../../inventory/documents/create';
import { getDocument } from '../../inventory/documents/view';

export type ReturnReason = 'expired' | 'near_expiry' | 'damaged' | 'wrong_item' | 'quality' | 'other';

/** What the bot understood of a return report, waiting for the reporter's Confirm. */
export type ReturnDraft = {
  itemId: string; sku: string; name: string; unit: string;
  /** In the item's base unit. */
  qty: string;
  typedQty: string | null;
  reason: ReturnReason;
  reasonText: string | null;
  customer: string | null;
  warehouseId: string;
};

/** Records the draft and returns the card showing it with Confirm / Cancel. */
export async function proposeReturn(ctx: Ctx, userId: string, draft: ReturnDraft): Promise<Card> {
  const [row] = await ctx.db.insert(chatDrafts).values({ orgId: ctx.orgId, userId, kind: 'return', payload: draft, createdAt: ctx.now() }).returning();
  return returnDraftCard(ctx, row!.id);
}

/**
 * Confirm turns the draft into a submitted customer return (which asks the warehouse for QC);
 * Cancel drops it. Only the reporter decides, once: the draft is claimed with
 * `UPDATE … WHERE status = 'open' RETURNING`, so a second tap is told what already happened.
 */
export async function decideReturn(ctx: Ctx, draftId: string, decision: 'confirmed' | 'cancelled'): Promise<Card> {
  const draft = await claimDraft(ctx, 'return', draftId, decision);
  if (decision === 'confirmed') {
    const d = draft.payload as unknown as ReturnDraft;
    const [wh] = await ctx.db.select({ code: warehouses.code }).from(warehouses).where(eq(warehouses.id, d.warehouseId));
    const { id } = await createDocument(ctx, {
      type: 'customer_return', warehouse: wh!.code, submit: true, returnReason: d.reason,
      ...(d.customer ? { counterparty: d.customer } : {}),
      ...(d.reasonText ? { reason: d.reasonText } : {}),
      lines: [{ sku: d.sku, qty: d.qty }],
    });
    await ctx.db.update(chatDrafts).set({ documentId: id }).where(eq(chatDrafts.id, draftId));
  }
  return returnDraftCard(ctx, draftId);
}

/** The draft's card in its current state. */
export async function returnDraftCard(ctx: Ctx, draftId: string): Promise<Card> {
  const [row] = await ctx.db.select({ draft: chatDrafts, by: users.name }).from(chatDrafts)
    .innerJoin(users, eq(users.id, chatDrafts.userId))
    .where(and(eq(chatDrafts.orgId, ctx.orgId), eq(chatDrafts.id, draftId)));
  if (!row) throw new NotFoundError('return report', draftId);
  const d = row.draft.payload as unknown as ReturnDraft;
  const [item] = await ctx.db.select({ packUnits: items.packUnits }).from(items).where(eq(items.id, d.itemId));
  const [wh] = await ctx.db.select({ code: warehouses.code, name: warehouses.name }).from(warehouses).where(eq(warehouses.id, d.warehouseId));
  const number = row.draft.documentId ? (await getDocument(ctx, row.draft.documentId)).number : null;
  const at = row.draft.decidedAt ?? ctx.now();
  return renderReturnDraftCard({
    draftId, item: { sku: d.sku, name: d.name, unit: d.unit, packUnits: item?.packUnits ?? [] }, qty: d.qty, typedQty: d.typedQty,
    reasonClass: d.reason, reasonText: d.reasonText, customer: d.customer, warehouse: wh ?? null, timezone: ctx.timezone,
    ...(row.draft.status === 'confirmed' ? { state: { kind: 'confirmed' as const, by: row.by, at, documentNumber: number } } : {}),
    ...(row.draft.status === 'cancelled' ? { state: { kind: 'cancelled' as const, by: row.by, at } } : {}),
  });
}
