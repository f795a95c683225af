import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { itemBarcodes, items, type PackUnit } from '../../db/schema';
import type { Ctx } from '../context';
import { dec, fmt } from '../lib/decimal';
import { MATCH_SCORE, matchItems, SUGGEST_SCORE } from '../master/match-items';

/** An item as a stock answer or a pick list needs it. */
export type FoundItem = { id: string; sku: string; name: string; unit: string; packUnits: PackUnit[]; category: string | null };

export type FindItemResult =
  | { kind: 'found'; item: FoundItem }
  | { kind: 'ambiguous'; candidates: FoundItem[] }
  | { kind: 'none'; suggestions: FoundItem[] };

/** A pick list longer than this is a sign to type more, not to scroll. */
export const MAX_CANDIDATES = 5;
export const MAX_SUGGESTIONS = 3;
/** How far the best fuzzy match must lead the next to be taken without asking. */
export const CLEAR_LEAD = 0.2;

/**
 * The item a chat question names, in the asking user's organisation: an exact barcode (before
 * anything else), then the sku ignoring case, then a name or alias equal once folded, then the
 * trigram score (`matchItems`). One clear winner is found; several close ones are ambiguous; below
 * MATCH_SCORE it is none, with the closest as suggestions. Exact barcodes and skus come from their
 * indexes first; only the rest is scored.
 */
export async function findItem(ctx: Ctx, query: string): Promise<FindItemResult> {
  const m = matchItems(query);
  if (!m.query) return { kind: 'none', suggestions: [] };
  const exact = await exactItem(ctx, m.query);
  if (exact) return exact;
  const rows = await ctx.db
    .select({
      ...itemColumns,
      barcode: m.barcode, skuFolded: m.skuFolded, named: m.named, score: m.score,
    })
    .from(items)
    .where(and(eq(items.orgId, ctx.orgId), m.where(SUGGEST_SCORE)))
    .orderBy(desc(m.barcode), desc(m.skuFolded), desc(m.named), desc(m.score), asc(items.sku))
    .limit(MAX_CANDIDATES);
  return classify(rows);
}

const itemColumns = { id: items.id, sku: items.sku, name: items.name, unit: items.unit, packUnits: items.packUnits, category: items.category };

/**
 * A barcode or an sku (any case) answered from their indexes, as the ranked query would answer it
 * (a barcode names one item; an sku folded onto several is ambiguous) — without scoring every item,
 * which costs most when all skus share trigrams (`BK00123` among thousands of `BK…`). Undefined: neither.
 */
async function exactItem(ctx: Ctx, query: string): Promise<FindItemResult | undefined> {
  const [byBarcode] = await ctx.db.select(itemColumns).from(itemBarcodes).innerJoin(items, eq(items.id, itemBarcodes.itemId))
    .where(and(eq(itemBarcodes.orgId, ctx.orgId), eq(itemBarcodes.barcode, query))).limit(1);
  if (byBarcode) return { kind: 'found', item: toFoundItem(byBarcode) };
  const bySku = await ctx.db.select(itemColumns).from(items)
    .where(and(eq(items.orgId, ctx.orgId), sql`lower(${items.sku}) = lower(${query})`)).orderBy(asc(items.sku)).limit(MAX_CANDIDATES);
  if (bySku.length === 0) return undefined;
  return bySku.length === 1 ? { kind: 'found', item: toFoundItem(bySku[0]!) } : { kind: 'ambiguous', candidates: bySku.map(toFoundItem) };
}

type Ranked = FoundItem & { barcode: boolean; skuFolded: boolean; named: boolean; score: number };

/** Rows come best first; each exact kind outranks every fuzzy score. */
function classify(rows: Ranked[]): FindItemResult {
  const [best, next] = rows;
  if (!best) return { kind: 'none', suggestions: [] };
  // A barcode names one item in its organisation; an sku, name or alias may fold onto several.
  if (best.barcode) return found(best);
  for (const exact of ['skuFolded', 'named'] as const) {
    if (!best[exact]) continue;
    const tied = rows.filter((r) => r[exact]);
    return tied.length === 1 ? found(best) : { kind: 'ambiguous', candidates: tied.map(toFoundItem) };
  }
  const matches = rows.filter((r) => r.score >= MATCH_SCORE);
  if (matches.length === 0) return { kind: 'none', suggestions: rows.slice(0, MAX_SUGGESTIONS).map(toFoundItem) };
  if (!next || next.score < MATCH_SCORE || best.score - next.score >= CLEAR_LEAD) return found(best);
  return { kind: 'ambiguous', candidates: matches.map(toFoundItem) };
}

const found = (row: Ranked): FindItemResult => ({ kind: 'found', item: toFoundItem(row) });

function toFoundItem(r: Omit<FoundItem, 'packUnits'> & { packUnits: PackUnit[] }): FoundItem {
  return {
    id: r.id, sku: r.sku, name: r.name, unit: r.unit, category: r.category,
    packUnits: r.packUnits.map((p) => ({ name: p.name, factor: fmt(dec(p.factor)) })),
  };
}
