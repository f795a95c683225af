import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseNamedIn } from '../src/chat/conversations/chat-place';
import { findItem } from '../src/chat/conversations/find-item';
import { intentSchema, understand } from '../src/chat/conversations/understand';
import type { Ctx } from '../src/context';
import { seedDemo } from '../src/demo/seed';
import { phrasings } from './fixtures/phrasings';
import { createTestApp, type TestApp } from './harness';

// The table of real phrasings (test/fixtures/phrasings.ts): the grammar reads each one's intent and
// entities, and every item it names resolves to the demo item people meant — by name, alias, typo,
// sku or pinyin — on this engine (PGlite, or Postgres with TEST_DATABASE_URL).
describe('the phrasings table', () => {
  it('has at least 300 phrasings, none twice', () => {
    expect(phrasings.length).toBeGreaterThanOrEqual(300);
    expect(new Set(phrasings.map((p) => p.text)).size).toBe(phrasings.length);
  });

  it.each(phrasings.map((p) => [p.text, p]))('%s', (_, p) => {
    const intent = understand(p.text);
    expect(intent).toEqual(p.intent);
    expect(intentSchema.safeParse(intent).success).toBe(true);
  });
});

describe('the items they name, on the demo data', () => {
  let h: TestApp;
  let ctx: Ctx;
  beforeAll(async () => {
    h = await createTestApp();
    const demo = (await seedDemo(h.db))!;
    ctx = h.jobCtx(demo.orgId);
  });
  afterAll(() => h?.close());

  const named = phrasings.filter((p) => p.skus);
  it.each(named.map((p) => [p.text, p]))('%s', async (_, p) => {
    const intent = p.intent as { item: string; items?: string[] };
    // As the answers do: a warehouse among the words is the warehouse, not part of the item.
    const words = intent.items ?? [(await warehouseNamedIn(ctx, intent.item))?.rest ?? intent.item];
    const skus = [];
    for (const w of words) {
      const found = await findItem(ctx, w);
      skus.push(found.kind === 'found' ? found.item.sku : `${found.kind}: ${w}`);
    }
    expect(skus).toEqual(p.skus);
  });
});
