import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness';
import { deliverAt } from './support/jobs';
import { kitchenOrg } from './support/production';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
  h.setNow(new Date('2026-12-06T02:00:00Z'));
});
afterAll(() => h?.close());

/** The kitchen with a worker (staff at K) and its lead in a sandbox group bound to K for everything, and a JAM order in progress. */
async function workshop() {
  const k = await kitchenOrg(h);
  await k.bom('JAM', { lines: [{ sku: 'SUGAR', qty: 1 }], operations: [{ name: '熬制', workCenter: 'MIX', minutesPerUnit: 6 }, { name: '装瓶', workCenter: 'PACK', minutesPerUnit: 1 }] });
  const person = async (name: string, roles: string[]) => {
    const sandboxId = `${k.slug}-${name}`;
    await k.inv.ok('POST', '/api/v1/users', { name, roles, warehouses: ['K'], identities: [{ platform: 'sandbox', externalId: sandboxId }] });
    return sandboxId;
  };
  const worker = await person('小王', ['staff']);
  const lead = await person('老李', ['warehouse_lead']);
  const group = `${k.slug}-车间群`;
  await k.inv.ok('POST', '/api/v1/warehouses/K/chats', { platform: 'sandbox', chatId: group });
  const mo = await k.order('JAM', 8);
  const say = async (who: string, text: string) => (await k.inv.ok('POST', '/sandbox/api/messages', { chatId: group, userId: who, text })).replies[0];
  const tap = (who: string, messageId: string, actionId: string) => k.inv.ok('POST', '/sandbox/api/actions', { userId: who, messageId, actionId });
  const chat = async () => (await k.inv.ok('GET', `/sandbox/api/chats/${encodeURIComponent(group)}/messages`)).messages;
  return { k, mo, worker, lead, say, tap, chat };
}

describe('报工 in the workshop group (sandbox)', () => {
  it('a worker reports work, sees its cost, confirms with one tap; the same message twice records once', async () => {
    const w = await workshop();
    const text = `报工 ${w.mo.number} 熬制 2小时 合格8 报废1`;
    const reply = await w.say(w.worker, text);
    expect(reply.card.title).toBe('请确认报工');
    // 2 h × ¥30 = ¥60.00 of labour.
    expect(reply.card.fields).toEqual(expect.arrayContaining([
      { label: '工序', value: '熬制 · 和面线' }, { label: '人工工时', value: '2 小时 × ¥30.00/小时 = ¥60.00' },
      { label: '数量', value: '合格 8 pcs · 报废 1 pcs' }, { label: '本次成本', value: '¥60.00' },
    ]));
    const again = await w.say(w.worker, text);
    expect(again.card.actions.map((a: any) => a.id)).toEqual(reply.card.actions.map((a: any) => a.id));

    const confirm = reply.card.actions[0].id;
    expect(confirm).toMatch(/^confirm_work:/);
    const other = await w.tap(w.lead, reply.id, confirm);
    expect(other.toast.kind).toBe('error'); // only the reporter confirms
    const done = await w.tap(w.worker, reply.id, confirm);
    expect(done.toast).toEqual({ kind: 'success', text: '报工已登记' });
    expect(done.card).toMatchObject({ title: '报工已登记', actions: [], status: expect.stringContaining('小王') });
    const twice = await w.tap(w.worker, again.id, confirm);
    expect(twice.toast.kind).toBe('error');
    const doc = await w.k.inv.ok('GET', `/api/v1/documents/${w.mo.id}`);
    expect(doc.workReports).toEqual([expect.objectContaining({ operation: '熬制', workCenter: 'MIX', laborHours: '2', goodQty: '8', scrapQty: '1', cost: '60.00', by: '小王' })]);

    // Machine hours: 1.5 h × ¥12 = ¥18.00.
    const machine = await w.say(w.worker, `报工 ${w.mo.number} 熬制 机时1.5`);
    expect(machine.card.fields).toEqual(expect.arrayContaining([{ label: '本次成本', value: '¥18.00' }]));
  });

  it('answers what is missing or unclear, naming it', async () => {
    const w = await workshop();
    const n = w.mo.number;
    expect((await w.say(w.worker, '报工 熬制 2小时')).text).toContain('生产单号');
    expect((await w.say(w.worker, `报工 ${n} 熬制 2 合格8`)).text).toContain('「2」是什么');
    expect((await w.say(w.worker, `报工 ${n}`)).text).toContain('工序有：熬制、装瓶');
    expect((await w.say(w.worker, `报工 ${n} 熬制`)).text).toContain('报了多少');
    expect((await w.say(w.worker, `报工 ${n} 包装 1小时`)).text).toContain('它的工序有：熬制、装瓶');
    expect((await w.say(w.worker, '报工 MO-20261206-0999 熬制 1小时')).text).toContain('找不到单据 MO-20261206-0999');
  });

  it('a completion card reaches the output warehouse’s group; 成本 answers the latest unit cost with its parts', async () => {
    const w = await workshop();
    await w.k.report(w.mo, { operation: '熬制', laborHours: 2 }); // 60.00
    await w.k.complete(w.mo, { qty: 8 }); // 8 SUGAR at 2 = 16.00 + 60.00 = 76.00; 9.50 a jar
    await deliverAt(h, new Date('2026-12-06T02:00:00Z'));
    const card = (await w.chat()).map((m: any) => m.card).find((c: any) => c?.title.startsWith('完工入库'));
    expect(card.title).toBe(`完工入库 ${w.mo.number}（已完成）`);
    expect(card.fields).toEqual(expect.arrayContaining([{ label: '单位成本', value: '¥9.50/pcs' }]));
    const cost = await w.say(w.worker, '成本 JAM');
    expect(cost.card.title).toBe('单位成本 · JAM');
    expect(cost.card.fields[0]).toEqual({ label: '单位成本', value: '¥9.50/pcs' });
    expect(cost.card.tables[0].rows).toEqual([['材料', '¥16.00'], ['人工', '¥60.00'], ['机器', '¥0.00'], ['制造费用', '¥0.00']]);
    expect((await w.say(w.worker, 'cost JAM')).card.title).toBe('单位成本 · JAM');
  });

  it('closing a month sends the unit cost movers to the chats bound for digest', async () => {
    const w = await workshop();
    await w.k.complete(w.mo, { qty: 8 }); // 16.00, 2 a jar
    await w.k.inv.ok('PUT', '/api/v1/cost-periods/2026-12/pools', { pools: [{ name: '水电', amount: 8, driver: 'output_qty' }] });
    await w.k.inv.ok('POST', '/api/v1/cost-periods/2026-12/close');
    await deliverAt(h, new Date('2026-12-06T02:00:00Z'));
    const card = (await w.chat()).map((m: any) => m.card).find((c: any) => c?.title.startsWith('成本结转'));
    // 16.00 + 8.00 of overhead = 24.00 / 8 = 3 a jar; nothing to compare in November.
    expect(card.title).toBe('成本结转完成 · 2026-12');
    expect(card.tables[0].rows).toEqual([['JAM（JAM）', '¥3.00', '—', '新']]);
  });
});
