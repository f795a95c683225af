import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderApprovalCard } from '../cards/approval-card';
import { renderWeComCard } from '../cards/render-wecom';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg, sandboxPeople } from './support/approvals';
import { deliverAt } from './support/jobs';

// Typed approvals and group binding, end to end through the sandbox chat: what WeCom cards cannot
// do (a reject needs a reason; an AI bot gets no "added to a group" event) is done by typing.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

const deliver = () => deliverAt(h, new Date());

async function chatOrg() {
  const o = await approvalOrg(h);
  const id = await sandboxPeople(o);
  /** Says `text` as `who`, in their 1:1 chat unless a chat is named; the bot's replies. */
  const say = async (who: string, text: string, chatId = id(who)) =>
    (await o.inv.ok('POST', '/sandbox/api/messages', { chatId, userId: id(who), text })).replies as any[];
  const tap = (who: string, messageId: string, actionId: string) => o.inv.ok('POST', '/sandbox/api/actions', { userId: id(who), messageId, actionId });
  const get = (docId: string) => o.inv.ok('GET', `/api/v1/documents/${docId}`);
  await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
  return { ...o, id, say, tap, get };
}

describe('typed approvals', () => {
  it('an approver types 批准 <number>: approved and posted; a staff member or the submitter typing it changes nothing', async () => {
    const o = await chatOrg();
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);

    for (const who of ['lead', 'clerk']) {
      const [refused, ...more] = await o.say(who, `批准 ${doc.number}`);
      expect(more).toEqual([]);
      expect(refused.text, who).toContain(doc.number);
      expect(refused.text, who).toContain('没有权限');
      const now = await o.get(doc.id);
      expect(now.status).toBe('awaiting_approval');
      expect(now.approvals.map((a: any) => a.status)).toEqual(['pending']);
    }

    const [text, card] = await o.say('sup1', `批准 ${doc.number}`);
    expect(text.text).toContain(`已批准 ${doc.number}`);
    expect(card.card.title).toContain(doc.number);
    expect(card.card.actions).toEqual([]);
    expect(card.card.status).toContain('Sup One');
    const after = await o.get(doc.id);
    expect(after.status).toBe('posted');
    expect(after.approvals).toMatchObject([{ status: 'approved', by: 'Sup One' }]);

    // Too late: said who decided, with the card as it stands; nothing changes.
    const [late, lateCard] = await o.say('sup2', `同意 ${doc.number}`);
    expect(late.text).toContain('Sup One');
    expect(lateCard.card.status).toContain('Sup One');
    expect((await o.get(doc.id)).approvals).toMatchObject([{ status: 'approved', by: 'Sup One' }]);
  });

  it('驳回 without a reason asks for one and changes nothing; with a reason, rejects and records it', async () => {
    const o = await chatOrg();
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    const [ask, ...more] = await o.say('sup2', `驳回 ${doc.number}`);
    expect(more).toEqual([]);
    expect(ask.text).toContain(`驳回 ${doc.number} `);
    expect(ask.text).toContain('原因');
    expect((await o.get(doc.id)).status).toBe('awaiting_approval');

    const [text, card] = await o.say('sup2', `驳回 ${doc.number} 数量太大`);
    expect(text.text).toContain('数量太大');
    expect(card.card.status).toContain('数量太大');
    const after = await o.get(doc.id);
    expect(after).toMatchObject({ status: 'rejected', rejectReason: '数量太大' });
    expect(after.approvals).toMatchObject([{ status: 'rejected', by: 'Sup Two', comment: '数量太大' }]);
  });

  it('in English, and in a group', async () => {
    const o = await chatOrg();
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    const [text] = await o.say('sup1', `reject ${doc.number.toLowerCase()} reason: too many`, `${o.slug}-room`);
    expect(text.text).toContain(doc.number);
    expect(await o.get(doc.id)).toMatchObject({ status: 'rejected', rejectReason: 'too many' });
  });

  it('a number typed while it waits names the approval level holding it and since when; once posted, no one', async () => {
    const o = await chatOrg();
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    const [waiting] = await o.say('clerk', doc.number);
    expect(waiting.card.fields.find((f: any) => f.label === '当前处理')?.value).toMatch(/^第 1 级审批（主管） · 自 \d{2}-\d{2} \d{2}:\d{2}$/);
    await o.say('sup1', `批准 ${doc.number}`);
    const [posted] = await o.say('clerk', doc.number);
    expect(posted.card.fields.map((f: any) => f.label)).not.toContain('当前处理');
  });

  it('several numbers, no number, or a number of another organisation: told what to type, nothing changes', async () => {
    const o = await chatOrg();
    const a = await o.submit('issue', [{ sku: 'A', qty: 1 }]);
    const b = await o.submit('issue', [{ sku: 'B', qty: 1 }]);
    const [several] = await o.say('sup1', `批准 ${a.number} ${b.number}`);
    expect(several.text).toContain('一张');
    const [none] = await o.say('sup1', '批准');
    expect(none.text).toContain('单号');

    const other = await chatOrg();
    const theirs = await other.submit('issue', [{ sku: 'A', qty: 1 }]);
    const mine = await chatOrg(); // no issue of its own, so the number names nothing here
    const [notHere] = await mine.say('sup1', `批准 ${theirs.number}`);
    expect(notHere.text).toContain(`找不到单据 ${theirs.number}`);

    expect((await o.get(a.id)).status).toBe('awaiting_approval');
    expect((await o.get(b.id)).status).toBe('awaiting_approval');
    expect((await other.get(theirs.id)).status).toBe('awaiting_approval');
  });

  it('a document that waits for no approval is said so', async () => {
    const o = await chatOrg();
    const posted = await o.inv.receipt('WH', 'A', 1, 1); // receipts need no approval here
    expect(posted.status).toBe('posted');
    const [text, ...more] = await o.say('sup1', `批准 ${posted.number}`);
    expect(text.text).toContain('没有等待审批');
    expect(more).toEqual([]);
    expect((await o.get(posted.id)).approvals).toEqual([]);
  });
});

describe('what a person may do, as they see it in chat', () => {
  it('待审批 by a warehouse role lists what waits at the asker\'s warehouses only', async () => {
    const o = await chatOrg();
    const storeLead = await o.inv.ok('POST', '/api/v1/users', { name: 'Store Lead', roles: ['warehouse_lead'], warehouses: ['ST'] });
    await o.inv.ok('POST', `/api/v1/users/${storeLead.id}/identities`, { platform: 'sandbox', externalId: o.id('store') });
    await o.rules([{ name: 'leads', documentTypes: ['issue'], levels: [{ roles: ['warehouse_lead'] }] }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    expect((await o.say('lead', '待审批'))[0].text).toContain(doc.number);
    expect((await o.say('store', '待审批'))[0].text).toBe('没有等你审批的单据。');
  });

  it('待审批 leaves out a document the asker submitted for someone else, and 批准 by them changes nothing', async () => {
    const o = await chatOrg();
    const draft = await o.as.clerk.inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH', lines: [{ sku: 'A', qty: 2 }] });
    await o.as.sup1.inv.ok('POST', `/api/v1/documents/${draft.id}/submit`, {});
    expect((await o.say('sup1', '待审批'))[0].text).not.toContain(draft.number);
    expect((await o.say('sup2', '待审批'))[0].text).toContain(draft.number);
    const [refused] = await o.say('sup1', `批准 ${draft.number}`);
    expect(refused.text).toContain('没有权限');
    expect(await o.get(draft.id)).toMatchObject({ status: 'awaiting_approval' });
  });

  it('待审批 leaves out a document whose earlier level they decided: one person decides one level at most', async () => {
    const o = await chatOrg();
    await o.rules([{ name: 'two levels', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }, { roles: ['supervisor', 'admin'] }] }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    expect((await o.say('sup1', '待审批'))[0].text).toContain(doc.number);
    await o.as.sup1.inv.ok('POST', `/api/v1/documents/${doc.id}/approve`, {});
    expect((await o.say('sup1', '待审批'))[0].text).toBe('没有等你审批的单据。');
    expect((await o.say('sup2', '待审批'))[0].text).toContain(doc.number); // level 2 is still theirs
  });

  it('after a first level, the copies already out show it approved, by whom, and wait for the next', async () => {
    const o = await chatOrg();
    await o.rules([{ name: 'two levels', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }, { roles: ['admin'] }] }]);
    const group = `${o.slug}-approvals`;
    await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: group, purposes: ['approvals'] });
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    await deliver();
    const cards = async () => (await o.inv.ok('GET', `/sandbox/api/chats/${group}/messages`)).messages.filter((m: any) => m.card);
    const [first] = await cards();
    expect(first.card.fields).toContainEqual({ label: '审批级别', value: '第 1/2 级' });
    await o.as.sup1.inv.ok('POST', `/api/v1/documents/${doc.id}/approve`, {});
    await deliver();
    const [updated, ...rest] = await cards();
    expect(updated.id).toBe(first.id);
    expect(updated.card.fields).toContainEqual({ label: '审批级别', value: '第 2/2 级' });
    expect(updated.card.fields.find((f: any) => f.label === '已批准')?.value).toMatch(/^第 1 级 Sup One · /);
    // The next level's own copy, in the same state.
    expect(rest.map((m: any) => m.card.fields)).toEqual([updated.card.fields]);
  });

  it('取消刚才的调拨 cancels the latest they may cancel: a draft, not the one waiting for approval', async () => {
    const o = await chatOrg();
    await o.rules([{ name: 'transfers', documentTypes: ['transfer'], levels: [{ roles: ['supervisor'] }] }]);
    const draft = await o.as.clerk.inv.ok('POST', '/api/v1/documents', { type: 'transfer', warehouse: 'WH', toWarehouse: 'ST', lines: [{ sku: 'A', qty: 1 }] });
    const waiting = await o.submit('transfer', [{ sku: 'A', qty: 2 }], { toWarehouse: 'ST' });
    expect(waiting.status).toBe('awaiting_approval');
    const [done] = await o.say('clerk', '取消刚才的调拨');
    expect(done.text).toContain(`${draft.number} 已取消`);
    expect((await o.get(draft.id)).status).toBe('cancelled');
    expect((await o.get(waiting.id)).status).toBe('awaiting_approval');
    // Nothing left that is theirs to cancel: the refusal says why, and nothing changes.
    expect((await o.say('clerk', '取消刚才的调拨'))[0].text).toContain('没有权限');
    expect((await o.get(waiting.id)).status).toBe('awaiting_approval');
  });
});

describe('binding a group by typing', () => {
  it('an admin types 绑定本群 in a group: the warehouse buttons; a tap binds, and the group then gets the warehouse’s cards', async () => {
    const o = await chatOrg();
    const room = `${o.slug}-room`;

    const [dm] = await o.say('boss', '绑定本群');
    expect(dm.text).toContain('群里');
    const [notAdmin] = await o.say('lead', '把这个群绑定到仓库', room);
    expect(notAdmin.text).toContain('管理员');
    expect(notAdmin.card).toBeUndefined();

    const [offer, ...more] = await o.say('boss', '绑定本群', room);
    expect(more).toEqual([]);
    expect(offer.card.actions.map((a: any) => a.id)).toEqual(['bind_chat:ST', 'bind_chat:WH']);
    expect((await o.tap('lead', offer.id, 'bind_chat:WH')).toast.kind).toBe('error');
    expect((await o.tap('boss', offer.id, 'bind_chat:WH')).toast.kind).toBe('success');
    const chats = await o.inv.ok('GET', '/api/v1/warehouses/WH/chats');
    expect(JSON.stringify(chats)).toContain(room);

    const [again] = await o.say('boss', 'bind this group', room);
    expect(again.card.body).toContain('WH');

    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    await deliver();
    const messages = (await o.inv.ok('GET', `/sandbox/api/chats/${room}/messages`)).messages;
    expect(messages.some((m: any) => m.card?.title?.includes(doc.number))).toBe(true);
  });

  it('绑定 123456 is still the account bind code', async () => {
    const o = await chatOrg();
    const [text] = await o.say('boss', '绑定 123456', `${o.slug}-room`);
    expect(text.text).toContain('已经绑定');
  });
});

describe('a WeCom approval card', () => {
  it('says how to reject by typing, with the card’s own number', () => {
    const card = renderApprovalCard({
      document: { id: '00000000-0000-4000-8000-000000000001', number: 'IS-20261125-0007', type: 'issue', warehouse: 'WH', toWarehouse: null, totalValue: '20.00', lines: [{ sku: 'A', qty: '2' }] },
      level: 1, levels: 1, timezone: 'Asia/Shanghai',
    });
    const r = renderWeComCard(card, 't1');
    const c = r.msgtype === 'template_card' ? r.template_card as Record<string, any> : {};
    expect(c.sub_title_text).toContain('驳回请发：驳回 IS-20261125-0007 <原因>');
    // Not cut off by a long card either.
    const long = renderWeComCard({ ...card, body: '很长的备注'.repeat(100) }, 't2');
    expect(long.msgtype === 'template_card' && long.template_card.sub_title_text).toMatch(/驳回请发：驳回 IS-20261125-0007 <原因>$/);
  });
});
