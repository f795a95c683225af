import { z } from '@hono/zod-openapi';
import { codeString, nonNegativeDecimal, positiveDecimal, sku, textField, warehouseCode } from '../lib/fields';

/** The shapes of master data coming in, from the API and from import files alike. */
export const valuationMethod = z.enum(['moving_average', 'fifo']);

const ReplenishmentFields = z.object({
  supplier: textField('supplier', 120).nullish().openapi({ description: 'who it is bought from: draft purchase orders are one per supplier' }),
  leadTimeDays: z.number().int().min(0).max(365).nullish().openapi({ description: 'days from ordering to receiving' }),
  minOrderQty: nonNegativeDecimal(3).nullish().openapi({ description: 'the least one order takes, in the base unit' }),
});

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
    ...ReplenishmentFields.shape,
  })
  .openapi('CreateItem');

/** How an item is bought, for replenishment: on create and on `PATCH /items/:sku`. */
export const ItemPatchBody = ReplenishmentFields.openapi('PatchItem');

export const CreateWarehouseBody = z
  .object({ code: warehouseCode, name: textField('name'), type: codeString('type') })
  .openapi('CreateWarehouse');
