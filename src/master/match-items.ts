import { sql, type SQL } from 'drizzle-orm';
import { items } from '../../db/schema';
import { maybePinyin } from './item-pinyin';

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
  /** Rows of `orgId` worth ranking: an exact hit, a literal part, or a score at least `minScore`. */
  where: (minScore: number, orgId: string) => SQL;
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
  const similarity = sql`word_similarity(${folded}, ${items.searchText})`;
  // A name or alias folded to the query is wholly inside search_text, so its similarity is 1: folding
  // every candidate's name (a regular expression per row) is left to the few rows that score 1.
  const named = sql<boolean>`(case when ${similarity} < 1 then false else ${folded} <> '' and (search_form(${items.name}) = ${folded}
    or exists (select 1 from unnest(${items.aliases}) as alias where search_form(alias) = ${folded})) end)`;
  const literal = sql`(${items.sku} ilike ${pattern} or ${items.name} ilike ${pattern}
    or exists (select 1 from unnest(${items.aliases}) as alias where alias ilike ${pattern}))`;
  // Latin letters may be pinyin (`kele`, `ksf`): `<%` (word similarity at least pg_trgm's threshold,
  // 0.6) is what the GIN index on items.pinyin answers; spaces typed between syllables do not count.
  const spelled = maybePinyin(query) ? query.toLowerCase().replace(/ /g, '') : undefined;
  const pinyinScore = spelled ? sql`coalesce(word_similarity(${spelled}::text, ${items.pinyin}), 0)` : sql`0`;
  const pinyinHit = spelled ? sql` or (${spelled}::text <% ${items.pinyin} and word_similarity(${spelled}::text, ${items.pinyin}) >= ${PINYIN_SCORE})` : sql``;
  const score = sql<number>`greatest(${similarity}, ${pinyinScore}, case when ${literal} then 1 else 0 end)`.mapWith(Number);
  const where = (minScore: number, orgId: string) => sql`${items.id} in (${candidates(orgId, query, folded, pattern, spelled)})
    and (${barcode} or ${skuFolded} or ${literal} or ${similarity} >= ${minScore}${pinyinHit})`;
  return { query, barcode, skuFolded, named, score, where };
}

/**
 * The items a query matches loosely, as rows `(id, sku, score)` of the organisation: a literal part of
 * the sku, name or an alias scores 1; otherwise the trigram word similarity of the folded query (at
 * least `minScore`), or of a pinyin spelling (at least PINYIN_SCORE). Each index's candidates are
 * scored once (a word similarity costs some 15 µs a row on Chinese text, and a brand's name shared by
 * thousands of items makes thousands of candidates), where `matchItems`' expressions are evaluated
 * again for the filter, the ranking and the answer. Scores as `matchItems` does for the rows that are
 * no exact barcode, sku or name: the chat asks those of their indexes first. With `candidates`, each
 * index gives at most that many (an arbitrary few: for suggestions, never for a match).
 */
export function looseMatches(raw: string, orgId: string, minScore: number, candidates?: number): SQL {
  const query = raw.normalize('NFKC').trim();
  const pattern = `%${escapeLike(query)}%`;
  const spelled = maybePinyin(query) ? query.toLowerCase().replace(/ /g, '') : undefined;
  // Chinese of two characters or more, inside a name, is a run of its pairs in search_text: a word
  // similarity of 1 finds every literal part already, while `ilike` of two characters is more than
  // the trigram index can narrow (every item read). Otherwise a literal part is looked for too.
  // `offset 0` keeps each index's scoring a subquery of its own: pulled up into the grouping, its word
  // similarity was computed once for max(score) and again for bool_or(pass), on every candidate
  // (2,500 for a brand's name: 15-35 µs each, on top of the index's own recheck).
  const cap = candidates === undefined ? sql` offset 0` : sql` limit ${candidates}`;
  const literal = han.test(query) ? sql`` : sql`(select id, sku, 1::real as score, true as pass from items where org_id = ${orgId}
        and item_literal_text(sku, name, aliases) ilike ${pattern}
        and (sku ilike ${pattern} or name ilike ${pattern} or exists (select 1 from unnest(aliases) as alias where alias ilike ${pattern}))${cap})
      union all `;
  return sql`select id, sku, max(score) as score from (
      ${literal}select id, sku, s as score, s >= ${minScore} as pass from (select id, sku, word_similarity(search_form(${query}::text), search_text) as s
        from items where org_id = ${orgId} and search_form(${query}::text) <% search_text${cap}) as by_trigrams${spelled ? sql`
      union all select id, sku, s, s >= ${PINYIN_SCORE} from (select id, sku, word_similarity(${spelled}::text, pinyin) as s
        from items where org_id = ${orgId} and ${spelled}::text <% pinyin${cap}) as by_pinyin` : sql``}
    ) as scored group by id, sku having bool_or(pass)`;
}

/** Two or more characters of the ranges search_form (migration 0003) folds into pairs. */
const han = /^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]{2,}$/;

/** pg_trgm's default word-similarity threshold, which pinyin matches keep (the connections lower it, db/client.ts). */
const PINYIN_SCORE = 0.6;

/**
 * The items that can pass the match at all, each kind from its index (migration 0018): an exact
 * barcode or sku, a literal part of sku, name or alias (trigram index on item_literal_text), a word
 * similarity at least pg_trgm.word_similarity_threshold (trigram index on search_text; the
 * connections set it to SUGGEST_SCORE) and pinyin. A superset of the rows the full test accepts, which
 * then runs on these few instead of on every item of the organisation.
 */
function candidates(orgId: string, query: string, folded: SQL, pattern: string, spelled: string | undefined): SQL {
  return sql`select item_id from item_barcodes where org_id = ${orgId} and barcode = ${query}
    union select id from items where org_id = ${orgId} and lower(sku) = lower(${query})
    union select id from items where org_id = ${orgId} and item_literal_text(sku, name, aliases) ilike ${pattern}
    union select id from items where org_id = ${orgId} and ${folded} <% search_text${
      spelled ? sql` union select id from items where org_id = ${orgId} and ${spelled}::text <% pinyin` : sql``}`;
}
