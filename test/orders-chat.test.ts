import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { understand } from '../src/chat/conversations/understand';
import { createTestApp, type TestApp } from './harness';
import { countDocumentRows } from './support/documents';
import { deliverAt } from './support/jobs';
import { inventory } from './support/inventory';
import { runOverdueReminders } from '../jobs/overdue';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

/**
 * A central warehouse CW (总仓) with cola and Red Bull in cans (24 a case), a store ST (浦东店), its
 * manager and the central lead in sandbox groups bound to their warehouses.
 */
async function chain() {
  const org = await h.createOrg();
  const inv = inventory(org.api);
  await inv.ok('POST', '/api/v1/warehouses', { code: 'CW', name: '总仓', type: 'central' });
  await inv.ok('POST', '/api/v1/warehouses', { code: 'ST', name: '浦东店', type: 'store' });
  await inv.item('COLA', { name: '可乐', unit: '罐', packUnits: [{ name: '箱', factor: 24 }] });
  await inv.item('RB', { name: '红牛', unit: '罐', packUnits: [{ name: '箱', factor: 24 }] });
  await inv.receipt('CW', 'COLA', 300, 2);
  await inv.receipt('CW', 'RB', 100, 4);
  const person = async (name: string, roles: string[], warehouses: string[]) => {
    const id = `${org.slug}-${name}`;
    await inv.ok('POST', '/api/v1/users', { name, roles, warehouses, identities: [{ platform: 'sandbox', externalId: id }] });
    return id;
  };
  const lead = await person('老李', ['warehouse_lead'], ['CW']);
  const manager = await person('王店长', ['store_manager'], ['ST']);
  const central = `${org.slug}-总仓群`;
  const store = `${org.slug}-门店群`;
  await inv.ok('POST', '/api/v1/warehouses/CW/chats', { platform: 'sandbox', chatId: central });
  await inv.ok('POST', '/api/v1/warehouses/ST/chats', { platform: 'sandbox', chatId: store });
  const say = async (chatId: string, who: string, text: string) => (await inv.ok('POST', '/sandbox/api/messages', { chatId, userId: who, text })).replies[0];
  const tap = (who: string, messageId: string, actionId: string) => inv.ok('POST', '/sandbox/api/actions', { userId: who, messageId, actionId });
  const messages = async (chatId: string) => {
    await deliverAt(h, new Date());
    return (await inv.ok('GET', `/sandbox/api/chats/${encodeURIComponent(chatId)}/messages`)).messages as any[];
  };
  const cardTitled = async (chatId: string, start: string) => (await messages(chatId)).filter((m) => m.card?.title.startsWith(start)).at(-1);
  return { ...org, inv, lead, manager, central, store, say, tap, cardTitled };
}

describe('要货 by message', () => {
  it('reads items with their quantities, either order, and what is missing', () => {
    expect(understand('要货 可乐 10箱 红牛 5箱')).toEqual({ intent: 'requisition', lines: [
      { item: '可乐', qty: { amount: '10', unit: '箱' } }, { item: '红牛', qty: { amount: '5', unit: '箱' } }] });
    expect(understand('要货 10箱可乐 5箱红牛')).toEqual({ intent: 'requisition', lines: [
      { item: '可乐', qty: { amount: '10', unit: '箱' } }, { item: '红牛', qty: { amount: '5', unit: '箱' } }] });
    expect(understand('要货 可乐十箱，红牛')).toEqual({ intent: 'requisition', lines: [{ item: '可乐', qty: { amount: '10', unit: '箱' } }, { item: '红牛' }] });
    expect(understand('要货')).toEqual({ intent: 'requisition', lines: [] });
    expect(understand('要货单 RQ-20261207-0001')).toEqual({ intent: 'document', number: 'RQ-20261207-0001' });
  });

  it('a store manager asks, sees the lines in cans and cases, submits with one tap; the central group gets 按单调拨', async () => {
    const c = await chain();
    const reply = await c.say(c.store, c.manager, '要货 可乐 10箱 红牛 4箱');
    expect(reply.card.title).toBe('请确认要货');
    expect(reply.card.fields).toEqual([{ label: '要货门店', value: '浦东店' }, { label: '供货仓库', value: '总仓' }]);
    expect(reply.card.tables[0].rows).toEqual([['可乐 (COLA)', '240 罐 (10 箱)'], ['红牛 (RB)', '96 罐 (4 箱)']]);
    const submit = reply.card.actions[0];
    expect(submit.label).toBe('提交要货');
    expect((await c.tap(c.lead, reply.id, submit.id)).toast.kind).toBe('error'); // only who asked submits
    const done = await c.tap(c.manager, reply.id, submit.id);
    expect(done.toast).toEqual({ kind: 'success', text: '要货单已提交' });
    expect(done.card.status).toMatch(/已提交 · 王店长 · .* · 单号 RQ-/);
    expect((await c.tap(c.manager, reply.id, submit.id)).toast.kind).toBe('error'); // once

    const [rq] = (await c.inv.ok('GET', '/api/v1/documents?type=requisition')).documents;
    expect(rq).toMatchObject({ status: 'approved', warehouse: 'ST', toWarehouse: 'CW', lines: [{ sku: 'COLA', qty: '240' }, { sku: 'RB', qty: '96' }] });
    const balances = (await c.inv.ok('GET', '/api/v1/stock?warehouse=ST')).balances;
    expect(balances.map((b: any) => [b.sku, b.qty, b.onOrder])).toEqual([['COLA', '0', '240'], ['RB', '0', '96']]);

    // The central group: the requisition card with 按单调拨; the lead taps it and the transfer ships.
    const card = await c.cardTitled(c.central, `要货单 ${rq.number}`);
    expect(card.card.title).toBe(`要货单 ${rq.number}：待调拨`);
    expect(card.card.fields).toEqual(expect.arrayContaining([{ label: '要货门店', value: '浦东店' }, { label: '供货仓库', value: '总仓' }]));
    const button = card.card.actions[0];
    expect(button.label).toBe('按单调拨');
    const shipped = await c.tap(c.lead, card.id, button.id);
    expect(shipped.toast.text).toMatch(/^已调拨发出：TR-/);
    expect(shipped.card).toMatchObject({ actions: [], status: '已全部调拨' });
    const [tr] = (await c.inv.ok('GET', '/api/v1/documents?type=transfer')).documents;
    expect(tr).toMatchObject({ status: 'shipped', warehouse: 'CW', toWarehouse: 'ST', orderOf: rq.number });
    expect((await c.inv.ok('GET', '/api/v1/stock?warehouse=ST')).balances.map((b: any) => [b.sku, b.inTransit, b.onOrder])).toEqual([['COLA', '240', '0'], ['RB', '96', '0']]);
  });

  it('names what is missing or unknown, and writes nothing', async () => {
    const c = await chain();
    const before = await countDocumentRows(h, c.orgId);
    expect((await c.say(c.store, c.manager, '要货')).text).toContain('要什么、要多少');
    expect((await c.say(c.store, c.manager, '要货 可乐 10箱 红牛')).text).toContain('「红牛」要多少');
    expect((await c.say(c.store, c.manager, '要货 雪碧 3箱')).text).toContain('没找到「雪碧」');
    expect((await c.say(c.store, c.manager, '要货 可乐 3桶')).text).toContain('可乐 没有单位「桶」');
    expect(await countDocumentRows(h, c.orgId)).toEqual(before);
  });
});

describe('发货申请 in the warehouse group', () => {
  it('the card shows customer, lines and due; 一键发货 posts the issue; a shortage answers with what is missing and writes nothing', async () => {
    const c = await chain();
    const so = await c.inv.ok('POST', '/api/v1/documents', {
      type: 'sales_order', warehouse: 'CW', counterparty: '星巴克 人民广场店', dueOn: '2026-12-20', submit: true,
      lines: [{ sku: 'COLA', qty: 48 }, { sku: 'RB', qty: 120 }],
    });
    const card = await c.cardTitled(c.central, `发货申请 ${so.number}`);
    expect(card.card.title).toBe(`发货申请 ${so.number}：待发货`);
    expect(card.card.fields).toEqual(expect.arrayContaining([
      { label: '客户', value: '星巴克 人民广场店' }, { label: '发货仓库', value: '总仓' }, { label: '要求日期', value: '2026-12-20' },
    ]));
    expect(card.card.tables[0].rows).toEqual([['可乐 (COLA)', '48 罐 (2 箱)', '48 罐 (2 箱)'], ['红牛 (RB)', '120 罐 (5 箱)', '120 罐 (5 箱)']]);
    const button = card.card.actions[0];
    expect(button.label).toBe('一键发货');

    // 120 Red Bull wanted, 100 on hand: refused with the item, what is needed and what there is; nothing written.
    const before = await countDocumentRows(h, c.orgId);
    const short = await c.tap(c.lead, card.id, button.id);
    expect(short.toast.kind).toBe('error');
    expect(short.toast.text).toContain('库存不足');
    expect(short.toast.text).toContain('红牛（RB）需要 120 罐，只有 100 罐');
    expect(await countDocumentRows(h, c.orgId)).toEqual(before);
    expect(await c.inv.valuation('COLA', 'CW')).toMatchObject({ qty: '300' });

    await c.inv.receipt('CW', 'RB', 20, 4);
    expect((await c.tap(c.manager, card.id, button.id)).toast.kind).toBe('error'); // not the central lead
    const sent = await c.tap(c.lead, card.id, button.id);
    expect(sent.toast.text).toMatch(/^已发货：IS-/);
    expect(sent.card).toMatchObject({ actions: [], status: '已全部发货' });
    expect((await c.inv.ok('GET', `/api/v1/documents/${so.id}`)).status).toBe('posted');
    expect(await c.inv.valuation('RB', 'CW')).toMatchObject({ qty: '0' });
  });
});

describe('every copy of an order card', () => {
  it('shows the order filled from another door (the API), without its button', async () => {
    const c = await chain();
    const so = await c.inv.ok('POST', '/api/v1/documents', { type: 'sales_order', warehouse: 'CW', counterparty: 'C', submit: true, lines: [{ sku: 'COLA', qty: 24 }] });
    const before = await c.cardTitled(c.central, `发货申请 ${so.number}`);
    expect(before.card.actions.map((a: any) => a.label)).toEqual(['一键发货']);
    expect((await c.api("POST", `/api/v1/documents/${so.id}/fulfil`)).status).toBe(201);
    const after = await c.cardTitled(c.central, `发货申请 ${so.number}`);
    expect(after.id).toBe(before.id);
    expect(after.card).toMatchObject({ title: `发货申请 ${so.number}：已发货`, actions: [], status: '已全部发货' });
  });
});

describe('stock answers with orders', () => {
  it('库存 shows what is on order and reserved, and available as on hand less reserved', async () => {
    const c = await chain();
    await c.inv.ok('POST', '/api/v1/documents', { type: 'sales_order', warehouse: 'CW', counterparty: 'C', submit: true, lines: [{ sku: 'COLA', qty: 48 }] });
    await c.inv.ok('POST', '/api/v1/documents', { type: 'purchase_order', warehouse: 'CW', counterparty: 'S', submit: true, lines: [{ sku: 'COLA', qty: 240, unitCost: 2 }] });
    const card = (await c.say(c.central, c.lead, '库存 可乐')).card;
    expect(card.fields).toEqual(expect.arrayContaining([
      { label: '合计在库', value: '300 罐 (12 箱 12 罐)' },
      { label: '合计可用', value: '252 罐 (10 箱 12 罐)' },
      { label: '合计预留', value: '48 罐 (2 箱)' },
      { label: '合计已订', value: '240 罐 (10 箱)' },
    ]));
    expect(card.tables[0].columns).toEqual(['仓库', '在库', '在途', '已订', '预留', '可用', '安全库存', '最近效期']);
    expect(card.tables[0].rows[0]).toEqual(['总仓', '300 罐 (12 箱 12 罐)', '0 罐', '240 罐 (10 箱)', '48 罐 (2 箱)', '252 罐 (10 箱 12 罐)', '-', '-']);
  });
});

describe('an unshipped 发货申请 falls overdue', () => {
  it('after 24 h the warehouse group gets the overdue card, whose 一键发货 ships it', async () => {
    const c = await chain();
    const opened = new Date('2026-11-02T01:00:00Z');
    h.setNow(opened);
    try {
      const so = await c.inv.ok('POST', '/api/v1/documents', { type: 'sales_order', warehouse: 'CW', counterparty: 'C', submit: true, lines: [{ sku: 'COLA', qty: 24 }] });
      const later = new Date(opened.getTime() + 25 * 3_600_000);
      h.setNow(later);
      await runOverdueReminders({ db: h.db, log: h.deps.log }, later);
      await deliverAt(h, later);
      const messages = (await c.inv.ok('GET', `/sandbox/api/chats/${encodeURIComponent(c.central)}/messages`)).messages as any[];
      const overdue = messages.filter((m) => m.card?.title.startsWith('超时单据')).at(-1);
      expect(overdue.card.title).toBe('超时单据：1 张');
      expect(overdue.card.tables[0].rows[0].slice(0, 3)).toEqual([so.number, '发货申请', '已批准']);
      const button = overdue.card.actions.find((a: any) => a.label === `一键发货 ${so.number}`);
      expect(button).toBeDefined();
      expect((await c.tap(c.lead, overdue.id, button.id)).toast.text).toMatch(/^已发货：IS-/);
      expect((await c.inv.ok('GET', `/api/v1/documents/${so.id}`)).status).toBe('posted');
    } finally {
      h.setNow(undefined);
    }
  });
});
