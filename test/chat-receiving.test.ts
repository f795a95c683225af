import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents } from '../db/schema';
import { seedDemo } from '../src/demo/seed';
import { createTestApp, type TestApp } from './harness';
import { deliverAt } from './support/jobs';

// The demo's transfer from 总仓 to 徐汇店, told as the demo people live it in the sandbox: the
// supervisor finds it, approves it, the store hears it shipped, receives it short by typing, and
// the staff member who asked hears every step.
let h: TestApp;
let demo: { orgId: string; apiKey: string };
beforeAll(async () => {
  h = await createTestApp();
  demo = (await seedDemo(h.db))!;
});
afterAll(() => h?.close());

const deliver = () => deliverAt(h, new Date());
const api = () => h.client(demo.apiKey);
const ok = async (method: string, path: string, body?: unknown) => {
  const res = await api()(method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const say = async (userId: string, text: string, chatId = userId) => (await ok('POST', '/sandbox/api/messages', { chatId, userId, text })).replies;
const tap = (userId: string, messageId: string, actionId: string, form?: Record<string, string>) =>
  ok('POST', '/sandbox/api/actions', { userId, messageId, actionId, ...(form ? { form } : {}) });
const chat = async (chatId: string) => (await ok('GET', `/sandbox/api/chats/${encodeURIComponent(chatId)}/messages`)).messages;
const field = (card: any, label: string) => card.fields.find((f: any) => f.label === label)?.value;

describe('a transfer, from approval to a short receipt, in chat', () => {
  it('names the route and who asked, offers the decision to the approver who fetches it, and receives short by message', async () => {
    const [tr] = await h.db.select().from(documents).where(and(eq(documents.orgId, demo.orgId), eq(documents.type, 'transfer')));
    await deliver();
    const [approvalCard] = (await chat('总仓群')).filter((m: any) => m.card?.title.includes(tr!.number));
    expect(field(approvalCard.card, '调出 → 调入')).toBe('总仓 → 徐汇店');
    expect(field(approvalCard.card, '提交人')).toMatch(/^小陈 · \d\d-\d\d \d\d:\d\d$/);
    expect(approvalCard.card.body).toContain('可口可乐 330ml × 192 罐 (8 箱)');

    const [pending] = await say('demo-zhang', '待审批');
    expect(pending.text).toContain(`${tr!.number} 调拨单 总仓 → 徐汇店 ¥705.60（小陈`);
    expect(pending.text).toContain('可口可乐 330ml × 192 罐 (8 箱)、红牛维生素功能饮料 250ml × 72 罐 (3 箱)');

    // Fetched by number: the approver gets 批准 / 驳回; the store manager only the status.
    const [forBoss] = await say('demo-zhang', tr!.number);
    expect(forBoss.card.actions.map((a: any) => a.label)).toEqual(['批准', '驳回']);
    const [forStore] = await say('demo-wang', tr!.number);
    expect(forStore.card.actions).toEqual([]);
    expect(field(forStore.card, '调出 → 调入')).toBe('总仓 → 徐汇店');

    expect((await tap('demo-zhang', forBoss.id, forBoss.card.actions[0].id)).toast.kind).toBe('success');
    await deliver();
    // The requester hears the decision one to one; the store's group gets the receipt card.
    const toChen = (await chat('demo-chen')).filter((m: any) => m.card?.title.includes(tr!.number));
    expect(toChen.map((m: any) => m.card.title)).toEqual([`已批准：调拨单 ${tr!.number}`]);
    const [receipt] = (await chat('徐汇店群')).filter((m: any) => m.card?.title === `待收货：调拨单 ${tr!.number}`);
    expect(receipt.card.actions.map((a: any) => a.label)).toEqual(['确认收货', '有短缺']);
    expect(field(receipt.card, '调出 → 调入')).toBe('总仓 → 徐汇店');

    // Typed short: the lead of 总仓 may not receive at 徐汇店; the store manager gets the short-receipt card, not the full one.
    const [refused] = await say('demo-li', `${tr!.number} 可乐少了2罐`);
    expect(refused.text).toContain('没有权限');
    const [short] = await say('demo-wang', `${tr!.number.toLowerCase()} 可乐少了2罐`, '徐汇店群');
    expect(short.card.title).toBe(`请确认收货（有短缺）：调拨单 ${tr!.number}`);
    expect(short.card.actions.map((a: any) => a.label)).toEqual(['确认收货（有短缺）', '取消']);
    expect(short.card.tables[0].rows).toEqual([
      ['可口可乐 330ml', '192 罐 (8 箱)', '190 罐 (7 箱 22 罐)', '2 罐'],
      ['红牛维生素功能饮料 250ml', '72 罐 (3 箱)', '72 罐 (3 箱)', '-'],
    ]);
    expect((await ok('GET', `/api/v1/documents/${tr!.id}`)).status).toBe('shipped'); // nothing until the tap
    expect((await tap('demo-zhang', short.id, short.card.actions[0].id)).toast.kind).toBe('error'); // not theirs

    const done = await tap('demo-wang', short.id, short.card.actions[0].id);
    expect(done.toast.kind).toBe('success');
    expect(done.card.title).toBe(`已收货（有短缺）：调拨单 ${tr!.number}`);
    expect(done.card.status).toMatch(/^有短缺 · 王店长 · \d\d-\d\d \d\d:\d\d · 可口可乐 330ml 少 2 罐$/);
    const doc = await ok('GET', `/api/v1/documents/${tr!.id}`);
    expect(doc).toMatchObject({ status: 'received', hasDiscrepancy: true });
    expect(doc.lines.map((l: any) => [l.sku, l.receivedQty, l.discrepancyQty])).toEqual([['COKE-330', '190', '2'], ['RB-250', '72', '0']]);
    expect((await tap('demo-wang', receipt.id, receipt.card.actions[0].id)).toast.kind).toBe('error'); // received already

    await deliver();
    // Every copy of the receipt card shows what arrived; the requester hears it was received.
    const [updated] = (await chat('徐汇店群')).filter((m: any) => m.id === receipt.id);
    expect(updated.card.title).toBe(`已收货（有短缺）：调拨单 ${tr!.number}`);
    expect(updated.card.actions).toEqual([]);
    const told = (await chat('demo-chen')).filter((m: any) => m.card?.title.includes(tr!.number)).map((m: any) => m.card.title);
    expect(told).toEqual([`已批准：调拨单 ${tr!.number}`, `调拨单 ${tr!.number}：已收货`]);
  });
});
