import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDeliveryLoop } from '../jobs/poll-loop';
import { runOutboxDelivery } from '../src/chat/delivery';
import { createTestApp, type TestApp } from './harness';
import { inventory } from './support/inventory';

// The running service: a posting that crosses safety stock shows up in the bound chat within seconds.
let h: TestApp;
let loop: ReturnType<typeof startDeliveryLoop>;
beforeAll(async () => {
  h = await createTestApp();
  loop = startDeliveryLoop(() => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, new Date()),
    { intervalMs: 60_000, log: h.deps.log });
  // The app nudges the loop after each write, as src/main.ts wires it; the long poll interval proves the nudge did it.
  h.deps.nudgeDelivery = loop.nudge;
});
afterAll(async () => {
  await loop?.stop();
  await h?.close();
});

it('a low-stock crossing reaches the bound sandbox chat within seconds of the posting', async () => {
  const { api, slug } = await h.createOrg();
  const inv = inventory(api);
  await inv.warehouse('WH');
  await inv.item('A', { name: '红牛' });
  await inv.receipt('WH', 'A', 10, 1);
  await inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: `${slug}-g`, purposes: ['alerts'] });
  await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 8 });
  const posted = Date.now();
  await inv.issue('WH', 'A', 5);
  let messages: any[] = [];
  while (Date.now() - posted < 5_000 && messages.length === 0) {
    await new Promise((r) => setTimeout(r, 50));
    messages = (await inv.ok('GET', `/sandbox/api/chats/${slug}-g/messages`)).messages;
  }
  expect(messages[0]?.card.title).toContain('红牛');
});

it('only a write that queued something wakes delivery: a posting crossing nothing costs it no run', async () => {
  const { api } = await h.createOrg();
  const inv = inventory(api);
  await inv.warehouse('WH');
  await inv.item('A', { name: '红牛' });
  await inv.receipt('WH', 'A', 10, 1);
  await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 3 });
  let nudges = 0;
  h.deps.nudgeDelivery = () => { nudges++; };
  try {
    await inv.issue('WH', 'A', 2);
    expect(nudges).toBe(0);
    await inv.issue('WH', 'A', 6);
    expect(nudges).toBe(1);
  } finally {
    h.deps.nudgeDelivery = loop.nudge;
  }
});
