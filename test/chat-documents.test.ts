import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents } from '../db/schema';
import { seedDemo } from '../src/demo/seed';
import { createTestApp, type TestApp } from './harness';
import { deliverAt } from './support/jobs';

// Documents typed in chat by the demo people, on the demo data: a transfer, wastage and a count,
// each a card to confirm; and "cancel the one just now".
let h: TestApp;
let demo: { orgId: string; apiKey: string };
beforeAll(async () => {
  h = await createTestApp();
  demo = (await seedDemo(h.db))!;
});
afterAll(() => h?.close());

const ok = async (method: string, path: string, body?: unknown) => {
  const res = await h.client(demo.apiKey)(method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const say = async (userId: string, text: string, chatId = userId) => (await ok('POST', '/sandbox/api/messages', { chatId, userId, text })).replies;
const tap = (userId: string, messageId: string, actionId: string) => ok('POST', '/sandbox/api/actions', { userId, messageId, actionId });
const chat = async (chatId: string) => (await ok('GET', `/sandbox/api/chats/${encodeURIComponent(chatId)}/messages`)).messages;
const field = (card: any, label: string) => card.fields.find((f: any) => f.label === label)?.value;
const latest = async (type: 'transfer' | 'adjustment' | 'stocktake' | 'customer_return') =>
  (await h.db.select().from(documents).where(and(eq(documents.orgId, demo.orgId), eq(documents.type, type))).orderBy(documents.createdAt)).at(-1);
const stock = async (sku: string, warehouse: string) => (await ok('GET', `/api/v1/stock?sku=${sku}&warehouse=${warehouse}`));

describe('documents typed in chat', () => {
  it('a staff transfer: confirmed, it waits for the lead, who gets 标记发货; 取消刚才的调拨 cancels it', async () => {
    const [missing] = await say('demo-chen', '调拨 红牛 4箱');
    expect(missing.text).toBe('调到哪个仓库？例如：调拨 红牛 5箱 到 徐汇店');
    const [card] = await say('demo-chen', '调拨 红牛 4箱 到 徐汇店');
    expect(card.card.title).toBe('请确认调拨：红牛维生素功能饮料 250ml');
    expect(field(card.card, '调出 → 调入')).toBe('总仓 → 徐汇店');
    expect(card.card.tables[0].rows).toEqual([['红牛维生素功能饮料 250ml', '96 罐 (4 箱)']]);
    expect(card.card.body).toContain('等总仓的仓库主管发货');
    expect(await latest('transfer')).toMatchObject({ status: 'awaiting_approval' }); // only the demo's: nothing written yet
    const done = await tap('demo-chen', card.id, card.card.actions[0].id);
    expect(done.toast.kind).toBe('success');
    const tr = (await latest('transfer'))!;
    expect(tr).toMatchObject({ status: 'submitted', createdVia: 'chat' });
    expect(done.card.title).toBe(`调拨单 ${tr.number}：已提交`);
    expect((await tap('demo-chen', card.id, card.card.actions[0].id)).toast.kind).toBe('error'); // once
    // Its number typed: who holds it now and since when.
    const [status] = await say('demo-chen', tr.number);
    expect(field(status.card, '当前处理')).toMatch(/^总仓 发货 · 自 \d{2}-\d{2} \d{2}:\d{2}$/);

    await deliverAt(h, new Date());
    const waiting = (await chat('总仓群')).find((m: any) => m.card?.title.includes(tr.number));
    expect(waiting.card.actions.map((a: any) => a.label)).toEqual(['标记发货']);

    const [cancelled] = await say('demo-chen', '我刚才那个调拨取消掉');
    expect(cancelled.text).toBe(`好的，调拨单 ${tr.number} 已取消。`);
    expect((await latest('transfer'))!.status).toBe('cancelled');
  });

  it('wastage by a lead posts at once with its reason; more than in stock is refused with the stock', async () => {
    const [over] = await say('demo-li', '报损 牛奶 30箱 破损');
    expect(over.text).toBe('总仓的蒙牛纯牛奶 250ml只有 288 盒 (12 箱)，不够报损 720 盒 (30 箱)。');
    const [card] = await say('demo-li', '报损 牛奶 3盒 破损');
    expect(card.card.title).toBe('请确认报损：蒙牛纯牛奶 250ml');
    expect(field(card.card, '原因')).toBe('破损');
    expect(card.card.tables[0].rows).toEqual([['蒙牛纯牛奶 250ml', '3 盒']]);
    await tap('demo-li', card.id, card.card.actions[0].id);
    const adj = (await latest('adjustment'))!;
    expect(adj).toMatchObject({ status: 'posted', reason: '报损：破损' });
    expect((await ok('GET', `/api/v1/documents/${adj.id}`)).lines).toEqual([expect.objectContaining({ sku: 'MN-MILK-250', qty: '-3', reason: 'damaged' })]);
    expect((await stock('MN-MILK-250', 'CENTRAL')).balances[0]).toMatchObject({ qty: '285' });
    // The 损耗 report counts it by reason, item and warehouse, at cost.
    const wastage = await ok('GET', '/api/v1/metrics/wastage');
    expect(wastage.rows).toEqual([{
      reason: 'damaged', sku: 'MN-MILK-250', name: '蒙牛纯牛奶 250ml', unit: '盒', warehouse: 'CENTRAL', warehouseName: '总仓', documents: 1, qty: '3', value: '7.80',
    }]);
    expect(wastage.totalValue).toBe('7.80');
  });

  it('a transfer or write-off above what left the warehouse in 90 days asks 确定吗？, its button 确定，提交', async () => {
    const labels = (r: any) => r.card.actions.map((a: any) => a.label);
    // One pack or less is never queried.
    const [pack] = await say('demo-li', '报损 牛奶 1箱 过期');
    expect(labels(pack)).toEqual(['确认提交', '取消']);
    // 2 箱 is more than 总仓 has sent out of milk in 90 days (the 3 盒 written off above).
    const [big] = await say('demo-li', '报损 牛奶 2箱 破损');
    expect(big.card.body).toContain('⚠ 蒙牛纯牛奶 250ml 报损 48 盒 (2 箱)，比总仓近 90 天出库的 3 盒 都多');
    expect(big.card.body).toContain('确定吗？');
    expect(labels(big)).toEqual(['确定，提交', '取消']);
    await tap('demo-li', big.id, big.card.actions[0].id);
    expect(await latest('adjustment')).toMatchObject({ status: 'posted' });
    // Now 51 盒 have left 总仓: the same 2 箱 again is within history.
    const [again] = await say('demo-li', '报损 牛奶 2箱 破损');
    expect(again.card.body).not.toContain('确定吗？');
    expect(labels(again)).toEqual(['确认提交', '取消']);
    // Red Bull has not left 总仓 (the demo's transfer awaits approval); more than on hand is refused outright.
    const [transfer] = await say('demo-li', '调拨 红牛 10箱 到 徐汇店');
    expect(transfer.card.body).toContain('⚠ 红牛维生素功能饮料 250ml 调拨 240 罐 (10 箱)，比总仓近 90 天出库的 0 罐 都多');
    expect(labels(transfer)).toEqual(['确定，提交', '取消']);
    const [over] = await say('demo-li', '调拨 红牛 100箱 到 徐汇店');
    expect(over.text).toBe('总仓的红牛维生素功能饮料 250ml只有 480 罐 (20 箱)，不够调拨 2,400 罐 (100 箱)。');
  });

  it('a count far from the book asks 确定吗？; a store manager’s count waits for the lead', async () => {
    const [card] = await say('demo-wang', '盘点 可乐 实盘 46', '徐汇店群');
    expect(card.card.tables[0].rows).toEqual([['可口可乐 330ml', '20 罐', '46 罐 (1 箱 22 罐)', '+26 罐 (1 箱 2 罐)']]);
    expect(card.card.body).toContain('确定吗？');
    expect(card.card.actions.map((a: any) => a.label)).toEqual(['确定，提交', '取消']);
    expect(card.card.body).toContain('等徐汇店的仓库主管过账');
    const [near] = await say('demo-wang', '盘点 可乐 21', '徐汇店群');
    expect(near.card.actions.map((a: any) => a.label)).toEqual(['确认提交', '取消']);
    await tap('demo-wang', card.id, card.card.actions[0].id);
    expect(await latest('stocktake')).toMatchObject({ status: 'submitted' });
  });

  it('refuses a transfer from a warehouse that is not theirs, and cancels the return just reported', async () => {
    const [refused] = await say('demo-wang', '调拨 红牛 1箱 从总仓 到 徐汇店');
    expect(refused.text).toContain('没有权限');
    // A return into a warehouse not theirs is refused the same way, before a card whose 确认 could not go through.
    const [notTheirs, ...noCard] = await say('demo-wang', '退货 可乐 2罐 破损 @总仓');
    expect(notTheirs.text).toContain('没有权限');
    expect(noCard).toEqual([]);
    const [ret] = await say('demo-wang', '退货 可乐 2罐 破损');
    expect(ret.card.title).toBe('请确认退货登记');
    const [cancelled, card] = await say('demo-wang', '取消刚才的退货');
    expect(cancelled.text).toBe('好的，已取消。');
    expect(card.card.title).toBe('退货登记已取消');
    const [nothing] = await say('demo-wang', '取消刚才的退货');
    expect(nothing.text).toContain('没有找到你刚才的退货可以取消');
  });
});
