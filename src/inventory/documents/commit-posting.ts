import { and, eq, inArray, sql } from 'drizzle-orm';
import { documents, items, type DocumentRow, type DocumentStatus } from '../../../db/schema';
import { userIdOf, type Ctx } from '../../context';
import { enqueue } from '../../outbox/enqueue';
import { InsufficientStockError } from '../../errors';
import { fmt, fmtMoney } from '../../lib/decimal';
import { recordLowStockCrossings } from '../low-stock';
import { applyMovements } from '../movements';
import { loadStockState, saveStockState, type LedgerRow } from '../stock-state';
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
  const writes: Promise<unknown>[] = [];
  if (plan.movements.length > 0) {
    const state = await loadStockState(ctx.db, ctx.orgId, plan.movements.map((m) => ({ itemId: m.itemId, warehouseId: m.warehouseId })));
    const before = new Map([...state.valuations].map(([k, v]) => [k, v.qty]));
    try {
      applied = applyMovements(state, doc.id, at, plan.movements);
    } catch (err) {
      if (err instanceof InsufficientStockError) await nameShortItems(ctx, err);
      throw err;
    }
    const rows: LedgerRow[] = applied.ledger.map((e) => ({
      documentId: doc.id, lineNo: e.lineNo, itemId: e.itemId, warehouseId: e.warehouseId,
      lot: e.lot, bucket: e.bucket, qty: fmt(e.qty), value: fmtMoney(e.value), unitCost: fmt(e.unitCost),
      balanceQty: fmt(e.balanceQty), balanceValue: fmtMoney(e.balanceValue), postedAt: at,
    }));
    // The balances are locked and the movements applied: every write from here on is independent of the
    // others, so they are sent together (pipelined on one connection on Postgres: one round trip, not ten).
    // Promise.all rejects with the first statement that fails, in the order they were sent.
    writes.push(
      saveStockState(ctx.db, ctx.orgId, state, rows),
      recordLowStockCrossings(ctx, doc.id, before, state),
    );
  }
  const { lines, totalValue } = plan.finish(applied);
  const dueAt = await dueAtFor(ctx, doc.type, change.to, at);
  await Promise.all([
    ...writes,
    updateLines(ctx, doc.id, lines),
    ctx.db.update(documents)
      .set({ status: change.to, [change.stamp]: at, totalValue: fmtMoney(totalValue), dueAt, ...change.extra })
      .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id))).then(() => undefined),
    writeAudit(ctx, { entity: 'document', entityId: doc.id, action: change.action, from: doc.status, to: change.to }),
  ]);
  await announceDone(ctx, doc, change.to);
}

/**
 * Whoever asked for a document hears when it is done (someone else posted or received it); a received
 * transfer's receipt cards are brought up to date whoever received it.
 */
async function announceDone(ctx: Ctx, doc: DocumentRow, to: DocumentStatus) {
  if (to !== 'posted' && to !== 'received') return;
  const by = userIdOf(ctx.actor);
  const requestedBy = doc.createdByUserId;
  if (to !== 'received' && (requestedBy === null || requestedBy === by)) return;
  await enqueue(ctx, 'document_done', `document_done:${doc.id}:${to}`, {
    documentId: doc.id, number: doc.number, type: doc.type, warehouseId: doc.warehouseId, status: to, requestedBy, by,
  });
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

/** All line updates of a posting in one statement; a field left undefined keeps its value. */
async function updateLines(ctx: Ctx, documentId: string, updates: LineUpdate[]) {
  await Promise.all(chunks(updates).map((batch) => updateLineBatch(ctx, documentId, batch)));
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
