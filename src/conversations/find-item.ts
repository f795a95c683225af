import { and, asc, desc, eq } from 'drizzle-orm';
import { items, type PackUnit } from '../../db/schema';
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
 * MATCH_SCORE it is none, with the closest as suggestions. One query.
 */
export async function findItem(ctx: Ctx, query: string): Promise<FindItemResult> {
  const m = matchItems(query);
  if (!m.query) return { kind: 'none', suggestions: [] };
  const rows = await ctx.db
    .select({
      id: items.id, sku: items.sku, name: items.name, unit: items.unit, packUnits: items.packUnits, category: items.category,
      barcode: m.barcode, skuFolded: m.skuFolded, named: m.named, score: m.score,
    })
    .from(items)
    .where(and(eq(items.orgId, ctx.orgId), m.where(SUGGEST_SCORE)))
    .orderBy(desc(m.barcode), desc(m.skuFolded), desc(m.named), desc(m.score), asc(items.sku))
    .limit(MAX_CANDIDATES);
  return classify(rows);
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

function toFoundItem(r: Ranked): FoundItem {
  return {
    id: r.id, sku: r.sku, name: r.name, unit: r.unit, category: r.category,
    packUnits: r.packUnits.map((p) => ({ name: p.name, factor: fmt(dec(p.factor)) })),
  };
}
