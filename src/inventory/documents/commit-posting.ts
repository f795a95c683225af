import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { together } from '../../../db/client';
import { documents, items, type DocumentRow, type DocumentStatus } from '../../../db/schema';
import { userIdOf, type Ctx } from '../../context';
import { enqueue } from '../../outbox/enqueue';
import { InsufficientStockError } from '../../errors';
import { fmt, fmtMoney } from '../../lib/decimal';
import { watchLowStock } from '../low-stock';
import { applyMovements } from '../movements';
import { loadStockState, movementWrites, registerNewLots, type StockState } from '../stock-state';
import { dueAtFor } from '../../approvals/service-levels';
import { writeAudit } from '../../audit';
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
  let stock: StockState | undefined;
  if (plan.movements.length > 0) {
    const state = await loadStockState(ctx.db, ctx.orgId, plan.movements.map((m) => ({ itemId: m.itemId, warehouseId: m.warehouseId })));
    const before = new Map([...state.valuations].map(([k, v]) => [k, v.qty]));
    try {
      applied = applyMovements(state, doc.id, at, plan.movements);
    } catch (err) {
      if (err instanceof InsufficientStockError) await nameShortItems(ctx, err);
      throw err;
    }
    stock = state;
    // Only a key with a reorder rule (read with its locked balance) can cross its safety stock. What is
    // reserved changes with a posting that fulfils an order, or with the reversal of one (it opens the order again).
    const watched = [...state.valuations].flatMap(([k, v]) => {
      const rule = state.rules.get(k);
      return rule ? [{ itemId: v.itemId, warehouseId: v.warehouseId, moved: { before: before.get(k)!, after: v.qty, minQty: rule.minQty } }] : [];
    });
    watchLowStock(ctx, doc.id, watched, doc.orderOfId !== null || doc.reversesId !== null);
  }
  // New lots first, on their own: a lot another posting registered meanwhile with another date refuses this one.
  if (stock) await registerNewLots(ctx.db, ctx.orgId, stock);
  const { lines, totalValue } = plan.finish(applied);
  const dueAt = await dueAtFor(ctx, doc.type, change.to, at);
  const moveDocument = ctx.db.update(documents)
    // submittedAt as the caller has it: a submission posted or shipped at once is written here (submitLocked).
    .set({ status: change.to, submittedAt: doc.submittedAt, submittedByUserId: doc.submittedByUserId, [change.stamp]: at, totalValue: fmtMoney(totalValue), dueAt, ...change.extra })
    .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
  // The balances are locked and the movements applied: every write from here on is independent of the
  // others. Stock, ledger, layers, lots, lines and the document go as one statement, the audit row
  // beside it (pipelined on one connection on Postgres). Promise.all rejects with the first statement
  // that fails, in the order they were sent. Low-stock crossings are judged before the commit.
  await Promise.all([
    ctx.db.execute(together([
      ...(stock ? movementWrites(ctx.orgId, stock, { documentId: doc.id, postedAt: at, rows: applied.ledger }) : []),
      lineUpdates(ctx.orgId, doc.id, lines),
      moveDocument.getSQL(),
    ])),
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

/** A posting's line updates, one JSON parameter; a field left null keeps its value. */
function lineUpdates(orgId: string, documentId: string, updates: LineUpdate[]): SQL {
  const rows = updates.map((u) => ({
    line_no: u.lineNo, qty: u.qty ?? null, value: u.value ?? null, unit_cost: u.unitCost ?? null, pieces: u.costPieces ?? null,
    accepted: u.acceptedQty ?? null, rejected: u.rejectedQty ?? null, received: u.receivedQty ?? null,
    dqty: u.discrepancyQty ?? null, dvalue: u.discrepancyValue ?? null,
  }));
  return sql`update document_lines as l set
      qty = coalesce(v.qty, l.qty),
      value = coalesce(v.value, l.value),
      unit_cost = coalesce(v.unit_cost, l.unit_cost),
      cost_pieces = coalesce(v.pieces, l.cost_pieces),
      accepted_qty = coalesce(v.accepted, l.accepted_qty),
      rejected_qty = coalesce(v.rejected, l.rejected_qty),
      received_qty = coalesce(v.received, l.received_qty),
      discrepancy_qty = coalesce(v.dqty, l.discrepancy_qty),
      discrepancy_value = coalesce(v.dvalue, l.discrepancy_value)
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(line_no int, qty numeric, value numeric, unit_cost numeric, pieces jsonb,
      accepted numeric, rejected numeric, received numeric, dqty numeric, dvalue numeric)
    where l.org_id = ${orgId} and l.document_id = ${documentId} and l.line_no = v.line_no`;
}
