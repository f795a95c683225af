import { and, asc, eq, or, type SQL } from 'drizzle-orm';
import { documentLines, documents, items, type DocumentLineRow, type DocumentRow } from '../../../db/schema';
import type { Ctx } from '../../context';
import { NotFoundError } from '../../errors';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A document is referred to by its id or its number (any case), always within the organisation. */
export function documentRef(orgId: string, ref: string): SQL {
  const byNumber = eq(documents.number, ref.trim().toUpperCase());
  return and(eq(documents.orgId, orgId), uuidPattern.test(ref) ? or(eq(documents.id, ref), byNumber) : byNumber)!;
}

export type LineWithItem = DocumentLineRow & { sku: string; lotTracked: boolean; shelfLifeDays: number | null };

/**
 * Loads a document and locks its row, so concurrent transitions of one document run one after
 * the other and each sees the status the previous one left. Throws NotFoundError.
 */
export async function lockDocument(ctx: Ctx, ref: string): Promise<{ doc: DocumentRow; lines: LineWithItem[] }> {
  const [doc] = await ctx.db.select().from(documents).where(documentRef(ctx.orgId, ref)).for('update');
  if (!doc) throw new NotFoundError('document', ref);
  return { doc, lines: await loadLines(ctx, doc.id) };
}

export async function loadLines(ctx: Ctx, documentId: string): Promise<LineWithItem[]> {
  const rows = await ctx.db
    .select({ line: documentLines, sku: items.sku, lotTracked: items.lotTracked, shelfLifeDays: items.shelfLifeDays })
    .from(documentLines)
    .innerJoin(items, eq(items.id, documentLines.itemId))
    .where(and(eq(documentLines.orgId, ctx.orgId), eq(documentLines.documentId, documentId)))
    .orderBy(asc(documentLines.lineNo));
  return rows.map((r) => ({ ...r.line, sku: r.sku, lotTracked: r.lotTracked, shelfLifeDays: r.shelfLifeDays }));
}
