import { createRoute, z } from '@hono/zod-openapi';
import { documentStatuses, documentTypes, roles } from '../../../db/schema';
import { previewApproval } from '../../approvals/preview';
import { listApprovalRules, setApprovalRules } from '../../approvals/rules';
import { effectiveServiceLevels, setServiceLevels, waitingStatuses } from '../../approvals/service-levels';
import { requireScope } from '../auth';
import { ctxOf } from '../request-context';
import { createRouter } from '../router';
import { commonErrors, jsonContent, nonNegativeDecimal, notFound, security, textField, warehouseCode } from '../schemas';

const tags = ['approvals'];
const body = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });

const Level = z.object({
  roles: z.array(z.enum(roles)).optional(),
  users: z.array(z.string().uuid('must be a user id')).optional(),
}).refine((l) => (l.roles?.length ?? 0) + (l.users?.length ?? 0) > 0, 'a level needs at least one role or user');

const Rule = z.object({
  name: textField('name', 100),
  documentTypes: z.array(z.enum(documentTypes)).min(1, 'at least one document type'),
  warehouses: z.array(warehouseCode).optional(),
  warehouseTypes: z.array(textField('warehouse type', 64)).optional(),
  categories: z.array(textField('category', 100)).optional(),
  minValue: nonNegativeDecimal(2).optional().openapi({ description: 'value at or above which the rule applies; a stocktake: its absolute variance value' }),
  minQty: nonNegativeDecimal(3).optional().openapi({ description: 'total quantity (sum of absolute line quantities) at or above which it applies' }),
  levels: z.array(Level).min(1, 'at least one level'),
});
const Rules = z.object({ rules: z.array(Rule).max(200) }).openapi('ApprovalRules');
const RulesOut = z.object({ rules: z.array(z.object({
  name: z.string(), documentTypes: z.array(z.string()), warehouses: z.array(z.string()), warehouseTypes: z.array(z.string()),
  categories: z.array(z.string()), minValue: z.string().nullable(), minQty: z.string().nullable(),
  levels: z.array(z.object({ roles: z.array(z.string()), users: z.array(z.string()) })),
})) });

const Levels = z.object({ levels: z.array(z.object({
  documentType: z.union([z.enum(documentTypes), z.literal('*')]),
  status: z.enum(documentStatuses).refine((s) => waitingStatuses.includes(s), `only a waiting status can fall due: ${waitingStatuses.join(', ')}`),
  hours: nonNegativeDecimal(2),
})).superRefine((levels, ctx) => {
  // One row per document type and status: a second would be a unique-index failure, not a choice.
  levels.forEach((l, i) => {
    if (levels.findIndex((m) => m.documentType === l.documentType && m.status === l.status) < i) {
      ctx.addIssue({ code: 'custom', path: [i], message: `${l.documentType} in ${l.status} is given twice` });
    }
  });
}) }).openapi('ServiceLevels');

const Preview = z.object({
  documentType: z.enum(documentTypes),
  warehouse: warehouseCode.openapi({ description: 'the warehouse the document acts on (a transfer: its source)' }),
  value: nonNegativeDecimal(2).optional().openapi({ description: 'the document value (default 0)' }),
  qty: nonNegativeDecimal(3).optional().openapi({ description: 'its total quantity (default 0)' }),
  categories: z.array(textField('category', 100)).max(50).optional().openapi({ description: 'the categories of its items' }),
  rules: z.array(Rule).max(200).optional().openapi({ description: 'a rule set being edited, judged instead of the stored one; nothing is saved' }),
}).openapi('ApprovalPreviewInput');
const PreviewOut = z.object({ levels: z.array(z.object({
  roles: z.array(z.string()), users: z.array(z.string()), rules: z.array(z.string()).openapi({ description: 'the rules that ask for this level' }),
})).openapi({ description: 'in order; empty: no approval needed' }) }).openapi('ApprovalPreview');

const LevelsOut = z.object({ levels: z.array(z.object({ documentType: z.string(), status: z.string(), hours: z.string() })) });

const putRules = createRoute({
  method: 'put', path: '/approval-rules', tags, security, summary: 'Replace the approval rules (in order)',
  request: { body: body(Rules) }, responses: { 200: jsonContent(RulesOut, 'the rules as stored'), ...commonErrors, ...notFound },
});
const getRules = createRoute({
  method: 'get', path: '/approval-rules', tags, security, summary: 'The approval rules',
  responses: { 200: jsonContent(RulesOut, 'the rules'), ...commonErrors },
});
const postPreview = createRoute({
  method: 'post', path: '/approval-rules/preview', tags, security,
  summary: 'Which approval levels a document would need, by the stored rules or a draft set (writes nothing)',
  request: { body: body(Preview) }, responses: { 200: jsonContent(PreviewOut, 'the levels in order'), ...commonErrors, ...notFound },
});
const putLevels = createRoute({
  method: 'put', path: '/service-levels', tags, security, summary: 'Replace the due-time overrides (hours per document type and waiting status)',
  request: { body: body(Levels) }, responses: { 200: jsonContent(LevelsOut, 'the effective table'), ...commonErrors },
});
const getLevels = createRoute({
  method: 'get', path: '/service-levels', tags, security, summary: 'The effective due times',
  responses: { 200: jsonContent(LevelsOut, 'defaults with the organisation’s overrides'), ...commonErrors },
});

export function approvalRoutes() {
  const r = createRouter();
  r.openapi(putRules, async (c) => {
    requireScope(c.var.actor.scopes, 'admin');
    return c.json({ rules: await setApprovalRules(ctxOf(c), c.req.valid('json').rules) }, 200);
  });
  r.openapi(getRules, async (c) => c.json({ rules: await listApprovalRules(ctxOf(c)) }, 200));
  r.openapi(postPreview, async (c) => c.json(await previewApproval(ctxOf(c), c.req.valid('json')), 200));
  r.openapi(putLevels, async (c) => {
    requireScope(c.var.actor.scopes, 'admin');
    return c.json({ levels: await setServiceLevels(ctxOf(c), c.req.valid('json').levels) }, 200);
  });
  r.openapi(getLevels, async (c) => c.json({ levels: await effectiveServiceLevels(ctxOf(c)) }, 200));
  return r;
}
