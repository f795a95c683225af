import type { TestApp } from '../harness';
import { toCsv, uploader, type Cell } from '../support/imports';
import { inventory } from '../support/inventory';
import { check, sampleMemory } from './measure';
import { seededRandom } from '../support/random';

/**
 * A realistic shop for the benchmark: a few thousand items named the way Chinese retail names them
 * (brand, product, flavour, size), with English aliases, barcodes and pack units, some lot-tracked;
 * a central warehouse and stores; opening stock in lots. Loaded through the import API, as a
 * customer going live would.
 */

type Category = { name: string; unit: string; pack: string | null; products: [string, string][]; specs: string[]; shelfLifeDays: number | null };

const categories: Category[] = [
  { name: '饮料', unit: '瓶', pack: '箱=24', shelfLifeDays: 365, specs: ['330ml', '500ml', '600ml', '1.25L', '2L'],
    products: [['可乐', 'cola'], ['雪碧', 'sprite'], ['橙汁', 'orange juice'], ['绿茶', 'green tea'], ['冰红茶', 'ice tea'], ['乌龙茶', 'oolong tea'],
      ['矿泉水', 'mineral water'], ['纯净水', 'pure water'], ['苏打水', 'soda water'], ['椰汁', 'coconut milk'], ['功能饮料', 'energy drink'], ['咖啡', 'coffee']] },
  { name: '乳品', unit: '盒', pack: '箱=12', shelfLifeDays: 21, specs: ['200ml', '250ml', '1L'],
    products: [['纯牛奶', 'milk'], ['酸奶', 'yogurt'], ['高钙奶', 'calcium milk'], ['早餐奶', 'breakfast milk'], ['豆奶', 'soy milk']] },
  { name: '零食', unit: '袋', pack: '箱=20', shelfLifeDays: 180, specs: ['40g', '70g', '104g', '150g', '308g'],
    products: [['薯片', 'chips'], ['饼干', 'biscuit'], ['巧克力', 'chocolate'], ['威化', 'wafer'], ['曲奇', 'cookie'], ['牛肉干', 'beef jerky'],
      ['瓜子', 'sunflower seeds'], ['海苔', 'seaweed'], ['果冻', 'jelly'], ['软糖', 'gummies']] },
  { name: '方便食品', unit: '包', pack: '箱=24', shelfLifeDays: 180, specs: ['单包', '5连包', '桶装', '大食袋'],
    products: [['红烧牛肉面', 'beef noodles'], ['老坛酸菜面', 'pickle noodles'], ['香辣牛肉面', 'spicy beef noodles'], ['鲜虾鱼板面', 'shrimp noodles'],
      ['火腿肠', 'ham sausage'], ['自热火锅', 'self-heating hotpot'], ['八宝粥', 'congee']] },
  { name: '调味品', unit: '瓶', pack: '箱=12', shelfLifeDays: null, specs: ['500ml', '1.28L', '1.9L'],
    products: [['生抽', 'light soy sauce'], ['老抽', 'dark soy sauce'], ['蚝油', 'oyster sauce'], ['陈醋', 'vinegar'], ['料酒', 'cooking wine'],
      ['辣椒酱', 'chili sauce'], ['豆瓣酱', 'bean paste'], ['芝麻油', 'sesame oil']] },
  { name: '粮油', unit: '袋', pack: null, shelfLifeDays: null, specs: ['1kg', '2.5kg', '5kg', '10kg'],
    products: [['大米', 'rice'], ['面粉', 'flour'], ['挂面', 'dried noodles'], ['花生油', 'peanut oil'], ['菜籽油', 'rapeseed oil'], ['玉米油', 'corn oil']] },
  { name: '日化', unit: '件', pack: '箱=12', shelfLifeDays: null, specs: ['小号', '中号', '大号', '家庭装'],
    products: [['洗衣液', 'laundry liquid'], ['洗洁精', 'dish soap'], ['牙膏', 'toothpaste'], ['洗发水', 'shampoo'], ['沐浴露', 'body wash'],
      ['抽纸', 'tissues'], ['卷纸', 'toilet paper'], ['湿巾', 'wet wipes']] },
];

const brands: [string, string][] = [
  ['可口可乐', 'coca-cola'], ['百事', 'pepsi'], ['康师傅', 'master kong'], ['统一', 'uni-president'], ['农夫山泉', 'nongfu'], ['怡宝', 'c-estbon'],
  ['娃哈哈', 'wahaha'], ['伊利', 'yili'], ['蒙牛', 'mengniu'], ['光明', 'bright'], ['旺旺', 'want want'], ['乐事', 'lays'], ['奥利奥', 'oreo'],
  ['德芙', 'dove'], ['好丽友', 'orion'], ['双汇', 'shuanghui'], ['海天', 'haitian'], ['李锦记', 'lee kum kee'], ['恒顺', 'hengshun'],
  ['金龙鱼', 'arawana'], ['福临门', 'fortune'], ['鲁花', 'luhua'], ['蓝月亮', 'bluemoon'], ['立白', 'liby'], ['高露洁', 'colgate'],
  ['海飞丝', 'head shoulders'], ['清风', 'breeze'], ['维达', 'vinda'], ['元气森林', 'genki forest'], ['东鹏', 'eastroc'], ['红牛', 'redbull'],
  ['雀巢', 'nestle'], ['三只松鼠', 'three squirrels'], ['良品铺子', 'bestore'], ['洽洽', 'chacha'], ['金锣', 'jinluo'], ['银鹭', 'yinlu'],
  ['王老吉', 'wanglaoji'], ['今麦郎', 'jinmailang'], ['白象', 'baixiang'],
];
const flavours = ['', '原味', '无糖', '香辣', '番茄味', '黑椒味', '低脂', '经典'];

export type CatalogItem = {
  sku: string; name: string; brand: string; product: string; productEn: string; brandEn: string;
  unit: string; lotTracked: boolean; fifo: boolean;
};


export function catalogItems(n: number): CatalogItem[] {
  const rnd = seededRandom(20261125);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const names = new Set<string>();
  const out: CatalogItem[] = [];
  while (out.length < n) {
    const c = pick(categories);
    const [brand, brandEn] = pick(brands);
    const [product, productEn] = pick(c.products);
    const flavour = pick(flavours);
    const name = `${brand}${flavour}${product} ${pick(c.specs)}`;
    if (names.has(name)) continue;
    names.add(name);
    const i = out.length + 1;
    out.push({
      sku: `BK${String(i).padStart(5, '0')}`, name, brand, product, productEn, brandEn, unit: c.unit,
      lotTracked: c.shelfLifeDays !== null && c.shelfLifeDays <= 180 && i % 3 === 0, fifo: i % 4 === 0,
    });
  }
  return out;
}

function itemCsv(list: CatalogItem[]): string {
  const rows: Cell[][] = [['sku', 'name', 'unit', 'category', 'barcodes', 'aliases', 'packUnits', 'valuationMethod', 'lotTracked', 'shelfLifeDays']];
  for (const [i, it] of list.entries()) {
    const c = categories.find((x) => x.products.some(([p]) => p === it.product))!;
    rows.push([
      it.sku, it.name, it.unit, c.name, `69${String(20000000000 + i * 7919).slice(0, 11)}`,
      i % 2 === 0 ? `${it.brandEn} ${it.productEn}` : null, c.pack, it.fifo ? 'fifo' : 'moving_average',
      it.lotTracked ? 'yes' : 'no', it.lotTracked ? c.shelfLifeDays : null,
    ]);
  }
  return toCsv(rows);
}

export const WAREHOUSES = [
  { code: 'ZC', name: '总仓', type: 'central' },
  { code: 'XH', name: '徐汇店', type: 'store' },
  { code: 'JA', name: '静安店', type: 'store' },
  { code: 'PD', name: '浦东店', type: 'store' },
  { code: 'MH', name: '闵行店', type: 'store' },
  { code: 'LK', name: '冷库', type: 'central' },
] as const;

/** A lot name and expiry, months out so no scenario runs into expired stock. */
export const lotOf = (k: number) => ({ lot: `L2027${String((k % 12) + 1).padStart(2, '0')}`, expiresOn: `2027-${String((k % 12) + 1).padStart(2, '0')}-15` });

export type Shop = Awaited<ReturnType<typeof createShop>>;

/**
 * The organisation every read-heavy scenario shares: `items` items, the warehouses above, opening
 * stock of every item in the central warehouse (two lots for lot-tracked ones) and of a third of them
 * in each other warehouse. Returns the items and a client.
 */
export async function createShop(h: TestApp, itemCount: number) {
  const org = await h.createOrg();
  const inv = inventory(org.api);
  const upload = uploader(h, org.key);
  const items = catalogItems(itemCount);
  const warehouseCsv = toCsv([['code', 'name', 'type'], ...WAREHOUSES.map((w) => [w.code, w.name, w.type])]);
  const w = await upload('warehouses', warehouseCsv);
  check(w.status === 200 || w.status === 201, `warehouse import → ${w.status} ${JSON.stringify(w.body).slice(0, 300)}`);
  const it = await upload('items', itemCsv(items));
  check(it.status === 200 || it.status === 201, `item import → ${it.status} ${JSON.stringify(it.body).slice(0, 300)}`);

  const rows: Cell[][] = [['warehouse', 'sku', 'qty', 'unitCost', 'lot', 'expiresOn']];
  for (const [wi, wh] of WAREHOUSES.entries()) {
    for (const [i, item] of items.entries()) {
      if (wi > 0 && i % 3 !== wi % 3) continue;
      const qty = 200 + ((i * 37 + wi * 11) % 800);
      const cost = (1 + ((i * 13) % 400) / 10).toFixed(2);
      if (item.lotTracked) {
        for (const k of [i, i + 5]) rows.push([wh.code, item.sku, Math.ceil(qty / 2), cost, lotOf(k).lot, lotOf(k).expiresOn]);
      } else {
        rows.push([wh.code, item.sku, qty, cost, null, null]);
      }
    }
  }
  sampleMemory();
  const o = await upload('opening', toCsv(rows));
  sampleMemory();
  check(o.status === 200 || o.status === 201, `opening import → ${o.status} ${JSON.stringify(o.body).slice(0, 300)}`);
  return { ...org, inv, items, openingLines: rows.length - 1 };
}
