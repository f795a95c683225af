import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { valuations } from '../../db/schema';
import { withTransaction, type Ctx } from '../context';
import { UnprocessableError } from '../errors';
import { createDocument } from '../inventory/documents/create';
import { getDocument, type DocumentView } from '../inventory/documents/view';
import { addDays, localDate } from '../lib/calendar';
import { fmt, toUnitCost, dec } from '../lib/decimal';
import { requireWarehouseId } from '../refs';
import { resolveItems } from '../master/resolve-items';
import { suggestionsFor, type Suggestion } from './suggestions';

/** One draft to make: a purchase order to a supplier, or a requisition to the supplying warehouse. */
export type DraftGroup =
  | { kind: 'purchase_order'; supplier: string; suggestions: Suggestion[] }
  | { kind: 'requisition'; source: { id: string; code: string }; suggestions: Suggestion[] };

/**
 * Suggestions grouped the way they are ordered: one purchase order per supplier, one requisition
 * per supplying warehouse, in the order the suggestions come (by sku). Throws UnprocessableError
 * (`no_supplier`) naming the bought items that have no supplier: nobody could send that order.
 */
export function groupDrafts(suggestions: Suggestion[]): DraftGroup[] {
  const missing = suggestions.filter((s) => !s.source && !s.item.supplier);
  if (missing.length > 0) {
    throw new UnprocessableError(`no supplier for ${missing.map((s) => s.item.sku).join(', ')}: set the item's supplier (PATCH /items/:sku)`,
      { skus: missing.map((s) => s.item.sku) })
      .because('no_supplier', { items: missing.map((s) => ({ sku: s.item.sku, name: s.item.name })) });
  }
  const groups = new Map<string, DraftGroup>();
  for (const s of suggestions) {
    const key = s.source ? `rq:${s.source.id}` : `po:${s.item.supplier}`;
    if (!groups.has(key)) {
      groups.set(key, s.source ? { kind: 'requisition', source: s.source, suggestions: [] } : { kind: 'purchase_order', supplier: s.item.supplier!, suggestions: [] });
    }
    groups.get(key)!.suggestions.push(s);
  }
  return [...groups.values()];
}

export type DraftOptions = {
  /** Quantities to use instead of the suggested ones, by item id (a person adjusted them). */
  quantities?: Map<string, string> | undefined;
  /** Marks each draft so a second tap on the same card finds it instead of making another. */
  externalRef?: ((group: DraftGroup) => string) | undefined;
  note?: string | undefined;
};

/**
 * Makes the draft documents of these suggestions (all of one warehouse), as the actor: draft
 * purchase orders priced at each item's last cost, draft requisitions from the supplying warehouse.
 * Creating checks the rule book (`create` at the warehouse). Nothing is submitted: a person looks
 * at the quantities first.
 */
export async function createDraftDocuments(ctx: Ctx, suggestions: Suggestion[], options: DraftOptions = {}): Promise<DocumentView[]> {
  const groups = groupDrafts(suggestions);
  return withTransaction(ctx, async (tx) => {
    const costs = await lastCosts(tx, suggestions[0]?.warehouse.id ?? '', suggestions.map((s) => s.item.id));
    const docs: DocumentView[] = [];
    for (const g of groups) {
      const qtyOf = (s: Suggestion) => options.quantities?.get(s.item.id) ?? fmt(s.parts.suggestedQty);
      const common = {
        warehouse: g.suggestions[0]!.warehouse.code,
        note: options.note ?? '补货建议生成',
        ...(options.externalRef ? { externalRef: options.externalRef(g) } : {}),
      };
      const { id } = g.kind === 'purchase_order'
        ? await createDocument(tx, {
          ...common, type: 'purchase_order', counterparty: g.supplier,
          // Expected when the slowest line's lead time says it can come.
          expectedOn: addDays(localDate(tx.now(), tx.timezone), Math.max(...g.suggestions.map((s) => s.leadTimeDays))),
          lines: g.suggestions.map((s) => ({ sku: s.item.sku, qty: qtyOf(s), unitCost: fmt(costs.get(s.item.id) ?? dec(0)) })),
        })
        : await createDocument(tx, {
          ...common, type: 'requisition', toWarehouse: g.source.code,
          lines: g.suggestions.map((s) => ({ sku: s.item.sku, qty: qtyOf(s) })),
        });
      docs.push(await getDocument(tx, id));
    }
    return docs;
  });
}

/** `POST /replenishment/drafts`: the drafts of a warehouse's suggestions (`skus` narrows them). Throws NotFoundError, UnprocessableError. */
export async function draftReplenishment(ctx: Ctx, input: { warehouse: string; skus?: string[] | undefined }): Promise<{ documents: DocumentView[] }> {
  const warehouseId = await requireWarehouseId(ctx, input.warehouse);
  // An sku the organisation does not have is a mistake to name (404), not an item with nothing to suggest.
  if (input.skus?.length) await resolveItems(ctx, input.skus);
  const suggestions = await suggestionsFor(ctx, warehouseId, input.skus);
  return { documents: await createDraftDocuments(ctx, suggestions) };
}

/** Each item's last cost: of its last movement in this warehouse, else in another one. */
async function lastCosts(ctx: Ctx, warehouseId: string, itemIds: string[]) {
  const out = new Map<string, ReturnType<typeof dec>>();
  if (itemIds.length === 0) return out;
  const rows = await ctx.db.select({ itemId: valuations.itemId, cost: valuations.lastUnitCost }).from(valuations)
    .where(and(eq(valuations.orgId, ctx.orgId), inArray(valuations.itemId, itemIds), sql`${valuations.lastUnitCost} is not null`))
    .orderBy(desc(sql`${valuations.warehouseId} = ${warehouseId}`));
  for (const r of rows) if (!out.has(r.itemId)) out.set(r.itemId, toUnitCost(dec(r.cost!)));
  return out;
}
