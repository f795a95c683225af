import { and, asc, eq, gt, or, type SQL } from 'drizzle-orm';
import { documents, items, ledgerEntries, warehouses, type Bucket } from '../../db/schema';
import type { Ctx } from '../context';
import { NotFoundError } from '../errors';
import { dec, fmt, fmtMoney } from '../lib/decimal';
import { requireFilterRefs, type StockFilter } from './stock-queries';

export const DEFAULT_LEDGER_LIMIT = 500;

export type LedgerFilter = StockFilter & {
  /** A document id or number. */
  document?: string | undefined;
  /** Entries after this id: the cursor of the next page. */
  after?: number | undefined;
  limit?: number | undefined;
};

export type LedgerEntryJson = {
  id: number; document: string; number: string; line: number; sku: string; warehouse: string;
  lot: string | null; bucket: Bucket; qty: string; value: string; unitCost: string;
  balanceQty: string; balanceValue: string; postedAt: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Comparing a uuid column with a number such as "IS-20261125-0001" would be a cast error, not a miss.
const documentMatch = (ref: string): SQL =>
  UUID.test(ref) ? or(eq(documents.id, ref), eq(documents.number, ref))! : eq(documents.number, ref);

/** Ledger entries in posting order, one page per query. Throws NotFoundError for an unknown filter. */
export async function listLedger(ctx: Ctx, filter: LedgerFilter): Promise<LedgerEntryJson[]> {
  const e = ledgerEntries;
  const rows = await ctx.db
    .select({
      id: e.id, document: e.documentId, number: documents.number, line: e.lineNo, sku: items.sku, warehouse: warehouses.code,
      lot: e.lot, bucket: e.bucket, qty: e.qty, value: e.value, unitCost: e.unitCost,
      balanceQty: e.balanceQty, balanceValue: e.balanceValue, postedAt: e.postedAt,
    })
    .from(e)
    .innerJoin(items, and(eq(items.id, e.itemId), eq(items.orgId, e.orgId)))
    .innerJoin(warehouses, and(eq(warehouses.id, e.warehouseId), eq(warehouses.orgId, e.orgId)))
    .innerJoin(documents, and(eq(documents.id, e.documentId), eq(documents.orgId, e.orgId)))
    .where(and(
      eq(e.orgId, ctx.orgId),
      filter.sku === undefined ? undefined : eq(items.sku, filter.sku),
      filter.warehouse === undefined ? undefined : eq(warehouses.code, filter.warehouse),
      filter.document === undefined ? undefined : documentMatch(filter.document),
      filter.after === undefined ? undefined : gt(e.id, filter.after),
    ))
    .orderBy(asc(e.id))
    .limit(filter.limit ?? DEFAULT_LEDGER_LIMIT);
  if (rows.length === 0) {
    await requireFilterRefs(ctx, filter);
    if (filter.document !== undefined) await requireDocument(ctx, filter.document);
  }
  return rows.map((r) => ({
    id: r.id, document: r.document, number: r.number, line: r.line, sku: r.sku, warehouse: r.warehouse,
    lot: r.lot === '' ? null : r.lot, bucket: r.bucket, qty: fmt(dec(r.qty)), value: fmtMoney(dec(r.value)),
    unitCost: fmt(dec(r.unitCost)), balanceQty: fmt(dec(r.balanceQty)), balanceValue: fmtMoney(dec(r.balanceValue)),
    postedAt: r.postedAt.toISOString(),
  }));
}

async function requireDocument(ctx: Ctx, ref: string): Promise<void> {
  const [row] = await ctx.db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.orgId, ctx.orgId), documentMatch(ref)))
    .limit(1);
  if (!row) throw new NotFoundError('document', ref);
}
