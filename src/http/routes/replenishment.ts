import { createRoute, z } from '@hono/zod-openapi';
import { draftReplenishment } from '../../replenishment/drafts';
import { getForecast } from '../../replenishment/forecast';
import { listSuggestions } from '../../replenishment/suggestions';
import { createOnce } from '../create-once';
import { ctxOf } from '../request-context';
import { createRouter } from '../router';
import { commonErrors, conflict, idempotencyHeader, jsonContent, notFound, security } from '../schemas';
import { Document } from './document-schemas';
import * as s from './replenishment-schemas';

const tags = ['replenishment'];

const forecast = createRoute({
  method: 'get', path: '/forecast', tags, security, summary: 'Expected demand per day from tomorrow, with its weekly pattern',
  description: 'Demand = imported daily sales (imports kind=demand) plus posted issues (net of customer returns against them) and transfers out, by local day.',
  request: { query: s.ForecastQuery },
  responses: { 200: jsonContent(s.Forecast, 'the forecast, its method named'), ...commonErrors, ...notFound },
});

const suggestions = createRoute({
  method: 'get', path: '/replenishment', tags, security, summary: 'What to order now, with the parts of each quantity',
  description: 'For items with a reorder rule: suggestedQty = demand over leadTimeDays + coverDays + safetyStock − (onHand + inTransit + onOrder − reserved), '
    + 'raised to the item\'s minOrderQty and then up to whole purchase packs (its largest pack unit); listed only where positive.',
  request: { query: s.ReplenishmentQuery },
  responses: { 200: jsonContent(z.object({ suggestions: z.array(s.Suggestion) }), 'by warehouse, then sku'), ...commonErrors, ...notFound },
});
const drafts = createRoute({
  method: 'post', path: '/replenishment/drafts', tags, security, summary: 'Draft orders from the suggestions: a purchase order per supplier, a requisition per supplying warehouse',
  request: { headers: idempotencyHeader, body: { required: true, content: { 'application/json': { schema: s.DraftsBody } } } },
  responses: {
    201: jsonContent(z.object({ documents: z.array(Document) }), 'the drafts (none when nothing is short)'),
    ...commonErrors, ...notFound, ...conflict,
    422: jsonContent(z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }) }), 'a bought item has no supplier'),
  },
});

/** Demand forecasts and replenishment suggestions. */
export function replenishmentRoutes() {
  const r = createRouter();
  r.openapi(forecast, async (c) => {
    const q = c.req.valid('query');
    return c.json(await getForecast(ctxOf(c), { ...q, explode: q.explode === 'true' }), 200);
  });
  r.openapi(suggestions, async (c) => c.json({ suggestions: await listSuggestions(ctxOf(c), c.req.valid('query').warehouse) }, 200));
  r.openapi(drafts, async (c) => {
    const input = c.req.valid('json');
    return c.json(await createOnce(c, input, (ctx) => draftReplenishment(ctx, input)), 201);
  });
  return r;
}
