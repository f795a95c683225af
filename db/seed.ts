import { generateKey, insertApiKey } from '../src/auth/api-keys';
import type { Queryable } from './client';
import { itemBarcodes, items, organizations, warehouses, type PackUnit } from './schema';

export const demoSlug = 'demo';

const demoWarehouses = [
  { code: 'CENTRAL', name: '总仓', type: 'central' },
  { code: 'STORE-XH', name: '徐汇店', type: 'store' },
  { code: 'STORE-JA', name: '静安店', type: 'store' },
  { code: 'COLD', name: '冷库', type: 'cold' },
];

type DemoItem = {
  sku: string;
  name: string;
  unit: string;
  category: string;
  barcodes: string[];
  aliases: string[];
  packUnits: PackUnit[];
  lotTracked?: boolean;
  shelfLifeDays?: number;
};

// Barcodes are made-up EAN-13s with valid check digits, so scanners and parsers accept them.
const demoItems: DemoItem[] = [
  { sku: 'RB-250', name: '红牛维生素功能饮料 250ml', unit: '罐', category: '饮料', barcodes: ['6900000001011'],
    aliases: ['红牛', 'redbull', 'red bull'], packUnits: [{ name: '箱', factor: '24' }] },
  { sku: 'COKE-330', name: '可口可乐 330ml', unit: '罐', category: '饮料', barcodes: ['6900000001028'],
    aliases: ['可乐', 'coke', 'cola'], packUnits: [{ name: '箱', factor: '24' }] },
  { sku: 'NFSQ-550', name: '农夫山泉饮用天然水 550ml', unit: '瓶', category: '饮料', barcodes: ['6900000001035'],
    aliases: ['农夫山泉', '矿泉水', 'water'], packUnits: [{ name: '箱', factor: '24' }] },
  { sku: 'KSF-HSNR', name: '康师傅红烧牛肉面', unit: '包', category: '方便食品', barcodes: ['6900000001042', '6900000002018'],
    aliases: ['红烧牛肉面', '康师傅', '泡面', 'instant noodles'], packUnits: [{ name: '箱', factor: '12' }] },
  { sku: 'MN-MILK-250', name: '蒙牛纯牛奶 250ml', unit: '盒', category: '乳品', barcodes: ['6900000001059'],
    aliases: ['纯牛奶', '牛奶', 'milk'], packUnits: [{ name: '提', factor: '12' }, { name: '箱', factor: '24' }],
    lotTracked: true, shelfLifeDays: 180 },
  { sku: 'SQ-DUMP-1KG', name: '三全猪肉白菜水饺 1kg', unit: '袋', category: '冷冻食品', barcodes: ['6900000001066'],
    aliases: ['水饺', '饺子', 'dumplings'], packUnits: [{ name: '箱', factor: '10' }], lotTracked: true, shelfLifeDays: 365 },
];

/**
 * Creates the demo organisation, its warehouses, items and an admin API key, unless an
 * organisation with slug `demo` already exists. Returns the key's plaintext, which is stored
 * only as a hash, so the caller prints it once. Only master data: demo stock comes with the
 * opening import, through the posting engine like any other stock.
 */
export async function seedDemo(db: Queryable): Promise<{ orgId: string; apiKey: string } | undefined> {
  // One transaction, so a crash half-way leaves no demo organisation without items behind.
  return db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({ slug: demoSlug, name: '演示公司 Demo Co.' })
      .onConflictDoNothing({ target: organizations.slug })
      .returning({ id: organizations.id });
    if (!org) return undefined;
    const orgId = org.id;

    await tx.insert(warehouses).values(demoWarehouses.map((w) => ({ ...w, orgId })));
    for (const { barcodes, ...item } of demoItems) {
      const [row] = await tx
        .insert(items)
        .values({ ...item, orgId, valuationMethod: 'moving_average' })
        .returning({ id: items.id });
      await tx.insert(itemBarcodes).values(barcodes.map((barcode) => ({ orgId, barcode, itemId: row!.id })));
    }

    const apiKey = generateKey();
    await insertApiKey(tx, { orgId, name: 'demo admin', key: apiKey, scopes: ['admin'] });
    return { orgId, apiKey };
  });
}
