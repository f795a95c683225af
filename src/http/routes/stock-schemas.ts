import { z } from '@hono/zod-openapi';
import { codeString, sku, warehouseCode } from '../schemas';

const decimal = (example: string) => z.string().openapi({ example });

export const StockQuery = z.object({
  sku: sku.optional(),
  warehouse: warehouseCode.optional(),
  limit: z.coerce.number({ error: 'limit must be a whole number from 1 to 5000' }).int('limit must be a whole number from 1 to 5000')
    .min(1, 'limit must be a whole number from 1 to 5000').max(5000, 'limit must be a whole number from 1 to 5000')
    .optional().openapi({ description: 'balances per page, default 500' }),
  after: z.string().max(1000).optional().openapi({ description: 'the `next` of the previous page' }),
});
export const ItemInWarehouseQuery = z.object({ sku, warehouse: warehouseCode });

const wholeNumber = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number from ${min} to ${max}` })
    .int(`${name} must be a whole number from ${min} to ${max}`)
    .min(min, `${name} must be a whole number from ${min} to ${max}`)
    .max(max, `${name} must be a whole number from ${min} to ${max}`);

export const LedgerQuery = z.object({
  sku: sku.optional(),
  warehouse: warehouseCode.optional(),
  document: codeString('document').optional().openapi({ description: 'a document id or number' }),
  limit: wholeNumber('limit', 1, 5000).optional().openapi({ description: 'default 500' }),
  after: wholeNumber('after', 0, Number.MAX_SAFE_INTEGER).optional().openapi({ description: 'the id of the last entry already seen' }),
});

export const Balance = z
  .object({
    sku: z.string(),
    warehouse: z.string(),
    lot: z.string().nullable(),
    expiresOn: z.string().nullable(),
    qty: decimal('12'),
    value: decimal('120.00'),
    unitCost: decimal('10'),
    inTransit: decimal('0'),
    reserved: decimal('5').openapi({ description: 'open on approved sales orders from this warehouse (an item with lots: on its first row)' }),
    onOrder: decimal('50').openapi({ description: 'open on approved purchase orders and requisitions towards this warehouse' }),
    available: decimal('7').openapi({ description: 'qty − reserved' }),
  })
  .openapi('Balance');

export const Valuation = z
  .object({ sku: z.string(), warehouse: z.string(), qty: decimal('12'), value: decimal('120.00'), unitCost: decimal('10') })
  .openapi('Valuation');

export const Layer = z
  .object({ qty: decimal('5'), unitCost: decimal('9.5'), document: z.string(), number: z.string(), receivedAt: z.string() })
  .openapi('CostLayer');

export const LedgerEntry = z
  .object({
    id: z.number().int(),
    document: z.string(),
    number: z.string(),
    line: z.number().int(),
    sku: z.string(),
    warehouse: z.string(),
    lot: z.string().nullable(),
    bucket: z.enum(['stock', 'transit']),
    qty: decimal('-3'),
    value: decimal('-30.00'),
    unitCost: decimal('10'),
    balanceQty: decimal('9'),
    balanceValue: decimal('90.00'),
    postedAt: z.string(),
  })
  .openapi('LedgerEntry');
