import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents } from '../db/schema';
import { runOutboxDelivery } from '../src/chat/delivery';
import { createTestApp, type TestApp } from './harness';
import { inventory } from './support/inventory';

// Conversations end to end on the sandbox platform: what a person types, what the bot answers.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

async function shop() {
  const org = await h.createOrg();
  const inv = inventory(org.api);
  await inv.warehouse('CENTRAL');
  await inv.ok('POST', '/api/v1/warehouses', { code: 'PD', name: '浦东店', type: 'store' });
  await inv.item('RB250', { name: '红牛 250ml', unit: '瓶', aliases: ['redbull'], barcodes: [`69${org.slug.slice(4, 14).replace(/\D/g, '1').padEnd(11, '0')}`], packUnits: [{ name: '箱', factor: 24 }] });
  await inv.item('KSF', { name: '康师傅红烧牛肉面', unit: '包', aliases: ['noodles'], packUnits: [{ name: '箱', factor: 12 }] });
  await inv.item('COLA330', { name: '可口可乐 330ml', unit: '瓶', aliases: ['cola'], packUnits: [{ name: '箱', factor: 24 }] });
  await inv.item('COLA500', { name: '可口可乐 500ml', unit: '瓶', aliases: ['coke'], packUnits: [{ name: '箱', factor: 24 }] });
  await inv.receipt('CENTRAL', 'RB250', 240, 3);
  await inv.receipt('PD', 'RB250', 30, 3);
  const staff = `${org.slug}-staff`;
  const lead = `${org.slug}-lead`;
  const staffUser = await inv.ok('POST', '/api/v1/users', { name: '小王', roles: ['staff'], warehouses: ['PD'], identities: [{ platform: 'sandbox', externalId: staff }] });
  await inv.ok('POST', '/api/v1/users', { name: '老李', roles: ['warehouse_lead'], warehouses: ['PD'], identities: [{ platform: 'sandbox', externalId: lead }] });
  const say = async (text: string, as = staff, chatId = as) => (await inv.ok('POST', '/sandbox/api/messages', { chatId, userId: as, text })).replies;
  const tap = async (messageId: string, actionId: string, as = staff, form?: Record<string, string>) =>
    inv.ok('POST', '/sandbox/api/actions', { messageId, actionId, userId: as, ...(form ? { form } : {}) });
  return { ...org, inv, say, tap, staff, lead, staffUser };
}

describe('stock questions', () => {
  it('answers per warehouse in base and pack units, the asker’s store first', async () => {
    const s = await shop();
    for (const text of ['库存 红牛', '红牛还有多少', 'stock redbull', '查一下红牛 250ml']) {
      const [reply] = await s.say(text);
      expect(reply.card, text).toBeDefined();
      const json = JSON.stringify(reply.card);
      expect(json).toContain('240 瓶 (10 箱)');
      expect(json.indexOf('浦东店')).toBeLessThan(json.indexOf('CENTRAL'));
    }
  });

  it('offers a pick list for an ambiguous name, and answers the one picked', async () => {
    const s = await shop();
    const [reply] = await s.say('可乐还有多少');
    expect(reply.card.actions).toHaveLength(2);
    const pick = reply.card.actions.find((a: any) => a.label.includes('500ml'));
    const res = await s.tap(reply.id, pick.id);
    expect(res.card.title).toContain('500ml');
    expect((await s.tap(reply.id, pick.id)).toast.kind).toBe('error'); // used once
  });

  it('says what it did not find, with suggestions', async () => {
    const s = await shop();
    const [reply] = await s.say('库存 农夫山泉矿泉水');
    expect(reply.text).toContain('没找到');
  });
});

describe('returns by message', () => {
  it('shows what it understood, and Confirm makes a submitted customer return with its reason; QC goes to the lead', async () => {
    const s = await shop();
    const [draft] = await s.say('退货 红牛 2箱 临期 客户张三');
    expect(draft.card.fields).toEqual(expect.arrayContaining([expect.objectContaining({ value: expect.stringContaining('48') })]));
    const confirm = draft.card.actions.find((a: any) => a.id.startsWith('confirm_return:'));
    expect((await s.tap(draft.id, confirm.id, s.lead)).toast.kind).toBe('error'); // not theirs
    const done = await s.tap(draft.id, confirm.id);
    expect(done.toast.kind).toBe('success');
    expect(done.card.actions).toEqual([]);
    expect((await s.tap(draft.id, confirm.id)).toast.kind).toBe('error'); // once
    const [doc] = await h.db.select().from(documents).where(and(eq(documents.orgId, s.orgId), eq(documents.type, 'customer_return')));
    expect(doc).toMatchObject({ status: 'submitted', returnReason: 'near_expiry', counterparty: '张三' });
    await runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, new Date());
    const leadChat = (await s.inv.ok('GET', `/sandbox/api/chats/${s.lead}/messages`)).messages;
    const qc = leadChat.find((m: any) => m.card?.title.includes(doc!.number));
    expect(qc.card.actions[0].id).toBe(`qc:${doc!.id}`);
    const qcDone = await s.tap(qc.id, qc.card.actions[0].id, s.lead, { accepted: '40' });
    expect(qcDone.toast.kind).toBe('success');
    expect(await s.inv.valuation('RB250', 'PD')).toMatchObject({ qty: '70' });
    const stats = await s.inv.ok('GET', '/api/v1/metrics/returns');
    expect(stats.reasons.find((r: any) => r.reason === 'near_expiry')).toEqual({ reason: 'near_expiry', returns: 1, qty: '48', acceptedQty: '40', rejectedQty: '8' });
  });

  it('asks for what is missing and refuses a unit the item does not have', async () => {
    const s = await shop();
    expect((await s.say('退货'))[0].text).toContain('退哪个');
    expect((await s.say('退货 红牛'))[0].text).toContain('退多少');
    expect((await s.say('退货 红牛 3 桶 破损'))[0].text).toContain('没有单位');
    const [cancelled] = await s.say('return redbull 5 cases damaged');
    const res = await s.tap(cancelled.id, cancelled.card.actions.find((a: any) => a.id.startsWith('cancel_return:')).id);
    expect(res.card.actions).toEqual([]);
    expect(await h.db.select().from(documents).where(and(eq(documents.orgId, s.orgId), eq(documents.type, 'customer_return')))).toEqual([]);
  });
});

describe('other questions', () => {
  it('answers a document number, pending approvals, low stock, and help for anything else', async () => {
    const s = await shop();
    const issue = await s.inv.issue('CENTRAL', 'RB250', 10);
    const [doc] = await s.say(issue.number.toLowerCase());
    expect(JSON.stringify(doc.card)).toContain(issue.number);
    expect((await s.say('待审批'))[0].text).toContain('没有');
    await s.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'RB250', warehouse: 'PD', minQty: 48 });
    expect((await s.say('低库存'))[0].text).toContain('红牛');
    const [help] = await s.say('今天天气怎么样');
    expect(help.text).toContain('库存 可乐');
  });
});
