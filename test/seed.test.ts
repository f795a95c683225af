import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client';
import { seedDemo } from '../db/seed';
import { itemBarcodes, items, warehouses } from '../db/schema';
import { resolveApiKey } from '../src/auth/api-keys';
import { openTestDatabase } from './harness';

// This file has a database of its own, so the `demo` slug is free here.
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

describe('seedDemo', () => {
  it('creates the demo organisation once, with warehouses, items, barcodes and a working admin key', async () => {
    const demo = await seedDemo(database.db);
    expect(demo).toBeDefined();
    const { orgId, apiKey } = demo!;

    const whs = await database.db.select().from(warehouses).where(eq(warehouses.orgId, orgId));
    expect(whs.map((w) => w.type).sort()).toEqual(['central', 'cold', 'store', 'store']);

    const redBull = (await database.db.select().from(items).where(eq(items.orgId, orgId))).find((i) => i.sku === 'RB-250');
    expect(redBull).toMatchObject({ name: expect.stringContaining('红牛'), packUnits: [{ name: '箱', factor: '24' }] });
    expect(redBull!.aliases).toContain('红牛');
    const barcodes = await database.db.select().from(itemBarcodes).where(eq(itemBarcodes.itemId, redBull!.id));
    expect(barcodes).toHaveLength(1);

    const key = await resolveApiKey(database.db, apiKey);
    expect(key).toMatchObject({ orgId, scopes: ['admin'] });

    // A second start finds the organisation and leaves it alone: no second key, nothing printed.
    expect(await seedDemo(database.db)).toBeUndefined();
    expect(await database.db.select().from(warehouses).where(eq(warehouses.orgId, orgId))).toHaveLength(4);
  });
});
