import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client';
import { outbox } from '../db/schema';
import worker, { type Env } from '../src/worker';
import { createTestApp, testDatabaseUrl, type TestApp } from './harness';
import { inventory } from './support/inventory';

// The Workers entry speaks postgres.js to Hyperdrive, so it needs a real server: this file's database stands in for it.
describe.skipIf(!testDatabaseUrl)('Workers scheduled handler (skipped without TEST_DATABASE_URL: it speaks postgres.js to Hyperdrive, a server stands in)', () => {
  let h: TestApp;
  let env: Env;
  beforeAll(async () => {
    h = await createTestApp();
    const [row] = await queryRows<{ name: string }>(h.db, sql`select current_database() as name`);
    const url = new URL(testDatabaseUrl!);
    url.pathname = `/${row!.name}`;
    env = { HYPERDRIVE: { connectionString: url.toString() }, LOG_LEVEL: 'silent' };
  });
  afterAll(() => h?.close());

  it('runs the jobs due at the tick, then delivers what they wrote', async () => {
    const org = await h.createOrg();
    const inv = inventory(org.api);
    await inv.warehouse('WH');
    const group = `${org.slug}-digest`;
    await inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: group, purposes: ['digest'] });
    const digests = () => h.db.select().from(outbox).where(and(eq(outbox.orgId, org.orgId), eq(outbox.kind, 'daily_digest')));

    // 07:55 in Shanghai: the digest check (every 15 minutes) is not due, and it would be too early anyway.
    await worker.scheduled({ cron: '*/5 * * * *', scheduledTime: Date.parse('2026-03-09T23:55:00Z') }, env);
    expect(await digests()).toEqual([]);
    // 08:00: due, sent.
    await worker.scheduled({ cron: '*/5 * * * *', scheduledTime: Date.parse('2026-03-10T00:00:00Z') }, env);
    expect(await digests()).toHaveLength(1);
    const messages = (await inv.ok('GET', `/sandbox/api/chats/${group}/messages`)).messages;
    expect(messages.map((m: any) => m.card.title)).toEqual(['日报 2026-03-09 · WH']);
  });
});
