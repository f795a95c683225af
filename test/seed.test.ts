import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client';
import { demoGroups, demoPeople, seedDemo } from '../db/seed';
import { alerts, chatBindings, documents, itemBarcodes, items, stockBalances, users, warehouses } from '../db/schema';
import { listSandboxMessages } from '../bots/sandbox';
import { runOutboxDelivery } from '../jobs/outbox-delivery';
import { resolveApiKey } from '../src/auth/api-keys';
import { platformsFromConfig } from '../src/chat/platforms';
import { cardForSubject } from '../src/chat/subjects';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/lib/logger';
import { openTestDatabase } from './harness';

// This file has a database of its own, so the `demo` slug (and the demo's sandbox ids) are free here.
let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

describe('seedDemo', () => {
  let orgId: string;

  it('creates the demo organisation once, with warehouses, items, barcodes and a working admin key', async () => {
    const demo = await seedDemo(database.db);
    expect(demo).toBeDefined();
    orgId = demo!.orgId;
    const { apiKey } = demo!;

    const whs = await database.db.select().from(warehouses).where(eq(warehouses.orgId, orgId));
    expect(whs.map((w) => w.type).sort()).toEqual(['central', 'cold', 'store', 'store']);

    const redBull = (await database.db.select().from(items).where(eq(items.orgId, orgId))).find((i) => i.sku === 'RB-250');
    expect(redBull).toMatchObject({ name: expect.stringContaining('红牛'), packUnits: [{ name: '箱', factor: '24' }] });
    expect(redBull!.aliases).toContain('红牛');
    const barcodes = await database.db.select().from(itemBarcodes).where(eq(itemBarcodes.itemId, redBull!.id));
    expect(barcodes).toHaveLength(1);

    const key = await resolveApiKey(database.db, apiKey);
    expect(key).toMatchObject({ orgId, scopes: ['admin'] });

    // A second start finds the organisation and leaves it alone: no second key, no second set of people or documents.
    expect(await seedDemo(database.db)).toBeUndefined();
    expect(await database.db.select().from(warehouses).where(eq(warehouses.orgId, orgId))).toHaveLength(4);
    expect(await database.db.select().from(users).where(eq(users.orgId, orgId))).toHaveLength(demoPeople.length);
    expect(await database.db.select().from(documents).where(eq(documents.orgId, orgId))).toHaveLength(6);
  });

  it('has people to talk as, groups bound to 总仓 and 徐汇店, stock, and cards waiting for a first visit', async () => {
    const people = await database.db.select().from(users).where(eq(users.orgId, orgId));
    const roles = Object.fromEntries(people.map((u) => [u.name, u.roles]));
    expect(roles).toMatchObject({
      王店长: ['store_manager'], 李仓管: ['warehouse_lead'], 张主管: ['supervisor'], 赵管理员: ['admin'], 小陈: ['staff'],
    });

    const bound = await database.db.select({ chatId: chatBindings.chatId, platform: chatBindings.platform, purposes: chatBindings.purposes })
      .from(chatBindings).where(eq(chatBindings.orgId, orgId));
    expect(bound.map((b) => b.chatId).sort()).toEqual(demoGroups.map((g) => g.chatId).sort());
    expect(bound.every((b) => b.platform === 'sandbox' && b.purposes.includes('approvals') && b.purposes.includes('alerts'))).toBe(true);

    // Stock came in through posted opening documents; 可乐 at 徐汇店 was sold below its safety stock.
    const balances = await database.db.select().from(stockBalances).where(eq(stockBalances.orgId, orgId));
    expect(balances.length).toBeGreaterThan(5);
    expect(await database.db.select().from(alerts).where(and(eq(alerts.orgId, orgId), eq(alerts.kind, 'low_stock')))).toHaveLength(1);
    const docs = await database.db.select().from(documents).where(eq(documents.orgId, orgId));
    const transfer = docs.find((d) => d.type === 'transfer')!;
    expect(transfer.status).toBe('awaiting_approval');
    expect(docs.filter((d) => d.type === 'opening').every((d) => d.status === 'posted')).toBe(true);

    // What the delivery loop of `npm start` sends: the approval card to 总仓群, the low-stock card to 徐汇店群.
    const config = loadConfig({ SANDBOX: 'on', LOG_LEVEL: 'silent' });
    const platforms = platformsFromConfig(config, database.db, () => new Date(), {});
    await runOutboxDelivery({ db: database.db, platforms, log: createLogger('silent'), timezone: 'Asia/Shanghai' }, new Date());
    const central = await listSandboxMessages(database.db, orgId, '总仓群');
    const approval = central.find((m) => m.card?.title.includes(transfer.number));
    expect(approval?.card?.actions.map((a) => a.label)).toEqual(expect.arrayContaining(['批准', '驳回']));
    // An approver sees what is asked in words: warehouse and item names, quantities in their units and packs.
    expect(approval?.card?.fields).toEqual(expect.arrayContaining([{ label: '调出 → 调入', value: '总仓 (CENTRAL) → 徐汇店 (STORE-XH)' }]));
    expect(approval?.card?.body).toContain('COKE-330 可口可乐 330ml × 192 罐 (8 箱)');
    // Typing the number shows the same names in the status card.
    const status = await cardForSubject({ db: database.db, orgId, actor: { type: 'job', job: 'test' }, now: () => new Date(), timezone: 'Asia/Shanghai', log: createLogger('silent') },
      `document:${transfer.id}`);
    expect(status.table?.rows[0]).toEqual(expect.arrayContaining(['COKE-330 可口可乐 330ml', '192 罐']));
    const store = await listSandboxMessages(database.db, orgId, '徐汇店群');
    expect(store.some((m) => m.card?.title.includes('低库存') && JSON.stringify(m.card).includes('可口可乐'))).toBe(true);
  });
});
