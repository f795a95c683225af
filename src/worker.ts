import { Cron } from 'croner';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
// Type-only: the embedded-database code (PGlite, the migrator) must stay out of the Worker bundle.
import type { Database, Db } from '../db/client';
import * as schema from '../db/schema';
import { runOutboxDelivery } from './chat/delivery';
import { drainInbound } from './chat/inbound-queue';
import type { Deps } from './deps';
import { jobs } from '../jobs/schedules';
import { dueJobs, runJobs } from '../jobs/scheduler';
import { ConfigError, loadConfig, type Config } from './config';
import { platformsFromConfig } from '../bots/platforms';
import { createApp } from './http/app';
import { createLogger } from './lib/logger';

/** The bindings wrangler.toml declares; every plain-text var or secret is a string beside them. */
export type Env = { HYPERDRIVE: { connectionString: string } } & Record<string, unknown>;
// Declared here rather than pulling in @cloudflare/workers-types, whose globals clash with @types/node.
type ExecutionContext = { waitUntil(promise: Promise<unknown>): void };
type ScheduledController = { cron: string; scheduledTime: number };

/** Config from the Worker's vars and secrets; the database is always Hyperdrive, never the embedded one. */
export function workerConfig(env: Env): Config {
  const vars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return loadConfig({ ...vars, DATABASE_URL: env.HYPERDRIVE.connectionString });
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    let config: Config;
    try {
      config = workerConfig(env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      console.error(err.message);
      return Response.json({ error: { code: 'misconfigured', message: 'the service is misconfigured; see its logs' } }, { status: 500 });
    }
    // A Worker may not reuse a socket across requests; Hyperdrive pools the real connections, so one client per request is cheap.
    // No migrations here: they run before a deploy (see README), never on a request's clock.
    const client = postgres(env.HYPERDRIVE.connectionString, { max: 5, onnotice: () => {} });
    // A request has no lasting session to hold a lock, so singletons (long connections) never run in a Worker.
    const database: Database = { db: drizzle({ client, schema }) as unknown as Db, engine: 'postgres', tryLock: async () => false, close: () => client.end() };
    const now = () => new Date();
    // Outbox delivery runs from the cron trigger on Workers; a request does not wait for it.
    const platforms = platformsFromConfig(config, database.db, now);
    // A message acknowledged before it is handled is handled after the response, while the Worker is kept alive for it.
    const drains: Promise<unknown>[] = [];
    const deps: Deps = { database, config, log: createLogger(config.LOG_LEVEL), now, platforms };
    deps.nudgeInbound = () => drains.push(drainInbound(deps).catch((err: unknown) => deps.log.warn('inbound drain failed; the cron tick tries again', { error: String(err) })));
    const app = createApp(deps);
    try {
      return await app.fetch(request);
    } finally {
      ctx.waitUntil(Promise.all(drains).finally(() => client.end()));
    }
  },

  async scheduled(controller: ScheduledController, env: Env): Promise<void> {
    const config = workerConfig(env);
    const log = createLogger(config.LOG_LEVEL);
    const client = postgres(env.HYPERDRIVE.connectionString, { max: 5, onnotice: () => {} });
    const database: Database = { db: drizzle({ client, schema }) as unknown as Db, engine: 'postgres', tryLock: async () => false, close: () => client.end() };
    const at = new Date(controller.scheduledTime);
    try {
      // The jobs whose time fell since the previous tick, under the same advisory locks as on Node; then delivery sends what they wrote.
      const sinceMs = (new Cron(controller.cron, { paused: true }).nextRun(at)?.getTime() ?? at.getTime() + 300_000) - at.getTime();
      const due = dueJobs(jobs, config.APP_TIMEZONE, at, sinceMs);
      log.info('scheduled tick', { cron: controller.cron, due: due.map((j) => j.name) });
      await runJobs(database, { db: database.db, log, timezone: config.APP_TIMEZONE, config }, due, at);
      const platforms = platformsFromConfig(config, database.db, () => new Date());
      // Messages a request acknowledged but did not get to handle (the Worker was stopped), then what they answered.
      await drainInbound({ database, config, log, now: () => new Date(), platforms });
      // Delivery needs no lock: claims use SKIP LOCKED.
      await runOutboxDelivery({ db: database.db, platforms, log, timezone: config.APP_TIMEZONE, publicUrl: config.PUBLIC_URL, linkSecret: config.LINK_SECRET }, new Date());
    } finally {
      await client.end();
    }
  },
};
