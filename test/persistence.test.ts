import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../db/client';
import { organizations, warehouses } from '../db/schema';

// The embedded database is the default for `npm start`: what it stores must outlive the process.
const dir = mkdtempSync(join(tmpdir(), 'jxc-persist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PGlite on disk', () => {
  it('keeps rows across a close and reopen, and migrating again is harmless', async () => {
    const first = await openPglite(dir);
    const [org] = await first.db.insert(organizations).values({ slug: 'persist', name: '持久化' }).returning();
    await first.db.insert(warehouses).values({ orgId: org!.id, code: 'CENTRAL', name: '总仓', type: 'central' });
    await first.close();

    const second = await openPglite(dir);
    try {
      const rows = await second.db
        .select({ code: warehouses.code, name: warehouses.name, slug: organizations.slug })
        .from(warehouses)
        .innerJoin(organizations, eq(organizations.id, warehouses.orgId));
      expect(rows).toEqual([{ code: 'CENTRAL', name: '总仓', slug: 'persist' }]);
    } finally {
      await second.close();
    }
  });
});
