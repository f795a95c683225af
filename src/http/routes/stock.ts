import { createRoute, z } from '@hono/zod-openapi';
import { listLedger } from '../../inventory/ledger-queries';
import { getValuation, listBalances, listCostLayers } from '../../inventory/stock-queries';
import { ctxOf } from '../request-context';
import { createRouter } from '../router';
import { commonErrors, jsonContent, notFound, security } from '../schemas';
import * as s from './stock-schemas';

const tags = ['stock'];
const errors = { ...commonErrors, ...notFound };

const stock = createRoute({
  method: 'get', path: '/stock', tags, security, summary: 'Stock per item, warehouse and lot',
  description: 'Without both filters, empty rows are left out. unitCost = value / qty, or the last cost when qty is 0.',
  request: { query: s.StockQuery },
  responses: {
    200: jsonContent(z.object({
      balances: z.array(s.Balance),
      next: z.string().nullable().openapi({ description: 'pass as `after` for the next page; null on the last' }),
    }), 'one page of balances by sku, warehouse, lot'),
    ...errors,
  },
});
const valuation = createRoute({
  method: 'get', path: '/stock/valuation', tags, security, summary: 'Quantity and value of an item in a warehouse',
  request: { query: s.ItemInWarehouseQuery },
  responses: { 200: jsonContent(s.Valuation, 'the valuation (zero when the item never moved there)'), ...errors },
});
const layers = createRoute({
  method: 'get', path: '/stock/layers', tags, security, summary: 'Remaining FIFO cost layers, oldest first',
  request: { query: s.ItemInWarehouseQuery },
  responses: { 200: jsonContent(z.object({ layers: z.array(s.Layer) }), 'open layers (none for moving average)'), ...errors },
});
const ledger = createRoute({
  method: 'get', path: '/ledger', tags, security, summary: 'Ledger entries in posting order',
  request: { query: s.LedgerQuery },
  responses: { 200: jsonContent(z.object({ entries: z.array(s.LedgerEntry) }), 'one page of entries; pass the last id as `after`'), ...errors },
});

export function stockRoutes() {
  const r = createRouter();
  r.openapi(stock, async (c) => c.json(await listBalances(ctxOf(c), c.req.valid('query')), 200));
  r.openapi(valuation, async (c) => {
    const { sku, warehouse } = c.req.valid('query');
    return c.json(await getValuation(ctxOf(c), sku, warehouse), 200);
  });
  r.openapi(layers, async (c) => {
    const { sku, warehouse } = c.req.valid('query');
    return c.json({ layers: await listCostLayers(ctxOf(c), sku, warehouse) }, 200);
  });
  r.openapi(ledger, async (c) => c.json({ entries: await listLedger(ctxOf(c), c.req.valid('query')) }, 200));
  return r;
}
