import { Hono } from 'hono';
import { listSandboxMessages } from '../../../bots/sandbox';
import { handleInbound } from '../../chat/inbound';
import { apiKeyAuth, defaultScope } from '../auth';
import type { AppEnv } from '../env';

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
  return r;
}
