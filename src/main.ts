import { serve } from '@hono/node-server';
import { openDatabase } from '../db/client';
import { bootstrapApiKey } from './auth/api-keys';
import { ConfigError, loadConfig } from './config';
import { createApp } from './http/app';
import { createLogger } from './lib/logger';

// Node entry point: read config, open and migrate the database, serve. Only wiring lives here.
async function main() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  if (config.BOOTSTRAP_API_KEY) await bootstrapApiKey(database.db, config.BOOTSTRAP_API_KEY);
  const app = createApp({ database, config, log, now: () => new Date() });
  const server = serve({ fetch: app.fetch, port: config.PORT }, (info) => {
    const base = config.PUBLIC_URL ?? `http://localhost:${info.port}`;
    const where = database.engine === 'pglite' ? `embedded Postgres in ${config.DATA_DIR}` : 'Postgres at DATABASE_URL';
    console.log(`进销存 chat-ops is running on ${where}`);
    console.log(`  health:   ${base}/healthz`);
    console.log(`  API docs: ${base}/api/v1/openapi.json`);
  });
  const stop = async () => {
    server.close();
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
