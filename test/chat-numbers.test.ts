import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg, sandboxPeople } from './support/approvals';

// A number typed in chat is read whole, and one the ledger cannot hold as typed (more than 3
// decimals, more than 14 digits) is a question back, before any card: never its last digits, never
// 0 after rounding, never a 400 or a held chat.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

async function chatOrg() {
  const o = await approvalOrg(h);
  const id = await sandboxPeople(o);
  await o.inv.item('KL', { name: '可乐', unit: '瓶', packUnits: [{ name: '箱', factor: 24 }] });
  await o.inv.receipt('WH', 'KL', 100, 2);
  const say = (who: string, text: string) => o.api('POST', '/sandbox/api/messages', { chatId: id(who), userId: id(who), text });
  const stock = async () => (await o.inv.ok('GET', '/api/v1/stock?warehouse=WH&sku=KL')).balances[0].qty;
  /** `who` types `text` and gets a question back containing `phrase`: a 200, no card to confirm. */
  const askedBack = async (who: string, text: string, phrase: string) => {
    const res = await say(who, text);
    expect(res.status, text).toBe(200);
    expect(res.body.replies.some((r: any) => r.card?.actions?.some((a: any) => a.id.startsWith('confirm'))), text).toBe(false);
    expect(res.body.replies[0].text, text).toContain(phrase);
  };
  return { ...o, id, say, stock, askedBack };
}

describe('numbers typed in chat', () => {
  it('a count with four decimals is refused, not read as its last digit (盘点 可乐 实盘 0.0004 was a count of 4)', async () => {
    const o = await chatOrg();
    await o.askedBack('boss', '盘点 可乐 实盘 0.0004 @WH', '最多 3 位小数');
    expect(await o.stock()).toBe('100');
  });

  it('a return of 0.0004 (stored as 0) or 0.0004 箱 (0.0096 瓶) is refused before its card', async () => {
    const o = await chatOrg();
    for (const text of ['退货 可乐 0.0004 临期 @WH', '退货 可乐 0.0004箱 临期 @WH']) await o.askedBack('clerk', text, '最多 3 位小数');
    expect((await o.inv.ok('GET', '/api/v1/documents?type=customer_return')).documents).toHaveLength(0);
  });

  it('a minus before a number is asked about, not dropped (要货 可乐 -1 was a requisition for 1)', async () => {
    const o = await chatOrg();
    for (const text of ['要货 可乐 -1 @ST', '退货 可乐 -2 @WH']) await o.askedBack('boss', text, '负数');
    expect((await o.inv.ok('GET', '/api/v1/documents?type=requisition')).documents).toHaveLength(0);
    // A code with a dash is not a minus: COKE-330 is an item.
    await o.inv.item('COKE-330', { name: '罐装可乐', unit: '罐' });
    expect((await o.say('boss', '要货 COKE-330 2 @ST')).body.replies[0].text ?? '').not.toContain('负数');
  });

  it('a quantity too large to store is an answer, not a 400 (改 a draft order by 17 digits)', async () => {
    const o = await chatOrg();
    const po = await o.as.clerk.inv.ok('POST', '/api/v1/documents', { type: 'purchase_order', warehouse: 'WH', counterparty: 'S', lines: [{ sku: 'KL', qty: 10, unitCost: 1 }] });
    const res = await o.say('clerk', `改 ${po.number} 可乐 99999999999999999`);
    expect(res.status).toBe(200);
    expect(res.body.replies[0].text).toContain('太大');
    expect((await o.inv.ok('GET', `/api/v1/documents/${po.id}`)).lines[0].qty).toBe('10');
  });
});
