import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../db/schema';
import { runNearExpiry } from '../jobs/near-expiry';
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

/** 08:30 in Shanghai on the given local date. */
const morning = (date: string) => new Date(`${date}T00:30:00Z`);

/** An organisation whose warehouse WH holds lots expiring at various distances from 2026-03-10; WH2 holds only a far one. */
async function stockedOrg() {
  const org = await h.createOrg();
  const inv = inventory(org.api);
  await inv.warehouse('WH');
  await inv.warehouse('WH2');
  await inv.item('COLA', { name: '可乐', unit: '瓶', lotTracked: true, packUnits: [{ name: '箱', factor: 24 }] });
  // A 30-day product: a third of its shelf life (10 days) is its window, not the 30 configured.
  await inv.item('MILK', { name: '牛奶', unit: '盒', lotTracked: true, shelfLifeDays: 30 });
  h.setNow(new Date('2026-02-20T02:00:00Z'));
  await inv.post('receipt', 'WH', [
    { sku: 'COLA', qty: 48, unitCost: 2, lot: 'C-OLD', expiresOn: '2026-03-05' },
    { sku: 'COLA', qty: 24, unitCost: 2, lot: 'C-SOON', expiresOn: '2026-03-20' },
    { sku: 'COLA', qty: 240, unitCost: 2, lot: 'C-FAR', expiresOn: '2026-06-01' },
    { sku: 'MILK', qty: 10, unitCost: 5, lot: 'M-IN', expiresOn: '2026-03-15' },
    { sku: 'MILK', qty: 10, unitCost: 5, lot: 'M-OUT', expiresOn: '2026-03-25' },
  ]);
  await inv.post('receipt', 'WH2', [{ sku: 'COLA', qty: 24, unitCost: 2, lot: 'C-FAR', expiresOn: '2026-06-01' }]);
  h.setNow(undefined);
  const group = `${org.slug}-alerts`;
  await inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: group, purposes: ['alerts'] });
  const chat = async () => (await inv.ok('GET', `/sandbox/api/chats/${group}/messages`)).messages;
  const rows = () => h.db.select().from(outbox).where(and(eq(outbox.orgId, org.orgId), eq(outbox.kind, 'near_expiry')));
  return { org, inv, chat, rows };
}

describe('near-expiry job', () => {
  it('announces each warehouse with lots near expiry once a local day, to its alerts group, with quantities and value', async () => {
    const o = await stockedOrg();
    const day1 = morning('2026-03-10');
    await runNearExpiry(deps(), day1);
    const first = await o.rows();
    expect(first).toHaveLength(1);
    expect(first[0]!.dedupeKey).toMatch(/^near_expiry:[0-9a-f-]{36}:2026-03-10$/);
    expect(first[0]!.payload).toMatchObject({ lots: 3, nearExpiryDays: 30 });

    await deliver(day1);
    const [message, ...more] = await o.chat();
    expect(more).toEqual([]);
    const card = message.card;
    expect(card.title).toBe('临期提醒：WH');
    expect(card.tone).toBe('danger');
    // Soonest first; the far lot and the milk outside its shorter window are not listed.
    expect(card.tables[0].rows.map((r: string[]) => [r[1], r[2], r[3], r[4]])).toEqual([
      ['C-OLD', '2026-03-05', '已过期 5 天', '48 瓶 (2 箱)'],
      ['M-IN', '2026-03-15', '5 天', '10 盒'],
      ['C-SOON', '2026-03-20', '10 天', '24 瓶 (1 箱)'],
    ]);
    expect(card.fields).toEqual(expect.arrayContaining([
      { label: '临期批次', value: '2 个（30 天内）' }, { label: '已过期', value: '1 个' },
      // 72 cola at 2.00 and 10 milk at 5.00.
      { label: '货值', value: '¥194.00' },
    ]));
    expect(card.body).toContain('先出');

    // Later the same day: nothing new.
    await runNearExpiry(deps(), new Date('2026-03-10T09:00:00Z'));
    expect(await o.rows()).toHaveLength(1);
    await deliver(new Date('2026-03-10T09:00:00Z'));
    expect(await o.chat()).toHaveLength(1);

    // The next local day announces again, from the stock as it is then: the expired lot went out.
    h.setNow(new Date('2026-03-10T10:00:00Z'));
    await o.inv.post('issue', 'WH', [{ sku: 'COLA', qty: 48, lot: 'C-OLD' }]);
    h.setNow(undefined);
    const day2 = morning('2026-03-11');
    await runNearExpiry(deps(), day2);
    expect((await o.rows()).map((r) => r.dedupeKey.slice(-10)).sort()).toEqual(['2026-03-10', '2026-03-11']);
    await deliver(day2);
    const messages = await o.chat();
    expect(messages).toHaveLength(2);
    expect(messages[1].card.tone).toBe('warning');
    expect(messages[1].card.tables[0].rows.map((r: string[]) => r[1])).toEqual(['M-IN', 'C-SOON']);
  });

  it('announces nothing for a warehouse with no lot near expiry, and honours NEAR_EXPIRY_DAYS', async () => {
    const o = await stockedOrg();
    await runNearExpiry({ ...deps(), config: { NEAR_EXPIRY_DAYS: 5 } }, morning('2026-03-12'));
    const rows = await o.rows();
    // WH only (C-OLD expired, M-IN in 3 days); WH2's lot is months away.
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toMatchObject({ lots: 2, nearExpiryDays: 5 });
    await deliver(morning('2026-03-12'));
    const [message] = await o.chat();
    expect(message.card.fields).toContainEqual({ label: '临期批次', value: '1 个（5 天内）' });
  });
});
