import { createRoute, z } from '@hono/zod-openapi';
import { createItem } from '../../master/create-item';
import { findItems, getItem } from '../../master/find-items';
import { listReorderRules } from '../../master/reorder-rules';
import { setReorderRule } from '../../master/set-reorder-rule';
import { updateItem } from '../../master/update-item';
import { createWarehouse, listWarehouses } from '../../master/warehouses';
import { createOnce } from '../create-once';
import { ctxOf } from '../request-context';
import { createRouter } from '../router';
import { commonErrors, conflict, idempotencyHeader, jsonContent, notFound, security, sku } from '../schemas';
import * as s from './master-data-schemas';

const body = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const tags = ['master data'];

const postItem = createRoute({
  method: 'post', path: '/items', tags, security, summary: 'Create an item',
  request: { headers: idempotencyHeader, body: body(s.CreateItemBody) },
  responses: { 201: jsonContent(s.Item, 'the item'), ...commonErrors, ...conflict },
});
const listItems = createRoute({
  method: 'get', path: '/items', tags, security, summary: 'Search or list items',
  request: { query: s.ItemQuery },
  responses: { 200: jsonContent(z.object({ items: z.array(s.Item) }), 'matching items'), ...commonErrors },
});
const readItem = createRoute({
  method: 'get', path: '/items/{sku}', tags, security, summary: 'One item by sku',
  request: { params: z.object({ sku }) },
  responses: { 200: jsonContent(s.Item, 'the item'), ...commonErrors, ...notFound },
});
const patchItem = createRoute({
  method: 'patch', path: '/items/{sku}', tags, security, summary: 'Change how an item is bought (supplier, lead time, minimum order)',
  request: { params: z.object({ sku }), body: body(s.ItemPatchBody) },
  responses: { 200: jsonContent(s.Item, 'the item'), ...commonErrors, ...notFound },
});
const postWarehouse = createRoute({
  method: 'post', path: '/warehouses', tags, security, summary: 'Create a warehouse',
  request: { headers: idempotencyHeader, body: body(s.CreateWarehouseBody) },
  responses: { 201: jsonContent(s.Warehouse, 'the warehouse'), ...commonErrors, ...conflict },
});
const getWarehouses = createRoute({
  method: 'get', path: '/warehouses', tags, security, summary: 'List warehouses',
  responses: { 200: jsonContent(z.object({ warehouses: z.array(s.Warehouse) }), 'every warehouse, by code'), ...commonErrors },
});
const putReorderRule = createRoute({
  method: 'put', path: '/reorder-rules', tags, security, summary: 'Set the safety stock of an item in a warehouse',
  request: { body: body(s.ReorderRuleBody) },
  responses: { 200: jsonContent(s.ReorderRule, 'the rule as stored'), ...commonErrors, ...notFound },
});

const getReorderRules = createRoute({
  method: 'get', path: '/reorder-rules', tags, security, summary: 'List reorder rules (safety stock), with item and warehouse names',
  request: { query: s.ReorderRuleQuery },
  responses: { 200: jsonContent(z.object({ rules: z.array(s.ListedReorderRule) }), 'by warehouse, then sku'), ...commonErrors },
});

export function masterDataRoutes() {
  const r = createRouter();

  r.openapi(postItem, async (c) => {
    const input = c.req.valid('json');
    return c.json(await createOnce(c, input, (ctx) => createItem(ctx, input)), 201);
  });
  r.openapi(listItems, async (c) => {
    const { q, limit } = c.req.valid('query');
    return c.json({ items: await findItems(ctxOf(c), { q, limit }) }, 200);
  });
  r.openapi(readItem, async (c) => c.json(await getItem(ctxOf(c), c.req.valid('param').sku), 200));
  r.openapi(patchItem, async (c) => c.json(await updateItem(ctxOf(c), c.req.valid('param').sku, c.req.valid('json')), 200));

  r.openapi(postWarehouse, async (c) => {
    const input = c.req.valid('json');
    return c.json(await createOnce(c, input, (ctx) => createWarehouse(ctx, input)), 201);
  });
  r.openapi(getWarehouses, async (c) => c.json({ warehouses: await listWarehouses(ctxOf(c)) }, 200));

  r.openapi(getReorderRules, async (c) => c.json({ rules: await listReorderRules(ctxOf(c), c.req.valid('query')) }, 200));
  r.openapi(putReorderRule, async (c) => c.json(await setReorderRule(ctxOf(c), c.req.valid('json')), 200));
  return r;
}
