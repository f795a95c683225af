import { createRoute, z } from '@hono/zod-openapi';
import { DEFAULT_TREND_DAYS, getStockMetrics, MAX_TREND_DAYS } from '../../metrics/stock';
import { listIssues, listStockItems, stockListViews } from '../../metrics/stock-lists';
import { addDays, localDate } from '../../lib/calendar';
import { ctxOf } from '../request-context';
import { createRouter } from '../router';
import { calendarDate, clientString, commonErrors, jsonContent, notFound, security, warehouseCode } from '../schemas';

const money = (description: string) => z.string().openapi({ example: '705.60', description });

const StockQuery = z.object({
  warehouse: warehouseCode.optional(),
  days: z.coerce.number().int().min(1).max(MAX_TREND_DAYS).optional().openapi({ description: `days of trend ending today (default 30, at most ${MAX_TREND_DAYS})` }),
});

const StockMetrics = z.object({
  warehouse: z.string().nullable(),
  generatedAt: z.string(),
  value: money('stock value on the shelf now (in transit not included)'),
  byWarehouse: z.array(z.object({ warehouse: z.string(), name: z.string(), value: z.string(), items: z.number().int().openapi({ description: 'items with stock there' }) })),
  byCategory: z.array(z.object({ category: z.string().nullable().openapi({ description: 'null: items with no category' }), value: z.string(), items: z.number().int() })),
  belowSafety: z.object({ items: z.number().int().openapi({ description: 'item and warehouse pairs whose available stock (on hand − reserved) is below their reorder rule\'s minimum now' }) }),
  nearExpiry: z.object({ days: z.number().int(), lots: z.number().int(), value: money('their share of their items\' stock value') }),
  trend: z.object({
    from: z.string(), to: z.string(),
    days: z.array(z.object({
      date: z.string(), stockValue: money('stock value at the end of the local day'),
      issueValue: money('value of the issue documents posted that day'), issues: z.number().int(),
    })),
  }),
}).openapi('StockMetrics');

const stock = createRoute({
  method: 'get', path: '/metrics/stock', tags: ['metrics'], security,
  summary: 'Stock value by warehouse and category, items below safety stock, near-expiry value, and a daily trend of stock value and issues',
  description: 'The dashboard\'s stock tiles. Values are moving-average or FIFO valuations as the ledger holds them, on the shelf (not in transit). '
    + 'The trend replays the ledger per local day (APP_TIMEZONE), so its last day is today\'s value; issues are posted issue documents, reversals left out. '
    + 'Near expiry uses NEAR_EXPIRY_DAYS (or a third of an item\'s shelf life when shorter), as the daily alert does. Any key with the read scope.',
  request: { query: StockQuery },
  responses: { 200: jsonContent(StockMetrics, 'the stock figures'), ...commonErrors, ...notFound },
});

const ListQuery = z.object({
  view: z.enum(stockListViews).openapi({ description: 'in_stock: items with stock, biggest value first; below_safety: available (on hand − reserved) below their minimum, emptiest first; near_expiry: lots, nearest expiry first' }),
  warehouse: warehouseCode.optional(),
  category: clientString('category').max(64).optional().openapi({ description: 'only items of this category; empty: items with no category' }),
});

const StockList = z.object({
  view: z.enum(stockListViews),
  rows: z.array(z.object({
    sku: z.string(), name: z.string(), category: z.string().nullable(), unit: z.string(),
    warehouse: z.string(), warehouseName: z.string(),
    qty: z.string().openapi({ description: 'in the base unit' }),
    qtyLabel: z.string().openapi({ example: '240 罐 (10 箱)', description: 'the base unit and the packs it fills' }),
    reserved: z.string().openapi({ description: 'open on approved sales orders from the warehouse' }),
    onOrder: z.string().openapi({ description: 'open on approved purchase orders at the warehouse and requisitions it asked for' }),
    available: z.string().openapi({ description: 'on hand − reserved (for a lot: the lot\'s quantity − the item\'s reserved)' }),
    availableLabel: z.string().openapi({ example: '216 罐 (9 箱)' }),
    value: z.string(), safetyStock: z.string().nullable(), lot: z.string().nullable(), expiresOn: z.string().nullable(),
  })),
}).openapi('StockList');

const list = createRoute({
  method: 'get', path: '/metrics/stock/items', tags: ['metrics'], security,
  summary: 'The items (or lots) behind a stock figure: in stock, below safety stock, or near expiry',
  request: { query: ListQuery },
  responses: { 200: jsonContent(StockList, 'at most 500 rows'), ...commonErrors, ...notFound },
});

const IssuesQuery = z.object({
  from: calendarDate('from').optional().openapi({ description: 'first local day, inclusive (default: 29 days before to)' }),
  to: calendarDate('to').optional().openapi({ description: 'last local day, inclusive (default: today in APP_TIMEZONE)' }),
  warehouse: warehouseCode.optional(),
});

const IssueList = z.object({
  from: z.string(), to: z.string(),
  documents: z.array(z.object({
    id: z.string(), number: z.string(), warehouse: z.string(), warehouseName: z.string(), postedAt: z.string(),
    value: z.string(), lines: z.number().int(), reason: z.string().nullable(),
  })),
}).openapi('IssueList');

const issues = createRoute({
  method: 'get', path: '/metrics/stock/issues', tags: ['metrics'], security,
  summary: 'The issue documents behind the issues trend: posted in the period, newest first',
  request: { query: IssuesQuery },
  responses: { 200: jsonContent(IssueList, 'at most 500 documents'), ...commonErrors, ...notFound },
});

export function stockMetricsRoutes() {
  const r = createRouter();
  r.openapi(stock, async (c) =>
    c.json(await getStockMetrics(ctxOf(c), { ...c.req.valid('query'), nearExpiryDays: c.var.deps.config.NEAR_EXPIRY_DAYS }), 200));
  r.openapi(list, async (c) =>
    c.json(await listStockItems(ctxOf(c), { ...c.req.valid('query'), nearExpiryDays: c.var.deps.config.NEAR_EXPIRY_DAYS }), 200));
  r.openapi(issues, async (c) => {
    const q = c.req.valid('query');
    const ctx = ctxOf(c);
    const to = q.to ?? localDate(ctx.now(), ctx.timezone);
    return c.json(await listIssues(ctx, { from: q.from ?? addDays(to, 1 - DEFAULT_TREND_DAYS), to, warehouse: q.warehouse }), 200);
  });
  return r;
}
