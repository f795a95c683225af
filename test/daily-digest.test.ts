import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alerts, outbox } from '../db/schema';
import { runDailyDigest } from '../jobs/daily-digest';
import { localTime } from '../src/lib/calendar';
import { createTestApp, type TestApp } from './harness';
import { inventory } from './support/inventory';
import { deliverAt, jobDeps } from './support/jobs';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());
afterEach(() => h.setNow(undefined));

const deps = () => jobDeps(h);
const deliver = (now: Date) => deliverAt(h, now);

/** Posts (or creates) a document with the clock at `at`. */
async function at<T>(when: string, action: () => Promise<T>): Promise<T> {
  h.setNow(new Date(when));
  try {
    return await action();
  } finally {
    h.setNow(undefined);
  }
}

describe('daily digest', () => {
  it('reads the local clock in APP_TIMEZONE', () => {
    expect(localTime(new Date('2026-03-09T23:59:00Z'), 'Asia/Shanghai')).toBe('07:59');
    expect(localTime(new Date('2026-03-10T16:05:00Z'), 'Asia/Shanghai')).toBe('00:05');
  });

  it('goes to each digest group once a day from DIGEST_TIME, with yesterday\'s movements, the backlog, open alerts and accuracy', async () => {
    const org = await h.createOrg();
    const inv = inventory(org.api);
    const wh = await inv.warehouse('WH');
    await inv.warehouse('WH2');
    const a = await inv.item('A');
    await inv.item('B');
    const group = `${org.slug}-digest`;
    const other = `${org.slug}-digest2`;
    const alertsOnly = `${org.slug}-alerts`;
    await inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: group, purposes: ['digest', 'alerts'] });
    await inv.ok('POST', '/api/v1/warehouses/WH2/chats', { platform: 'sandbox', chatId: other, purposes: ['digest'] });
    await inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: alertsOnly, purposes: ['alerts'] });

    // The day before yesterday (Shanghai 2026-03-08): not in the digest of 03-10.
    await at('2026-03-08T02:00:00Z', () => inv.post('receipt', 'WH', [{ sku: 'A', qty: 100, unitCost: 1 }, { sku: 'B', qty: 10, unitCost: 1 }]));
    // Yesterday (03-09 local), up to 23:59 there.
    await at('2026-03-09T01:00:00Z', () => inv.receipt('WH', 'A', 10, 1));
    await at('2026-03-09T02:00:00Z', () => inv.post('stocktake', 'WH', [{ sku: 'A', qty: 110 }, { sku: 'B', qty: 9 }]));
    await at('2026-03-09T03:00:00Z', () => inv.issue('WH', 'A', 20));
    await at('2026-03-09T04:00:00Z', () => inv.post('purchase_return', 'WH', [{ sku: 'A', qty: 5 }]));
    await at('2026-03-09T15:59:00Z', () => inv.issue('WH', 'A', 1));
    // Today (00:01 on 03-10 local): not yesterday's.
    await at('2026-03-09T16:01:00Z', () => inv.issue('WH', 'A', 2));
    // Backlog: two drafts at WH, one at WH2.
    for (const code of ['WH', 'WH', 'WH2']) {
      await at('2026-03-09T05:00:00Z', () => inv.ok('POST', '/api/v1/documents', { type: 'receipt', warehouse: code, lines: [{ sku: 'A', qty: 1, unitCost: 1 }] }));
    }
    // Done is no backlog: a transfer shipped and received (its status is 'received', not 'posted').
    const sent = await at('2026-03-09T05:00:00Z', () => inv.post('transfer', 'WH', [{ sku: 'A', qty: 1 }], { toWarehouse: 'WH2' }));
    await at('2026-03-09T05:10:00Z', () => inv.ok('POST', `/api/v1/documents/${sent.id}/receive`, {}));
    // Open alerts: one open low-stock alert counts, a resolved one does not.
    await h.db.insert(alerts).values([
      { orgId: org.orgId, kind: 'low_stock', itemId: a.id, warehouseId: wh.id, status: 'resolved', resolvedAt: new Date() },
      { orgId: org.orgId, kind: 'low_stock', itemId: a.id, warehouseId: wh.id, status: 'open' },
    ]);
    const rows = () => h.db.select().from(outbox).where(and(eq(outbox.orgId, org.orgId), eq(outbox.kind, 'daily_digest')));

    // 07:59 local: not yet.
    expect(await runDailyDigest(deps(), new Date('2026-03-09T23:59:00Z'))).toMatchObject({ due: false });
    expect(await rows()).toEqual([]);
    // 08:00: once per bound digest chat.
    const eight = new Date('2026-03-10T00:00:00Z');
    await runDailyDigest(deps(), eight);
    expect((await rows()).map((r) => r.payload.chatId).sort()).toEqual([group, other].sort());
    await deliver(eight);
    const chat = async (id: string) => (await inv.ok('GET', `/sandbox/api/chats/${id}/messages`)).messages;
    const [digest, ...more] = await chat(group);
    expect(more).toEqual([]);
    expect(await chat(alertsOnly)).toEqual([]);
    expect(digest.card.title).toBe('日报 2026-03-09 · WH');
    expect(digest.card.tone).toBe('warning');
    expect(digest.card.fields).toEqual([
      // Receipt 10, issues 20 + 1, purchase return 5, all at a unit cost of 1.
      { label: '昨日过账', value: '4 张 · ¥36.00' },
      { label: '待处理', value: '2 张' },
      { label: '超时', value: '0 张' },
      { label: '低库存', value: '1 个' },
      { label: '临期批次', value: '0 个' },
      // One of the stocktake's two lines had a variance.
      { label: '盘点准确率', value: '50.0%' },
    ]);
    expect(digest.card.tables[0].rows).toEqual([
      ['入库单', '1', '¥10.00'], ['出库单', '2', '¥21.00'], ['采购退货单', '1', '¥5.00'],
    ]);
    expect(digest.card.body).toContain('草稿 2');
    expect(digest.card.body).not.toContain('已收货');
    const [quiet] = await chat(other);
    expect(quiet.card.title).toBe('日报 2026-03-09 · WH2');
    expect(quiet.card.body).toContain('昨日没有过账的单据');
    expect(quiet.card.fields).toContainEqual({ label: '盘点准确率', value: '近 30 天未盘点' });

    // Later the same day: nothing more.
    await runDailyDigest(deps(), new Date('2026-03-10T06:00:00Z'));
    await deliver(new Date('2026-03-10T06:00:00Z'));
    expect(await rows()).toHaveLength(2);
    expect(await chat(group)).toHaveLength(1);

    // The next day: today's issue is now yesterday's.
    const next = new Date('2026-03-11T00:15:00Z');
    await runDailyDigest(deps(), next);
    await deliver(next);
    const messages = await chat(group);
    expect(messages).toHaveLength(2);
    expect(messages[1].card.title).toBe('日报 2026-03-10 · WH');
    expect(messages[1].card.fields[0]).toEqual({ label: '昨日过账', value: '1 张 · ¥2.00' });
  });
});
