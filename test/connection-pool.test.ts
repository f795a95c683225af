import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client';
import { createTestApp, testDatabaseUrl, type TestApp } from './harness';

// db/patch-postgres.mjs: the pool hands out the connection that went idle last, so work that arrives
// one piece at a time stays on one connection whose statements are already parsed and planned.
describe.skipIf(!testDatabaseUrl)('the connection pool (real Postgres)', () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await createTestApp();
  });
  afterAll(() => h?.close());

  const backend = async () => (await queryRows<{ pid: number }>(h.db, sql`select pg_backend_pid() as pid`))[0]!.pid;

  it('one statement at a time after a burst: always the connection idle last, not each in turn', async () => {
    // A burst opens several connections (each statement holds its own while it sleeps).
    const burst = await Promise.all(Array.from({ length: 6 }, () =>
      queryRows<{ pid: number }>(h.db, sql`select pg_backend_pid() as pid, pg_sleep(0.05)`)));
    expect(new Set(burst.map((r) => r[0]!.pid)).size).toBeGreaterThan(1);
    const pids: number[] = [];
    for (let i = 0; i < 12; i++) pids.push(await backend());
    // Handed out oldest-idle first, twelve statements would go round every connection of the burst.
    expect(new Set(pids).size).toBe(1);
  });

  it('a transaction is served by the same warm connection too', async () => {
    const outside = await backend();
    const inside = await h.db.transaction(async (tx) => (await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`))[0]!.pid);
    expect(inside).toBe(outside);
  });
});
