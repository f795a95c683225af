import { DASHBOARD_DOM_JS } from '../../web/dashboard-dom';
import { Hono } from 'hono';
import { DASHBOARD_APP_JS } from '../../web/dashboard-app';
import { DASHBOARD_COSTS_JS } from '../../web/dashboard-costs';
import { DASHBOARD_REPLENISHMENT_JS } from '../../web/dashboard-replenishment';
import { DASHBOARD_CSP, renderDashboardPage } from '../../web/dashboard-page';
import { DASHBOARD_STOCK_JS } from '../../web/dashboard-stock';
import { pageHeaders, SCRIPT_PAGE_CSP } from '../../web/layout';
import { sandboxAppJs } from '../../web/sandbox-app';
import { renderSandboxPage } from '../../web/sandbox-page';
import { SANDBOX_PREVIEWS_JS } from '../../web/sandbox-previews';
import type { AppEnv } from '../env';

/**
 * The static pages (the dashboard, the sandbox) and their same-origin scripts: public like any
 * login page, holding no data; each script asks for an API key and calls the API with it.
 */
const headersFor = (csp: string, contentType: string) => pageHeaders(contentType, { csp, cache: 'no-cache' });
const html = 'text/html; charset=utf-8';
const js = 'text/javascript; charset=utf-8';

/** `GET /dashboard`, `GET /dashboard/app.js`, the stock section's `GET /dashboard/stock.js` and the unit cost table's `GET /dashboard/costs.js`. */
export function dashboardPageRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/dashboard', (c) => new Response(renderDashboardPage(c.var.deps.config.APP_TIMEZONE), { headers: headersFor(DASHBOARD_CSP, html) }));
  app.get('/dashboard/dom.js', () => new Response(DASHBOARD_DOM_JS, { headers: headersFor(DASHBOARD_CSP, js) }));
  app.get('/dashboard/app.js', () => new Response(DASHBOARD_APP_JS, { headers: headersFor(DASHBOARD_CSP, js) }));
  app.get('/dashboard/stock.js', () => new Response(DASHBOARD_STOCK_JS, { headers: headersFor(DASHBOARD_CSP, js) }));
  app.get('/dashboard/costs.js', () => new Response(DASHBOARD_COSTS_JS, { headers: headersFor(DASHBOARD_CSP, js) }));
  app.get('/dashboard/replenishment.js', () => new Response(DASHBOARD_REPLENISHMENT_JS, { headers: headersFor(DASHBOARD_CSP, js) }));
  return app;
}

/** `GET /sandbox`, `GET /sandbox/app.js` and the platform previews' `GET /sandbox/previews.js`. */
export function sandboxPageRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/sandbox', () => new Response(renderSandboxPage(), { headers: headersFor(SCRIPT_PAGE_CSP, html) }));
  app.get('/sandbox/app.js', () => new Response(sandboxAppJs, { headers: headersFor(SCRIPT_PAGE_CSP, js) }));
  app.get('/sandbox/previews.js', () => new Response(SANDBOX_PREVIEWS_JS, { headers: headersFor(SCRIPT_PAGE_CSP, js) }));
  return app;
}
