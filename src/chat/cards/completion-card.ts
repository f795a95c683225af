import { and, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Card } from '../../../cards/model';
import { renderCompletionCard } from '../../../cards/completion-card';
import { renderNoticeCard } from '../../../cards/notice-card';
import { documentLines, documents, items, productionCompletions, warehouses } from '../../../db/schema';
import type { Ctx } from '../../context';
import { dec, fmt, fmtMoney } from '../../lib/decimal';

const reversal = alias(documents, 'reversal');

/** `completion:<completionId>`: what one completion brought into the output warehouse, as it stands now. */
export async function completionCard(ctx: Ctx, completionId: string): Promise<Card> {
  const [row] = await ctx.db.select({ c: productionCompletions, doc: documents, item: items, wh: warehouses, reversedBy: reversal.number })
    .from(productionCompletions)
    .innerJoin(documents, eq(documents.id, productionCompletions.documentId))
    .innerJoin(documentLines, and(eq(documentLines.documentId, documents.id), eq(documentLines.lineNo, 1)))
    .innerJoin(items, eq(items.id, documentLines.itemId))
    .innerJoin(warehouses, eq(warehouses.id, sql`coalesce(${documents.toWarehouseId}, ${documents.warehouseId})`))
    .leftJoin(reversal, eq(reversal.id, productionCompletions.reversalId))
    .where(and(eq(productionCompletions.orgId, ctx.orgId), eq(productionCompletions.id, completionId)));
  if (!row) return renderNoticeCard({ title: '完工', text: '这条完工记录已经不存在了' });
  const { c } = row;
  return renderCompletionCard({
    number: row.doc.number, seq: c.seq, item: { sku: row.item.sku, name: row.item.name, unit: row.item.unit, packUnits: row.item.packUnits },
    qty: fmt(dec(c.qty)), unitCost: fmt(dec(c.unitCost)), value: fmtMoney(dec(c.value)), materialCost: fmtMoney(dec(c.materialCost)),
    laborCost: fmtMoney(dec(c.laborCost)), machineCost: fmtMoney(dec(c.machineCost)), warehouse: { code: row.wh.code, name: row.wh.name },
    final: c.final, reversedBy: row.reversedBy, at: c.at, timezone: ctx.timezone,
  });
}
