import { and, eq, inArray } from 'drizzle-orm';
import { chatDrafts, items, users, warehouses } from '../../../db/schema';
import type { Card } from '../../../cards/model';
import { renderRequisitionDraftCard } from '../../../cards/requisition-draft-card';
import type { Ctx } from '../../context';
import { NotFoundError } from '../../errors';
import { createDocument } from '../../inventory/documents/create';
import { getDocument } from '../../inventory/documents/view';
import { claimDraft } from './claim-draft';

/** What the bot understood of `要货 …`, waiting for the store manager's 提交要货. Quantities in base units. */
export type RequisitionDraft = {
  storeId: string;
  supplierId: string;
  lines: { itemId: string; sku: string; qty: string; typedQty: string | null }[];
};

/** Records the draft and returns its card with 提交要货 / 取消. */
export async function proposeRequisition(ctx: Ctx, userId: string, draft: RequisitionDraft): Promise<Card> {
  const [row] = await ctx.db.insert(chatDrafts).values({ orgId: ctx.orgId, userId, kind: 'requisition', payload: draft, createdAt: ctx.now() }).returning();
  return requisitionDraftCard(ctx, row!.id);
}

/**
 * 提交要货 creates and submits the requisition (open at once unless an approval rule asks; its card
 * then goes to the supplying warehouse's group); 取消 drops the draft. Only the person who asked
 * decides, once (`claimDraft`); the rule book is asked by `createDocument` like any other door.
 */
export async function decideRequisition(ctx: Ctx, draftId: string, decision: 'confirmed' | 'cancelled'): Promise<Card> {
  const draft = await claimDraft(ctx, 'requisition', draftId, decision);
  if (decision === 'confirmed') {
    const d = draft.payload as unknown as RequisitionDraft;
    const codes = await ctx.db.select({ id: warehouses.id, code: warehouses.code }).from(warehouses).where(inArray(warehouses.id, [d.storeId, d.supplierId]));
    const code = (id: string) => codes.find((c) => c.id === id)!.code;
    const { id } = await createDocument(ctx, {
      type: 'requisition', warehouse: code(d.storeId), toWarehouse: code(d.supplierId), submit: true,
      lines: d.lines.map((l) => ({ sku: l.sku, qty: l.qty })),
    });
    await ctx.db.update(chatDrafts).set({ documentId: id }).where(eq(chatDrafts.id, draftId));
  }
  return requisitionDraftCard(ctx, draftId);
}

/** The draft's card in its current state. */
export async function requisitionDraftCard(ctx: Ctx, draftId: string): Promise<Card> {
  const [row] = await ctx.db.select({ draft: chatDrafts, by: users.name }).from(chatDrafts)
    .innerJoin(users, eq(users.id, chatDrafts.userId))
    .where(and(eq(chatDrafts.orgId, ctx.orgId), eq(chatDrafts.id, draftId), eq(chatDrafts.kind, 'requisition')));
  if (!row) throw new NotFoundError('requisition draft', draftId);
  const d = row.draft.payload as unknown as RequisitionDraft;
  const itemRows = await ctx.db.select({ id: items.id, sku: items.sku, name: items.name, unit: items.unit, packUnits: items.packUnits }).from(items)
    .where(and(eq(items.orgId, ctx.orgId), inArray(items.id, d.lines.map((l) => l.itemId))));
  const whs = await ctx.db.select({ id: warehouses.id, code: warehouses.code, name: warehouses.name }).from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), inArray(warehouses.id, [d.storeId, d.supplierId])));
  const number = row.draft.documentId ? (await getDocument(ctx, row.draft.documentId)).number : null;
  const at = row.draft.decidedAt ?? ctx.now();
  return renderRequisitionDraftCard({
    draftId,
    store: whs.find((w) => w.id === d.storeId)!, supplier: whs.find((w) => w.id === d.supplierId)!,
    lines: d.lines.map((l) => ({ item: itemRows.find((i) => i.id === l.itemId)!, qty: l.qty, typedQty: l.typedQty })),
    timezone: ctx.timezone,
    ...(row.draft.status === 'confirmed' ? { state: { kind: 'confirmed' as const, by: row.by, at, documentNumber: number } } : {}),
    ...(row.draft.status === 'cancelled' ? { state: { kind: 'cancelled' as const, by: row.by, at } } : {}),
  });
}
