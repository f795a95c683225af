import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts } from '../db/schema';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg, sandboxPeople } from './support/approvals';
import { deliverAt } from './support/jobs';

// Every refusal a person can meet in chat reads as Chinese with its specifics (chatErrorText over
// errors the real services throw), while the API answers the same refusal exactly as before.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

const deliver = () => deliverAt(h, new Date());

/** People in the approval org, their sandbox identities, and a Chinese-named item KL (可乐, 瓶) with 3 in WH. */
async function chatOrg() {
  const o = await approvalOrg(h);
  const id = await sandboxPeople(o);
  await o.inv.item('KL', { name: '可乐', unit: '瓶' });
  await o.inv.receipt('WH', 'KL', 3, 2);
  const say = async (who: string, text: string) => (await o.inv.ok('POST', '/sandbox/api/messages', { chatId: id(who), userId: id(who), text })).replies as any[];
  const msg = async (who: string) => (await say(who, '帮助'))[0].id as string;
  /** Taps `actionId` as `who` (on a message of theirs): the toast. */
  const tap = async (who: string, actionId: string, form?: Record<string, string>, messageId?: string) =>
    (await o.inv.ok('POST', '/sandbox/api/actions', { userId: id(who), messageId: messageId ?? await msg(who), actionId, ...(form ? { form } : {}) })).toast as { kind: string; text: string };
  const refused = async (who: string, actionId: string, form?: Record<string, string>, messageId?: string) => {
    const toast = await tap(who, actionId, form, messageId);
    expect(toast.kind, toast.text).toBe('error');
    return toast.text;
  };
  const approvals = () => o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
  const draftTransfer = (lines: unknown[]) => o.inv.ok('POST', '/api/v1/documents', { type: 'transfer', warehouse: 'WH', toWarehouse: 'ST', lines });
  return { ...o, id, say, tap, refused, approvals, draftTransfer };
}
type Org = Awaited<ReturnType<typeof chatOrg>>;

/**
 * Plain Chinese: once the identifiers a reply may name (document numbers, skus, people, warehouse
 * codes) are taken out, no run of three or more ASCII letters is left.
 */
function expectChinese(text: string, identifiers: string[]) {
  const rest = [...identifiers].sort((a, b) => b.length - a.length).reduce((t, known) => t.split(known).join(' '), text);
  expect(rest, text).not.toMatch(/[A-Za-z]{3,}/);
  expect(text, text).toMatch(/\p{Script=Han}/u);
}

type Api = { status: number; code: string; message: string | RegExp };
type Case = {
  name: string;
  /** Sets the refusal up and meets it in chat: the reply, what it may name, and how the API is asked the same. */
  run: (o: Org) => Promise<{ chat: string; ids: string[]; expected: RegExp; api?: () => Promise<{ status: number; body: any }>; apiExpected?: Api }>;
};

const time = String.raw`\d{2}-\d{2} \d{2}:\d{2}`;

const cases: Case[] = [
  {
    name: 'a warehouse lead taps 批准 on a document waiting for a supervisor',
    run: async (o) => {
      await o.approvals();
      const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
      return {
        chat: await o.refused('lead', `approve:${doc.id}`), ids: [doc.number],
        expected: new RegExp(`^没有权限：${doc.number} 正在等第 1/1 级审批，要由主管审批，你不能批准$`),
        api: () => o.as.lead.api('POST', `/api/v1/documents/${doc.id}/approve`, {}),
        apiExpected: { status: 403, code: 'forbidden', message: `${doc.number} is waiting for level 1 (roles supervisor); you cannot decide it` },
      };
    },
  },
  {
    name: 'the submitter types 批准 <number>',
    run: async (o) => {
      await o.approvals();
      const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
      const [reply] = await o.say('clerk', `批准 ${doc.number}`);
      return {
        chat: reply.text, ids: [doc.number],
        expected: new RegExp(`^没有权限：${doc.number} 是你自己提交的单据，要由别人审批，你不能批准。$`),
        api: () => o.as.clerk.api('POST', `/api/v1/documents/${doc.id}/approve`, {}),
        apiExpected: { status: 403, code: 'forbidden', message: `${doc.number} is your own document: someone else must decide it` },
      };
    },
  },
  {
    name: 'a second supervisor taps 批准 after the first approved',
    run: async (o) => {
      await o.approvals();
      const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
      await o.as.sup1.inv.ok('POST', `/api/v1/documents/${doc.id}/approve`, {});
      return {
        chat: await o.refused('sup2', `approve:${doc.id}`), ids: [doc.number, 'Sup One'],
        expected: new RegExp(`^操作未执行：${doc.number} 第 1 级已由 Sup One 在 ${time} 批准，不用再处理$`),
        api: () => o.as.sup2.api('POST', `/api/v1/documents/${doc.id}/approve`, {}),
        apiExpected: { status: 409, code: 'conflict', message: new RegExp(`^${doc.number} level 1 was already approved by Sup One at \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z$`) },
      };
    },
  },
  {
    name: 'a supervisor types 驳回 for a document that needed no approval',
    run: async (o) => {
      const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
      const [reply] = await o.say('sup1', `驳回 ${doc.number} 不要了`);
      return {
        chat: reply.text, ids: [doc.number],
        expected: new RegExp(`^操作未执行：${doc.number} 现在是「已过账」，没有等待审批，不能驳回。$`),
        api: () => o.as.sup1.api('POST', `/api/v1/documents/${doc.id}/reject`, { reason: '不要了' }),
        apiExpected: { status: 409, code: 'conflict', message: `${doc.number} is posted; there is no approval waiting` },
      };
    },
  },
  {
    name: 'the approval that would post it meets a shortage',
    run: async (o) => {
      await o.approvals();
      const doc = await o.submit('issue', [{ sku: 'KL', qty: 5 }]);
      const [reply] = await o.say('sup1', `批准 ${doc.number}`);
      return {
        chat: reply.text, ids: [doc.number, 'KL', 'WH'],
        expected: new RegExp(`^没有批准 ${doc.number}。库存不足，未执行：仓库 WH 的 可乐（KL）需要 5 瓶，只有 3 瓶。$`),
        api: () => o.as.sup1.api('POST', `/api/v1/documents/${doc.id}/approve`, {}),
        apiExpected: { status: 422, code: 'insufficient_stock', message: 'insufficient stock: KL in WH: needed 5, available 3' },
      };
    },
  },
  {
    name: 'a lead taps 发货 on a transfer with more than is in stock',
    run: async (o) => {
      const tr = await o.draftTransfer([{ sku: 'KL', qty: 5 }, { sku: 'A', qty: 1 }]);
      return {
        chat: await o.refused('lead', `ship:${tr.id}`), ids: ['KL', 'WH'],
        expected: /^库存不足，未执行：仓库 WH 的 可乐（KL）需要 5 瓶，只有 3 瓶$/,
        api: () => o.as.lead.api('POST', `/api/v1/documents/${tr.id}/ship`),
        apiExpected: { status: 422, code: 'insufficient_stock', message: 'insufficient stock: KL in WH: needed 5, available 3' },
      };
    },
  },
  {
    name: 'a lead taps 确认收货 on a transfer not shipped yet',
    run: async (o) => {
      const tr = await o.draftTransfer([{ sku: 'A', qty: 1 }]);
      return {
        chat: await o.refused('lead', `receive:${tr.id}`), ids: [tr.number],
        expected: new RegExp(`^操作未执行：${tr.number} 还没有发货（现在是「草稿」），不能收货$`),
        api: () => o.as.lead.api('POST', `/api/v1/documents/${tr.id}/receive`, {}),
        apiExpected: { status: 409, code: 'conflict', message: `${tr.number} is draft; it cannot be received` },
      };
    },
  },
  {
    name: 'a lead taps 确认收货 a second time',
    run: async (o) => {
      const tr = await o.inv.post('transfer', 'WH', [{ sku: 'A', qty: 1 }], { toWarehouse: 'ST' });
      expect((await o.tap('lead', `receive:${tr.id}`)).kind).toBe('success');
      return {
        chat: await o.refused('lead', `receive:${tr.id}`), ids: [tr.number],
        expected: new RegExp(`^操作未执行：${tr.number} 现在是「已收货」，不能收货$`),
        api: () => o.as.lead.api('POST', `/api/v1/documents/${tr.id}/receive`, {}),
        apiExpected: { status: 409, code: 'conflict', message: `${tr.number} is received; it cannot be received` },
      };
    },
  },
  {
    name: 'a lead reports more short than was shipped',
    run: async (o) => {
      // Named as people name it, in its unit (a fixture item's `pcs` would read as English).
      await o.inv.item('COLA', { name: '可乐', unit: '罐' });
      await o.inv.receipt('WH', 'COLA', 10, 2);
      const tr = await o.inv.post('transfer', 'WH', [{ sku: 'COLA', qty: 2 }], { toWarehouse: 'ST' });
      return { chat: await o.refused('lead', `receive_short:${tr.id}`, { shortage: 'COLA:5' }), ids: [], expected: /^可乐 的短缺数量 5 罐 超过了发货数量 2 罐$/ };
    },
  },
  {
    name: 'a shortage the bot cannot read',
    run: async (o) => {
      const tr = await o.inv.post('transfer', 'WH', [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 1 }], { toWarehouse: 'ST' });
      return { chat: await o.refused('lead', `receive_short:${tr.id}`, { shortage: '少了好多' }), ids: [], expected: /^看不懂「少了好多」：请写成 商品 数量，例如 / };
    },
  },
  {
    name: 'a staff member taps 发货',
    run: async (o) => {
      const tr = await o.draftTransfer([{ sku: 'A', qty: 1 }]);
      return { chat: await o.refused('clerk', `ship:${tr.id}`), ids: [], expected: /^没有权限：发货要由 WH 的仓库主管、主管或管理员来做$/ };
    },
  },
  {
    name: 'a lead taps 质检 with more passed than came back',
    run: async (o) => {
      const ret = await o.inv.post('customer_return', 'WH', [{ sku: 'B', qty: 1 }]);
      return {
        chat: await o.refused('lead', `qc:${ret.id}`, { accepted: '5' }), ids: [],
        expected: /^B 的合格数量要在 0 到 1 之间，你填的是 5$/,
        api: () => o.as.lead.api('POST', `/api/v1/documents/${ret.id}/post`, { lines: [{ line: 1, acceptedQty: '5' }] }),
        apiExpected: { status: 400, code: 'invalid_request', message: /^lines\.0\.acceptedQty: must be between 0 and 1(\.0+)?$/ },
      };
    },
  },
  {
    name: 'a lead taps 质检 on a return whose lot contradicts the expiry on record',
    run: async (o) => {
      await o.inv.item('LT', { name: '牛奶', unit: '盒', lotTracked: true });
      await o.inv.receipt('WH', 'LT', 5, 3, { lot: 'L1', expiresOn: '2027-01-01' });
      const ret = await o.inv.post('customer_return', 'WH', [{ sku: 'LT', qty: 1, lot: 'L1', expiresOn: '2027-06-01' }]);
      return {
        chat: await o.refused('lead', `qc:${ret.id}`, { accepted: '1' }), ids: ['LT', 'L1'],
        expected: /^未执行：LT 的批次 L1 已登记的到期日是 2027-01-01，和这张单写的不一样，请核对批次和到期日$/,
        api: () => o.as.lead.api('POST', `/api/v1/documents/${ret.id}/post`, { lines: [{ line: 1, acceptedQty: '1' }] }),
        apiExpected: { status: 422, code: 'unprocessable', message: 'lot L1 of LT already expires on 2027-01-01, not 2027-06-01' },
      };
    },
  },
  {
    name: 'someone other than the reporter taps 确认 on a return report',
    run: async (o) => {
      const [draft] = await o.say('clerk', '退货 可乐 1瓶 破损 @WH');
      const confirm = draft.card.actions.find((a: any) => a.id.startsWith('confirm_return:')).id;
      return { chat: await o.refused('lead', confirm, undefined, draft.id), ids: [], expected: /^没有权限：只有报退货的人可以确认或取消$/ };
    },
  },
  {
    name: 'a stranger sends a bind code that does not exist',
    run: async (o) => {
      const res = await o.inv.ok('POST', '/sandbox/api/messages', { chatId: `${o.slug}-new`, userId: `${o.slug}-new`, text: '绑定 000000' });
      return { chat: res.replies[0].text, ids: [], expected: /^未执行：这个绑定码无效或已过期，请找管理员重新生成$/ };
    },
  },
  {
    name: 'a tap on a card whose document is gone',
    run: async (o) => {
      const gone = '00000000-0000-4000-8000-000000000000';
      return {
        chat: await o.refused('lead', `ship:${gone}`), ids: [], expected: /^找不到这个单据$/,
        api: () => o.as.lead.api('POST', `/api/v1/documents/${gone}/ship`),
        apiExpected: { status: 404, code: 'not_found', message: `document '${gone}' not found` },
      };
    },
  },
  {
    name: '驳回 tapped without a reason',
    run: async (o) => {
      await o.approvals();
      const doc = await o.submit('issue', [{ sku: 'A', qty: 1 }]);
      return { chat: await o.refused('sup1', `reject:${doc.id}`), ids: [], expected: /^请填写驳回原因$/ };
    },
  },
  {
    name: 'a non-admin taps 绑定到仓库',
    run: async (o) => ({ chat: await o.refused('lead', 'bind_chat:WH'), ids: [], expected: /^没有权限：只有管理员可以把群绑定到仓库$/ }),
  },
  {
    name: 'a second 确认 of a return report',
    run: async (o) => {
      const [draft] = await o.say('clerk', '退货 可乐 1瓶 破损 @WH');
      const confirm = draft.card.actions.find((a: any) => a.id.startsWith('confirm_return:')).id;
      expect((await o.tap('clerk', confirm, undefined, draft.id)).kind).toBe('success');
      return { chat: await o.refused('clerk', confirm, undefined, draft.id), ids: [], expected: new RegExp(`^操作未执行：这条退货已在 ${time} 确认了$`) };
    },
  },
];

describe('refusals in chat are Chinese; the API says the same refusal as before', () => {
  it.each(cases)('$name', async ({ run }) => {
    const o = await chatOrg();
    const { chat, ids, expected, api, apiExpected } = await run(o);
    expect(chat).toMatch(expected);
    expectChinese(chat, ids);
    if (api && apiExpected) {
      const res = await api();
      expect(res.status).toBe(apiExpected.status);
      expect(res.body.error.code).toBe(apiExpected.code);
      expect(res.body.error.message).toMatch(typeof apiExpected.message === 'string' ? new RegExp(`^${escape(apiExpected.message)}$`) : apiExpected.message);
      expect(chat).not.toContain(res.body.error.message);
    }
  });
});

describe('low-stock alert taps', () => {
  async function alertOrg() {
    const o = await chatOrg();
    await o.inv.ok('POST', '/api/v1/users', { name: 'Store Mgr', roles: ['store_manager'], warehouses: ['ST'], identities: [{ platform: 'sandbox', externalId: o.id('store') }] });
    const group = `${o.slug}-alerts`;
    await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: group, purposes: ['alerts'] });
    await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 95, reorderQty: 50 });
    await o.inv.issue('WH', 'A', 10);
    await deliver();
    const [card] = (await o.inv.ok('GET', `/sandbox/api/chats/${group}/messages`)).messages.filter((m: any) => m.card?.title.includes('低库存'));
    const ack = card.card.actions.find((a: any) => a.id.startsWith('ack_alert:')).id as string;
    return { ...o, card, ack };
  }

  it('acking an alert already resolved says so, and when', async () => {
    const o = await alertOrg();
    await h.db.update(alerts).set({ status: 'resolved', resolvedAt: new Date() }).where(and(eq(alerts.orgId, o.orgId), eq(alerts.kind, 'low_stock')));
    const text = await o.refused('lead', o.ack, undefined, o.card.id);
    expect(text).toMatch(new RegExp(`^操作未执行：库存已恢复，这条提醒已在 ${time} 关闭$`));
    expectChinese(text, []);
  });

  it('a second ack names who acknowledged and when; another warehouse’s manager is told it is not theirs', async () => {
    const o = await alertOrg();
    expect(await o.refused('store', o.ack, undefined, o.card.id)).toBe('没有权限：你不负责仓库 WH，不能处理提醒');
    expect((await o.tap('lead', o.ack, undefined, o.card.id)).kind).toBe('success');
    const text = await o.refused('sup1', o.ack, undefined, o.card.id);
    expect(text).toMatch(new RegExp(`^操作未执行：Lead 已在 ${time} 确认了这条提醒$`));
    expectChinese(text, ['Lead']);
  });
});

describe('the chat text helper', () => {
  it('flags English left in a reply', () => {
    expect(() => expectChinese('没有权限：IS-20261126-0001 is your own document', ['IS-20261126-0001'])).toThrow();
    expectChinese('没有权限：IS-20261126-0001 是你自己提交的单据', ['IS-20261126-0001']);
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
