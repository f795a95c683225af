import { isNull, sql } from 'drizzle-orm';
import { items } from '../../db/schema';
import type { Queryable } from '../../db/client';

/**
 * The pinyin an item is searched by, the way Chinese shop software has always been searched
 * (拼音助记码): for the name and every alias with Chinese in it, the initials (`kkkl`) and the full
 * spelling without tones (`kekoukele`), space-separated. Trigram word similarity against this
 * (`items.pinyin`, GIN-indexed) finds `kl`, `kele`, `ksf` and near misses like `kkl`. pinyin-pro
 * reads characters in context (可乐 is le, not yue; 重庆 is chong). Letters and digits are left out:
 * they are in `search_text` already.
 */
export async function itemPinyin(name: string, aliases: readonly string[]): Promise<string> {
  const pinyin = await loadPinyin();
  const keys: string[] = [];
  for (const text of [name, ...aliases]) {
    const syllables = syllablesOf(pinyin, text);
    if (syllables.length === 0) continue;
    keys.push(syllables.map((s) => s[0] ?? '').join(''), syllables.join(''));
  }
  return [...new Set(keys.filter((k) => k.length > 0))].join(' ');
}

/** The full spelling of the Chinese in `text`, as the search keys hold it (`红牛` → `hongniu`). */
export async function fullPinyin(text: string): Promise<string> {
  return syllablesOf(await loadPinyin(), text).join('');
}

type Pinyin = Awaited<ReturnType<typeof loadPinyin>>;

function syllablesOf(pinyin: Pinyin, text: string): string[] {
  const han = text.match(/\p{Script=Han}+/gu)?.join('');
  if (!han) return [];
  return pinyin(han, { toneType: 'none', type: 'array', v: true }).map((s) => s.toLowerCase().replace(/[^a-z]/g, ''));
}

/**
 * pinyin-pro is loaded when an item's pinyin is first worked out, not at start: its dictionaries
 * hold about 4 MB of heap and 10 MB of RSS (measured alone, 44 → 55 MB), and a service whose items
 * all have their pinyin never needs them. Node caches the module, so later calls are free.
 */
async function loadPinyin() {
  return (await import('pinyin-pro')).pinyin;
}

/** A query that may be pinyin: latin letters only (spaces allowed), two or more. */
export const maybePinyin = (query: string) => /^[a-z][a-z ]*[a-z]$/i.test(query);

/**
 * Items written before the column existed (or by a writer that does not know of it) have no pinyin
 * yet: fill them a page at a time, one statement a page. Run at start-up; cheap when none is missing.
 */
export async function fillMissingPinyin(db: Queryable, pageSize = 1000): Promise<number> {
  let filled = 0;
  for (;;) {
    const page = await db.select({ id: items.id, name: items.name, aliases: items.aliases }).from(items)
      .where(isNull(items.pinyin)).limit(pageSize);
    if (page.length === 0) return filled;
    const keys = await Promise.all(page.map((r) => itemPinyin(r.name, r.aliases)));
    const rows = sql.join(page.map((r, i) => sql`(${r.id}::uuid, ${keys[i]}::text)`), sql`, `);
    await db.execute(sql`update ${items} set pinyin = v.p from (values ${rows}) as v(id, p) where ${items.id} = v.id and ${items.pinyin} is null`);
    filled += page.length;
  }
}
