import { sql, type SQL } from 'drizzle-orm';
import { items } from '../../db/schema';

/**
 * A fuzzy match above this names the item: more than half. The score is `word_similarity` of the
 * query's folded form (`search_form`, migration 0003) against `items.search_text` — shared trigrams
 * over all of either side's, in the stretch of the item's text that fits best. A part of a name or
 * an alias scores 1; a long name with one wrong character 0.6 (康师付红烧牛肉面 0.62), `red bull` for
 * 红牛's alias `redbull` 0.55. Exactly a half is a name's end plus a character it lacks (牛奶糖 against
 * 伊利纯牛奶, 红牛饮), one wrong character in a four-character name 0.44 (农夫三泉, as close as 牛肉米粉
 * comes to 康师傅红烧牛肉面), one shared first character 0.33: those get a "did you mean", not a guess.
 */
export const MATCH_SCORE = 0.51;

/** Below a match, still worth offering as "did you mean": a third of the query's trigrams in place. */
export const SUGGEST_SCORE = 0.3;

/** `%` and `_` typed by a user are literal characters, not wildcards. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export type ItemMatch = {
  /** The query, NFKC-folded (full-width digits and letters typed on a phone) and trimmed. */
  query: string;
  /** The query is one of the item's barcodes. */
  barcode: SQL<boolean>;
  /** The query is the item's sku, ignoring case. */
  skuFolded: SQL<boolean>;
  /** The query is the item's name or one of its aliases, once both are folded. */
  named: SQL<boolean>;
  /** 0–1: the trigram word similarity, or 1 when the query is a literal part of the sku, name or an alias. */
  score: SQL<number>;
  /** Rows worth ranking: an exact hit, a literal part, or a score at least `minScore`. */
  where: (minScore: number) => SQL;
};

/**
 * SQL pieces that score the items of a query against `items`, shared by the chat's findItem and the
 * API's GET /items?q= so both rank alike. The caller adds the organisation, its order and its limit.
 */
export function matchItems(raw: string): ItemMatch {
  const query = raw.normalize('NFKC').trim();
  const folded = sql`search_form(${query}::text)`;
  const pattern = `%${escapeLike(query)}%`;
  const barcode = sql<boolean>`exists (select 1 from item_barcodes b
    where b.org_id = ${items.orgId} and b.item_id = ${items.id} and b.barcode = ${query})`;
  const skuFolded = sql<boolean>`(lower(${items.sku}) = lower(${query}))`;
  const named = sql<boolean>`(${folded} <> '' and (search_form(${items.name}) = ${folded}
    or exists (select 1 from unnest(${items.aliases}) as alias where search_form(alias) = ${folded})))`;
  const literal = sql`(${items.sku} ilike ${pattern} or ${items.name} ilike ${pattern}
    or exists (select 1 from unnest(${items.aliases}) as alias where alias ilike ${pattern}))`;
  const similarity = sql`word_similarity(${folded}, ${items.searchText})`;
  const score = sql<number>`greatest(${similarity}, case when ${literal} then 1 else 0 end)`.mapWith(Number);
  const where = (minScore: number) => sql`(${barcode} or ${skuFolded} or ${literal} or ${similarity} >= ${minScore})`;
  return { query, barcode, skuFolded, named, score, where };
}
