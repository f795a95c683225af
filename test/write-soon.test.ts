import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client';
import { withTransaction, writeSoon, type Ctx } from '../src/context';
import { createLogger } from '../src/lib/logger';
import { openTestDatabase } from './harness';

// Audit rows and status updates are sent without waiting inside a transaction. When the connection
// dies, such a write fails while the verb is still awaiting another statement: that failure must
// roll the transaction back, and must not surface as an unhandled rejection (which ends a Node
// process; CI saw exactly this when Postgres connections were killed under load).
describe('writes sent for later', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  const ctxOn = (db: Database['db']): Ctx => ({
    db,
    orgId: '00000000-0000-0000-0000-000000000000',
    actor: { type: 'job', job: 'test' },
    now: () => new Date(),
    timezone: 'Asia/Shanghai',
    log: createLogger('error', () => {}),
  });

  it('a write that fails while the verb awaits something else rolls the transaction back and is never unhandled', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const run = withTransaction(ctxOn(database.db), async (ctx) => {
        await ctx.db.execute(sql`create temporary table write_soon_probe (n int)`);
        await writeSoon(ctx, Promise.reject(new Error('connection killed')));
        // The verb goes on awaiting other statements while the failed write sits in `later`.
        await new Promise((resolve) => setTimeout(resolve, 30));
        await ctx.db.execute(sql`insert into write_soon_probe values (1)`);
        return 'committed';
      });
      await expect(run).rejects.toThrow('connection killed');
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
      // Rolled back: the table made inside the transaction is gone.
      await expect(database.db.execute(sql`select * from write_soon_probe`)).rejects.toThrow();
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('outside a transaction the write is awaited at once, and its failure is the caller’s', async () => {
    await expect(writeSoon(ctxOn(database.db), Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });
});
