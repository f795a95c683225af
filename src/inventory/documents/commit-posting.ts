import { and, eq, inArray, sql } from 'drizzle-orm';
import { documents, items, ledgerEntries, type DocumentRow, type DocumentStatus } from '../../../db/schema';
import type { Ctx } from '../../context';
import { InsufficientStockError, UnprocessableError } from '../../errors';
import { fmt, fmtMoney } from '../../lib/decimal';
import { recordLowStockCrossings } from '../low-stock';
import { applyMovements } from '../movements';
import { loadStockState, saveStockState } from '../stock-state';
import { dueAtFor } from '../../approvals/service-levels';
import { writeAudit } from '../../audit';
import { chunks } from '../../lib/chunks';
import type { LineUpdate, Plan } from './plan';

type Stamp = 'postedAt' | 'shippedAt' | 'receivedAt';

/**
 * The heart of posting, inside the caller's transaction with the document row locked: lock the
 * balances, apply the movements (refusing the whole document on a shortage), append the ledger,
 * update lines, balances and layers, and move the document to its new status.
 */
export async function commitPosting(
  ctx: Ctx,
  doc: DocumentRow,
  plan: Plan,
  change: { to: DocumentStatus; stamp: Stamp; action: string; extra?: Partial<DocumentRow> },
): Promise<void> {
  const at = ctx.now();
  let applied = { ledger: [], pieces: new Map() } as ReturnType<typeof applyMovements>;
  if (plan.movements.length > 0) {
    const state = await loadStockState(ctx.db, ctx.orgId, plan.movements.map((m) => ({ itemId: m.itemId, warehouseId: m.warehouseId })));
    const before = new Map([...state.valuations].map(([k, v]) => [k, v.qty]));
    try {
      applied = applyMovements(state, doc.id, at, plan.movements);
    } catch (err) {
      if (err instanceof InsufficientStockError) await nameShortItems(ctx, err);
      if (err instanceof UnprocessableError && !err.chat) err.withChat(lotExpiryText(err.details));
      throw err;
    }
    await saveStockState(ctx.db, ctx.orgId, state);
    await recordLowStockCrossings(ctx, doc.id, before, state);
    const rows = applied.ledger.map((e) => ({
      orgId: ctx.orgId, documentId: doc.id, lineNo: e.lineNo, itemId: e.itemId, warehouseId: e.warehouseId,
      lot: e.lot, bucket: e.bucket, qty: fmt(e.qty), value: fmtMoney(e.value), unitCost: fmt(e.unitCost),
      balanceQty: fmt(e.balanceQty), balanceValue: fmtMoney(e.balanceValue), postedAt: at,
    }));
    for (const batch of chunks(rows)) await ctx.db.insert(ledgerEntries).values(batch);
  }
  const { lines, totalValue } = plan.finish(applied);
  await updateLines(ctx, doc.id, lines);
  await ctx.db.update(documents)
    .set({ status: change.to, [change.stamp]: at, totalValue: fmtMoney(totalValue), dueAt: await dueAtFor(ctx, doc.type, change.to, at), ...change.extra })
    .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
  await writeAudit(ctx, { entity: 'document', entityId: doc.id, action: change.action, from: doc.status, to: change.to });
}

/**
 * A shortage names items by sku; chat says their names and units too. Applying movements is pure
 * (nothing was written and no statement failed), so the look-up still runs in this transaction.
 */
async function nameShortItems(ctx: Ctx, err: InsufficientStockError) {
  const skus = [...new Set(err.shortages.map((s) => s.sku))];
  const rows = await ctx.db.select({ sku: items.sku, name: items.name, unit: items.unit }).from(items)
    .where(and(eq(items.orgId, ctx.orgId), inArray(items.sku, skus)));
  err.items = new Map(rows.map((r) => [r.sku, { name: r.name, unit: r.unit }]));
}

/** A lot's expiry contradicted (the one other refusal of applying movements), said in chat words. */
function lotExpiryText(details: unknown): string {
  const d = (details ?? {}) as { sku?: string; lot?: string; expiresOn?: string | null };
  return `${d.sku ?? ''} 的批次 ${d.lot ?? ''} 已登记的到期日是 ${d.expiresOn ?? '无'}，和这张单写的不一样，请核对批次和到期日`;
}

/** All line updates of a posting in one statement; a field left undefined keeps its value. */
async function updateLines(ctx: Ctx, documentId: string, updates: LineUpdate[]) {
  for (const batch of chunks(updates)) await updateLineBatch(ctx, documentId, batch);
}

async function updateLineBatch(ctx: Ctx, documentId: string, updates: LineUpdate[]) {
  const rows = sql.join(updates.map((u) => sql`(${u.lineNo}, ${u.qty ?? null}, ${u.value ?? null}, ${u.unitCost ?? null},
    ${u.costPieces ? JSON.stringify(u.costPieces) : null}, ${u.acceptedQty ?? null}, ${u.rejectedQty ?? null},
    ${u.receivedQty ?? null}, ${u.discrepancyQty ?? null}, ${u.discrepancyValue ?? null})`), sql`, `);
  await ctx.db.execute(sql`update document_lines as l set
      qty = coalesce(v.qty::numeric, l.qty),
      value = coalesce(v.value::numeric, l.value),
      unit_cost = coalesce(v.unit_cost::numeric, l.unit_cost),
      cost_pieces = coalesce(v.pieces::jsonb, l.cost_pieces),
      accepted_qty = coalesce(v.accepted::numeric, l.accepted_qty),
      rejected_qty = coalesce(v.rejected::numeric, l.rejected_qty),
      received_qty = coalesce(v.received::numeric, l.received_qty),
      discrepancy_qty = coalesce(v.dqty::numeric, l.discrepancy_qty),
      discrepancy_value = coalesce(v.dvalue::numeric, l.discrepancy_value)
    from (values ${rows}) as v(line_no, qty, value, unit_cost, pieces, accepted, rejected, received, dqty, dvalue)
    where l.org_id = ${ctx.orgId} and l.document_id = ${documentId} and l.line_no = v.line_no::int`);
}
