import { createMiddleware } from 'hono/factory';
import { hasScope, resolveApiKey, type Scope } from '../people/key-store';
import { ForbiddenError, UnauthorizedError } from '../errors';
import type { AppEnv } from './env';

/** `Authorization: Bearer <key>` → the organisation and the acting key (and its user, if any). */
export const apiKeyAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthorizedError('missing API key: send Authorization: Bearer <key>');
  const key = await resolveApiKey(c.var.deps.database.db, match[1]!);
  if (!key) throw new UnauthorizedError('unknown or revoked API key');
  c.set('orgId', key.orgId);
  c.set('actor', { type: 'api', keyId: key.keyId, userId: key.userId, scopes: key.scopes, roles: key.roles, warehouseIds: key.warehouseIds });
  await next();
});

/** GETs need `read`; everything else `write`, unless a route asks for more with `requireScope`. */
export const defaultScope = createMiddleware<AppEnv>(async (c, next) => {
  requireScope(c.var.actor.scopes, c.req.method === 'GET' || c.req.method === 'HEAD' ? 'read' : 'write');
  await next();
});

export function requireScope(granted: string[], needed: Scope) {
  if (!hasScope(granted, needed)) throw new ForbiddenError(`this API key lacks the '${needed}' scope`);
}

/** Route middleware: runs before the body is validated, so a key without the scope gets 403 whatever it sent. */
export const needScope = (needed: Scope) =>
  createMiddleware<AppEnv>(async (c, next) => {
    requireScope(c.var.actor.scopes, needed);
    await next();
  });
