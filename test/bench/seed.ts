import type postgres from 'postgres';

/**
 * The benchmark's shop, written straight into the service's tables with set-based SQL
 * (generate_series): going through the API would take longer than the whole benchmark.
 * `items` items named the way Chinese retail names them (brand, flavour, product, size), half with
 * an English alias, each with a barcode; `warehouses` warehouses W01…; each item stocked in
 * `perItem` of them (a balance, its valuation and a reorder rule), every balance with two ledger
 * rows (an opening and an issue) that add up to it. Moving average, no lots: the stock the
 * posting scenarios draw on.
 */
export type SeedSize = { items: number; warehouses: number; perItem: number };

const brands = ['可口可乐', '百事', '康师傅', '统一', '农夫山泉', '怡宝', '娃哈哈', '伊利', '蒙牛', '光明', '旺旺', '乐事', '奥利奥', '德芙', '好丽友', '双汇',
  '海天', '李锦记', '恒顺', '金龙鱼', '福临门', '鲁花', '蓝月亮', '立白', '高露洁', '海飞丝', '清风', '维达', '元气森林', '东鹏', '红牛', '雀巢', '三只松鼠',
  '良品铺子', '洽洽', '金锣', '银鹭', '王老吉', '今麦郎', '白象'];
const brandsEn = ['coca-cola', 'pepsi', 'master kong', 'uni-president', 'nongfu', 'c-estbon', 'wahaha', 'yili', 'mengniu', 'bright', 'want want', 'lays',
  'oreo', 'dove', 'orion', 'shuanghui', 'haitian', 'lee kum kee', 'hengshun', 'arawana', 'fortune', 'luhua', 'bluemoon', 'liby', 'colgate', 'head shoulders',
  'breeze', 'vinda', 'genki forest', 'eastroc', 'redbull', 'nestle', 'three squirrels', 'bestore', 'chacha', 'jinluo', 'yinlu', 'wanglaoji', 'jinmailang', 'baixiang'];
const products = ['可乐', '雪碧', '橙汁', '绿茶', '冰红茶', '乌龙茶', '矿泉水', '苏打水', '椰汁', '咖啡', '纯牛奶', '酸奶', '豆奶', '薯片', '饼干', '巧克力',
  '威化', '曲奇', '牛肉干', '瓜子', '海苔', '果冻', '红烧牛肉面', '老坛酸菜面', '火腿肠', '八宝粥', '生抽', '老抽', '蚝油', '陈醋', '料酒', '辣椒酱',
  '大米', '面粉', '挂面', '花生油', '洗衣液', '洗洁精', '牙膏', '洗发水', '沐浴露', '抽纸', '卷纸', '湿巾'];
const productsEn = ['cola', 'sprite', 'orange juice', 'green tea', 'ice tea', 'oolong tea', 'mineral water', 'soda water', 'coconut milk', 'coffee', 'milk',
  'yogurt', 'soy milk', 'chips', 'biscuit', 'chocolate', 'wafer', 'cookie', 'beef jerky', 'sunflower seeds', 'seaweed', 'jelly', 'beef noodles',
  'pickle noodles', 'ham sausage', 'congee', 'light soy sauce', 'dark soy sauce', 'oyster sauce', 'vinegar', 'cooking wine', 'chili sauce', 'rice',
  'flour', 'dried noodles', 'peanut oil', 'laundry liquid', 'dish soap', 'toothpaste', 'shampoo', 'body wash', 'tissues', 'toilet paper', 'wet wipes'];
const flavours = ['', '原味', '无糖', '香辣', '番茄味', '黑椒味', '低脂', '经典'];
const specs = ['330ml', '500ml', '1.25L', '40g', '104g', '308g', '1kg', '5kg', '小号', '家庭装'];

/** What a scenario needs to know of an item, computed the way the SQL below names it. */
export function benchItem(i: number) {
  const b = i % brands.length;
  const p = Math.floor(i / brands.length) % products.length;
  const f = Math.floor(i / (brands.length * products.length)) % flavours.length;
  const s = Math.floor(i / (brands.length * products.length * flavours.length)) % specs.length;
  const series = Math.floor(i / (brands.length * products.length * flavours.length * specs.length));
  return {
    sku: `SK${String(i).padStart(6, '0')}`,
    name: `${brands[b]}${flavours[f]}${products[p]} ${specs[s]}${series ? ` ${series + 1}代` : ''}`,
    brand: brands[b]!, product: products[p]!,
    alias: i % 2 === 0 ? `${brandsEn[b]} ${productsEn[p]}` : null,
    barcode: `69${String(i).padStart(11, '0')}`,
  };
}

/** The warehouses item `i` is stocked in (indexes 0…warehouses-1): spread so every warehouse has as many. */
export const stockedIn = (i: number, size: SeedSize) => Array.from({ length: size.perItem }, (_, k) => (i + k * Math.floor(size.warehouses / size.perItem)) % size.warehouses);
export const warehouseCode = (w: number) => `W${String(w + 1).padStart(2, '0')}`;

/** Stock of item i in warehouse w after the seed; large for the first warehouse, which the posting scenarios draw on. */
export const seededQty = (i: number, w: number) => (w === 0 ? 1_000_000 : 100 + ((i * 37 + w * 11) % 900));

const arr = (xs: string[]) => `{${xs.map((x) => `"${x}"`).join(',')}}`;

export async function seedShop(sql: postgres.Sql, orgId: string, size: SeedSize, say: (s: string) => void) {
  const { items: n, warehouses: nw, perItem } = size;
  const step = Math.floor(nw / perItem);
  const t0 = performance.now();
  const lap = (what: string) => say(`  seed: ${what} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  await sql.begin(async (tx) => {
    await tx.unsafe('set local synchronous_commit = off');
    // Foreign keys are checked by triggers, one call per row: the rows below point only at rows made
    // here, so a superuser skips them (three million calls); anyone else pays for them.
    await tx.unsafe(`do $$ begin set local session_replication_role = replica; exception when insufficient_privilege then null; end $$`);
    await tx`insert into warehouses (org_id, code, name, type)
      select ${orgId}, 'W' || lpad(w::text, 2, '0'), '仓库' || w, case when w = 1 then 'central' else 'store' end
      from generate_series(1, ${nw}) w`;
    // The items' trigram indexes are built once after the insert rather than row by row (several times faster).
    const gin = await tx<{ indexname: string; indexdef: string }[]>`select indexname, indexdef from pg_indexes
      where schemaname = 'public' and tablename = 'items' and indexdef ilike '% using gin %'`;
    for (const i of gin) await tx.unsafe(`drop index "${i.indexname}"`);
    // Names as benchItem(i) spells them; series past the combinations get a generation suffix.
    await tx.unsafe(`insert into items (org_id, sku, name, unit, category, aliases, valuation_method)
      select $1, 'SK' || lpad(i::text, 6, '0'),
        (b)[1 + i % ${brands.length}] || (f)[1 + (i / ${brands.length * products.length}) % ${flavours.length}]
          || (p)[1 + (i / ${brands.length}) % ${products.length}] || ' ' || (s)[1 + (i / ${brands.length * products.length * flavours.length}) % ${specs.length}]
          || case when i / ${brands.length * products.length * flavours.length * specs.length} > 0
             then ' ' || (i / ${brands.length * products.length * flavours.length * specs.length} + 1) || '代' else '' end,
        '件', '商品',
        case when i % 2 = 0 then array[(be)[1 + i % ${brands.length}] || ' ' || (pe)[1 + (i / ${brands.length}) % ${products.length}]] else '{}'::text[] end,
        'moving_average'
      from generate_series(0, ${n - 1}) i,
        (select $2::text[] b, $3::text[] p, $4::text[] f, $5::text[] s, $6::text[] be, $7::text[] pe) names`,
    [orgId, arr(brands), arr(products), arr(flavours), arr(specs), arr(brandsEn), arr(productsEn)]);
    for (const i of gin) await tx.unsafe(i.indexdef);
    lap(`${n} items`);
    await tx`insert into item_barcodes (org_id, barcode, item_id)
      select ${orgId}, '69' || lpad(substr(sku, 3)::int::text, 11, '0'), id from items where org_id = ${orgId}`;
    // Item index and warehouse index of every balance, kept in a temporary table for the next inserts.
    await tx.unsafe(`create temporary table seed_keys on commit drop as
      select it.id item_id, w.id warehouse_id, substr(it.sku, 3)::int i, (k * ${step} + substr(it.sku, 3)::int) % ${nw} wi
      from items it cross join generate_series(0, ${perItem - 1}) k
      join warehouses w on w.org_id = it.org_id and w.code = 'W' || lpad((((k * ${step} + substr(it.sku, 3)::int) % ${nw}) + 1)::text, 2, '0')
      where it.org_id = '${orgId}'`);
    lap('keys');
    const qty = `case when wi = 0 then 1000000 else 100 + ((i * 37 + wi * 11) % 900) end`;
    const cost = `(1 + (i * 13 % 400) / 10.0)`;
    // One in 200 balances sits under its minimum, so the scan has alerts to open.
    const minQty = `case when (i + wi) % 200 = 0 then 2000000 else 10 end`;
    // min_qty and reorder_qty are the reorder rule's (below), copied here by a trigger that the replica role above switches off.
    await tx.unsafe(`insert into valuations (org_id, item_id, warehouse_id, qty, value, last_unit_cost, min_qty, reorder_qty)
      select '${orgId}', item_id, warehouse_id, ${qty}, round(${qty} * ${cost}, 2), ${cost}, ${minQty}, 50 from seed_keys`);
    lap(`${n * perItem} valuations`);
    // The sku too: its trigger is off under the replica role.
    await tx.unsafe(`insert into stock_balances (org_id, item_id, warehouse_id, lot, qty, sku)
      select '${orgId}', item_id, warehouse_id, '', ${qty}, 'SK' || lpad(i::text, 6, '0') from seed_keys`);
    lap('balances');
    await tx.unsafe(`insert into reorder_rules (org_id, item_id, warehouse_id, min_qty, reorder_qty)
      select '${orgId}', item_id, warehouse_id, ${minQty}, 50 from seed_keys`);
    lap('reorder rules');
    // Two documents per warehouse carry the ledger: an opening of qty + 10 and an issue of 10.
    await tx.unsafe(`insert into documents (org_id, number, type, status, warehouse_id, created_via, posted_at, created_at)
      select '${orgId}', t.prefix || '-20260101-' || lpad(w.code, 4, '0'), t.type, 'posted', w.id, 'api', '2026-01-01', '2026-01-01'
      from warehouses w cross join (values ('OB', 'opening'), ('IS', 'issue')) t(prefix, type) where w.org_id = '${orgId}'`);
    await tx.unsafe(`insert into ledger_entries (org_id, document_id, line_no, item_id, warehouse_id, qty, value, unit_cost, balance_qty, balance_value, posted_at)
      select '${orgId}', d.id, 1, k.item_id, k.warehouse_id,
        case when e.n = 1 then ${qty} + 10 else -10 end,
        case when e.n = 1 then round((${qty} + 10) * ${cost}, 2) else -round(10 * ${cost}, 2) end,
        ${cost},
        case when e.n = 1 then ${qty} + 10 else ${qty} end,
        case when e.n = 1 then round((${qty} + 10) * ${cost}, 2) else round(${qty} * ${cost}, 2) end,
        case when e.n = 1 then timestamptz '2026-01-01 08:00+08' else timestamptz '2026-01-01 18:00+08' end
      from seed_keys k cross join (values (1), (2)) e(n)
      join documents d on d.org_id = '${orgId}' and d.warehouse_id = k.warehouse_id and d.type = case when e.n = 1 then 'opening' else 'issue' end
      order by e.n, k.item_id`);
    lap(`${2 * n * perItem} ledger rows`);
  });
  // A database that has been in use has its rows' commit status cached on their pages (hint bits)
  // and its visibility map set; freshly loaded rows have neither, and the first statement to read a
  // million of them would dirty (and later write) every page it reads, once. Vacuum does it here, so
  // each measurement sees the tables as a running service has them.
  await sql.unsafe('vacuum (analyze)');
  lap('vacuum, analyze');
}
