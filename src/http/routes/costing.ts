import { createRoute, z } from '@hono/zod-openapi';
import { closePeriod } from '../../costing/close';
import { closeView } from '../../costing/close-view';
import { listPools, putPools } from '../../costing/pools';
import { reopenPeriod } from '../../costing/reopen';
import { unitCostCsv, unitCostXlsx } from '../../costing/unit-cost-export';
import { unitCostTable } from '../../costing/unit-cost-table';
import { needScope } from '../auth';
import { ctxOf } from '../request-context';
import { createRouter } from '../router';
import { commonErrors, conflict, jsonContent, notFound, security } from '../schemas';
import * as s from './costing-schemas';

const tags = ['costing'];
const admin = { security, middleware: needScope('admin') };
const refused = { 422: jsonContent(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'a pool with nothing to share over, or a formula that fails') };
const errors = { ...commonErrors, ...conflict, ...refused };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const putPoolsRoute = createRoute({
  method: 'put', path: '/cost-periods/{period}/pools', tags, ...admin, summary: 'Replace a month’s overhead pools (409 once closed)',
  request: { params: s.PeriodParams, body: { required: true, content: { 'application/json': { schema: s.PoolsBody } } } },
  responses: { 200: jsonContent(s.Pools, 'the pools'), ...errors },
});
const getPoolsRoute = createRoute({
  method: 'get', path: '/cost-periods/{period}/pools', tags, security, summary: 'A month’s overhead pools',
  request: { params: s.PeriodParams },
  responses: { 200: jsonContent(s.Pools, 'the pools'), ...commonErrors },
});
const closeRoute = createRoute({
  method: 'post', path: '/cost-periods/{period}/close', tags, ...admin, summary: 'Close a month’s costs (成本结转): allocate, revalue, record',
  request: { params: s.PeriodParams },
  responses: { 200: jsonContent(s.Close, 'allocations per pool and order, and how each order was settled'), ...errors },
});
const readClose = createRoute({
  method: 'get', path: '/cost-periods/{period}/close', tags, security, summary: 'A closed month’s allocations and settlements',
  request: { params: s.PeriodParams },
  responses: { 200: jsonContent(s.Close, 'the standing close'), ...commonErrors, ...notFound },
});
const reopenRoute = createRoute({
  method: 'post', path: '/cost-periods/{period}/reopen', tags, ...admin, summary: 'Reopen a closed month: its revaluations are reversed',
  request: { params: s.PeriodParams },
  responses: { 200: jsonContent(s.Reopen, 'the reversals posted'), ...errors },
});
const unitCosts = createRoute({
  method: 'get', path: '/cost-periods/{period}/unit-costs', tags, security, summary: 'The unit cost table (产品单位成本表), as JSON, CSV or xlsx',
  request: { params: s.PeriodParams, query: s.UnitCostQuery },
  responses: {
    200: { description: 'the table', content: { 'application/json': { schema: s.UnitCosts }, 'text/csv': { schema: z.string() }, [XLSX]: { schema: z.string() } } },
    ...commonErrors,
  },
});

/** Overhead pools, the period close and reopening, and the unit cost table. */
export function costingRoutes() {
  const r = createRouter();
  r.openapi(putPoolsRoute, async (c) => c.json(await putPools(ctxOf(c), c.req.valid('param').period, c.req.valid('json').pools), 200));
  r.openapi(getPoolsRoute, async (c) => {
    const { period } = c.req.valid('param');
    return c.json({ period, pools: await listPools(ctxOf(c), period) }, 200);
  });
  r.openapi(closeRoute, async (c) => c.json(await closePeriod(ctxOf(c), c.req.valid('param').period), 200));
  r.openapi(readClose, async (c) => c.json(await closeView(ctxOf(c), c.req.valid('param').period), 200));
  r.openapi(reopenRoute, async (c) => c.json(await reopenPeriod(ctxOf(c), c.req.valid('param').period), 200));
  r.openapi(unitCosts, async (c) => {
    const { period } = c.req.valid('param');
    const { compare, format } = c.req.valid('query');
    const table = await unitCostTable(ctxOf(c), period, compare);
    const file = `unit-costs-${period}`;
    if (format === 'csv') {
      return c.body(unitCostCsv(table), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}.csv"` }) as never;
    }
    if (format === 'xlsx') {
      return c.body(await unitCostXlsx(table) as never, 200, { 'content-type': XLSX, 'content-disposition': `attachment; filename="${file}.xlsx"` }) as never;
    }
    return c.json(table, 200);
  });
  return r;
}
