import { and, asc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { listSandboxMessages } from '../../../bots/sandbox';
import { chatBindings, warehouses } from '../../../db/schema';
import { handleInbound } from '../../chat/inbound';
import { listUsers } from '../../people/find-users';
import { sandboxAppJs } from '../../web/sandbox-app';
import { pageHeaders, SCRIPT_PAGE_CSP } from '../../web/layout';
import { renderSandboxPage } from '../../web/sandbox-page';
import { apiKeyAuth, defaultScope } from '../auth';
import type { AppEnv } from '../env';
import { ctxOf } from '../request-context';

/**
 * The sandbox platform's API (API.md "Sandbox"): talk to the bot as any sandbox user of the key's
 * organisation. Messages and taps run through the same inbound pipeline as Lark and WeCom.
 */
export function sandboxRoutes() {
  const r = new Hono<AppEnv>();
  r.use('*', apiKeyAuth, defaultScope);
  const inbound = (path: 'messages' | 'actions') => r.post(`/${path}`, async (c) => {
    const platform = c.var.deps.platforms.get('sandbox', 'default', c.var.orgId)!;
    return handleInbound(c.var.deps, platform, { method: 'POST', url: c.req.url, headers: c.req.raw.headers, rawBody: await c.req.text() }, c.var.orgId);
  });
  inbound('messages');
  inbound('actions');
  r.get('/chats/:chatId/messages', async (c) => {
    const messages = await listSandboxMessages(c.var.deps.database.db, c.var.orgId, c.req.param('chatId'), c.req.query('after'));
    return c.json({ messages });
  });
  /** Whom one can talk as: the organisation's users with a sandbox identity, by name. */
  r.get('/people', async (c) => c.json({ people: await sandboxPeople(c) }));
  /** Where one can talk: the sandbox groups bound to warehouses, then each person's 1:1 with the bot. */
  r.get('/chats', async (c) => {
    const db = c.var.deps.database.db;
    const rows = await db
      .select({ chatId: chatBindings.chatId, purposes: chatBindings.purposes, code: warehouses.code, name: warehouses.name })
      .from(chatBindings)
      .innerJoin(warehouses, and(eq(warehouses.orgId, chatBindings.orgId), eq(warehouses.id, chatBindings.warehouseId)))
      .where(and(eq(chatBindings.orgId, c.var.orgId), eq(chatBindings.platform, 'sandbox')))
      .orderBy(asc(chatBindings.chatId), asc(warehouses.code));
    const groups = new Map<string, { chatId: string; type: 'group'; warehouses: { code: string; name: string; purposes: string[] }[] }>();
    for (const row of rows) {
      const group = groups.get(row.chatId) ?? { chatId: row.chatId, type: 'group' as const, warehouses: [] };
      group.warehouses.push({ code: row.code, name: row.name, purposes: row.purposes });
      groups.set(row.chatId, group);
    }
    const direct = (await sandboxPeople(c)).flatMap((p) =>
      p.sandboxIds.map((id) => ({ chatId: id, type: 'direct' as const, user: { id: p.id, name: p.name } })));
    return c.json({ chats: [...groups.values(), ...direct] });
  });
  return r;
}

async function sandboxPeople(c: Parameters<typeof ctxOf>[0]) {
  return (await listUsers(ctxOf(c))).flatMap((u) => {
    const sandboxIds = u.identities.filter((i) => i.platform === 'sandbox').map((i) => i.externalId);
    return sandboxIds.length ? [{ id: u.id, name: u.name, roles: u.roles, warehouses: u.warehouses, sandboxIds }] : [];
  });
}

/** The page asks for the key itself and calls the API above: one script, same origin, nothing inline. */
const pageHeadersFor = (contentType: string) => pageHeaders(contentType, { csp: SCRIPT_PAGE_CSP, cache: 'no-cache' });

/** `GET /sandbox` and its script: public, like any login page; everything they show comes from the API with a key. */
export function sandboxPageRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/sandbox', () => new Response(renderSandboxPage(), { headers: pageHeadersFor('text/html; charset=utf-8') }));
  r.get('/sandbox/app.js', () => new Response(sandboxAppJs, { headers: pageHeadersFor('text/javascript; charset=utf-8') }));
  return r;
}
