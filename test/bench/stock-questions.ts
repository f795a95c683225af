import { seededRandom } from '../support/random';
import { type CatalogItem } from './catalog';
import { scaled, type Scenario } from './context';
import { check, stats, timed } from './measure';

type Kind = 'exact name' | 'sku' | 'brand+product' | 'product only' | 'one wrong char' | 'english alias';

/** A CJK character swapped for one that looks or sounds alike, as people mistype. */
const typo = (s: string, rnd: () => number) => {
  const chars = [...s];
  const k = Math.floor(rnd() * chars.length);
  const swaps: Record<string, string> = { 牛: '午', 肉: '内', 面: '麵', 奶: '乃', 茶: '荼', 水: '氺', 酱: '浆', 油: '由', 饼: '并', 干: '千', 汁: '汗', 乐: '东' };
  chars[k] = swaps[chars[k]!] ?? '的';
  return chars.join('');
};

function question(kind: Kind, it: CatalogItem, rnd: () => number): string {
  switch (kind) {
    case 'exact name': return `库存 ${it.name}`;
    case 'sku': return `库存 ${it.sku}`;
    case 'brand+product': return `库存 ${it.brand}${it.product}`;
    case 'product only': return `${it.product}还有多少`;
    case 'one wrong char': return `库存 ${it.brand}${typo(it.product, rnd)}`;
    case 'english alias': return `stock ${it.brandEn} ${it.productEn}`;
  }
}

/**
 * `库存 <name>` typed into the sandbox chat API (the whole inbound pipeline: parse, record the event,
 * resolve the sender, understand, find the item by trigram similarity over every name and alias,
 * answer with the stock card), over the shop's items with exact, partial, misspelt and English names.
 */
export const stockQuestions: Scenario = {
  name: 'stock questions',
  async run(ctx) {
    const { shop } = ctx;
    const who = `${shop.slug}-bench`;
    await shop.inv.ok('POST', '/api/v1/users', { name: '小王', roles: ['staff'], warehouses: ['XH'], identities: [{ platform: 'sandbox', externalId: who }] });
    const kinds: Kind[] = ['exact name', 'sku', 'brand+product', 'product only', 'one wrong char', 'english alias'];
    const n = scaled(ctx, 300, 30);
    const rnd = seededRandom(11);
    const all: number[] = [];
    const byKind = new Map<Kind, number[]>(kinds.map((k) => [k, []]));
    const outcomes = { card: 0, 'pick list': 0, 'not found': 0 };
    for (let i = 0; i < n; i++) {
      const kind = kinds[i % kinds.length]!;
      // English aliases were given to every other item.
      let it = shop.items[Math.floor(rnd() * shop.items.length)]!;
      if (kind === 'english alias') it = shop.items[2 * Math.floor(rnd() * (shop.items.length / 2))]!;
      const text = question(kind, it, rnd);
      const [res, ms] = await timed(() => shop.api('POST', '/sandbox/api/messages', { chatId: who, userId: who, text }));
      check(res.status === 200 && res.body.replies?.length >= 1, `「${text}」 → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      const reply = res.body.replies[0];
      const title: string | undefined = reply.card?.title;
      const outcome = title?.startsWith('库存：') ? 'card' : reply.card ? 'pick list' : 'not found';
      outcomes[outcome]++;
      if (kind === 'exact name' || kind === 'sku') check(title === `库存：${it.name}`, `「${text}」 answered ${JSON.stringify(reply).slice(0, 300)}, expected the card of ${it.name}`);
      all.push(ms);
      byKind.get(kind)!.push(ms);
    }
    const total = stats(all);
    const metrics: Record<string, number | string> = { questions: n, items: shop.items.length, 'p50 ms': total.p50Ms, 'p95 ms': total.p95Ms, 'max ms': total.maxMs };
    for (const [k, xs] of byKind) {
      const s = stats(xs);
      metrics[`${k} p50/p95 ms`] = `${s.p50Ms} / ${s.p95Ms}`;
    }
    metrics['answers: card / pick / none'] = `${outcomes.card} / ${outcomes['pick list']} / ${outcomes['not found']}`;
    return { metrics, notes: ['exact names and skus are checked to answer that item’s card; the others report what they got'] };
  },
};
