import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { items } from '../db/schema';
import { findItem, type FindItemResult } from '../src/chat/conversations/find-item';
import { fillMissingPinyin, itemPinyin } from '../src/master/item-pinyin';
import { createTestApp, type TestApp } from './harness';
import { toCsv, uploader } from './support/imports';

describe('itemPinyin', () => {
  it('spells the name and each Chinese alias as initials and in full, leaving letters and digits to the text search', async () => {
    expect(await itemPinyin('可口可乐 330ml', ['可乐', 'coke'])).toBe('kkkl kekoukele kl kele');
    expect(await itemPinyin('重庆小面', [])).toBe('cqxm chongqingxiaomian');
    expect(await itemPinyin('Coca-Cola', ['coke'])).toBe('');
    expect(await itemPinyin('绿茶', ['绿茶'])).toBe('lc lvcha');
  });
});

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

const skuOf = (r: FindItemResult) => (r.kind === 'found' ? r.item.sku : r.kind);

describe('findItem by pinyin (拼音助记码)', () => {
  let find: (q: string) => Promise<FindItemResult>;
  let orgId: string;
  beforeAll(async () => {
    const org = await h.createOrg();
    orgId = org.orgId;
    const item = async (sku: string, name: string, aliases: string[] = []) =>
      expect((await org.api('POST', '/api/v1/items', { sku, name, unit: '瓶', aliases })).status).toBe(201);
    await item('COKE-330', '可口可乐 330ml', ['可乐', 'cola']);
    await item('RB-250', '红牛维生素功能饮料 250ml', ['红牛']);
    await item('KSF-001', '康师傅红烧牛肉面', ['康师傅']);
    await item('MILK-250', '蒙牛纯牛奶 250ml', ['牛奶']);
    await item('TEA-500', '康师傅冰红茶 500ml');
    const ctx = h.jobCtx(org.orgId);
    find = (q) => findItem(ctx, q);
  });

  it('finds an item from the initials or the full pinyin of its name or an alias, any case, spaces between syllables or not', async () => {
    const cases: [string, string][] = [
      ['kl', 'COKE-330'], ['kele', 'COKE-330'], ['KKKL', 'COKE-330'], ['ke le', 'COKE-330'], ['hn', 'RB-250'],
      ['hongniu', 'RB-250'], ['nn', 'MILK-250'], ['niunai', 'MILK-250'], ['mengniu', 'MILK-250'], ['ksfbhc', 'TEA-500'],
    ];
    for (const [q, sku] of cases) expect([q, skuOf(await find(q))]).toEqual([q, sku]);
  });

  it('forgives a letter left out (`kkl` for 可口可乐); whole initials outrank the start of a longer name', async () => {
    expect(skuOf(await find('kkl'))).toBe('COKE-330');
    // 康师傅 is the noodles' alias in full and only the start of the iced tea's name.
    expect(skuOf(await find('ksf'))).toBe('KSF-001');
  });

  it('never takes an unrelated word for pinyin', async () => {
    expect((await find('xyzq')).kind).toBe('none');
  });

  it('pinyin is written by the import too, and filled in for rows that have none', async () => {
    const org = await h.createOrg();
    const csv = toCsv([['sku', 'name', 'unit', 'aliases'], ['TY-001', '统一老坛酸菜牛肉面', '桶', '酸菜面']]);
    expect((await uploader(h, org.key)('items', csv)).status).toBe(200);
    const ctx = h.jobCtx(org.orgId);
    expect(skuOf(await findItem(ctx, 'scm'))).toBe('TY-001');
    // A row from before the column: no pinyin until the start-up fill.
    await h.deps.database.db.update(items).set({ pinyin: null }).where(eq(items.orgId, orgId));
    expect(skuOf(await find('hongniu'))).not.toBe('RB-250');
    expect(await fillMissingPinyin(h.deps.database.db)).toBeGreaterThanOrEqual(5);
    expect(skuOf(await find('hongniu'))).toBe('RB-250');
    expect(await fillMissingPinyin(h.deps.database.db)).toBe(0);
  });
});
