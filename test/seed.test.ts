import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client';
import { demoGroups, demoPeople, seedDemo } from '../src/demo/seed';
import { alerts, chatBindings, documents, itemBarcodes, items, stockBalances, users, warehouses } from '../db/schema';
import { listSandboxMessages } from '../bots/sandbox';
import { runOutboxDelivery } from '../src/chat/delivery';
import { resolveApiKey } from '../src/people/key-store';
import { platformsFromConfig } from '../bots/platforms';
import { cardForSubject } from '../src/chat/cards/subjects';
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
    expect(whs.map((w) => w.type).sort()).toEqual(['central', 'cold', 'kitchen', 'store', 'store']);

    const redBull = (await database.db.select().from(items).where(eq(items.orgId, orgId))).find((i) => i.sku === 'RB-250');
    expect(redBull).toMatchObject({ name: expect.stringContaining('红牛'), packUnits: [{ name: '箱', factor: '24' }] });
    expect(redBull!.aliases).toContain('红牛');
    const barcodes = await database.db.select().from(itemBarcodes).where(eq(itemBarcodes.itemId, redBull!.id));
    expect(barcodes).toHaveLength(1);

    const key = await resolveApiKey(database.db, apiKey);
    expect(key).toMatchObject({ orgId, scopes: ['admin'] });

    // A second start finds the organisation and leaves it alone: no second key, no second set of people or documents.
    expect(await seedDemo(database.db)).toBeUndefined();
    expect(await database.db.select().from(warehouses).where(eq(warehouses.orgId, orgId))).toHaveLength(5);
    expect(await database.db.select().from(users).where(eq(users.orgId, orgId))).toHaveLength(demoPeople.length);
    // 4 + 1 openings (the kitchen's too), an issue, a transfer, a purchase order, a sales order, a requisition and the kitchen's production order.
    expect(await database.db.select().from(documents).where(eq(documents.orgId, orgId))).toHaveLength(11);
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
    expect(approval?.card?.fields).toEqual(expect.arrayContaining([{ label: '调出 → 调入', value: '总仓 → 徐汇店' }]));
    expect(approval?.card?.body).toContain('可口可乐 330ml × 192 罐 (8 箱)');
    expect(approval?.card?.fields).toEqual(expect.arrayContaining([{ label: '提交人', value: expect.stringMatching(/^小陈 · /) }]));
    // Typing the number shows the same names in the status card.
    const status = await cardForSubject({ db: database.db, orgId, actor: { type: 'job', job: 'test' }, now: () => new Date(), timezone: 'Asia/Shanghai', log: createLogger('silent') },
      `document:${transfer.id}`);
    expect(status.table?.rows[0]).toEqual(expect.arrayContaining(['可口可乐 330ml', '192 罐 (8 箱)']));
    const store = await listSandboxMessages(database.db, orgId, '徐汇店群');
    expect(store.some((m) => m.card?.title.includes('低库存') && JSON.stringify(m.card).includes('可口可乐'))).toBe(true);
    // Orders waiting for 总仓: the 发货申请 with 一键发货, 徐汇店's 要货单 with 按单调拨; the purchase order is open.
    const so = docs.find((d) => d.type === 'sales_order')!;
    const rq = docs.find((d) => d.type === 'requisition')!;
    expect([so.status, rq.status, docs.find((d) => d.type === 'purchase_order')!.status]).toEqual(['approved', 'approved', 'approved']);
    expect(central.find((m) => m.card?.title.includes(so.number))?.card?.actions.map((a) => a.label)).toEqual(['一键发货']);
    expect(central.find((m) => m.card?.title.includes(rq.number))?.card?.actions.map((a) => a.label)).toEqual(['按单调拨']);
  });
});

describe('the demo kitchen', () => {
  it('lets 小刘 try 报工 in 厨房群 on the order in progress', async () => {
    const db = await openTestDatabase();
    try {
      const demo = (await seedDemo(db.db, { now: () => new Date('2026-12-06T02:00:00Z') }))!;
      const [mo] = await db.db.select().from(documents).where(and(eq(documents.orgId, demo.orgId), eq(documents.type, 'production')));
      expect(mo).toMatchObject({ status: 'in_progress' });
      const config = loadConfig({ SANDBOX: 'on', LOG_LEVEL: 'silent' });
      const { createApp } = await import('../src/http/app');
      const app = createApp({ database: db, config, log: createLogger('silent'), now: () => new Date('2026-12-06T02:00:00Z'),
        platforms: platformsFromConfig(config, db.db, () => new Date(), {}) });
      const res = await app.request('/sandbox/api/messages', {
        method: 'POST', headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ chatId: '厨房群', userId: 'demo-liu', text: `报工 ${mo!.number} 炒制 2小时 合格100` }),
      });
      const { replies } = await res.json() as any;
      // 2 h at 热菜档: 2 × 30 = ¥60.00.
      expect(replies[0].card).toMatchObject({ title: '请确认报工' });
      expect(replies[0].card.fields).toContainEqual({ label: '本次成本', value: '¥60.00' });
    } finally {
      await db.close();
    }
  });
});

describe('the demo store’s demand history', () => {
  it('gives 徐汇店 a forecast with busy weekends, and Monday’s job a 要货建议 card for 徐汇店群', async () => {
    const db = await openTestDatabase();
    try {
      const monday = new Date('2026-12-07T01:00:00Z'); // Monday 09:00 in Shanghai, when the weekly job runs
      const demo = (await seedDemo(db.db, { now: () => monday }))!;
      const config = loadConfig({ SANDBOX: 'on', LOG_LEVEL: 'silent' });
      const { createApp } = await import('../src/http/app');
      const platforms = platformsFromConfig(config, db.db, () => monday, {});
      const app = createApp({ database: db, config, log: createLogger('silent'), now: () => monday, platforms });
      const res = await app.request('/api/v1/forecast?warehouse=STORE-XH&sku=NFSQ-550&days=7', { headers: { authorization: `Bearer ${demo.apiKey}` } });
      const forecast = await res.json() as { method: string; days: { date: string; qty: string }[] };
      expect(forecast.method).toBe('holt_winters_additive');
      // Tuesday 12-08 … Monday 12-14: Saturday and Sunday well above every weekday.
      const qty = new Map(forecast.days.map((d) => [d.date, Number(d.qty)]));
      const weekend = [qty.get('2026-12-12')!, qty.get('2026-12-13')!];
      const weekdays = ['2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-14'].map((d) => qty.get(d)!);
      expect(Math.min(...weekend)).toBeGreaterThan(1.5 * Math.max(...weekdays));

      const { runWeeklyRequisition } = await import('../jobs/weekly-requisition');
      const log = createLogger('silent');
      expect(await runWeeklyRequisition({ db: db.db, log, timezone: 'Asia/Shanghai' }, monday)).toMatchObject({ announced: 1 });
      await runOutboxDelivery({ db: db.db, platforms, log, timezone: 'Asia/Shanghai' }, monday);
      const store = await listSandboxMessages(db.db, demo.orgId, '徐汇店群');
      const card = store.find((m) => m.card?.title === '要货建议：徐汇店')?.card;
      expect((card as any)?.tables[0].rows.map((r: string[]) => [r[0], r[1]])).toEqual(expect.arrayContaining([['农夫山泉饮用天然水 550ml（NFSQ-550）', '总仓']]));
      expect(card?.actions.map((a) => a.label)).toEqual(['一键生成要货单']);
    } finally {
      await db.close();
    }
  });
});
