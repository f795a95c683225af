import { and, eq, isNull, sql } from 'drizzle-orm';
import { queryRows } from '../../../db/client';
import { documents, type DocumentRow, type DocumentType } from '../../../db/schema';
import type { Ctx } from '../../context';
import { NotFoundError, UnprocessableError } from '../../errors';
import { Decimal, ZERO, dec, fmt } from '../../lib/decimal';
import { documentRef } from './load';

/** What each kind of return refers to. */
const returnedType: Partial<Record<DocumentType, DocumentType>> = { customer_return: 'issue', purchase_return: 'receipt' };

/** The posted, unreversed issue or receipt a return refers to. Throws NotFoundError, UnprocessableError. */
export async function resolveReturnOf(ctx: Ctx, type: DocumentType, ref: string, lock = false): Promise<DocumentRow> {
  const query = ctx.db.select().from(documents).where(documentRef(ctx.orgId, ref));
  const [original] = lock ? await query.for('update') : await query;
  if (!original) throw new NotFoundError('document', ref);
  const wanted = returnedType[type];
  if (original.type !== wanted) {
    throw new UnprocessableError(`${original.number} (${original.type}) cannot be returned by a ${type}: it must name a posted ${wanted}`, { returnOf: original.number })
      .because('return_of_wrong_type', { number: original.number, type: original.type, returnType: type, wanted });
  }
  if (original.status !== 'posted' || original.reversedById) {
    throw new UnprocessableError(`${original.number} is not a posted ${wanted} (it is ${original.reversedById ? 'reversed' : original.status})`, {
      returnOf: original.number,
    }).because('return_of_not_posted', { number: original.number, status: original.status, reversed: Boolean(original.reversedById) });
  }
  return original;
}

export type ReturnedLine = { itemId: string; sku: string; qty: Decimal };

/**
 * Refuses to return more of an item than the original moved, net of earlier posted, unreversed
 * returns of it. Called at creation, and again at posting under the original's row lock so two
 * returns posted at once cannot both pass.
 */
export async function checkReturnable(ctx: Ctx, original: DocumentRow, lines: ReturnedLine[], excludeDocumentId?: string) {
  const rows = await queryRows<{ item_id: string; moved: string; returned: string }>(ctx.db, sql`
    select l.item_id,
      sum(l.qty) as moved,
      coalesce((select sum(rl.qty) from document_lines rl join documents r on r.id = rl.document_id
        where r.org_id = ${ctx.orgId} and r.return_of_id = ${original.id} and r.status = 'posted'
          and r.reversed_by_id is null and rl.item_id = l.item_id
          ${excludeDocumentId ? sql`and r.id <> ${excludeDocumentId}` : sql``}), 0) as returned
    from document_lines l
    where l.org_id = ${ctx.orgId} and l.document_id = ${original.id}
    group by l.item_id`);
  const left = new Map(rows.map((r) => [r.item_id, dec(r.moved).minus(r.returned)]));
  const asked = new Map<string, { sku: string; qty: Decimal }>();
  for (const l of lines) asked.set(l.itemId, { sku: l.sku, qty: (asked.get(l.itemId)?.qty ?? ZERO).plus(l.qty) });
  for (const [itemId, { sku, qty }] of asked) {
    const available = left.get(itemId);
    if (available === undefined) {
      throw new UnprocessableError(`${sku} is not on ${original.number}`, { sku, returnOf: original.number })
        .because('not_on_original', { number: original.number, sku });
    }
    if (qty.gt(available)) {
      throw new UnprocessableError(`only ${fmt(available)} of ${sku} from ${original.number} can still be returned, not ${fmt(qty)}`, {
        sku, returnOf: original.number, requested: fmt(qty), returnable: fmt(available),
      }).because('return_beyond', { number: original.number, sku, returnable: fmt(available), requested: fmt(qty) });
    }
  }
}

export type ReturnSource = { unitCost: Decimal; lots: string[] };

/** Per item of the original: the unit cost it moved at (value / qty over its lines) and the lots it moved. */
export async function returnSources(ctx: Ctx, original: DocumentRow): Promise<Map<string, ReturnSource>> {
  const rows = await queryRows<{ item_id: string; qty: string; value: string; lots: string[] }>(ctx.db, sql`
    select item_id, sum(abs(qty)) as qty, sum(abs(value)) as value,
      array_agg(distinct lot) filter (where lot <> '') as lots
    from ledger_entries
    where org_id = ${ctx.orgId} and document_id = ${original.id} and bucket = 'stock'
    group by item_id`);
  return new Map(rows.map((r) => [r.item_id, {
    unitCost: dec(r.qty).isZero() ? ZERO : dec(r.value).div(r.qty).toDecimalPlaces(6, Decimal.ROUND_HALF_UP),
    lots: r.lots ?? [],
  }]));
}

/** Posted, unreversed returns that refer to a document: it cannot be reversed while they stand. */
export async function openReturnsOf(ctx: Ctx, documentId: string): Promise<string[]> {
  const rows = await ctx.db.select({ number: documents.number }).from(documents).where(and(
    eq(documents.orgId, ctx.orgId), eq(documents.returnOfId, documentId), eq(documents.status, 'posted'), isNull(documents.reversedById)));
  return rows.map((r) => r.number);
}
