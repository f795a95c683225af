import { ConfigError, loadConfig } from '../src/config';
import { openPostgres } from './client';

// `npm run db:migrate`: applies the committed migrations to DATABASE_URL and exits — for deployments
// that do not migrate at start-up (Cloudflare Workers), run before each deploy.
async function migrate() {
  const { DATABASE_URL } = loadConfig();
  if (!DATABASE_URL) throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required to migrate a Postgres server');
  const database = await openPostgres(DATABASE_URL, { max: 1 });
  await database.close();
  console.log('migrations applied');
}

migrate().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
