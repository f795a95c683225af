import { createRoute, z } from '@hono/zod-openapi';
import { decideApproval } from '../../inventory/documents/decide';
import { listOverdue } from '../../approvals/overdue';
import { createDocument } from '../../inventory/documents/create';
import { reverseDocument } from '../../inventory/documents/reverse';
import { cancelDocument } from '../../inventory/documents/cancel';
import { postDocument } from '../../inventory/documents/post';
import { receiveTransfer } from '../../inventory/documents/receive';
import { shipTransfer } from '../../inventory/documents/ship';
import { submitDocument } from '../../inventory/documents/submit';
import { fulfilOrder } from '../../inventory/documents/fulfil';
import { getDocument, listDocuments } from '../../inventory/documents/view';
import { createOnce } from '../create-once';
import { ctxOf } from '../request-context';
import { createRouter } from '../router';
import { commonErrors, conflict, idempotencyHeader, jsonContent, notFound, security } from '../schemas';
import * as s from './document-schemas';

const tags = ['documents'];
const json = <T extends z.ZodType>(schema: T, required: boolean) => ({ required, content: { 'application/json': { schema } } });
const stock = { 422: jsonContent(z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }) }), 'insufficient stock (details: item, warehouse, needed, available) or a return beyond what moved') };
const errors = { ...commonErrors, ...notFound, ...conflict, ...stock };

const create = createRoute({
  method: 'post', path: '/documents', tags, security, summary: 'Create a document (with submit: true, submit and post it at once)',
  request: { headers: idempotencyHeader, body: json(s.CreateDocumentBody, true) },
  responses: { 201: jsonContent(s.Document, 'the document, in its final status'), ...errors },
});
const list = createRoute({
  method: 'get', path: '/documents', tags, security, summary: 'List documents, newest first',
  request: { query: s.DocumentQuery },
  responses: { 200: jsonContent(z.object({ documents: z.array(s.Document) }), 'documents'), ...commonErrors },
});
const overdue = createRoute({
  method: 'get', path: '/documents/overdue', tags, security, summary: 'Documents past their service level, per warehouse that must act',
  request: { query: s.OverdueQuery },
  responses: { 200: jsonContent(s.Overdue, 'overdue documents with their age'), ...commonErrors },
});
const read = createRoute({
  method: 'get', path: '/documents/{id}', tags, security, summary: 'One document by id or number',
  request: { params: s.DocumentParams },
  responses: { 200: jsonContent(s.Document, 'the document'), ...commonErrors, ...notFound },
});

/** A transition route: POST /documents/{id}/<verb>, answering the document (or 409 from the wrong status). */
const transition = (verb: string, summary: string) =>
  createRoute({
    method: 'post', path: `/documents/{id}/${verb}`, tags, security, summary,
    request: { params: s.DocumentParams },
    responses: { 200: jsonContent(s.Document, 'the document'), ...errors },
  });
/** The same, with an optional JSON body. */
const transitionWith = <B extends z.ZodType>(verb: string, summary: string, body: B, required = false) =>
  createRoute({
    method: 'post', path: `/documents/{id}/${verb}`, tags, security, summary,
    request: { params: s.DocumentParams, body: json(body, required) },
    responses: { 200: jsonContent(s.Document, 'the document'), ...errors },
  });
const reverse = createRoute({
  method: 'post', path: '/documents/{id}/reverse', tags, security, summary: 'Reverse a posted document with a posted reversal (红字冲销)',
  request: { params: s.DocumentParams },
  responses: { 201: jsonContent(s.Document, 'the reversal document'), ...errors },
});

const fulfil = createRoute({
  method: 'post', path: '/documents/{id}/fulfil', tags, security,
  summary: 'Fill an open sales order (posts an issue) or requisition (creates and ships a transfer) for what is open',
  request: { params: s.DocumentParams, headers: idempotencyHeader, body: json(s.FulfilBody, false) },
  responses: { 201: jsonContent(s.Document, 'the issue posted or the transfer shipped, naming the order in orderOf'), ...errors },
});

export function documentRoutes() {
  const r = createRouter();

  r.openapi(create, async (c) => {
    const input = c.req.valid('json');
    const key = input.externalRef ? `externalRef:${input.externalRef}` : undefined;
    const body = await createOnce(c, input, async (ctx) => getDocument(ctx, (await createDocument(ctx, input)).id), key);
    return c.json(body, 201);
  });
  r.openapi(list, async (c) => c.json({ documents: await listDocuments(ctxOf(c), c.req.valid('query')) }, 200));
  // Before `/documents/{id}`, which would otherwise take "overdue" for a document number.
  r.openapi(overdue, async (c) => c.json({ warehouses: await listOverdue(ctxOf(c), c.req.valid('query')) }, 200));
  r.openapi(read, async (c) => c.json(await getDocument(ctxOf(c), c.req.valid('param').id), 200));

  const answer = async (ctx: ReturnType<typeof ctxOf>, done: Promise<{ id: string }>) => getDocument(ctx, (await done).id);

  r.openapi(transition('submit', 'Submit; needing no approval it moves on at once'), async (c) => {
    const ctx = ctxOf(c);
    return c.json(await answer(ctx, submitDocument(ctx, c.req.valid('param').id)), 200);
  });
  r.openapi(transitionWith('post', 'Post (a customer return: with its QC result)', s.QcBody), async (c) => {
    const ctx = ctxOf(c);
    const body = c.req.valid('json');
    return c.json(await answer(ctx, postDocument(ctx, c.req.valid('param').id, body.lines)), 200);
  });
  r.openapi(transitionWith('approve', 'Approve the current level as the key’s user (the last level posts it)', s.ApproveBody), async (c) => {
    const ctx = ctxOf(c);
    const { comment } = c.req.valid('json');
    return c.json(await answer(ctx, decideApproval(ctx, c.req.valid('param').id, { decision: 'approve', comment })), 200);
  });
  r.openapi(transitionWith('reject', 'Reject with a reason as the key’s user', s.RejectBody, true), async (c) => {
    const ctx = ctxOf(c);
    const { reason } = c.req.valid('json');
    return c.json(await answer(ctx, decideApproval(ctx, c.req.valid('param').id, { decision: 'reject', reason })), 200);
  });
  r.openapi(transition('ship', 'Ship a transfer'), async (c) => {
    const ctx = ctxOf(c);
    return c.json(await answer(ctx, shipTransfer(ctx, c.req.valid('param').id)), 200);
  });
  r.openapi(transitionWith('receive', 'Receive a shipped transfer, in full or short', s.ReceiveBody), async (c) => {
    const ctx = ctxOf(c);
    const body = c.req.valid('json');
    return c.json(await answer(ctx, receiveTransfer(ctx, c.req.valid('param').id, body.lines)), 200);
  });
  r.openapi(transitionWith('cancel', 'Cancel a document that has not moved stock', s.CancelBody), async (c) => {
    const ctx = ctxOf(c);
    const body = c.req.valid('json');
    return c.json(await answer(ctx, cancelDocument(ctx, c.req.valid('param').id, body.comment)), 200);
  });
  r.openapi(fulfil, async (c) => {
    // It creates a document, so an Idempotency-Key replays the first answer rather than filling twice.
    const id = c.req.valid('param').id;
    const lines = c.req.valid('json')?.lines;
    return c.json(await createOnce(c, { fulfil: id, lines }, (ctx) => answer(ctx, fulfilOrder(ctx, id, lines))), 201);
  });
  r.openapi(reverse, async (c) => {
    const ctx = ctxOf(c);
    return c.json(await answer(ctx, reverseDocument(ctx, c.req.valid('param').id)), 201);
  });
  return r;
}
