import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openPglite, openPostgres, type Database } from '../db/client';
import { ensureOrganization, generateKey, insertApiKey } from '../src/people/key-store';
import { loadConfig, type Config } from '../src/config';
import type { ChatPlatform } from '../bots/platform';
import { platformsFromConfig } from '../bots/platforms';
import { sdkAibotSocket } from '../bots/wecom-aibot/sdk-socket';
import type { Ctx } from '../src/context';
import type { Deps } from '../src/deps';
import { createApp } from '../src/http/app';
import { drainInbound } from '../src/chat/inbound-queue';
import { createLogger, type Logger } from '../src/lib/logger';
import { migratedPgliteDump, migratedTemplate } from './support/migrated-copy';

/** The real server to test on, when one is given; otherwise PGlite in memory. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

/**
 * A database of this test file's own: PGlite in memory, or a fresh database on the real server.
 * Migrating takes seconds per file, so both start from a migrated copy made once per set of
 * migrations (test/support/migrated-copy.ts); `migrate: false` gives an empty one instead.
 */
export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<Database> {
  const migrated = options.migrate !== false;
  if (!testDatabaseUrl) {
    return migrated ? openPglite(undefined, { migrate: false, loadDataDir: await migratedPgliteDump() }) : openPglite(undefined, options);
  }
  const name = `jxc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = migrated ? await migratedTemplate(testDatabaseUrl) : 'template1';
  const admin = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${template}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), { max: 20, migrate: false });
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = postgres(testDatabaseUrl!, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** An empty database of its own, no migrations applied: for tests of migrating itself. */
export const openBareTestDatabase = () => openTestDatabase({ migrate: false });

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** The real app on a real engine, with a settable clock. Share one per test file; isolate tests by organisation. */
export async function createTestApp(overrides: { config?: Record<string, string>; now?: () => Date; platforms?: ChatPlatform[]; log?: Logger } = {}) {
  const database = await openTestDatabase();
  const config: Config = loadConfig({ SANDBOX: 'on', LOG_LEVEL: 'silent', ...overrides.config });
  let clock: Date | undefined;
  const now = overrides.now ?? (() => clock ?? new Date());
  const deps: Deps = {
    database,
    config,
    log: overrides.log ?? createLogger('silent'),
    now,
    // The AI bot's socket opens only when a test sets WECOM_AIBOT_MODE=ws and starts it.
    platforms: platformsFromConfig(config, database.db, now, { extra: overrides.platforms ?? [], aibotSocket: sdkAibotSocket }),
  };
  const app = createApp(deps);

  /** A new organisation with an admin API key, and a client bound to that key. */
  async function createOrg(options: { scopes?: string[] } = {}) {
    const slug = `org-${randomBytes(5).toString('hex')}`;
    const orgId = await ensureOrganization(database.db, slug, slug);
    const key = generateKey();
    await insertApiKey(database.db, { orgId, name: 'test', key, scopes: options.scopes ?? ['admin'] });
    return { orgId, slug, key, api: client(key) };
  }

  /** Calls the app in-process; `body` is JSON-encoded unless it is already a string. */
  function client(key: string | undefined) {
    return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const init: RequestInit = {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
      };
      if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
      const res = await app.request(path, init);
      const text = await res.text();
      let json: any;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = text;
      }
      return { status: res.status, body: json, headers: res.headers };
    };
  }

  /** A service context acting as a job in `orgId`, for calling services directly. */
  const jobCtx = (orgId: string, now: () => Date = deps.now): Ctx => ({
    db: database.db, orgId, actor: { type: 'job', job: 'test' }, now, timezone: config.APP_TIMEZONE, log: deps.log,
  });

  return {
    app,
    deps,
    jobCtx,
    db: database.db,
    createOrg,
    client,
    /**
     * Handles every message a webhook acknowledged and recorded, as the running service's inbound
     * loop does just after the acknowledgement; returns when nothing more can be claimed (what is
     * left is backing off after a failure).
     */
    drainInbound: () => drainInbound(deps),
    setNow: (d: Date | undefined) => {
      clock = d;
    },
    close: () => database.close(),
  };
}
