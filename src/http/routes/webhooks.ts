import { Hono } from 'hono';
import { handleInbound } from '../../chat/inbound';
import type { AppEnv } from '../env';

/**
 * Platform callbacks. No API key here: each platform proves itself (signature, token, encryption)
 * inside its adapter, before anything is read or written. The raw body is read once, as text.
 */
export function webhookRoutes() {
  const r = new Hono<AppEnv>();
  r.post('/lark/:app', async (c) => {
    const platform = c.var.deps.platforms.get('lark', c.req.param('app'), null);
    if (!platform) return c.json({ error: { code: 'not_found', message: `no Lark app '${c.req.param('app')}' is configured` } }, 404);
    return handleInbound(c.var.deps, platform, { method: 'POST', url: c.req.url, headers: c.req.raw.headers, rawBody: await c.req.text() });
  });
  // WeCom self-built app: GET is the URL verification (echostr, answered within 1 s), POST the callbacks.
  r.on(['GET', 'POST'], '/wecom/:app', async (c) => {
    const platform = c.var.deps.platforms.get('wecom', c.req.param('app'), null);
    if (!platform) return c.json({ error: { code: 'not_found', message: `no WeCom app '${c.req.param('app')}' is configured` } }, 404);
    const method = c.req.method === 'GET' ? 'GET' : 'POST';
    return handleInbound(c.var.deps, platform, { method, url: c.req.url, headers: c.req.raw.headers, rawBody: method === 'GET' ? '' : await c.req.text() });
  });
  // WeCom AI bot (webhook mode): GET is the URL verification, POST the callbacks, answered with an encrypted passive reply.
  r.on(['GET', 'POST'], '/wecom-aibot/:app', async (c) => {
    const platform = c.var.deps.platforms.get('wecom-aibot', c.req.param('app'), null);
    if (!platform) return c.json({ error: { code: 'not_found', message: `no WeCom AI bot '${c.req.param('app')}' is configured` } }, 404);
    const method = c.req.method === 'GET' ? 'GET' : 'POST';
    return handleInbound(c.var.deps, platform, { method, url: c.req.url, headers: c.req.raw.headers, rawBody: method === 'GET' ? '' : await c.req.text() });
  });
  return r;
}
