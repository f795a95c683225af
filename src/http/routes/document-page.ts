import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { documents } from '../../../db/schema';
import type { Ctx } from '../../context';
import { documentNames } from '../../inventory/documents/names';
import { getDocument } from '../../inventory/documents/view';
import { linkSecretForVerifying, verifyDocumentLink } from '../../web/document-links';
import { renderDocumentPage, renderMessagePage } from '../../web/document-page';
import { pageHeaders, STATIC_PAGE_CSP } from '../../web/layout';
import type { AppEnv } from '../env';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A page holding a signed link: never cached, never indexed, never passed on as a referrer, no script. */
const PAGE_HEADERS = pageHeaders('text/html; charset=utf-8', { csp: STATIC_PAGE_CSP, cache: 'private, no-store' });

const html = (status: number, body: string) => new Response(body, { status, headers: PAGE_HEADERS });

const invalid = () => html(403, renderMessagePage('链接无效', '这个单据链接无效或已被修改。请在聊天中把单号发给机器人，获取新的链接。'));
const notFound = () => html(404, renderMessagePage('找不到单据', '这张单据不存在或已被删除。'));

/**
 * `GET /documents/:id?exp=&sig=`: the document page a card links to, outside the API and without
 * an API key: the link's signature (src/web/document-links.ts) is the authorisation. It names the
 * organisation, so another organisation's document is never shown. Reads only.
 */
export function documentPageRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/documents/:id', async (c) => {
    const deps = c.var.deps;
    const db = deps.database.db;
    const id = c.req.param('id');
    const exp = c.req.query('exp');
    const sig = c.req.query('sig');
    if (!exp || !sig) return invalid();
    if (!uuidPattern.test(id)) return notFound();
    const [row] = await db.select({ orgId: documents.orgId, number: documents.number }).from(documents).where(eq(documents.id, id));
    if (!row) return notFound();
    const secret = await linkSecretForVerifying(deps.config.LINK_SECRET, db);
    const now = deps.now();
    const check = secret ? verifyDocumentLink(secret, { orgId: row.orgId, documentId: id, exp, sig }, now) : 'invalid';
    if (check === 'invalid') return invalid();
    if (check === 'expired') {
      return html(403, renderMessagePage('链接已过期', `这个单据链接已过期。请在聊天中把单号 ${row.number} 发给机器人，获取新的链接。`));
    }
    const ctx: Ctx = {
      db, orgId: row.orgId, actor: { type: 'job', job: 'document-page' }, now: deps.now, timezone: deps.config.APP_TIMEZONE, log: deps.log,
    };
    const document = await getDocument(ctx, id);
    const names = await documentNames(ctx, document);
    return html(200, renderDocumentPage({
      document,
      items: names.items,
      warehouses: names.warehouses,
      timezone: deps.config.APP_TIMEZONE,
      linkExpiresAt: new Date(Number(exp) * 1000),
    }));
  });
  return app;
}
