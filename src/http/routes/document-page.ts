import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { documents, organizations } from '../../../db/schema';
import type { Ctx } from '../../context';
import { documentHistory } from '../../inventory/documents/history';
import { documentNames } from '../../inventory/documents/names';
import { getDocument } from '../../inventory/documents/view';
import { documentPageUrl, linkSecretForVerifying, verifyDocumentLink } from '../../web/document-links';
import { renderDocumentPage, renderMessagePage } from '../../web/document-page';
import { parsePrintLayout } from '../../web/document-print';
import { qrSvg } from '../../web/qr-code';
import { pageHeaders, STATIC_PAGE_CSP } from '../../web/layout';
import type { AppEnv } from '../env';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A page holding a signed link: never cached, never indexed, never passed on as a referrer, no script. */
const PAGE_HEADERS = pageHeaders('text/html; charset=utf-8', { csp: STATIC_PAGE_CSP, cache: 'private, no-store' });

const html = (status: number, body: string) => new Response(body, { status, headers: PAGE_HEADERS });

const invalid = () => html(403, renderMessagePage('链接无效', '这个单据链接无效或已被修改。请在聊天中把单号发给机器人，获取新的链接。'));
const notFound = () => html(404, renderMessagePage('找不到单据', '这张单据不存在或已被删除。'));

/**
 * `GET /documents/:id?exp=&sig=[&layout=a4|receipt]`: the document page a card links to and its
 * printed QR code opens, outside the API and without an API key: the link's signature
 * (src/web/document-links.ts) is the authorisation. It names the organisation, so another
 * organisation's document is never shown. Reads only.
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
    const layout = parsePrintLayout(c.req.query('layout'));
    if (!layout) return html(400, renderMessagePage('打印版式无效', 'layout: 只能是 a4（默认）或 receipt（80mm 小票）。'));
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
    const [document, org] = await Promise.all([
      getDocument(ctx, id),
      db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, row.orgId)).then((r) => r[0]),
    ]);
    const [names, history] = await Promise.all([documentNames(ctx, document), documentHistory(ctx, id)]);
    // The QR code carries the very link that opened the page (PUBLIC_URL's host when set), never the print layout.
    const link = documentPageUrl(deps.config.PUBLIC_URL ?? new URL(c.req.url).origin, { documentId: id, exp, sig });
    return html(200, renderDocumentPage({
      document,
      items: names.items,
      warehouses: names.warehouses,
      company: org?.name ?? '',
      history,
      link,
      qrSvg: await qrSvg(link),
      layout,
      timezone: deps.config.APP_TIMEZONE,
      linkExpiresAt: new Date(Number(exp) * 1000),
      printedAt: now,
    }));
  });
  return app;
}
