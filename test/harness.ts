import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openPglite, openPostgres, type Database } from '../db/client';
import { ensureOrganization, generateKey, insertApiKey } from '../src/auth/api-keys';
import { loadConfig, type Config } from '../src/config';
import type { ChatPlatform } from '../bots/platform';
import { platformsFromConfig } from '../src/chat/platforms';
import { sdkAibotSocket } from '../bots/wecom-aibot/sdk-socket';
import type { Ctx } from '../src/context';
import type { Deps } from '../src/deps';
import { createApp } from '../src/http/app';
import { createLogger } from '../src/lib/logger';

/** The real server to test on, when one is given; otherwise PGlite in memory. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

/** A database of this test file's own: PGlite in memory, or a fresh database on the real server. */
export async function openTestDatabase(): Promise<Database> {
  if (!testDatabaseUrl) return openPglite(undefined);
  const name = `jxc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(testDatabaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), { max: 20 });
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

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** The real app on a real engine, with a settable clock. Share one per test file; isolate tests by organisation. */
export async function createTestApp(overrides: { config?: Record<string, string>; now?: () => Date; platforms?: ChatPlatform[] } = {}) {
  const database = await openTestDatabase();
  const config: Config = loadConfig({ SANDBOX: 'on', LOG_LEVEL: 'silent', ...overrides.config });
  let clock: Date | undefined;
  const now = overrides.now ?? (() => clock ?? new Date());
  const deps: Deps = {
    database,
    config,
    log: createLogger('silent'),
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
    setNow: (d: Date | undefined) => {
      clock = d;
    },
    close: () => database.close(),
  };
}
