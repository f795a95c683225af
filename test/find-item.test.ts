import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findItem, type FindItemResult } from '../src/chat/conversations/find-item';
import { createTestApp, type TestApp } from './harness';
import { toCsv, uploader } from './support/imports';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

const NOODLES_BARCODE = '6920152400012';

/** A shop like the demo's: two colas, so `可乐` alone cannot tell them apart. */
async function shop() {
  const org = await h.createOrg();
  const item = async (sku: string, name: string, extra: Record<string, unknown> = {}) => {
    const res = await org.api('POST', '/api/v1/items', { sku, name, unit: '瓶', ...extra });
    expect(res.status).toBe(201);
  };
  await item('KSF-001', '康师傅红烧牛肉面', { unit: '桶', aliases: ['noodles'], barcodes: [NOODLES_BARCODE], packUnits: [{ name: '箱', factor: 12 }] });
  await item('RB-250', '红牛 250ml', { unit: '罐', aliases: ['redbull'] });
  await item('COKE-330', '可口可乐 330ml', { aliases: ['cola', 'coke'], packUnits: [{ name: '箱', factor: 24 }] });
  await item('COKE-500', '可口可乐 500ml');
  await item('NF-550', '农夫山泉 550ml', { aliases: ['water'] });
  await item('YL-250', '伊利纯牛奶 250ml', { unit: '盒', aliases: ['milk'] });
  const ctx = h.jobCtx(org.orgId);
  return { ...org, find: (q: string) => findItem(ctx, q) };
}

const skuOf = (r: FindItemResult) => (r.kind === 'found' ? r.item.sku : undefined);
const skusOf = (r: FindItemResult) =>
  r.kind === 'ambiguous' ? r.candidates.map((c) => c.sku) : r.kind === 'none' ? r.suggestions.map((c) => c.sku) : [r.item.sku];

describe('findItem', () => {
  let s: Awaited<ReturnType<typeof shop>>;
  beforeAll(async () => {
    s = await shop();
  });

  it('finds 康师傅红烧牛肉面 from a part of its name, a wrong character, an English alias and its barcode', async () => {
    for (const q of ['牛肉面', '康师付红烧牛肉面', 'noodles', 'Noodle', NOODLES_BARCODE, '康师傅']) {
      expect([q, skuOf(await s.find(q))]).toEqual([q, 'KSF-001']);
    }
  });

  it('finds by sku ignoring case, by alias, by a name typed with full-width letters or no space', async () => {
    expect(skuOf(await s.find('ksf-001'))).toBe('KSF-001');
    expect(skuOf(await s.find('redbull'))).toBe('RB-250');
    expect(skuOf(await s.find('红牛'))).toBe('RB-250');
    expect(skuOf(await s.find('ｃｏｋｅ'))).toBe('COKE-330');
    expect(skuOf(await s.find('可乐500ml'))).toBe('COKE-500');
    expect(skuOf(await s.find('可口可乐 330ml'))).toBe('COKE-330');
  });

  it('returns the item as a stock answer needs it', async () => {
    expect(await s.find(NOODLES_BARCODE)).toEqual({
      kind: 'found',
      item: { id: expect.any(String), sku: 'KSF-001', name: '康师傅红烧牛肉面', unit: '桶', packUnits: [{ name: '箱', factor: '12' }], category: null },
    });
  });

  it('asks which one when several are as close: 可乐 is either cola', async () => {
    expect(await s.find('可乐')).toMatchObject({ kind: 'ambiguous' });
    expect(skusOf(await s.find('可乐'))).toEqual(['COKE-330', 'COKE-500']);
    expect(skusOf(await s.find('可口可乐'))).toEqual(['COKE-330', 'COKE-500']);
  });

  it('ranks an exact barcode first, even when another item is named by the same digits', async () => {
    const org = await h.createOrg();
    await org.api('POST', '/api/v1/items', { sku: 'GIFT', name: `礼盒 ${NOODLES_BARCODE}`, unit: '盒' });
    await org.api('POST', '/api/v1/items', { sku: 'KSF', name: '康师傅红烧牛肉面', unit: '桶', barcodes: [NOODLES_BARCODE] });
    const listed = async () => (await org.api('GET', `/api/v1/items?q=${NOODLES_BARCODE}`)).body.items.map((i: { sku: string }) => i.sku);
    expect(skuOf(await findItem(h.jobCtx(org.orgId), NOODLES_BARCODE))).toBe('KSF');
    expect(await listed()).toEqual(['KSF', 'GIFT']);
    // Before even an sku spelt the same (the API lists both exact hits, by sku).
    await org.api('POST', '/api/v1/items', { sku: NOODLES_BARCODE, name: '旧编码', unit: '盒' });
    expect(skuOf(await findItem(h.jobCtx(org.orgId), NOODLES_BARCODE))).toBe('KSF');
    expect(await listed()).toEqual([NOODLES_BARCODE, 'KSF', 'GIFT']);
  });

  it('answers none, with the closest as suggestions, when nothing is close enough', async () => {
    // One wrong character of four leaves too few pairs to guess from — unless it sounds alike (三 san for 山 shan): pinyin finds it.
    expect(await s.find('农夫三泉')).toMatchObject({ kind: 'found', item: { sku: 'NF-550' } });
    expect(await s.find('农夫冰泉')).toMatchObject({ kind: 'none', suggestions: [{ sku: 'NF-550' }] });
    // Milk candy is not milk, though it starts alike.
    expect(await s.find('牛奶糖')).toMatchObject({ kind: 'none', suggestions: [{ sku: 'YL-250' }] });
    expect(await s.find('xyzzy')).toEqual({ kind: 'none', suggestions: [] });
    expect(await s.find('  ')).toEqual({ kind: 'none', suggestions: [] });
    expect(await s.find('%')).toEqual({ kind: 'none', suggestions: [] });
  });

  it("never finds another organisation's item, not even by its barcode or sku", async () => {
    const other = await h.createOrg();
    const ctx = h.jobCtx(other.orgId);
    for (const q of ['康师傅红烧牛肉面', NOODLES_BARCODE, 'KSF-001', 'noodles']) {
      expect(await findItem(ctx, q)).toEqual({ kind: 'none', suggestions: [] });
    }
    await other.api('POST', '/api/v1/items', { sku: 'X-1', name: '康师傅红烧牛肉面', unit: '桶' });
    expect(skuOf(await findItem(ctx, '牛肉面'))).toBe('X-1');
    expect(skuOf(await s.find('牛肉面'))).toBe('KSF-001');
  });

  it('finds items written by the import as it finds created ones', async () => {
    const org = await h.createOrg();
    const upload = uploader(h, org.key);
    const csv = toCsv([['sku', 'name', 'unit', 'aliases', 'barcodes'], ['TY-001', '统一老坛酸菜牛肉面', '桶', 'pickled noodles', '6925303773106']]);
    expect((await upload('items', csv)).status).toBe(200);
    const ctx = h.jobCtx(org.orgId);
    expect(skuOf(await findItem(ctx, '酸菜牛肉面'))).toBe('TY-001');
    expect(skuOf(await findItem(ctx, 'pickled'))).toBe('TY-001');
    expect(skuOf(await findItem(ctx, '6925303773106'))).toBe('TY-001');
  });
});

describe('GET /api/v1/items?q= ranks as the chat does', () => {
  it('lists the fuzzy matches, best first, with an exact sku or barcode before them', async () => {
    const s = await shop();
    const skus = async (q: string) => (await s.api('GET', `/api/v1/items?q=${encodeURIComponent(q)}`)).body.items.map((i: { sku: string }) => i.sku);
    expect(await skus('康师付红烧牛肉面')).toEqual(['KSF-001']);
    expect(await skus('可乐')).toEqual(['COKE-330', 'COKE-500']);
    expect(await skus('coke 500')).toEqual(['COKE-500', 'COKE-330']);
    expect(await skus('xyzzy')).toEqual([]);
  });
});
