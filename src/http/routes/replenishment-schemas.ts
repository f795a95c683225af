import { z } from '@hono/zod-openapi';
import { clientString, sku, warehouseCode } from '../schemas';

const decimal = (example: string) => z.string().openapi({ example });
const Day = z.object({ date: z.string().openapi({ example: '2026-12-08' }), qty: decimal('12') });

export const ForecastQuery = z.object({
  warehouse: warehouseCode,
  sku,
  days: z.coerce.number({ error: 'days must be a whole number from 1 to 90' })
    .int('days must be a whole number from 1 to 90').min(1, 'days must be a whole number from 1 to 90').max(90, 'days must be a whole number from 1 to 90')
    .optional().openapi({ description: 'how many days from tomorrow (default 7)' }),
  explode: clientString('explode').pipe(z.enum(['true', 'false'], { error: 'explode must be true or false' })).optional()
    .openapi({ description: "true: also the components' needs through the item's active BOM" }),
});

export const Forecast = z.object({
  warehouse: z.string(),
  sku: z.string(),
  method: z.enum(['holt_winters_additive', 'weekday_average', 'mean', 'none']).openapi({
    description: 'holt_winters_additive (two weeks of history or more: level, trend and a weekly season), weekday_average (one to two weeks), mean (less than a week), none (no history)',
  }),
  days: z.array(Day),
  total: decimal('90'),
  components: z.array(z.object({ sku: z.string(), name: z.string(), unit: z.string(), days: z.array(Day), total: decimal('9.45') })).optional(),
}).openapi('Forecast');

export const ReplenishmentQuery = z.object({
  warehouse: warehouseCode.optional().openapi({ description: 'one warehouse (default: every warehouse with a reorder rule)' }),
});

export const Suggestion = z.object({
  sku: z.string(), name: z.string(), unit: z.string(), warehouse: z.string(),
  source: z.string().openapi({ description: '"supplier" (a purchase order) or the code of the supplying warehouse (a requisition)' }),
  supplier: z.string().nullable(),
  onHand: decimal('30'), inTransit: decimal('0'), onOrder: decimal('24'), reserved: decimal('6'),
  dailyDemand: decimal('12.857'), leadTimeDays: z.number().int(), coverDays: z.number().int(), safetyStock: decimal('20'),
  demand: decimal('90').openapi({ description: 'the forecast over the next leadTimeDays + coverDays days' }),
  method: Forecast.shape.method,
  position: decimal('48').openapi({ description: 'onHand + inTransit + onOrder − reserved' }),
  shortfall: decimal('62').openapi({ description: 'demand + safetyStock − position' }),
  minOrderQty: decimal('48').nullable(),
  pack: z.object({ name: z.string(), factor: z.string() }).nullable().openapi({ description: 'the purchase pack: the largest pack unit' }),
  packs: decimal('3').nullable(),
  suggestedQty: decimal('72').openapi({ description: 'the shortfall raised to minOrderQty, then up to whole packs' }),
}).openapi('ReplenishmentSuggestion');

export const DraftsBody = z.object({
  warehouse: warehouseCode,
  skus: z.array(sku).min(1).max(500).optional().openapi({ description: 'only these items (default: every suggestion)' }),
}).openapi('ReplenishmentDraftsInput');
