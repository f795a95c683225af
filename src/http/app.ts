import { sql } from 'drizzle-orm';
import { bodyLimit } from 'hono/body-limit';
import type { Deps } from '../deps';
import { queuedSoFar } from '../outbox/queued';
import { apiKeyAuth, defaultScope } from './auth';
import { errorResponse, handleError } from './errors';
import { createRouter } from './router';
import { refuseNulInUrl } from './url-guard';
import { approvalRoutes } from './routes/approvals';
import { bindCodeRoutes } from './routes/bind-codes';
import { documentRoutes } from './routes/documents';
import { documentPageRoutes } from './routes/document-page';
import { adminPageRoutes } from './routes/admin-pages';
import { dashboardPageRoutes, sandboxPageRoutes } from './routes/pages';
import { sandboxRoutes } from './routes/sandbox';
import { webhookRoutes } from './routes/webhooks';
import { importRoutes, IMPORTS_PATH } from './routes/imports';
import { masterDataRoutes } from './routes/master-data';
import { metricsRoutes } from './routes/metrics';
import { stockMetricsRoutes } from './routes/stock-metrics';
import { peopleRoutes } from './routes/people';
import { productionRoutes } from './routes/production';
import { costingRoutes } from './routes/costing';
import { replenishmentRoutes } from './routes/replenishment';
import { stockRoutes } from './routes/stock';

/** Webhooks (WeCom, Lark) and JSON bodies stay far below this; only imports take more. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Builds the whole HTTP app from explicit dependencies; `src/main.ts` and tests only wire. */
export function createApp(deps: Deps) {
  const app = createRouter();
  app.onError(handleError);
  app.use('*', async (c, next) => {
    const start = performance.now();
    c.set('deps', deps);
    c.set('requestId', c.req.header('x-request-id') ?? crypto.randomUUID());
    await next();
    c.header('x-request-id', c.var.requestId);
    // How long the app took, without the network and the client: what `npm run bench` reports as server-side.
    c.header('server-timing', `app;dur=${(performance.now() - start).toFixed(2)}`);
  });
  // Every body is bounded before it is read: refused by its Content-Length, or while a chunked one
  // streams in. Imports carry whole files and have their own, larger limit (routes/imports.ts).
  const bounded = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => errorResponse(c, 413, 'payload_too_large', `the body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`),
  });
  app.use('*', (c, next) => (c.req.path === `/api/v1${IMPORTS_PATH}` ? next() : bounded(c, next)));
  app.use('*', refuseNulInUrl);

  app.get('/healthz', async (c) => {
    await deps.database.db.execute(sql`select 1`);
    return c.json({ ok: true });
  });

  // Registered before the API so the document is public while everything under it needs a key.
  app.doc31('/api/v1/openapi.json', {
    openapi: '3.1.0',
    info: { title: '进销存 chat-ops API', version: '1' },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer' });

  const api = createRouter();
  api.use('*', apiKeyAuth, defaultScope);
  // A write that queued notifications (a low-stock crossing, an approval request) wakes delivery.
  api.use('*', async (c, next) => {
    const before = queuedSoFar();
    await next();
    if (c.req.method !== 'GET' && c.res.status < 300 && queuedSoFar() !== before) deps.nudgeDelivery?.();
  });
  api.route('/', masterDataRoutes());
  api.route('/', documentRoutes());
  api.route('/', productionRoutes());
  api.route('/', costingRoutes());
  api.route('/', stockRoutes());
  api.route('/', replenishmentRoutes());
  api.route('/', importRoutes());
  api.route('/', peopleRoutes());
  api.route('/', metricsRoutes());
  api.route('/', stockMetricsRoutes());
  api.route('/', approvalRoutes());
  api.route('/', bindCodeRoutes());
  app.route('/api/v1', api);

  // The document page a card links to: authorised by the link's signature, not an API key.
  app.route('/', documentPageRoutes());
  app.route('/', dashboardPageRoutes());
  app.route('/', adminPageRoutes());
  app.route('/webhooks', webhookRoutes());
  if (deps.config.SANDBOX === 'on') app.route('/sandbox/api', sandboxRoutes());
  if (deps.config.SANDBOX === 'on') app.route('/', sandboxPageRoutes());

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  return app;
}

export type App = ReturnType<typeof createApp>;
