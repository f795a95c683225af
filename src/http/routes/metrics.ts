import { createRoute, z } from '@hono/zod-openapi';
import { getAccuracy } from '../../metrics/accuracy';
import { getDashboard } from '../../metrics/dashboard';
import { getReturnsByReason } from '../../metrics/returns';
import { getWastage } from '../../metrics/wastage';
import { ctxOf } from '../request-context';
import { createRouter } from '../router';
import { calendarDate, commonErrors, jsonContent, notFound, security, warehouseCode } from '../schemas';

const AccuracyQuery = z.object({
  from: calendarDate('from').optional().openapi({ description: 'first local day, inclusive (default: 29 days before to)' }),
  to: calendarDate('to').optional().openapi({ description: 'last local day, inclusive (default: today in APP_TIMEZONE)' }),
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

const Wastage = z.object({
  from: z.string(), to: z.string(), totalValue: z.string(),
  rows: z.array(z.object({
    reason: z.string().openapi({ description: 'damaged, expired, near_expiry, spoiled, lost, sample or other' }),
    sku: z.string(), name: z.string(), unit: z.string(), warehouse: z.string(), warehouseName: z.string(),
    documents: z.number().int(), qty: z.string().openapi({ description: 'written off, in the base unit' }), value: z.string(),
  })),
}).openapi('Wastage');

const wastage = createRoute({
  method: 'get', path: '/metrics/wastage', tags: ['metrics'], security,
  summary: 'Wastage (损耗): stock written off by posted adjustments, by reason, item and warehouse',
  request: { query: AccuracyQuery },
  responses: { 200: jsonContent(Wastage, 'per reason, item and warehouse: documents, quantity and cost written off, largest first'), ...commonErrors },
});

const count = (description: string) => z.number().int().openapi({ description });

const Dashboard = z.object({
  from: z.string().openapi({ description: 'first local day of the period, inclusive' }),
  to: z.string().openapi({ description: 'last local day of the period, inclusive' }),
  warehouse: z.string().nullable().openapi({ description: 'the warehouse asked for, or null for the whole organisation' }),
  generatedAt: z.string().openapi({ description: 'when these figures were computed (UTC)' }),
  backlog: z.object({
    total: count('open documents now'),
    rows: z.array(z.object({ type: z.string(), status: z.string(), documents: z.number().int() })),
  }).openapi({ description: 'Open documents now (draft, submitted, awaiting_approval, approved, shipped: not posted, received, rejected or cancelled), by type and status. '
    + 'With a warehouse: its documents and transfers into it.' }),
  timeInStatus: z.array(z.object({
    type: z.string(), status: z.string(),
    documents: count('stays in this status that ended in the period'),
    avgHours: z.number().openapi({ description: 'average hours spent in the status, to 2 places' }),
    p90Hours: z.number().openapi({ description: '90th percentile (continuous) of the hours spent, to 2 places' }),
  })).openapi({ description: 'Per type and status, the stays that ended in the period, from the status timestamps: '
    + 'draft (created → submitted, or straight to posted/shipped/cancelled); submitted (→ posted, shipped or cancelled) or, for a document that had approval levels, '
    + 'awaiting_approval (submitted → approved, rejected or cancelled); approved (→ posted, shipped or cancelled); shipped (→ received).' }),
  overdue: z.object({
    total: count('overdue documents now'),
    rows: z.array(z.object({ warehouse: z.string(), name: z.string(), type: z.string(), documents: z.number().int() })),
  }).openapi({ description: 'Documents past their service-level due time now (as GET /documents/overdue lists them), by the warehouse that must act '
    + '(a shipped transfer: its destination) and type. Not limited to the period.' }),
  exceptions: z.object({
    total: count('the sum of the five counts below'),
    rejected: count('documents rejected in the period'),
    shortReceipts: count('transfers received short (with a discrepancy) in the period'),
    stocktakeVariances: count('stocktakes posted in the period with at least one line counted off the book (reversed stocktakes and reversals left out, as for accuracy)'),
    varianceLines: count('their lines with a variance'),
    reversals: count('reversal documents (红字冲销) posted in the period'),
    deadDeliveries: count('chat deliveries created in the period that failed for good (organisation-wide, whatever the warehouse filter)'),
    deadReasons: z.array(z.object({ reason: z.string(), deliveries: z.number().int() }))
      .openapi({ description: 'the dead deliveries\' most common last errors, most frequent first (at most 5)' }),
  }).openapi({ description: 'What went wrong in the period (local dates in APP_TIMEZONE).' }),
  accuracy: z.object({
    countedLines: z.number().int(), exactLines: z.number().int(),
    accuracy: z.string().nullable().openapi({ description: 'all warehouses together: exactLines / countedLines to 4 places; null when nothing was counted' }),
    warehouses: z.array(WarehouseAccuracy),
  }).openapi({ description: 'Stocktake accuracy in the period, as GET /metrics/accuracy computes it.' }),
  alerts: z.object({
    lowStock: z.object({ open: z.number().int(), acknowledged: z.number().int(), snoozed: z.number().int(), total: z.number().int() }),
    nearExpiryLots: count('lots with stock expiring within nearExpiryDays (or a third of the shelf life), now'),
    nearExpiryDays: z.number().int(),
    warehouses: z.array(z.object({
      warehouse: z.string(), name: z.string(), open: z.number().int(), acknowledged: z.number().int(), snoozed: z.number().int(), nearExpiryLots: z.number().int(),
    })),
  }).openapi({ description: 'Unresolved low-stock alerts now, by status and warehouse, and near-expiry lots now.' }),
  orders: z.object({
    open: z.array(z.object({
      type: z.string(), documents: count('open (approved) orders of this type now'),
      ages: z.object({ under_1d: z.number().int(), '1_3d': z.number().int(), '3_7d': z.number().int(), over_7d: z.number().int() })
        .openapi({ description: 'how long they have been open (since approved), in days' }),
    })),
    fillRate: z.object({
      orders: count('sales orders approved in the period'),
      filledOrders: count('of them, filled in full'),
      orderedQty: z.string(), fulfilledQty: z.string(),
      rate: z.string().nullable().openapi({ description: 'fulfilledQty / orderedQty to 4 places (cancelled rests count as not filled); null when nothing was ordered' }),
    }),
  }).openapi({ description: 'Open purchase orders, sales orders and requisitions now by age; the fill rate of the period\'s sales orders.' }),
}).openapi('Dashboard');

const dashboard = createRoute({
  method: 'get', path: '/metrics/dashboard', tags: ['metrics'], security,
  summary: 'The manager\'s dashboard: backlog, time in status, overdue, exceptions, accuracy, open alerts',
  description: 'One answer for the 全局看板 page. The period (local dates, inclusive; default the last 30 days) applies to time in status, '
    + 'exceptions and accuracy; backlog, overdue and alerts are as they are now. With `warehouse`, everything is that warehouse\'s '
    + '(dead deliveries excepted). Any key with the read scope.',
  request: { query: AccuracyQuery },
  responses: { 200: jsonContent(Dashboard, 'the dashboard figures'), ...commonErrors, ...notFound },
});

export function metricsRoutes() {
  const r = createRouter();
  r.openapi(accuracy, async (c) => c.json(await getAccuracy(ctxOf(c), c.req.valid('query')), 200));
  r.openapi(returns, async (c) => c.json(await getReturnsByReason(ctxOf(c), c.req.valid('query')), 200));
  r.openapi(wastage, async (c) => c.json(await getWastage(ctxOf(c), c.req.valid('query')), 200));
  r.openapi(dashboard, async (c) =>
    c.json(await getDashboard(ctxOf(c), { ...c.req.valid('query'), nearExpiryDays: c.var.deps.config.NEAR_EXPIRY_DAYS }), 200));
  return r;
}
