import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdownMessages, ROBOT_MARKDOWN_MAX_BYTES } from '../cards/render-markdown';
import { deliveries } from '../db/schema';
import { runOutboxDelivery } from '../src/chat/delivery';
import { startFakeRobot } from './fakes/wecom-robot-server';
import { createTestApp, type TestApp } from './harness';
import { inventory } from './support/inventory';

// The group robot: one-way markdown notices into a bound group, split under 4096 bytes, paced.
let h: TestApp;
let robot: Awaited<ReturnType<typeof startFakeRobot>>;
beforeAll(async () => {
  robot = await startFakeRobot();
  // WECOM_API_BASE points the configured robot platform at the fake.
  h = await createTestApp({ config: { WECOM_API_BASE: robot.url } });
});
afterAll(async () => {
  await h?.close();
  await robot?.close();
});

const deliver = (at = new Date()) => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, at);

describe('WeCom group robot', () => {
  it('posts a low-stock alert into the bound group as markdown', async () => {
    const { api, orgId, slug } = await h.createOrg();
    const inv = inventory(api);
    await inv.warehouse('WH');
    await inv.item('A', { name: '红牛' });
    await inv.receipt('WH', 'A', 10, 1);
    const key = `robot-${slug}`;
    await inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'wecom-robot', chatId: key, purposes: ['alerts'] });
    await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 8 });
    await inv.issue('WH', 'A', 5);
    await deliver();
    const [text] = robot.postsTo(key);
    expect(text).toContain('低库存');
    expect(text).toContain('红牛');
    expect(text).toContain('请在企业微信应用或飞书中处理'); // buttons cannot answer from a robot
    const [row] = await h.db.select().from(deliveries).where(eq(deliveries.orgId, orgId));
    expect(row!.status).toBe('sent');
  });

  it('waits when over its 20 a minute, and dead-letters a removed robot with a reason', async () => {
    const { orgId } = await h.createOrg();
    const at = new Date('2026-11-25T00:00:00Z');
    const queue = (key: string, text: string, i: number) => h.db.insert(deliveries).values({ orgId, dedupeKey: `t${i}`, action: 'send', platform: 'wecom-robot', app: 'default',
      targetKind: 'chat', targetId: key, subject: 'text', body: { text }, nextAttemptAt: at, createdAt: at });
    await queue('robot-busy', 'later', 1);
    await queue('not-a-robot', 'never', 2);
    robot.failNext(45009);
    await deliver(at);
    const rows = await h.db.select().from(deliveries).where(eq(deliveries.orgId, orgId));
    const busy = rows.find((r) => r.targetId === 'robot-busy')!;
    expect(busy.status).toBe('pending');
    expect(busy.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(at.getTime() + 60_000);
    expect(rows.find((r) => r.targetId === 'not-a-robot')).toMatchObject({ status: 'dead', lastError: expect.stringContaining('removed') });
    await deliver(new Date(at.getTime() + 61_000));
    expect(robot.postsTo('robot-busy')).toEqual(['later']);
    const [sent] = await h.db.select().from(deliveries).where(and(eq(deliveries.orgId, orgId), eq(deliveries.targetId, 'robot-busy')));
    expect(sent!.status).toBe('sent');
  });

  it('splits a long card into messages under 4096 bytes, never mid-character', () => {
    const rows = Array.from({ length: 400 }, (_, i) => [`TR-20261125-${String(i).padStart(4, '0')}`, '已发货未收货', `${i} 小时`]);
    const parts = renderMarkdownMessages({ title: '超时单据', tone: 'warning', fields: [], actions: [], table: { columns: ['单号', '状态', '超时'], rows } });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(ROBOT_MARKDOWN_MAX_BYTES);
    expect(parts.join('\n')).toContain('TR-20261125-0399');
    const long = renderMarkdownMessages({ title: 't', tone: 'info', fields: [], actions: [], body: '库'.repeat(5000) });
    expect(long.every((p) => Buffer.byteLength(p, 'utf8') <= ROBOT_MARKDOWN_MAX_BYTES)).toBe(true);
    expect(long.join('').replace(/\n/g, '').replace('**t**', '')).toBe('库'.repeat(5000));
  });
});
