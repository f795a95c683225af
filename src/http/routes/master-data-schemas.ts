import { z } from '@hono/zod-openapi';
import { clientString, codeString, nonNegativeDecimal, positiveDecimal, sku, textField, warehouseCode } from '../schemas';
import { CreateItemBody, CreateWarehouseBody, ItemPatchBody, valuationMethod } from '../../master/inputs';

export { CreateItemBody, CreateWarehouseBody, ItemPatchBody };

export const Item = z
  .object({
    id: z.string(),
    sku: z.string(),
    name: z.string(),
    unit: z.string(),
    category: z.string().nullable(),
    barcodes: z.array(z.string()),
    aliases: z.array(z.string()),
    pinyin: z.array(z.string()).openapi({ description: 'pinyin search keys of the name and aliases (拼音助记码): initials and full spelling', example: ['kl', 'kele'] }),
    packUnits: z.array(z.object({ name: z.string(), factor: z.string().openapi({ example: '24' }) })),
    valuationMethod,
    lotTracked: z.boolean(),
    shelfLifeDays: z.number().int().nullable(),
    supplier: z.string().nullable(),
    leadTimeDays: z.number().int().nullable(),
    minOrderQty: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Item');

export const ItemQuery = z.object({
  q: clientString('q').max(200).optional().openapi({ description: 'exact sku or barcode first, then the closest sku, name or alias: a part of one, a typo or an English alias still matches' }),
  limit: z.coerce
    .number({ error: 'limit must be a whole number from 1 to 1000' })
    .int('limit must be a whole number from 1 to 1000')
    .min(1, 'limit must be a whole number from 1 to 1000')
    .max(1000, 'limit must be a whole number from 1 to 1000')
    .optional()
    .openapi({ description: 'default 200' }),
});



export const Warehouse = z
  .object({ id: z.string(), code: z.string(), name: z.string(), type: z.string(), createdAt: z.string() })
  .openapi('Warehouse');

export const ReorderRuleBody = z
  .object({
    sku,
    warehouse: warehouseCode,
    minQty: nonNegativeDecimal(3),
    reorderQty: positiveDecimal(3).nullish(),
    safetyStock: nonNegativeDecimal(3).nullish().openapi({ description: 'replenishment keeps this much above the forecast; default minQty' }),
    leadTimeDays: z.number().int().min(0).max(365).nullish().openapi({ description: "default: the item's, else 0" }),
    coverDays: z.number().int().min(0).max(365).nullish().openapi({ description: 'days of demand an order covers beyond the lead time; default 7' }),
    source: codeString('source').nullish().openapi({ description: '"supplier" (default) or the code of the warehouse that supplies this one' }),
  })
  .openapi('ReorderRuleInput');

export const ReorderRule = z
  .object({
    sku: z.string(), warehouse: z.string(), minQty: z.string(), reorderQty: z.string().nullable(),
    safetyStock: z.string().nullable(), leadTimeDays: z.number().int().nullable(), coverDays: z.number().int().nullable(), source: z.string(),
  })
  .openapi('ReorderRule');

export const ReorderRuleQuery = z.object({ sku: sku.optional(), warehouse: warehouseCode.optional() });

export const ListedReorderRule = ReorderRule
  .extend({
    name: z.string().openapi({ description: 'the item name' }), unit: z.string().openapi({ description: 'the base unit quantities are in' }),
    warehouseName: z.string(), updatedAt: z.string(),
  })
  .openapi('ListedReorderRule');
