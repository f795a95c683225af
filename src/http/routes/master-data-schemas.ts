import { z } from '@hono/zod-openapi';
import { codeString, nonNegativeDecimal, positiveDecimal, sku, textField, warehouseCode } from '../schemas';

const valuationMethod = z.enum(['moving_average', 'fifo']);

export const CreateItemBody = z
  .object({
    sku,
    name: textField('name'),
    unit: codeString('unit'),
    category: textField('category', 64).nullish(),
    barcodes: z.array(codeString('barcode')).max(50).optional(),
    aliases: z.array(textField('alias', 64)).max(50).optional(),
    // Factor > 1 and unique names are checked by createItem, so imports and chat get the same rules.
    packUnits: z.array(z.object({ name: codeString('pack unit name'), factor: positiveDecimal(6) })).max(20).optional(),
    valuationMethod: valuationMethod.optional(),
    lotTracked: z.boolean().optional(),
    shelfLifeDays: z.number().int().min(0).max(36500).nullish(),
  })
  .openapi('CreateItem');

export const Item = z
  .object({
    id: z.string(),
    sku: z.string(),
    name: z.string(),
    unit: z.string(),
    category: z.string().nullable(),
    barcodes: z.array(z.string()),
    aliases: z.array(z.string()),
    packUnits: z.array(z.object({ name: z.string(), factor: z.string().openapi({ example: '24' }) })),
    valuationMethod,
    lotTracked: z.boolean(),
    shelfLifeDays: z.number().int().nullable(),
    createdAt: z.string(),
  })
  .openapi('Item');

export const ItemQuery = z.object({
  q: z.string().max(200).optional().openapi({ description: 'exact sku or barcode first, then the closest sku, name or alias: a part of one, a typo or an English alias still matches' }),
  limit: z.coerce
    .number({ error: 'limit must be a whole number from 1 to 1000' })
    .int('limit must be a whole number from 1 to 1000')
    .min(1, 'limit must be a whole number from 1 to 1000')
    .max(1000, 'limit must be a whole number from 1 to 1000')
    .optional()
    .openapi({ description: 'default 200' }),
});

export const CreateWarehouseBody = z
  .object({ code: warehouseCode, name: textField('name'), type: codeString('type') })
  .openapi('CreateWarehouse');

export const Warehouse = z
  .object({ id: z.string(), code: z.string(), name: z.string(), type: z.string(), createdAt: z.string() })
  .openapi('Warehouse');

export const ReorderRuleBody = z
  .object({
    sku,
    warehouse: warehouseCode,
    minQty: nonNegativeDecimal(3),
    reorderQty: positiveDecimal(3).nullish(),
  })
  .openapi('ReorderRuleInput');

export const ReorderRule = z
  .object({ sku: z.string(), warehouse: z.string(), minQty: z.string(), reorderQty: z.string().nullable() })
  .openapi('ReorderRule');
