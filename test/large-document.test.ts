import { afterAll, beforeAll, expect, it } from 'vitest';
import { items, warehouses } from '../db/schema';
import { createDocument } from '../src/inventory/documents/create';
import { createTestApp, type TestApp } from './harness';
import { inventory } from './support/inventory';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

// Go-live openings and big stocktakes carry thousands of lines: every statement must stay under
// Postgres's 65,535 bind parameters, so the posting code writes in chunks.
it('posts a 5,000-line opening and reverses it', async () => {
  const { orgId, api } = await h.createOrg();
  const [wh] = await h.db.insert(warehouses).values({ orgId, code: 'WH', name: 'WH', type: 'central' }).returning();
  const n = 5000;
  const skus = Array.from({ length: n }, (_, i) => `SKU-${String(i).padStart(5, '0')}`);
  for (let i = 0; i < n; i += 1000) {
    await h.db.insert(items).values(skus.slice(i, i + 1000).map((sku, j) => ({
      orgId, sku, name: sku, unit: 'pcs', valuationMethod: (i + j) % 2 ? 'fifo' as const : 'moving_average' as const,
    })));
  }
  const ctx = h.jobCtx(orgId);
  const { id } = await createDocument(ctx, {
    type: 'opening', warehouse: wh!.code, submit: true,
    lines: skus.map((sku, i) => ({ sku, qty: String((i % 7) + 1), unitCost: '1.5' })),
  });
  const inv = inventory(api);
  const doc = await inv.ok('GET', `/api/v1/documents/${id}`);
  expect(doc.status).toBe('posted');
  expect(doc.lines).toHaveLength(n);
  const expected = skus.reduce((sum, _, i) => sum + ((i % 7) + 1) * 1.5, 0);
  expect(doc.totalValue).toBe(expected.toFixed(2));
  expect(await inv.valuation(skus[n - 1]!, 'WH')).toMatchObject({ qty: String(((n - 1) % 7) + 1) });
  const rev = await inv.ok('POST', `/api/v1/documents/${id}/reverse`);
  expect(rev.totalValue).toBe((-expected).toFixed(2));
});
