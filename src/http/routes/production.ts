import { createRoute, z } from '@hono/zod-openapi';
import { completeProduction } from '../../inventory/documents/complete';
import { reportWork } from '../../inventory/documents/report-work';
import { getDocument } from '../../inventory/documents/view';
import { getBom, putBom } from '../../production/boms';
import { standardCost } from '../../production/standard-cost';
import { listWorkCenters, putWorkCenter } from '../../production/work-centers';
import { needScope } from '../auth';
import { createOnce } from '../create-once';
import { ctxOf } from '../request-context';
import { createRouter } from '../router';
import { commonErrors, conflict, idempotencyHeader, jsonContent, notFound, security, sku } from '../schemas';
import { Document, DocumentParams } from './document-schemas';
import * as s from './production-schemas';

const tags = ['production'];
const body = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const errors = { ...commonErrors, ...notFound, ...conflict, 422: jsonContent(z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }) }), 'insufficient stock, a BOM cycle, or nothing to make it from') };
const admin = { security, middleware: needScope('admin') };

const putCenter = createRoute({
  method: 'put', path: '/work-centers/{code}', tags, ...admin, summary: 'Create or change a work centre (rates per hour)',
  request: { params: z.object({ code: z.string().min(1).max(64) }), body: body(s.WorkCenterBody) },
  responses: { 200: jsonContent(s.WorkCenter, 'the work centre'), ...errors },
});
const listCenters = createRoute({
  method: 'get', path: '/work-centers', tags, security, summary: 'Work centres',
  responses: { 200: jsonContent(z.object({ workCenters: z.array(s.WorkCenter) }), 'by code'), ...commonErrors },
});
const bomParams = z.object({ sku });
const putBomRoute = createRoute({
  method: 'put', path: '/boms/{sku}', tags, ...admin, summary: 'Add a BOM version (a recipe) and make it the active one',
  request: { params: bomParams, body: body(s.BomBody) },
  responses: { 201: jsonContent(s.Bom, 'the new version'), ...errors },
});
const getBomRoute = createRoute({
  method: 'get', path: '/boms/{sku}', tags, security, summary: 'A BOM version (default: the active one)',
  request: { params: bomParams, query: s.VersionQuery },
  responses: { 200: jsonContent(s.Bom, 'the version'), ...commonErrors, ...notFound },
});
const costRoute = createRoute({
  method: 'get', path: '/boms/{sku}/cost', tags, security, summary: 'Standard cost of ONE unit at today’s costs, rolled up through every level',
  request: { params: bomParams, query: s.VersionQuery },
  responses: { 200: jsonContent(s.StandardCost, 'the cost, components with no stock costed through their own BOM'), ...commonErrors, ...notFound },
});
const workReport = createRoute({
  method: 'post', path: '/documents/{id}/work-reports', tags, security, summary: 'Report work on a production order in progress (报工)',
  request: { params: DocumentParams, headers: idempotencyHeader, body: body(s.WorkReportBody) },
  responses: { 201: jsonContent(s.WorkReport, 'the report, with its cost at the work centre’s rates now'), ...errors },
});
const complete = createRoute({
  method: 'post', path: '/documents/{id}/complete', tags, security, summary: 'Complete some output of a production order: one posting',
  request: { params: DocumentParams, body: body(s.CompleteBody) },
  responses: { 200: jsonContent(Document, 'the order'), ...errors },
});

/** Work centres, BOMs and their standard cost, work reports and completions. */
export function productionRoutes() {
  const r = createRouter();
  r.openapi(putCenter, async (c) => c.json(await putWorkCenter(ctxOf(c), c.req.valid('param').code, c.req.valid('json')), 200));
  r.openapi(listCenters, async (c) => c.json({ workCenters: await listWorkCenters(ctxOf(c)) }, 200));
  r.openapi(putBomRoute, async (c) => c.json(await putBom(ctxOf(c), c.req.valid('param').sku, c.req.valid('json')), 201));
  r.openapi(getBomRoute, async (c) => c.json(await getBom(ctxOf(c), c.req.valid('param').sku, c.req.valid('query').version), 200));
  r.openapi(costRoute, async (c) => c.json(await standardCost(ctxOf(c), c.req.valid('param').sku, c.req.valid('query').version), 200));
  r.openapi(workReport, async (c) => {
    const input = c.req.valid('json');
    const id = c.req.valid('param').id;
    return c.json(await createOnce(c, { id, ...input }, (ctx) => reportWork(ctx, id, input)), 201);
  });
  r.openapi(complete, async (c) => {
    const ctx = ctxOf(c);
    const { id } = await completeProduction(ctx, c.req.valid('param').id, c.req.valid('json'));
    return c.json(await getDocument(ctx, id), 200);
  });
  return r;
}
