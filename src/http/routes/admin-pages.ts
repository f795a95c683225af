import { Hono } from 'hono';
import { ADMIN_COMMON_JS } from '../../web/admin/common-app';
import { renderAdminPage } from '../../web/admin/page';
import { adminSections } from '../../web/admin/sections';
import { pageHeaders, SCRIPT_PAGE_CSP } from '../../web/layout';
import type { AppEnv } from '../env';

const headers = (contentType: string) => pageHeaders(contentType, { csp: SCRIPT_PAGE_CSP, cache: 'no-cache' });
const html = headers('text/html; charset=utf-8');
const js = headers('text/javascript; charset=utf-8');

/**
 * `GET /admin/<section>` and its script `GET /admin/<section>.js`, `GET /admin/common.js`: static
 * pages holding no data, like the dashboard; every read and write is an API call with the key the
 * person signed in with, so the API's scopes and the rule book decide everything.
 */
export function adminPageRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/admin', (c) => c.redirect(`/admin/${adminSections[0]!.path}`));
  app.get('/admin/common.js', () => new Response(ADMIN_COMMON_JS, { headers: js }));
  for (const section of adminSections) {
    app.get(`/admin/${section.path}`, (c) => new Response(renderAdminPage(section, adminSections, c.var.deps.config.APP_TIMEZONE), { headers: html }));
    app.get(`/admin/${section.path}.js`, () => new Response(section.script, { headers: js }));
  }
  return app;
}
