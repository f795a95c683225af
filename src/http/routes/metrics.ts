import { createRoute, z } from '@hono/zod-openapi';
import { getAccuracy } from '../../metrics/accuracy';
import { getReturnsByReason } from '../../metrics/returns';
import { ctxOf } from '../request-context';
import { createRouter } from '../router';
import { commonErrors, jsonContent, notFound, security, warehouseCode } from '../schemas';

/** A calendar date that exists: 2026-02-30 is refused, not rolled over to March. */
const calendarDate = (name: string) =>
  z
    .string()
    .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
      message: `${name} must be a date such as 2026-01-31`,
    })
    .optional();

const AccuracyQuery = z.object({
  from: calendarDate('from').openapi({ description: 'first local day, inclusive (default: 29 days before to)' }),
  to: calendarDate('to').openapi({ description: 'last local day, inclusive (default: today in APP_TIMEZONE)' }),
  warehouse: warehouseCode.optional(),
});

const WarehouseAccuracy = z
  .object({
    warehouse: z.string(),
    name: z.string(),
    countedLines: z.number().int(),
    exactLines: z.number().int(),
    accuracy: z.string().nullable().openapi({ example: '0.9850', description: 'exactLines / countedLines to 4 places; null when nothing was counted' }),
  })
  .openapi('WarehouseAccuracy');

const Accuracy = z
  .object({ from: z.string(), to: z.string(), warehouses: z.array(WarehouseAccuracy) })
  .openapi('Accuracy');

const accuracy = createRoute({
  method: 'get', path: '/metrics/accuracy', tags: ['metrics'], security,
  summary: 'Inventory accuracy per warehouse from posted stocktakes',
  description: 'The share of counted lines with no variance, over stocktakes posted in the period (local dates, inclusive). '
    + 'Reversed stocktakes do not count.',
  request: { query: AccuracyQuery },
  responses: { 200: jsonContent(Accuracy, 'every warehouse (or the one asked for), by code'), ...commonErrors, ...notFound },
});

const ReturnsByReason = z.object({
  from: z.string(), to: z.string(),
  reasons: z.array(z.object({ reason: z.string(), returns: z.number().int(), qty: z.string(), acceptedQty: z.string(), rejectedQty: z.string() })),
}).openapi('ReturnsByReason');

const returns = createRoute({
  method: 'get', path: '/metrics/returns', tags: ['metrics'], security,
  summary: 'Customer returns by reason class (expired, near expiry, damaged, wrong item, quality, other)',
  request: { query: AccuracyQuery },
  responses: { 200: jsonContent(ReturnsByReason, 'per reason: returns, quantity, accepted and rejected at QC'), ...commonErrors },
});

export function metricsRoutes() {
  const r = createRouter();
  r.openapi(accuracy, async (c) => c.json(await getAccuracy(ctxOf(c), c.req.valid('query')), 200));
  r.openapi(returns, async (c) => c.json(await getReturnsByReason(ctxOf(c), c.req.valid('query')), 200));
  return r;
}
