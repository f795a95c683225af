import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents } from '../db/schema';
import { runOutboxDelivery } from '../src/chat/delivery';
import { addDays } from '../src/lib/calendar';
import { runWeeklyRequisition } from '../jobs/weekly-requisition';
import { jobs } from '../jobs/schedules';
import { understand } from '../src/chat/conversations/understand';
import * as lexicon from '../src/chat/conversations/understand/lexicon';
import { createTestApp, type TestApp } from './harness';
import { toCsv, uploader } from './support/imports';
import { inventory } from './support/inventory';

// The low-stock card's 生成采购单 / 生成要货单 and the weekly 要货建议 card, through the sandbox.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

// Monday 2026-12-07 in Asia/Shanghai; the 28 days before: 10 a weekday, 20 a weekend day (90 in the next 7 days).
const MONDAY_9AM = new Date('2026-12-07T01:00:00Z');
const weekly = (date: string) => ([0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()) ? 20 : 10);
const history = (warehouse: string, sku: string) => Array.from({ length: 28 }, (_, i) => addDays('2026-11-09', i)).map((d) => [d, warehouse, sku, weekly(d)]);
const deliver = () => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, MONDAY_9AM);

async function setUp() {
  h.setNow(MONDAY_9AM);
  const org = await h.createOrg();
  const inv = inventory(org.api);
  const id = (who: string) => `${org.slug}-${who}`;
  await inv.warehouse('WH');
  await org.api('POST', '/api/v1/warehouses', { code: 'S1', name: '一号店', type: 'store' });
  await inv.item('A', { name: '可乐', unit: '罐', packUnits: [{ name: '箱', factor: 24 }], supplier: '可口可乐', leadTimeDays: 2, minOrderQty: 48 });
  await inv.item('B', { name: '红牛', unit: '罐', packUnits: [{ name: '箱', factor: 24 }] });
  await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 40, safetyStock: 20, coverDays: 5 });
  await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'B', warehouse: 'S1', minQty: 10, leadTimeDays: 0, source: 'WH' });
  await uploader(h, org.key)('demand', toCsv([['date', 'warehouse', 'sku', 'qty'], ...history('WH', 'A'), ...history('S1', 'B')]));
  await inv.receipt('WH', 'A', 50, '1.5');
  for (const [who, roles, warehouses] of [['lead', ['warehouse_lead'], ['WH']], ['store', ['store_manager'], ['S1']]] as const) {
    await inv.ok('POST', '/api/v1/users', { name: who === 'lead' ? '王仓管' : '李店长', roles, warehouses, identities: [{ platform: 'sandbox', externalId: id(who) }] });
  }
  await inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: id('wh-group'), purposes: ['alerts'] });
  await inv.ok('POST', '/api/v1/warehouses/S1/chats', { platform: 'sandbox', chatId: id('s1-group'), purposes: ['alerts'] });
  const tap = async (who: string, messageId: string, actionId: string, form?: Record<string, string>) =>
    inv.ok('POST', '/sandbox/api/actions', { userId: id(who), messageId, actionId, ...(form ? { form } : {}) });
  const messages = async (chat: string) => (await inv.ok('GET', `/sandbox/api/chats/${id(chat)}/messages`)).messages;
  const button = (card: any, prefix: string) => card.actions.find((a: any) => a.id.startsWith(prefix));
  const count = async (type: 'purchase_order' | 'requisition') =>
    (await h.db.select().from(documents).where(and(eq(documents.orgId, org.orgId), eq(documents.type, type)))).length;
  return { org, inv, tap, messages, button, count };
}

describe('the low-stock card', () => {
  it('生成采购单 opens a draft of the suggestion; adjusted and submitted from chat, it is on order', async () => {
    const o = await setUp();
    await o.inv.issue('WH', 'A', 20); // 30 left, below 40
    await deliver();
    const [alert] = (await o.messages('wh-group')).filter((m: any) => m.card?.title.startsWith('低库存'));
    // 90 over the next 7 days + 20 safety − 30 on hand = 80 → 4 cases.
    expect(alert.card.fields).toContainEqual({ label: '建议补货', value: '96 罐 (4 箱)' });
    const draftPo = o.button(alert.card, 'draft_po:');
    expect(draftPo.label).toBe('生成采购单（96 罐 (4 箱)）');
    expect(o.button(alert.card, 'draft_rq:')).toBeUndefined();

    const opened = await o.tap('lead', alert.id, draftPo.id);
    expect(opened.toast.kind).toBe('success');
    expect(opened.card.title).toMatch(/^采购订单草稿 PO-/);
    expect(opened.card.fields).toContainEqual({ label: '供应商', value: '可口可乐' });
    expect(opened.card.body).toContain('可乐（A）：96 罐 (4 箱)');
    // A second tap opens the same draft; someone of another warehouse is told no, draft or not.
    expect((await o.tap('lead', alert.id, draftPo.id)).card.title).toBe(opened.card.title);
    const outsider = await o.tap('store', alert.id, draftPo.id);
    expect(outsider.toast.kind).toBe('error');
    expect(outsider.card).toBeUndefined();
    expect(await o.count('purchase_order')).toBe(1);

    // Someone from another warehouse may not change it; nothing changes.
    const adjust = o.button(opened.card, 'adjust_draft:');
    expect((await o.tap('store', alert.id, adjust.id, { qty: '24' })).toast.kind).toBe('error');
    const adjusted = await o.tap('lead', alert.id, adjust.id, { qty: '可乐 3箱' });
    expect(adjusted.card.body).toContain('可乐（A）：72 罐 (3 箱)');
    expect((await o.tap('lead', alert.id, adjust.id, { qty: 'lots' })).toast.kind).toBe('error');

    // Or by a message in the group: the newest draft of whoever writes, in packs.
    const say = async (who: string, text: string) =>
      (await o.inv.ok('POST', '/sandbox/api/messages', { chatId: `${o.org.slug}-wh-group`, userId: `${o.org.slug}-${who}`, text })).replies;
    const [byText] = await say('lead', '改 可乐 2箱');
    expect(byText.card.body).toContain('可乐（A）：48 罐 (2 箱)');
    expect((await say('lead', '改 雪碧 2箱'))[0].text).toContain('这张单上没有「雪碧」');
    expect((await say('store', '改 可乐 1箱'))[0].text).toContain('没有待提交');
    await say('lead', '改 可乐 3箱');

    const submitted = await o.tap('lead', alert.id, o.button(adjusted.card, 'submit_draft:').id);
    expect(submitted.toast).toEqual({ kind: 'success', text: '已提交' });
    const [po] = await h.db.select().from(documents).where(and(eq(documents.orgId, o.org.orgId), eq(documents.type, 'purchase_order')));
    expect(po!.status).toBe('approved');
    // On order now: 110 − (30 + 72) = 8 short → raised to the 48 minimum → 2 cases.
    const [s] = (await o.inv.ok('GET', '/api/v1/replenishment?warehouse=WH')).suggestions;
    expect(s).toMatchObject({ onOrder: '72', suggestedQty: '48', packs: '2' });
  });

  it('two taps at once make one draft, and both open it', async () => {
    const o = await setUp();
    await o.inv.issue('WH', 'A', 20);
    await deliver();
    const [alert] = (await o.messages('wh-group')).filter((m: any) => m.card?.title.startsWith('低库存'));
    const draftPo = o.button(alert.card, 'draft_po:');
    const both = await Promise.all([o.tap('lead', alert.id, draftPo.id), o.tap('lead', alert.id, draftPo.id)]);
    expect(both.map((b) => b.toast.kind)).toEqual(['success', 'success']);
    expect(both[1].card.title).toBe(both[0].card.title);
    expect(await o.count('purchase_order')).toBe(1);
  });

  it('offers 生成要货单 where another warehouse supplies the item', async () => {
    const o = await setUp();
    await o.inv.receipt('S1', 'B', 12, 3);
    await o.inv.issue('S1', 'B', 5); // 7 left, below 10
    await deliver();
    const [alert] = (await o.messages('s1-group')).filter((m: any) => m.card?.title.startsWith('低库存'));
    // 90 + 10 − 7 = 93 → 4 cases = 96.
    const draftRq = o.button(alert.card, 'draft_rq:');
    expect(draftRq.label).toBe('生成要货单（96 罐 (4 箱)）');
    const opened = await o.tap('store', alert.id, draftRq.id);
    expect(opened.card.title).toMatch(/^要货单草稿 RQ-/);
    expect(opened.card.fields).toContainEqual({ label: '供货仓库', value: 'WH' });
    expect(await o.count('requisition')).toBe(1);
    // Cancelled, the card's button makes a fresh draft.
    expect((await o.tap('store', alert.id, o.button(opened.card, 'cancel:').id)).toast.kind).toBe('success');
    const again = await o.tap('store', alert.id, draftRq.id);
    expect(again.card.title).toMatch(/^要货单草稿 RQ-/);
    expect(again.card.title).not.toBe(opened.card.title);
    expect(await o.count('requisition')).toBe(2);
  });
});

describe('改: new quantities for a draft, typed', () => {
  it.each((lexicon.openingWords.adjust_order ?? []).map((w) => [w]))('%s 可乐 3箱', (w) => {
    expect(understand(`${w} 可乐 3箱`)).toEqual({ intent: 'adjust_order', lines: '可乐 3箱' });
  });
  it('names the draft when a number is typed, and counts only when it opens the message', () => {
    expect(understand('改 RQ-20261207-0001 红牛 5箱')).toEqual({ intent: 'adjust_order', lines: '红牛 5箱', number: 'RQ-20261207-0001' });
    expect(understand('改')).toEqual({ intent: 'adjust_order', lines: '' });
    expect(understand('可乐 改 3箱').intent).not.toBe('adjust_order');
  });
});

describe('the weekly 要货建议', () => {
  it('is scheduled for Monday 9:00', () => {
    expect(jobs.find((j) => j.name === 'weekly-requisition')?.schedule).toBe('0 9 * * 1');
  });

  it("goes to each store's group once a week, in cases, and turns into a requisition with one tap", async () => {
    const o = await setUp();
    const deps = { db: h.db, log: h.deps.log, timezone: 'Asia/Shanghai' };
    const first = await runWeeklyRequisition(deps, MONDAY_9AM);
    expect(first.announced).toBeGreaterThanOrEqual(1);
    await runWeeklyRequisition(deps, MONDAY_9AM); // a doubled tick sends nothing more
    await deliver();
    const cards = (await o.messages('s1-group')).filter((m: any) => m.card?.title.startsWith('要货建议'));
    expect(cards).toHaveLength(1);
    const card = cards[0].card;
    expect(card.title).toBe('要货建议：一号店');
    // B at S1: 90 over 7 days + 10 safety − 0 = 100 → 5 cases = 120.
    expect(card.tables[0].rows).toEqual([['红牛（B）', 'WH', '90 罐 (3 箱 18 罐)', '120 罐 (5 箱)']]);
    expect((await o.messages('wh-group')).filter((m: any) => m.card?.title.startsWith('要货建议'))).toHaveLength(0);

    const made = await o.tap('store', cards[0].id, o.button(card, 'weekly_rq:').id);
    expect(made.card.title).toMatch(/^要货单草稿 RQ-/);
    expect(made.card.body).toContain('红牛（B）：120 罐 (5 箱)');
    expect((await o.tap('store', cards[0].id, o.button(card, 'weekly_rq:').id)).card.title).toBe(made.card.title);
    expect(await o.count('requisition')).toBe(1);
  });
});
