import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { chatBindings } from '../db/schema';
import { runOutboxDelivery } from '../src/chat/delivery';
import { larkBotAdded, larkCardAction, larkMessageEvent, type FakeLark } from './fakes/lark-server';
import { type TestApp } from './harness';
import { pushLark, withLarkApp } from './support/lark-app';
import { approvalOrg } from './support/approvals';

// The bot added to a Lark group offers to bind it to a warehouse; only an admin's tap binds it.
const keys = { encryptKey: 'k', verificationToken: 'v' };
let h: TestApp;
let fake: FakeLark;
withLarkApp(keys, (app, lark) => ([h, fake] = [app, lark]));

const push = (body: Record<string, unknown>) => pushLark(h, keys, body);

it('offers the adder’s warehouses when the bot joins a group, and binds it on an admin’s tap', async () => {
  const o = await approvalOrg(h);
  const admin = `ou_${o.slug}_boss`;
  const lead = `ou_${o.slug}_lead`;
  await o.inv.ok('POST', `/api/v1/users/${o.as.boss.id}/identities`, { platform: 'lark', externalId: admin });
  await o.inv.ok('POST', `/api/v1/users/${o.as.lead.id}/identities`, { platform: 'lark', externalId: lead });
  const chatId = `oc_${o.slug}_new`;
  expect((await push(larkBotAdded({ chatId, operatorOpenId: admin }))).status).toBe(200);
  await h.drainInbound();
  await runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, new Date());
  const [offer] = fake.shownIn(chatId);
  expect(JSON.stringify(offer!.content)).toContain('bind_chat:WH');

  const refused = await push(larkCardAction({ operatorOpenId: lead, actionId: 'bind_chat:WH', chatId, messageId: offer!.messageId }));
  expect(refused.body.toast.type).toBe('error');
  const bound = await push(larkCardAction({ operatorOpenId: admin, actionId: 'bind_chat:WH', chatId, messageId: offer!.messageId }));
  expect(bound.body.toast.type).toBe('success');
  const rows = await h.db.select().from(chatBindings).where(and(eq(chatBindings.orgId, o.orgId), eq(chatBindings.chatId, chatId)));
  expect(rows.map((r) => [r.platform, r.purposes])).toEqual([['lark', ['alerts', 'approvals', 'digest']]]);
});

it('a group added by someone unknown is asked to have an admin bind accounts first', async () => {
  const chatId = 'oc_stranger_group';
  await push(larkBotAdded({ chatId, operatorOpenId: 'ou_nobody' }));
  await h.drainInbound();
  await runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, new Date());
  expect(JSON.stringify(fake.shownIn(chatId)[0]?.content)).toContain('管理员');
});

it('a click Lark delivers twice (the same event) has its effect once', async () => {
  const o = await approvalOrg(h);
  const sup = `ou_${o.slug}_sup1`;
  await o.inv.ok('POST', `/api/v1/users/${o.as.sup1.id}/identities`, { platform: 'lark', externalId: sup });
  await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
  const doc = await o.submit('issue', [{ sku: 'A', qty: 1 }]);
  const click = larkCardAction({ operatorOpenId: sup, actionId: `approve:${doc.id}`, eventId: `evt_${o.slug}` });
  const first = await push(click);
  const second = await push(click);
  expect(first.body.toast.type).toBe('success');
  expect(second.body.toast.type).toBe('info');
  const ledger = (await o.inv.ledger('A', 'WH')).filter((e: any) => e.document === doc.id);
  expect(ledger).toHaveLength(1);
});

it('an admin typing 绑定本群 in a one-to-one Lark chat (whose id is not theirs) is told to send it in the group, and nothing is bound', async () => {
  const o = await approvalOrg(h);
  const admin = `ou_${o.slug}_boss_p2p`;
  await o.inv.ok('POST', `/api/v1/users/${o.as.boss.id}/identities`, { platform: 'lark', externalId: admin });
  const chatId = `oc_${o.slug}_p2p`;
  const message = larkMessageEvent({ chatId, chatType: 'p2p', senderOpenId: admin, text: '绑定本群' });
  expect((await push(message)).status).toBe(200);
  await h.drainInbound();
  await runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, new Date());
  const replies = fake.shown.filter((m) => m.replyTo === message.event.message.message_id);
  expect(replies).toHaveLength(1);
  const shown = JSON.stringify(replies);
  expect(shown).toContain('群');
  expect(shown).not.toContain('bind_chat:');
  expect(await h.db.select().from(chatBindings).where(eq(chatBindings.orgId, o.orgId))).toEqual([]);
});
