import type { Queryable } from '../../db/client';
import { itemPinyin } from '../master/item-pinyin';
import { items } from '../../db/schema';
import type { Ctx } from '../context';
import { createDocument } from '../inventory/documents/create';
import { putBom } from '../production/boms';
import { putWorkCenter } from '../production/work-centers';

const kitchenItems = [
  { sku: 'VEG-TOMATO', name: '番茄', unit: 'kg', category: '原料', aliases: ['西红柿', 'tomato'] },
  { sku: 'EGG', name: '鸡蛋', unit: '个', category: '原料', aliases: ['蛋', 'egg'] },
  { sku: 'OIL-5L', name: '食用油', unit: 'kg', category: '原料', aliases: ['油', 'oil'] },
  { sku: 'BOX-750', name: '餐盒 750ml', unit: '个', category: '包材', aliases: ['餐盒', 'box'] },
  { sku: 'DISH-TFE', name: '番茄炒蛋', unit: '份', category: '菜品', aliases: ['西红柿炒鸡蛋', 'tomato egg'] },
  { sku: 'DISH-LUDAN', name: '卤蛋', unit: '个', category: '菜品', aliases: ['卤鸡蛋', 'braised egg'] },
];

/**
 * A small central kitchen for the demo (its warehouse KITCHEN is made with the others, for 小刘 to be assigned to; a recipe is a BOM): two work stations, two recipes, opening
 * stock (its group 厨房群 is one of the demo's groups), and a production order of 番茄炒蛋 in progress — so
 * `报工 <单号> 炒制 2小时 合格100` can be tried in the sandbox at once. Called by seedDemo inside its
 * transaction; `chef` is the kitchen worker's context.
 */
export async function seedKitchen(tx: Queryable, ctx: Ctx, chef: () => Promise<Ctx>): Promise<void> {
  const pinyins = await Promise.all(kitchenItems.map((i) => itemPinyin(i.name, i.aliases)));
  await tx.insert(items).values(kitchenItems.map((i, k) => ({ ...i, orgId: ctx.orgId, valuationMethod: 'moving_average' as const, pinyin: pinyins[k]! })));
  await putWorkCenter(ctx, 'HOT', { name: '热菜档', laborRate: '30', machineRate: '8' });
  await putWorkCenter(ctx, 'PACK', { name: '打包台', laborRate: '24', machineRate: '0' });
  await createDocument(ctx, {
    type: 'opening', warehouse: 'KITCHEN', submit: true, note: '演示期初库存',
    lines: [
      { sku: 'VEG-TOMATO', qty: '50', unitCost: '6' }, { sku: 'EGG', qty: '600', unitCost: '0.8' },
      { sku: 'OIL-5L', qty: '20', unitCost: '14' }, { sku: 'BOX-750', qty: '500', unitCost: '0.5' },
    ],
  });
  // 番茄炒蛋: 0.25 kg tomatoes (10% trimmed away), 3 eggs, 20 g oil, a box; cut, fried and packed.
  await putBom(ctx, 'DISH-TFE', {
    lines: [{ sku: 'VEG-TOMATO', qty: '0.25', scrapPct: '10' }, { sku: 'EGG', qty: '3' }, { sku: 'OIL-5L', qty: '0.02' }, { sku: 'BOX-750', qty: '1' }],
    operations: [{ name: '切配', workCenter: 'HOT', minutesPerUnit: '2' }, { name: '炒制', workCenter: 'HOT', minutesPerUnit: '3' }, { name: '打包', workCenter: 'PACK', minutesPerUnit: '0.5' }],
  });
  await putBom(ctx, 'DISH-LUDAN', { outputQty: '10', lines: [{ sku: 'EGG', qty: '10' }, { sku: 'OIL-5L', qty: '0.05' }], operations: [{ name: '卤制', workCenter: 'HOT', minutesPerUnit: '1' }] });
  await createDocument(await chef(), { type: 'production', warehouse: 'KITCHEN', submit: true, note: '午市备餐', lines: [{ sku: 'DISH-TFE', qty: '120' }] });
}
