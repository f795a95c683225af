import { seededRandom } from '../support/random';
import { percentile } from './measure';
import { benchItem, type SeedSize } from './seed';
import { request } from './service';

export const questionKinds = ['name', 'alias', 'fuzzy', 'barcode', 'sku'] as const;
type Kind = (typeof questionKinds)[number];

/** A CJK character swapped for one that looks or sounds alike, as people mistype. */
const swaps: Record<string, string> = { 牛: '午', 肉: '内', 面: '麵', 奶: '乃', 茶: '荼', 水: '氺', 酱: '浆', 油: '由', 饼: '并', 干: '千', 汁: '汗', 乐: '东' };
const typo = (s: string, rnd: () => number) => {
  const chars = [...s];
  const k = Math.floor(rnd() * chars.length);
  chars[k] = swaps[chars[k]!] ?? '的';
  return chars.join('');
};

function question(kind: Kind, i: number, rnd: () => number): string {
  const it = benchItem(i);
  switch (kind) {
    case 'name': return `库存 ${it.name}`;
    case 'alias': return `stock ${it.alias}`;
    case 'fuzzy': return `库存 ${it.brand}${typo(it.product, rnd)}`;
    case 'barcode': return `库存 ${it.barcode}`;
    case 'sku': return `库存 ${it.sku}`;
  }
}

/**
 * Stock questions typed into the sandbox chat (the whole inbound pipeline: record the event,
 * resolve the sender, understand, find the item, answer with the stock card), one at a time,
 * `perKind` of each kind, timed by the app itself (Server-Timing). Names, skus and barcodes must
 * answer that item's card.
 */
export async function askStock(base: string, key: string, size: SeedSize, perKind: number, options: { warmup?: number } = {}) {
  const who = 'bench-staff';
  const user = await request(base, key, 'POST', '/api/v1/users', { name: '小王', roles: ['staff'], warehouses: ['W01'], identities: [{ platform: 'sandbox', externalId: who }] });
  if (user.status !== 201) throw new Error(`user → ${user.status} ${JSON.stringify(user.body)}`);
  const rnd = seededRandom(11);
  const byKind = new Map<Kind, number[]>(questionKinds.map((k) => [k, []]));
  const wrong: string[] = [];
  const warmup = (options.warmup ?? 0) * questionKinds.length;
  for (let n = 0; n < warmup + perKind * questionKinds.length; n++) {
    const kind = questionKinds[n % questionKinds.length]!;
    // Aliases were given to every other item.
    let i = Math.floor(rnd() * size.items);
    if (kind === 'alias') i -= i % 2;
    const text = question(kind, i, rnd);
    const res = await request(base, key, 'POST', '/sandbox/api/messages', { chatId: who, userId: who, text });
    if (res.status !== 200) throw new Error(`「${text}」 → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    const title: string | undefined = res.body.replies?.[0]?.card?.title;
    if (['name', 'sku', 'barcode'].includes(kind) && title !== `库存：${benchItem(i).name}`) wrong.push(`「${text}」 → ${title ?? JSON.stringify(res.body.replies?.[0]).slice(0, 120)}`);
    if (n >= warmup) byKind.get(kind)!.push(res.serverMs);
  }
  const all = [...byKind.values()].flat();
  return {
    p50Ms: percentile(all, 50), p99Ms: percentile(all, 99), wrong,
    byKind: Object.fromEntries([...byKind].map(([k, xs]) => [k, { p50Ms: percentile(xs, 50), p99Ms: percentile(xs, 99) }])),
  };
}
