import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_HELP_TEXT } from '../src/chat/conversations/understand';
import { seedDemo } from '../src/demo/seed';
import { createTestApp, type TestApp } from './harness';

// What the demo's people type in their chats, on the demo data: bare references, several items,
// pinyin, ledger questions and a lead's lists (issue 15). This file has a database of its own.
let h: TestApp;
let api: ReturnType<TestApp['client']>;
beforeAll(async () => {
  h = await createTestApp();
  const demo = (await seedDemo(h.db))!;
  api = h.client(demo.apiKey);
});
afterAll(() => h?.close());

const people = { wang: 'demo-wang', li: 'demo-li', zhang: 'demo-zhang', chen: 'demo-chen' } as const;
type Reply = { id: string; text?: string; card?: { title: string; actions: { id: string; label: string }[]; sections?: { actions?: { id: string; label: string }[] }[] } };

async function say(text: string, as: keyof typeof people = 'wang', chatId: string = people[as]): Promise<Reply[]> {
  const res = await api('POST', '/sandbox/api/messages', { chatId, userId: people[as], text });
  expect(res.status, text).toBe(200);
  return res.body.replies;
}
const shown = (replies: Reply[]) => JSON.stringify(replies);
const buttons = (r: Reply) => [...(r.card?.actions ?? []), ...(r.card?.sections ?? []).flatMap((s) => s.actions ?? [])];
async function tap(reply: Reply, label: string, as: keyof typeof people) {
  const button = buttons(reply).find((b) => b.label.includes(label));
  expect(button, `${label} on ${shown([reply])}`).toBeDefined();
  const res = await api('POST', '/sandbox/api/actions', { messageId: reply.id, actionId: button!.id, userId: people[as] });
  expect(res.status).toBe(200);
  return res.body;
}

describe('a bare reference is a stock question', () => {
  it.each([
    ['可乐', '可口可乐'], ['牛奶', '蒙牛纯牛奶'], ['cola', '可口可乐'], ['RB-250', '红牛'], ['红牛250', '红牛'], ['康师父', '康师傅'], ['红扭', '红牛'], ['康市傅', '康师傅'],
    ['kl', '可口可乐'], ['kele？', '可口可乐'], ['hn', '红牛'], ['ksf', '康师傅'], ['kkl', '可口可乐'], ['@库存助手 库存 可乐', '可口可乐'],
    ['@_user_1 kele', '可口可乐'], ['6900000001011', '红牛'],
  ])('%s → the stock card of %s', async (text, name) => {
    const [reply, ...rest] = await say(text);
    expect(rest).toHaveLength(0);
    expect(reply!.card?.title, shown([reply!])).toContain(name);
    expect(shown([reply!])).toMatch(/\d+ (罐|盒|包|袋|瓶)/);
  });

  it('names holding a particle or a chat word are found as typed: 娃哈哈, 哈尔滨, 老师傅, 有友', async () => {
    // 小师傅牛肉面 makes the trimmed 傅牛肉面 ambiguous: only the name as typed answers one item.
    const names = ['娃哈哈经典辣椒酱 330ml', '哈尔滨啤酒', '老师傅牛肉面', '有友泡椒凤爪', '哈根达斯', '小师傅牛肉面'];
    for (const [i, name] of names.entries()) {
      expect((await api('POST', '/api/v1/items', { sku: `TYPED-${i}`, name, unit: '件' })).status).toBe(201);
    }
    const asked = [['库存 娃哈哈经典辣椒酱 330ml', names[0]], ['娃哈哈经典辣椒酱 330ml', names[0]], ['库存 哈尔滨啤酒', names[1]], ['哈尔滨啤酒', names[1]],
      ['库存老师傅牛肉面', names[2]], ['老师傅牛肉面还有吗', names[2]], ['有友泡椒凤爪', names[3]], ['还有哈根达斯吗', names[4]]] as const;
    for (const [text, name] of asked) {
      const [reply, ...rest] = await say(text);
      expect(rest, text).toHaveLength(0);
      expect(reply!.card?.title, `${text}: ${shown([reply!])}`).toBe(`库存：${name}`);
    }
    // Trimming still works where the typed form names nothing: 还有红牛吗 is a question about 红牛.
    expect((await say('还有红牛吗'))[0]!.card?.title).toContain('红牛');
    // The same in a return and a movement question.
    for (const text of ['退货 老师傅牛肉面 2件 破损', '今天卖了多少老师傅牛肉面', '成本 老师傅牛肉面']) {
      const answer = shown(await say(text));
      expect(answer, text).toContain('老师傅牛肉面');
      expect(answer, text).not.toMatch(/没找到|选一个|小师傅/);
    }
  });

  it('answers several items one card each, and a warehouse named anywhere', async () => {
    for (const text of ['可乐和红牛', '帮我查下红牛和可乐的库存', '可乐、红牛还有多少', '可乐和红牛 徐汇']) {
      const replies = await say(text);
      expect(replies.map((r) => r.card?.title).sort(), text).toEqual([expect.stringContaining('可口可乐'), expect.stringContaining('红牛')].sort());
    }
    for (const text of ['徐汇店 可乐', '可乐 徐汇', '可乐 @徐汇店']) {
      const [reply] = await say(text, 'li');
      const json = shown([reply!]);
      expect(json, text).toContain('徐汇店');
      expect(json, text).not.toContain('总仓');
    }
  });

  it('a bare word that names no item gets the short help, never "没找到"', async () => {
    for (const text of ['好的', '早上好', 'zzqqxx', '今天天气怎么样']) {
      const [reply] = await say(text);
      expect(reply!.text, text).toContain(`没看懂「${text}」`);
    }
  });

  it('`徐汇店库存` lists what the store holds, names first, in units and packs', async () => {
    const [reply] = await say('徐汇店库存');
    expect(reply!.text).toContain('徐汇店的库存');
    expect(reply!.text).toMatch(/可口可乐 330ml 20 罐/);
  });
});

describe('questions the ledger answers', () => {
  it('sold and received over a period, per warehouse or per item', async () => {
    const [sold] = await say('今天卖了多少可乐');
    expect(sold!.text).toContain('今天');
    expect(sold!.text).toMatch(/徐汇店 40 罐 \(1 箱 16 罐\)/);
    expect(sold!.text).toContain('合计 40 罐');
    const [store] = await say('徐汇店今天卖了多少');
    expect(store!.text).toMatch(/可口可乐 330ml 40 罐/);
    const [cola, redbull] = await say('今天卖了多少可乐和红牛');
    expect(cola!.text).toContain('徐汇店 40 罐');
    expect(redbull!.text).toContain('没有卖出');
    const [none] = await say('昨天卖了多少可乐');
    expect(none!.text).toContain('没有卖出');
    // Opening stock is not goods received; nothing else came in yet.
    expect((await say('今天进了多少货'))[0]!.text).toContain('没有入库记录');
  });

  it('last week is last week in APP_TIMEZONE: a week on, today’s sale is last week’s', async () => {
    h.setNow(new Date(Date.now() + 7 * 86_400_000));
    try {
      const [reply] = await say('上周卖了多少可乐');
      expect(reply!.text).toMatch(/上周（\d\d-\d\d 至 \d\d-\d\d）/);
      expect(reply!.text).toContain('徐汇店 40 罐');
      expect((await say('本周卖了多少可乐'))[0]!.text).toContain('没有卖出');
    } finally {
      h.setNow(undefined);
    }
  });

  it('the transfer from approval to receipt: the lists, the buttons the rule book allows, in transit', async () => {
    // 张主管 approves the demo's transfer from his list; 王店长 (a store manager) sees no ship button.
    const [todo] = await say('今天有什么要处理的', 'zhang');
    expect(todo!.card?.title).toContain('要处理的单据');
    expect(shown([todo!])).toContain('调拨单 总仓 → 徐汇店 ¥705.60');
    // Approved, the demo's transfer ships at once (its submitter's step went as far as it may).
    await tap(todo!, '批准', 'zhang');
    const [wangTodo] = await say('今天有什么要处理的', 'wang');
    expect(buttons(wangTodo!).map((b) => b.label).join()).toMatch(/^确认收货 TR-\d{8}-\d{4}$/);

    const [transit] = await say('红牛在途多少');
    expect(transit!.text).toContain('徐汇店 72 罐 (3 箱)');
    // Without a warehouse named, the asker's: 王店长 sees what comes to 徐汇店, 李仓管 (总仓, 冷库) nothing on its way to his.
    expect((await say('在途', 'wang'))[0]!.text).toMatch(/^现在徐汇店 在途：\n· 可口可乐 330ml 192 罐 \(8 箱\)/);
    expect((await say('在途', 'li'))[0]!.text).toBe('现在总仓、冷库 没有在途的货。');
    expect((await say('在途', 'zhang'))[0]!.text).toContain('可口可乐 330ml @徐汇店 192 罐 (8 箱)');

    const [toReceive] = await say('待收货', 'wang');
    expect(toReceive!.card?.title).toBe('待收货：1 张');
    expect(shown([toReceive!])).toContain('总仓 → 徐汇店');
    // 小陈 (staff at 总仓) may not confirm a receipt at 徐汇店: no button for her.
    const [chenList] = await say('待收货 @徐汇店', 'chen');
    expect(buttons(chenList!)).toHaveLength(0);
    await tap(toReceive!, '确认收货', 'wang');
    expect((await say('红牛在途多少'))[0]!.text).toContain('没有在途');
    const [received] = await say('徐汇店今天进了多少货');
    expect(received!.text).toContain('可口可乐 330ml 192 罐 (8 箱)');
  });

  it('a lead’s lists: overdue, awaiting QC, near expiry, the digest', async () => {
    h.setNow(new Date(Date.now() + 10 * 86_400_000));
    try {
      const [overdue] = await say('超期单据', 'zhang');
      expect(overdue!.card?.title).toMatch(/超时单据|没有超时单据/);
      expect((await say('逾期', 'zhang'))[0]!.card?.title).toBe(overdue!.card?.title);
    } finally {
      h.setNow(undefined);
    }
    const [ret] = await say('有个客人要退两罐红牛 @徐汇店', 'wang');
    await tap(ret!, '确认', 'wang');
    const [qc] = await say('待质检', 'wang');
    expect(qc!.card?.title).toBe('待质检：1 张');
    const [near] = await say('临期', 'li');
    expect(near!.card?.title ?? near!.text).toMatch(/临期|没有临期/);
    const [digest] = await say('日报', 'wang');
    expect(shown([digest!])).toContain('徐汇店');
    // Typed, it is today so far, and says so (the scheduled one covers yesterday: 昨日过账).
    expect((digest!.card as any)?.fields?.[0]?.label).toBe('今日过账');
  });
});

describe('returns read what people type', () => {
  it('`有个客人要退两罐红牛`: a return of 2 罐 红牛; a trailing store is the warehouse and the reason stays', async () => {
    const [two] = await say('有个客人要退两罐红牛', 'wang');
    expect(shown([two!])).toContain('2 罐');
    expect(shown([two!])).toContain('红牛');
    // As the supervisor: 李仓管 keeps 总仓 and 冷库, and a return into 徐汇店 is not his to report (refused before its card).
    const [xh] = await say('退货 可乐 五箱 包装破损 客户李四 徐汇店', 'zhang');
    const json = shown([xh!]);
    expect(json).toContain('徐汇店');
    expect(json).not.toContain('总仓');
    expect(json).toContain('120 罐 (5 箱)');
    expect(json).toContain('李四');
    expect(json).toMatch(/破损/);
    // The store typed short and without a marker, after the reason or among the item words: still the warehouse, never the reason.
    for (const text of ['退货 可乐 2罐 过期 徐汇', '退货 可乐 徐汇 2罐']) {
      const card = (await say(text, 'zhang'))[0]!.card as unknown as { fields: { label: string; value: string }[] };
      const field = (label: string) => card.fields.find((f) => f.label === label)?.value;
      expect(field('退回仓库'), text).toBe('徐汇店');
      expect(field('原因'), text).not.toContain('徐汇');
      expect(field('商品'), text).toContain('可口可乐');
    }
  });

  it('a return far above sales and stock warns before the card', async () => {
    const [warning, card] = await say('退货 红牛 100000箱', 'wang');
    expect(warning!.text).toContain('请核对数量');
    expect(warning!.text).toContain('2,400,000 罐 (100,000 箱)');
    expect(card!.card).toBeDefined();
    const [normal, ...rest] = await say('退货 红牛 2罐 破损', 'wang');
    expect(normal!.card).toBeDefined();
    expect(rest).toHaveLength(0);
  });
});

describe('the help shows only what works', () => {
  const examples = FULL_HELP_TEXT.split('\n').flatMap((line) => /^· (.+?) — /.exec(line)?.[1] ?? []);

  it('lists the new questions', () => {
    expect(examples).toEqual(expect.arrayContaining(['库存 可乐', '今天卖了多少可乐', '今天有什么要处理的', '超期单据']));
  });

  it.each(examples.map((e) => [e]))('%s is understood on the demo data', async (example) => {
    const replies = await say(example, 'zhang');
    expect(replies.length).toBeGreaterThan(0);
    expect(shown(replies), example).not.toContain('没看懂');
  });
});

describe('the README’s examples of these questions', () => {
  it.each([
    '可乐', '红牛?', 'RB-250', '康师父', 'kl', 'kele', 'hn', '可乐和红牛', '帮我查下红牛和可乐的库存', '可乐、牛奶', '徐汇店 可乐', '可乐 徐汇',
    '可乐 @徐汇店', '徐汇店库存', '今天卖了多少可乐', '上周卖了多少可乐', '徐汇店本月卖了多少', '今天进了多少货', '红牛在途多少', '今天有什么要处理的',
    '待办', '超期单据', '逾期', '待收货', '待质检', '临期', '日报', '有个客人要退两罐红牛', '退货 可乐 五箱 包装破损 客户李四 徐汇店',
  ].map((t) => [t]))('%s gets an answer, not the short help', async (text) => {
    const replies = await say(text, 'li');
    expect(replies.length).toBeGreaterThan(0);
    expect(shown(replies), text).not.toContain('没看懂');
    expect(shown(replies), text).not.toContain('没找到');
  });
});
