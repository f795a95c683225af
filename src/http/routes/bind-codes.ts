import { createRoute, z } from '@hono/zod-openapi';
import { createBindCode } from '../../people/bind-codes';
import { requireScope } from '../auth';
import { ctxOf } from '../request-context';
import { createRouter } from '../router';
import { commonErrors, jsonContent, notFound, security } from '../schemas';

const route = createRoute({
  method: 'post', path: '/users/{id}/bind-codes', tags: ['people'], security,
  summary: 'A one-time six-digit code: the user types 绑定 <code> / bind <code> to the bot to link their chat account',
  request: { params: z.object({ id: z.string().uuid('must be a user id') }) },
  responses: { 201: jsonContent(z.object({ code: z.string(), expiresAt: z.string() }), 'the code, valid 24 hours, usable once'), ...commonErrors, ...notFound },
});

export function bindCodeRoutes() {
  const r = createRouter();
  r.openapi(route, async (c) => {
    requireScope(c.var.actor.scopes, 'admin');
    return c.json(await createBindCode(ctxOf(c), c.req.valid('param').id), 201);
  });
  return r;
}
