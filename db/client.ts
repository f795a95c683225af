import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

export type Schema = typeof schema;
/** Either engine: both drivers share drizzle's Postgres query builder. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything a query can run on: the database or a transaction. */
export type Queryable = Db | Tx;

export type Database = {
  db: Db;
  engine: 'pglite' | 'postgres';
  /**
   * Takes a session-level advisory lock that this process keeps until it closes (or loses its
   * connection): one instance of several runs a singleton such as a long connection.
   */
  tryLock: (key: number) => Promise<boolean>;
  close: () => Promise<void>;
};

// A function, not a constant: services pull this module into the Workers bundle (for `queryRows`),
// where `import.meta.url` is no URL and resolving it at load time kills the Worker before any request.
export const migrationsFolder = () => fileURLToPath(new URL('./migrations', import.meta.url));

/** Runs raw SQL and returns its rows on either driver (postgres.js returns an array, PGlite `{ rows }`). */
export async function queryRows<T>(q: Queryable, query: SQL): Promise<T[]> {
  const result = (await q.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Embedded Postgres under `dataDir` (or in memory when `dataDir` is undefined), migrated. */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Contrib extensions ship inside the package and must be loaded before CREATE EXTENSION (item search).
  const client = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  await migratePglite(db as never, { migrationsFolder: migrationsFolder() });
  // One process owns an embedded data directory, so it holds every lock there is.
  return { db, engine: 'pglite', tryLock: async () => true, close: () => client.close() };
}

/** A real Postgres server through postgres.js, migrated under an advisory lock so instances can start together. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
  const lockClient = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const lockDb = drizzlePostgres({ client: lockClient, schema });
    await lockDb.execute(sql`select pg_advisory_lock(7262001)`);
    await migratePostgres(lockDb, { migrationsFolder: migrationsFolder() });
    await lockDb.execute(sql`select pg_advisory_unlock(7262001)`);
  } finally {
    await lockClient.end();
  }
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  // Session locks live on one connection: a dedicated one, opened on first use, never pooled away.
  let locks: ReturnType<typeof postgres> | undefined;
  const tryLock = async (key: number) => {
    locks ??= postgres(url, { max: 1, idle_timeout: 0, onnotice: () => {} });
    const [row] = await locks`select pg_try_advisory_lock(${key}) as ok`;
    return Boolean(row?.ok);
  };
  return { db, engine: 'postgres', tryLock, close: async () => {
    await locks?.end();
    await client.end();
  } };
}

export async function openDatabase(config: { databaseUrl?: string | undefined; dataDir: string }): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir);
}
