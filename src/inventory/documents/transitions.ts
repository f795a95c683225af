import { and, eq } from 'drizzle-orm';
import { documentStatusName, documentTypeName } from '../../../cards/format';
import { documents, type DocumentRow, type DocumentStatus } from '../../../db/schema';
import { withTransaction, type Ctx } from '../../context';
import { ConflictError, ValidationError } from '../../errors';
import { dec, fmt, type Decimal } from '../../lib/decimal';
import { approvalLevelsFor, requestApproval } from '../../approvals/request-approval';
import { dueAtFor } from '../../approvals/service-levels';
import { writeAudit } from '../../audit';
import { enqueue } from '../../outbox/enqueue';
import { commitPosting } from './commit-posting';
import { lockDocument, type LineWithItem } from './load';
import { planCustomerReturn, planDifference, planInbound, planOutbound, type Plan } from './plan';
import { checkReturnable, resolveReturnOf, returnSources } from './returns';
import { planReceive, planShip } from './transfer-plan';

/** Statuses from which a document may still be posted (or a transfer shipped) or cancelled. */
const open: DocumentStatus[] = ['draft', 'submitted', 'approved'];

const verbsInChat: Record<string, string> = { posted: '过账', shipped: '发货', received: '收货', submitted: '提交', cancelled: '取消' };

function refuse(doc: DocumentRow, verb: string): never {
  const status = `现在是「${documentStatusName(doc.status)}」`;
  const chat = verb === 'received' && [...open, 'awaiting_approval'].includes(doc.status)
    ? `${doc.number} 还没有发货（${status}），不能收货`
    : `${doc.number} ${status}，不能${verbsInChat[verb] ?? '这样操作'}`;
  throw new ConflictError(`${doc.number} is ${doc.status}; it cannot be ${verb}`, { number: doc.number, status: doc.status }).withChat(chat);
}

/** A document of the wrong type for this step, in chat words. */
const notA = (doc: DocumentRow, what: string, verb: string) => `${doc.number} 是${documentTypeName(doc.type)}，不是${what}，不能${verb}`;

/**
 * Hands a draft over. Needing no approval, it then moves on in the same transaction: a transfer
 * ships, a customer return waits for QC, anything else posts. Throws NotFoundError, ConflictError
 * and whatever posting throws (InsufficientStockError…), in which case nothing changes.
 */
export async function submitDocument(ctx: Ctx, ref: string): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const { doc } = await lockDocument(ctx, ref);
    if (doc.status !== 'draft') refuse(doc, 'submitted');
    await ctx.db.update(documents).set({ status: 'submitted', submittedAt: ctx.now() })
      .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
    await writeAudit(ctx, { entity: 'document', entityId: doc.id, action: 'submit', from: 'draft', to: 'submitted' });
    const submitted = { ...doc, status: 'submitted' as const };
    if (await requestApproval(ctx, submitted)) return { id: doc.id };
    if (doc.type === 'transfer') return shipTransfer(ctx, doc.id);
    if (doc.type === 'customer_return') {
      await ctx.db.update(documents).set({ dueAt: await dueAtFor(ctx, doc.type, 'submitted', ctx.now()) })
        .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
      await enqueue(ctx, 'return_submitted', `return_submitted:${doc.id}`, { documentId: doc.id, number: doc.number, warehouseId: doc.warehouseId });
      return { id: doc.id };
    }
    return postDocument(ctx, doc.id);
  });
}

/**
 * Moving stock straight from draft or submitted (without /submit's approval step) is refused when
 * the rules ask for approval, so no path skips it.
 */
async function guardApproval(ctx: Ctx, doc: DocumentRow) {
  if (doc.status !== 'draft' && doc.status !== 'submitted') return;
  const levels = await approvalLevelsFor(ctx, doc);
  if (levels.length) {
    const rules = [...new Set(levels.flatMap((l) => l.rules))].join(', ');
    throw new ConflictError(`${doc.number} needs approval (${rules}): submit it for approval first`, { number: doc.number, rules })
      .withChat(`${doc.number} 需要先审批：请先提交审批，批准后再操作`);
  }
}

export type QcLine = { line: number; acceptedQty: string };

/** Posts a document (a customer return: its QC result). Transfers ship and receive instead. */
export async function postDocument(ctx: Ctx, ref: string, qc?: QcLine[]): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const { doc, lines } = await lockDocument(ctx, ref);
    if (doc.type === 'transfer') {
      throw new ConflictError(`${doc.number} is a transfer: ship it, then receive it`, { number: doc.number })
        .withChat(`${doc.number} 是调拨单，要先发货、再收货，不能直接过账`);
    }
    if (!open.includes(doc.status)) refuse(doc, 'posted');
    if (qc && doc.type !== 'customer_return') {
      throw ValidationError.field('lines', 'QC quantities are only for customer returns').withChat(notA(doc, '客户退货单', '质检'));
    }
    await guardApproval(ctx, doc);
    await commitPosting(ctx, doc, await planPosting(ctx, doc, lines, qc), { to: 'posted', stamp: 'postedAt', action: 'post' });
    return { id: doc.id };
  });
}

async function planPosting(ctx: Ctx, doc: DocumentRow, lines: LineWithItem[], qc?: QcLine[]): Promise<Plan> {
  switch (doc.type) {
    case 'opening':
    case 'receipt':
      return planInbound(doc, lines, ctx.now(), ctx.timezone);
    case 'issue':
      return planOutbound(doc, lines);
    case 'purchase_return':
      return planOutbound(doc, lines, await checkedReturnSource(ctx, doc, lines));
    case 'customer_return':
      return planCustomerReturn(doc, lines, acceptedQuantities(lines, qc), await checkedReturnSource(ctx, doc, lines));
    case 'stocktake':
    case 'adjustment':
      return planDifference(doc, lines);
    case 'transfer':
      throw new Error('unreachable: transfers ship and receive');
  }
}

/** A return re-checks, under its original's row lock, that nothing was returned meanwhile. */
async function checkedReturnSource(ctx: Ctx, doc: DocumentRow, lines: LineWithItem[]) {
  if (!doc.returnOfId) return undefined;
  const original = await resolveReturnOf(ctx, doc.type, doc.returnOfId, true);
  await checkReturnable(ctx, original, lines.map((l) => ({ itemId: l.itemId, sku: l.sku, qty: dec(l.qty) })), doc.id);
  return returnSources(ctx, original);
}

function acceptedQuantities(lines: LineWithItem[], qc: QcLine[] | undefined): Map<number, Decimal> {
  const accepted = new Map<number, Decimal>();
  (qc ?? []).forEach((q, i) => {
    const line = lines.find((l) => l.lineNo === q.line);
    if (!line) throw ValidationError.field(`lines.${i}.line`, `there is no line ${q.line}`).withChat(`这张单上没有第 ${q.line} 行`);
    const qty = dec(q.acceptedQty);
    if (qty.isNeg() || qty.gt(line.qty)) {
      throw ValidationError.field(`lines.${i}.acceptedQty`, `must be between 0 and ${line.qty}`)
        .withChat(`${line.sku} 的合格数量要在 0 到 ${fmt(dec(line.qty))} 之间，你填的是 ${fmt(qty)}`);
    }
    accepted.set(q.line, qty);
  });
  return accepted;
}

/** Ships a transfer: stock leaves the source and is in transit to the destination. */
export async function shipTransfer(ctx: Ctx, ref: string): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const { doc, lines } = await lockDocument(ctx, ref);
    if (doc.type !== 'transfer') {
      throw new ConflictError(`${doc.number} (${doc.type}) cannot be shipped: only transfers are`, { number: doc.number }).withChat(notA(doc, '调拨单', '发货'));
    }
    if (!open.includes(doc.status)) refuse(doc, 'shipped');
    await guardApproval(ctx, doc);
    await commitPosting(ctx, doc, planShip(doc, lines), { to: 'shipped', stamp: 'shippedAt', action: 'ship' });
    return { id: doc.id };
  });
}

export type ReceivedLine = { line: number; qty: string };

/** Receives a shipped transfer, in full or short (the shortage becomes the line's discrepancy). */
export async function receiveTransfer(ctx: Ctx, ref: string, received?: ReceivedLine[]): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const { doc, lines } = await lockDocument(ctx, ref);
    if (doc.type !== 'transfer') {
      throw new ConflictError(`${doc.number} (${doc.type}) cannot be received: only transfers are`, { number: doc.number }).withChat(notA(doc, '调拨单', '收货'));
    }
    if (doc.status !== 'shipped') refuse(doc, 'received');
    const qty = new Map<number, Decimal>();
    (received ?? []).forEach((r, i) => {
      const line = lines.find((l) => l.lineNo === r.line);
      if (!line) throw ValidationError.field(`lines.${i}.line`, `there is no line ${r.line}`).withChat(`这张单上没有第 ${r.line} 行`);
      const q = dec(r.qty);
      if (q.isNeg() || q.gt(line.qty)) {
        throw ValidationError.field(`lines.${i}.qty`, `must be between 0 and the ${line.qty} shipped`)
          .withChat(`${line.sku} 的收货数量要在 0 到发货的 ${fmt(dec(line.qty))} 之间，你填的是 ${fmt(q)}`);
      }
      qty.set(r.line, q);
    });
    const plan = planReceive(doc, lines, qty);
    const short = lines.some((l) => (qty.get(l.lineNo) ?? dec(l.qty)).lt(l.qty));
    await commitPosting(ctx, doc, plan, { to: 'received', stamp: 'receivedAt', action: 'receive', extra: { hasDiscrepancy: short } });
    return { id: doc.id };
  });
}

/** Cancels a document that has not moved stock yet. */
export async function cancelDocument(ctx: Ctx, ref: string, comment?: string): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const { doc } = await lockDocument(ctx, ref);
    if (![...open, 'rejected'].includes(doc.status)) refuse(doc, 'cancelled');
    await ctx.db.update(documents).set({ status: 'cancelled', cancelledAt: ctx.now(), dueAt: null })
      .where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
    await writeAudit(ctx, { entity: 'document', entityId: doc.id, action: 'cancel', from: doc.status, to: 'cancelled', comment: comment ?? null });
    return { id: doc.id };
  });
}
