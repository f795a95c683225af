import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { preparePostgresStatements } from './prepared';
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
  /**
   * A second, small pool for single statements that must not wait for the caller's transaction to
   * commit (document numbers). Its own connections, so a burst of transactions holding the main pool
   * can never starve it. Absent on PGlite, which has one connection.
   */
  outside?: Db;
  close: () => Promise<void>;
};

// A function, not a constant: services pull this module into the Workers bundle (for `queryRows`),
// where `import.meta.url` is no URL and resolving it at load time kills the Worker before any request.
// '../db/migrations' resolves both from this file and from the compiled bundle in dist/ (npm start).
export const migrationsFolder = () => fileURLToPath(new URL('../db/migrations', import.meta.url));

/** Runs raw SQL and returns its rows on either driver (postgres.js returns an array, PGlite `{ rows }`). */
export async function queryRows<T>(q: Queryable, query: SQL): Promise<T[]> {
  const result = (await q.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Independent writes sent as one statement (each a data-modifying CTE, run once and to completion
 * whatever the statement returns): one message to the server, one parse. They must touch different
 * rows (a statement cannot change one row twice), and none sees another's changes.
 */
export function together(writes: SQL[]): SQL {
  return sql`with ${sql.join(writes.map((w, i) => sql`${sql.raw(`w${i}`)} as (${w})`), sql`, `)} select 1`;
}

/** Embedded Postgres under `dataDir` (or in memory when `dataDir` is undefined), migrated unless told not to. */
export async function openPglite(dataDir: string | undefined, options: { migrate?: boolean; loadDataDir?: Blob } = {}): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Loaded only here: a service on a Postgres server never pays for the embedded engine's code.
  const [{ PGlite }, { pg_trgm }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/pg_trgm'), import('drizzle-orm/pglite'), import('drizzle-orm/pglite/migrator'),
  ]);
  // Contrib extensions ship inside the package and must be loaded before CREATE EXTENSION (item search).
  const client = await PGlite.create(dataDir, { extensions: { pg_trgm }, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  if (options.migrate !== false) await migratePglite(db as never, { migrationsFolder: migrationsFolder() });
  await client.exec(`set pg_trgm.word_similarity_threshold = ${WORD_SIMILARITY_THRESHOLD}`);
  // One process owns an embedded data directory, so it holds every lock there is.
  return { db, engine: 'pglite', tryLock: async () => true, close: () => client.close() };
}

/**
 * Item search finds its fuzzy candidates with `query <% search_text` through a trigram index; that
 * operator's threshold is this setting, so every connection lowers it from 0.6 to the lowest score
 * a "did you mean" offers (SUGGEST_SCORE in src/master/match-items.ts).
 */
const WORD_SIMILARITY_THRESHOLD = 0.3;

/**
 * How postgres.js (patched for lost connections: db/patch-postgres.mjs) behaves while the server is
 * away: a connect attempt gives up after 5 s, and reconnects back off to at most 1 s apart instead
 * of the driver's 20 s, so a request waits briefly for its 503 and the first one after the server
 * is back succeeds.
 */
const driverOptions = {
  onnotice: () => {},
  // JIT compiles any plan the planner thinks costly: item search paid 38 ms of compiling for a
  // 110 ms query at 100k items; statements here touch few rows and never win it back.
  // Parallel workers likewise: the planner takes the name-forms function (COST 5000) for dear and
  // plans a Gather, whose worker start cost 100–200 ms here for a 5 ms lookup (EXPLAIN ANALYZE at 100k
  // items); stock questions with typos went p50 52 → 35 ms without them. The one statement that
  // would gain, the low-stock scan's 1M-row join, writes as it reads: Postgres never runs it in parallel.
  connection: { 'pg_trgm.word_similarity_threshold': String(WORD_SIMILARITY_THRESHOLD), jit: 'off', max_parallel_workers_per_gather: '0' },
  connect_timeout: 5,
  backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 1),
};

/** A real Postgres server through postgres.js, migrated under an advisory lock so instances can start together. */
export async function openPostgres(url: string, options: { max?: number; migrate?: boolean } = {}): Promise<Database> {
  if (options.migrate !== false) await migrateUnderLock(url);
  preparePostgresStatements();
  const client = postgres(url, { ...driverOptions, max: options.max ?? 10 });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  // Each statement on it holds its connection for a counter bump: a few connections serve many postings.
  // Its commits do not wait for the disk: the bump's row lock is held only until its commit returns, so a
  // flush there would queue every posting of the day behind the disk. Safe: a document that uses the
  // number commits after the bump, and flushing its commit flushes the bump (WAL is written in order);
  // a crash can only lose bumps whose documents never committed, and their numbers are given out again.
  const outsideClient = postgres(url, { ...driverOptions, max: 4, connection: { ...driverOptions.connection, synchronous_commit: 'off' } });
  const outside = drizzlePostgres({ client: outsideClient, schema }) as unknown as Db;
  // Session locks live on one connection: a dedicated one, opened on first use, never pooled away.
  let locks: ReturnType<typeof postgres> | undefined;
  const tryLock = async (key: number) => {
    locks ??= postgres(url, { ...driverOptions, max: 1, idle_timeout: 0 });
    const [row] = await locks`select pg_try_advisory_lock(${key}) as ok`;
    return Boolean(row?.ok);
  };
  return { db, engine: 'postgres', tryLock, outside, close: async () => {
    await locks?.end();
    await outsideClient.end();
    await client.end();
  } };
}

async function migrateUnderLock(url: string) {
  const lockClient = postgres(url, { ...driverOptions, max: 1 });
  try {
    const lockDb = drizzlePostgres({ client: lockClient, schema });
    await lockDb.execute(sql`select pg_advisory_lock(7262001)`);
    await migratePostgres(lockDb, { migrationsFolder: migrationsFolder() });
    await lockDb.execute(sql`select pg_advisory_unlock(7262001)`);
  } finally {
    await lockClient.end();
  }
}

export async function openDatabase(config: { databaseUrl?: string | undefined; dataDir: string }): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir);
}
