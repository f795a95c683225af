import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { itemBarcodes, items, type PackUnit } from '../../../db/schema';
import type { Ctx } from '../../context';
import { dec, fmt } from '../../lib/decimal';
import { fullPinyin } from '../../master/item-pinyin';
import { looseMatches, MATCH_SCORE, SUGGEST_SCORE } from '../../master/match-items';
import { queryRows } from '../../../db/client';

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
 * MATCH_SCORE it is none, with the closest as suggestions. Exact barcodes, skus and names come from
 * their indexes first; only the rest is scored. `typed`, the message the query was understood from,
 * lets a name the understanding trimmed be found as it was spelled (`typedForms`).
 */
export async function findItem(ctx: Ctx, query: string, typed?: string): Promise<FindItemResult> {
  const folded = query.normalize('NFKC').trim();
  if (!folded) return { kind: 'none', suggestions: [] };
  const exact = await exactItem(ctx, folded, typed === undefined ? [] : typedForms(folded, typed.normalize('NFKC')));
  if (exact) return exact;
  const loose = await looseItem(ctx, folded);
  if (loose.kind !== 'none' || !SOUNDS_ALIKE.test(folded)) return loose;
  // 红扭, 雪壁, 康市傅: a short name typed with a character that sounds alike shares no character pair
  // with the real one, but its pinyin is the item's (pinyin search keys, `hongniu`): asked only on a
  // miss, and only close matches count (a brand's pinyin alone, `baishi…`, is no answer).
  const alike = await looseRows(ctx, await fullPinyin(folded), CLOSE_SCORE);
  return alike.length > 0 ? classify(alike) : loose;
}

/** Two to four Chinese characters: short enough that one wrong character leaves no pair in common. */
const SOUNDS_ALIKE = /^\p{Script=Han}{2,4}$/u;

/**
 * No exact kind is left. At 100,000 items a brand or a kind (可乐, 红牛) is shared by thousands, and
 * scoring them all costs a word similarity each (some 15-35 µs), so the answer is asked for in
 * stages, each taken only where it answers as scoring everything would: the items holding every
 * word of a Chinese query (all score 1), then the close matches, then every match; when nothing
 * matches, the suggestions come from the first SUGGESTION_CANDIDATES candidates only.
 */
async function looseItem(ctx: Ctx, folded: string): Promise<FindItemResult> {
  if (CHINESE.test(folded)) {
    const perfect = await perfectRows(ctx, folded);
    if (perfect.length >= MAX_CANDIDATES) return classify(perfect);
  }
  const close = await looseRows(ctx, folded, CLOSE_SCORE);
  if (settled(close)) return classify(close);
  const matches = await looseRows(ctx, folded, MATCH_SCORE);
  if (matches.length > 0) return classify(matches);
  return classify(await looseRows(ctx, folded, SUGGEST_SCORE, SUGGESTION_CANDIDATES));
}

/** Chinese only: its words are character pairs, and an item holding them all scores 1 (and only such an item). */
const CHINESE = /^\p{Script=Han}{2,}$/u;

/** Enough to offer three "did you mean" from without scoring a whole brand's items; an arbitrary few of them. */
const SUGGESTION_CANDIDATES = 300;

/** The first items by sku that hold every word of the folded query (migration 0021's index), as scoring 1. */
async function perfectRows(ctx: Ctx, folded: string): Promise<Ranked[]> {
  const rows = await ctx.db.select(itemColumns).from(items)
    .where(and(eq(items.orgId, ctx.orgId), sql`string_to_array(${items.searchText}, ' ') @> string_to_array(search_form(${folded}::text), ' ')`))
    .orderBy(asc(items.sku)).limit(MAX_CANDIDATES);
  return rows.map((r) => ({ ...r, score: 1 }));
}

/**
 * Scores at least this are found from few candidates: a brand shared by thousands of items (every
 * 可口可乐 scores 0.6 against 可口可乐可东) keeps them out of the trigram index's answer.
 */
const CLOSE_SCORE = 0.7;

/**
 * Whether the close matches alone decide as all matches would. They are every row scoring at least
 * CLOSE_SCORE, with the same scores (looseMatches under that threshold), so the full answer's top
 * rows are theirs when there are a pick list's worth; and a best that leads the next close one, or
 * (alone) every score below CLOSE_SCORE, by CLEAR_LEAD is found either way.
 */
function settled(close: Ranked[]): boolean {
  const [best, next] = close;
  if (!best) return false;
  if (close.length >= MAX_CANDIDATES) return true;
  return next ? best.score - next.score >= CLEAR_LEAD : best.score - CLOSE_SCORE >= CLEAR_LEAD;
}

/**
 * The loose matches scoring at least `threshold`, best first, a pick list's worth (from the first
 * `candidates` of each index when given). The trigram
 * index answers `<%` by pg_trgm.word_similarity_threshold (SUGGEST_SCORE on every connection), so it
 * is raised for this statement and put back (in the caller's transaction). Outside a transaction the
 * setting does not outlive its own statement: the query then scores every candidate, as slow but as right.
 */
async function looseRows(ctx: Ctx, folded: string, threshold: number, candidates?: number): Promise<Ranked[]> {
  const setting = (name: string, value: string) => sql`set_config(${name}, ${value}, true)`;
  const before: SQL[] = [];
  const after: SQL[] = [];
  if (threshold !== SUGGEST_SCORE) {
    before.push(setting('pg_trgm.word_similarity_threshold', String(threshold)));
    after.push(setting('pg_trgm.word_similarity_threshold', String(SUGGEST_SCORE)));
  }
  // Candidates come from the trigram indexes, never from reading the catalogue. pg_trgm declares its
  // functions at the cost of an equality, so when the planner expects thousands of matches it tests
  // every item instead: 可口可乐的打水 (5,000 expected) took 750-800 ms that way at 100,000 items,
  // against 110 ms from the index's 5,000 candidates.
  before.push(setting('enable_seqscan', 'off'));
  after.push(setting('enable_seqscan', 'on'));
  // A capped read must not walk the organisation's items in sku order either (the sku index: 12,000
  // rows tested, 80 ms for 300 suggestions), testing each until enough pass. Bitmap scans only.
  if (candidates !== undefined) {
    before.push(setting('enable_indexscan', 'off'));
    after.push(setting('enable_indexscan', 'on'));
  }
  // Each sent by calling queryRows, in the order written (a builder handed to Promise.all as it is
  // would be sent only when Promise.all reaches it, after the query).
  const apply = (settings: SQL[]) => (settings.length > 0 ? queryRows(ctx.db, sql`select ${sql.join(settings, sql`, `)}`) : undefined);
  // The settings, the query and the settings put back are sent together: the connection runs them in
  // order, in one round trip (only speed depends on them: `pass` holds the threshold either way). The
  // pick list's worth is taken before the items are joined: joined first, a brand's 2,500 matches made
  // Postgres hash every item of the catalogue (100,000 rows, spilling to disk) to keep five.
  const [, rows] = await Promise.all([
    apply(before),
    queryRows<LooseRow>(ctx.db, sql`select i.id, i.sku, i.name, i.unit, i.pack_units, i.category, m.score
      from (select id, sku, score from (${looseMatches(folded, ctx.orgId, threshold, candidates)}) as scored
        order by score desc, sku limit ${MAX_CANDIDATES}) as m join ${items} i on i.id = m.id
      order by m.score desc, m.sku`),
    apply(after),
  ]);
  return rows.map((r) => ({ id: r.id, sku: r.sku, name: r.name, unit: r.unit, packUnits: r.pack_units, category: r.category, score: Number(r.score) }));
}

type LooseRow = { id: string; sku: string; name: string; unit: string; pack_units: PackUnit[]; category: string | null; score: number | string };

const itemColumns = { id: items.id, sku: items.sku, name: items.name, unit: items.unit, packUnits: items.packUnits, category: items.category };

/**
 * A barcode, an sku (any case), or a whole name or alias — as understood, or as the message spelled
 * it (`typedAlso`, see `typedForms`) — answered from their indexes, as the ranked
 * query would answer it (a barcode names one item; an sku or name folded onto several is ambiguous)
 * — without scoring every candidate, which costs most when thousands share trigrams (`BK00123` among
 * thousands of `BK…`; `可口可乐原味可乐 330ml` among every 可口可乐 and every 可乐). Undefined: none of these.
 */
async function exactItem(ctx: Ctx, query: string, typedAlso: string[]): Promise<FindItemResult | undefined> {
  const [byBarcode] = await ctx.db.select(itemColumns).from(itemBarcodes).innerJoin(items, eq(items.id, itemBarcodes.itemId))
    .where(and(eq(itemBarcodes.orgId, ctx.orgId), eq(itemBarcodes.barcode, query))).limit(1);
  if (byBarcode) return { kind: 'found', item: toFoundItem(byBarcode) };
  const bySku = await ctx.db.select(itemColumns).from(items)
    .where(and(eq(items.orgId, ctx.orgId), sql`lower(${items.sku}) = lower(${query})`)).orderBy(asc(items.sku)).limit(MAX_CANDIDATES);
  if (bySku.length > 0) return oneOrSome(bySku);
  // A whole name or alias, folded alike (migration 0019's index): most questions name their item so.
  return wholeName(ctx, [query, ...typedAlso]);
}

/** How far a typed form reaches past what the understanding kept, on either side (老师|傅牛肉面). */
const MAX_GLUED = 4;

/**
 * The item as the message spelled it, when understanding trimmed it: from its first word to its last
 * with what was dropped between them (娃哈哈 read as 娃 + the chat word 哈哈), and with up to
 * MAX_GLUED characters glued on before or after it (哈|尔滨啤酒, 有|友泡椒凤爪: a particle at the
 * edge of a name). Empty when the words cannot be found in order in the message.
 */
export function typedForms(query: string, typed: string): string[] {
  const words = query.split(/\s+/).filter((w) => w.length > 0);
  const first = words[0] === undefined ? -1 : typed.indexOf(words[0]);
  if (first < 0) return [];
  let end = first + words[0]!.length;
  for (const w of words.slice(1)) {
    const at = typed.indexOf(w, end);
    if (at < 0) return [];
    end = at + w.length;
  }
  const glued = (i: number) => i >= 0 && i < typed.length && /[\p{Script=Han}\p{L}\p{N}]/u.test(typed[i]!);
  let left = 0;
  while (left < MAX_GLUED && glued(first - left - 1)) left++;
  let right = 0;
  while (right < MAX_GLUED && glued(end + right)) right++;
  const forms = new Set<string>();
  for (let l = 0; l <= left; l++) for (let r = 0; r <= right; r++) forms.add(typed.slice(first - l, end + r).trim());
  forms.delete(query);
  return [...forms].filter((f) => f.length > 0);
}

/**
 * The items whose whole name or alias is one of `forms` once folded (one statement on the name-forms
 * index for them all): those answering the longest form, since a name typed in full is more specific
 * than one hidden inside it (有友泡椒凤爪 over 友泡椒凤爪); several answering it are ambiguous.
 */
async function wholeName(ctx: Ctx, forms: string[]): Promise<FindItemResult | undefined> {
  const folded = sql.join(forms.map((f) => sql`search_form(${f}::text)`), sql`, `);
  const rows = await queryRows<TypedRow>(ctx.db, sql`
    select i.id, i.sku, i.name, i.unit, i.pack_units, i.category, item_name_forms(i.name, i.aliases) as forms, array[${folded}] as asked
    from ${items} i
    where i.org_id = ${ctx.orgId} and item_name_forms(i.name, i.aliases) && array[${folded}]
    order by i.sku limit ${MAX_CANDIDATES * 4}`);
  // How long a form each row answers to: the rows answering the longest are the answer.
  const reach = (r: TypedRow) => Math.max(...r.asked.map((s, k) => (r.forms.includes(s) ? forms[k]!.length : 0)));
  const longest = Math.max(0, ...rows.map(reach));
  const best = rows.filter((r) => reach(r) === longest).slice(0, MAX_CANDIDATES);
  return best.length === 0 ? undefined : oneOrSome(best.map((r) => ({
    id: r.id, sku: r.sku, name: r.name, unit: r.unit, packUnits: r.pack_units, category: r.category,
  })));
}

type TypedRow = { id: string; sku: string; name: string; unit: string; pack_units: PackUnit[]; category: string | null; forms: string[]; asked: string[] };

const oneOrSome = (rows: Array<Parameters<typeof toFoundItem>[0]>): FindItemResult =>
  rows.length === 1 ? { kind: 'found', item: toFoundItem(rows[0]!) } : { kind: 'ambiguous', candidates: rows.map(toFoundItem) };

type Ranked = FoundItem & { score: number };

/** Rows come best first: one clear match is found, close ones are ambiguous, none above MATCH_SCORE are suggestions. */
function classify(rows: Ranked[]): FindItemResult {
  const [best, next] = rows;
  if (!best) return { kind: 'none', suggestions: [] };
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
