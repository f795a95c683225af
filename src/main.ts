import { serve } from '@hono/node-server';
import { openDatabase } from '../db/client';
import { fillMissingPinyin } from './master/item-pinyin';
import { demoOrgId, seedDemo } from './demo/seed';
import { claimConfiguredApps } from './people/chat-apps';
import { runOutboxDelivery } from './chat/delivery';
import { startDeliveryLoop, startInboundLoop } from '../jobs/poll-loop';
import { jobs } from '../jobs/schedules';
import { startScheduler } from '../jobs/scheduler';
import { bootstrapApiKey } from './people/key-store';
import type { LarkPlatform } from '../bots/lark';
import { isAibotSocketPlatform } from '../bots/wecom-aibot/socket';
import { startWhenLeader } from './lib/leader';
import { processEvent } from './chat/inbound';
import { drainInbound } from './chat/inbound-queue';
import { platformsFromConfig } from '../bots/platforms';
import { ConfigError, loadConfig } from './config';
import { createApp } from './http/app';
import { createLogger } from './lib/logger';
import type { Deps } from './deps';

/** The advisory locks whose holders run the Lark and WeCom AI bot long connections. */
const LARK_SOCKET_LOCK = 7262002;
const AIBOT_SOCKET_LOCK = 7262003;

// Node entry point: read config, open and migrate the database, serve. Only wiring lives here.
async function main() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  // The driver's own lost-connection crashes are patched (db/patch-postgres.mjs). Should anything else
  // escape, it is logged, never silent: a rejection nobody awaited leaves no state behind, so the
  // service goes on; a thrown exception leaves it in an unknown state, so it exits for its supervisor.
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: String(reason), stack: (reason as Error)?.stack }));
  process.on('uncaughtException', (err) => {
    log.error('uncaught exception; exiting', { error: String(err), stack: err.stack });
    process.exit(1);
  });
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  // Items from before pinyin search (migration 0014) get their pinyin once; later writers set it.
  const pinyinFilled = await fillMissingPinyin(database.db);
  if (pinyinFilled > 0) log.info('item pinyin filled', { items: pinyinFilled });
  const bootstrap = config.BOOTSTRAP_API_KEY ? await bootstrapApiKey(database.db, config.BOOTSTRAP_API_KEY) : undefined;
  // The demo belongs on the embedded database; a real server gets it only when asked for.
  const wantDemo = config.DEMO === 'on' || (config.DEMO === 'auto' && database.engine === 'pglite');
  const demo = wantDemo ? await seedDemo(database.db, { timezone: config.APP_TIMEZONE }) : undefined;
  await claimConfiguredApps(database.db, config, bootstrap?.orgId ?? (wantDemo ? await demoOrgId(database.db) : undefined));
  const now = () => new Date();
  // The long connections' SDKs (Lark's alone holds some 40 MB of RSS) are loaded only in their mode;
  // webhooks need neither (esbuild.config.mjs puts these imports in chunks of their own).
  const aibotSocketFactory = config.WECOM_AIBOT_MODE === 'ws' ? (await import('../bots/wecom-aibot/sdk-socket')).sdkAibotSocket : undefined;
  const platforms = platformsFromConfig(config, database.db, now, { log, aibotSocket: aibotSocketFactory });
  const delivery = startDeliveryLoop(
    () => runOutboxDelivery({ db: database.db, platforms, log, timezone: config.APP_TIMEZONE, publicUrl: config.PUBLIC_URL, linkSecret: config.LINK_SECRET }, now()),
    { intervalMs: 1000, log },
  );
  const deps: Deps = { database, config, log, now, platforms, nudgeDelivery: delivery.nudge };
  // Messages acknowledged before they are handled: nudged after each one is recorded; the poll takes what a crash or restart left.
  const inbound = startInboundLoop(() => drainInbound(deps), { intervalMs: 1000, log });
  deps.nudgeInbound = inbound.nudge;
  const app = createApp(deps);
  const lark = platforms.get('lark', 'default', null);
  // Long-connection mode: one socket per app, so only the instance holding the lock opens it.
  const larkSocket = config.LARK_MODE === 'ws' && lark && config.LARK_APP_ID && config.LARK_APP_SECRET
    ? await (await import('../bots/lark/ws')).startLarkLongConnection({
        platform: lark as LarkPlatform, appId: config.LARK_APP_ID, appSecret: config.LARK_APP_SECRET, domain: config.LARK_DOMAIN, log,
        tryLock: () => database.tryLock(LARK_SOCKET_LOCK), onEvent: (event) => processEvent(deps, lark, event),
      })
    : undefined;
  // WeCom allows one long connection per AI bot: the lock holder opens it and delivers for it.
  const aibot = platforms.get('wecom-aibot', 'default', null);
  const aibotSocket = isAibotSocketPlatform(aibot)
    ? await startWhenLeader({
        name: 'wecom ai bot long connection', log, tryLock: () => database.tryLock(AIBOT_SOCKET_LOCK),
        start: () => aibot.start((event) => processEvent(deps, aibot, event)),
      })
    : undefined;
  const server = serve({ fetch: app.fetch, port: config.PORT }, (info) => {
    const base = config.PUBLIC_URL ?? `http://localhost:${info.port}`;
    const where = database.engine === 'pglite' ? `embedded Postgres in ${config.DATA_DIR}` : 'Postgres at DATABASE_URL';
    const at = (label: string, text: string) => `  ${(label ? `${label}:` : '').padEnd(11)}${text}`;
    const lines = [
      `进销存 chat-ops is running on ${where}`,
      at('health', `${base}/healthz`),
      at('API docs', `${base}/api/v1/openapi.json`),
      ...(config.SANDBOX === 'on' ? [at('sandbox', `${base}/sandbox (try the bot in a browser; sign in with an API key)`)] : []),
      at('dashboard', `${base}/dashboard (全局看板; sign in with an API key)`),
      at('admin', `${base}/admin (items, warehouses, people, rules, keys, imports; sign in with an admin API key)`),
    ];
    if (demo) {
      // Printed once: only the key's hash is stored.
      lines.push(
        `  demo organisation created; its admin API key (shown only now): ${demo.apiKey}`,
        at('try', `curl -H 'Authorization: Bearer ${demo.apiKey}' ${base}/api/v1/items`),
        ...(config.SANDBOX === 'on' ? [at('', 'or sign in to the sandbox with it and talk as 张主管 in 总仓群: a transfer awaits approval')] : []),
      );
    } else if (wantDemo) {
      lines.push('  demo organisation: already set up; its API key was printed at first start (delete DATA_DIR to start over)');
    }
    console.log(lines.join('\n'));
  });
  // Started after the app: every instance schedules the jobs; the advisory lock lets one run each tick.
  const scheduler = config.JOBS === 'on'
    ? startScheduler({ database, deps: { db: database.db, log, timezone: config.APP_TIMEZONE, config }, jobs, now, log })
    : undefined;
  if (!scheduler) log.info('scheduled jobs are off here (JOBS=off): another instance runs them');
  const stop = async () => {
    server.close();
    larkSocket?.stop();
    aibotSocket?.stop();
    await scheduler?.stop();
    await inbound.stop();
    await delivery.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
