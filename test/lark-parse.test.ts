import { describe, expect, it } from 'vitest';
import { createLarkPlatform, larkActionBody } from '../bots/lark/index';
import { readLarkEnvelope, toInboundEvents } from '../bots/lark/parse';
import { InboundRejected } from '../bots/platform';
import { renderLarkCard } from '../cards/render-lark';
import type { Card } from '../cards/model';
import { larkBotAdded, larkCardAction, larkChallenge, larkEnvelope, larkMessageEvent } from './fakes/lark-server';

const bot = async () => 'ou_bot';
const parse = async (json: unknown, botOpenId: () => Promise<string | undefined> = bot) => toInboundEvents(readLarkEnvelope(json), botOpenId);
const atBot = { key: '@_user_1', openId: 'ou_bot', name: '进销存' };

describe('parsing Lark pushes into neutral events', () => {
  it('turns the URL challenge into its answer', async () => {
    expect(await parse({ ...larkChallenge('ch-1'), token: 'vtok' })).toEqual([{ type: 'challenge', answer: { challenge: 'ch-1' } }]);
  });

  it('reads a p2p text message, keyed by message id', async () => {
    const events = await parse(larkMessageEvent({ chatId: 'oc_p', senderOpenId: 'ou_zhang', text: '  库存   SKU-1 ', messageId: 'om_42', eventId: 'ev_1' }));
    expect(events).toEqual([{ type: 'message', dedupeKey: 'msg:om_42', messageId: 'om_42', chatId: 'oc_p', chatType: 'p2p', senderId: 'ou_zhang', text: '库存 SKU-1' }]);
  });

  it('keys two deliveries of one message alike even with different event ids', async () => {
    const a = await parse(larkMessageEvent({ chatId: 'oc', senderOpenId: 'ou', text: 'x', messageId: 'om_same', eventId: 'ev_a' }));
    const b = await parse(larkMessageEvent({ chatId: 'oc', senderOpenId: 'ou', text: 'x', messageId: 'om_same', eventId: 'ev_b' }));
    expect(a[0]).toMatchObject({ dedupeKey: 'msg:om_same' });
    expect(b[0]).toEqual(a[0]);
  });

  it('takes a group message that @-mentions the bot, without the mention', async () => {
    const events = await parse(larkMessageEvent({ chatType: 'group', chatId: 'oc_g', senderOpenId: 'ou_li', text: '@_user_1 退货 A1 3 件 @_user_2', mentions: [atBot, { key: '@_user_2', openId: 'ou_wang' }] }));
    expect(events).toMatchObject([{ type: 'message', chatType: 'group', chatId: 'oc_g', text: '退货 A1 3 件' }]);
  });

  it('ignores a group message that mentions someone else, nobody, or everyone', async () => {
    for (const mentions of [[{ key: '@_user_1', openId: 'ou_wang' }], [], [{ key: '@_all', openId: '' }]]) {
      const events = await parse(larkMessageEvent({ chatType: 'group', chatId: 'oc_g', senderOpenId: 'ou_li', text: '@_user_1 库存', mentions }));
      expect(events).toMatchObject([{ type: 'ignored' }]);
    }
  });

  it("counts any user mention as the bot's while the bot's own id is unknown", async () => {
    const msg = larkMessageEvent({ chatType: 'group', chatId: 'oc_g', senderOpenId: 'ou_li', text: '@_user_1 库存', mentions: [{ key: '@_user_1', openId: 'ou_someone' }] });
    expect(await parse(msg, async () => undefined)).toMatchObject([{ type: 'message', text: '库存' }]);
  });

  it('reads rich text (post), plain and wrapped in a locale, as its text runs', async () => {
    const content = { title: '', content: [[{ tag: 'at', user_id: '@_user_1', user_name: '进销存' }, { tag: 'text', text: ' 库存 ' }, { tag: 'a', href: 'https://x', text: 'SKU-9' }], [{ tag: 'img', image_key: 'img_1' }, { tag: 'text', text: '仓 A' }]] };
    for (const c of [content, { zh_cn: content }]) {
      const events = await parse(larkMessageEvent({ chatType: 'group', chatId: 'oc', senderOpenId: 'ou', messageType: 'post', content: c, mentions: [atBot] }));
      expect(events).toMatchObject([{ type: 'message', text: '库存 SKU-9 仓 A' }]);
    }
  });

  it('ignores images and other message types', async () => {
    expect(await parse(larkMessageEvent({ chatId: 'oc', senderOpenId: 'ou', messageType: 'image', content: { image_key: 'img' } }))).toMatchObject([{ type: 'ignored' }]);
  });

  it('reads a card click: the action id from value.a, the form as strings, ids from the context, the update token', async () => {
    const events = await parse(larkCardAction({ operatorOpenId: 'ou_boss', actionId: 'approve:6f1c', formValue: { reason: '数量不对', qty: 3, ok: true }, chatId: 'oc_c', messageId: 'om_card', updateToken: 'c-tok', eventId: 'ev_click' }));
    expect(events).toEqual([{ type: 'action', dedupeKey: 'evt:ev_click', actionId: 'approve:6f1c', form: { reason: '数量不对', qty: '3', ok: 'true' }, senderId: 'ou_boss', chatId: 'oc_c', messageId: 'om_card', updateToken: 'c-tok' }]);
  });

  it('ignores a click on a button that is not ours', async () => {
    expect(await parse(larkCardAction({ operatorOpenId: 'ou', value: { action: 'other' } }))).toMatchObject([{ type: 'ignored' }]);
  });

  it('offers binding when the bot is added to a group', async () => {
    expect(await parse(larkBotAdded({ chatId: 'oc_new', name: '一号仓', operatorOpenId: 'ou_admin', eventId: 'ev_add' }))).toEqual([
      { type: 'bot_added', dedupeKey: 'evt:ev_add', chatId: 'oc_new', chatName: '一号仓', addedBy: 'ou_admin' },
    ]);
  });

  it('ignores events it does not handle', async () => {
    expect(await parse(larkEnvelope('im.chat.disbanded_v1', { chat_id: 'oc' }))).toMatchObject([{ type: 'ignored' }]);
  });

  it('refuses malformed envelopes and events with 400', async () => {
    const notJsonContent = larkMessageEvent({ chatId: 'oc', senderOpenId: 'ou' });
    notJsonContent.event.message.content = 'not json';
    const bad = [
      { schema: '2.0', header: { event_type: 'im.message.receive_v1' }, event: {} },
      larkEnvelope('im.message.receive_v1', { message: { message_id: 'om' } }),
      notJsonContent,
      larkEnvelope('card.action.trigger', { action: { value: { a: 'x' } } }),
      [1, 2],
    ];
    for (const json of bad) await expect(parse(json)).rejects.toSatisfy((e) => e instanceof InboundRejected && e.status === 400);
  });
});

describe('answering Lark', () => {
  const platform = createLarkPlatform({ app: 'default', appId: 'cli_x', appSecret: 's', verificationToken: 'v', domain: 'feishu', botOpenId: 'ou_bot' });
  const card: Card = { title: '采购单 PO-1 已批准', tone: 'success', fields: [{ label: '金额', value: '¥1,200.00' }], actions: [], status: '已批准 · 张三' };
  const click = { type: 'action', dedupeKey: 'evt:1', actionId: 'approve:x', form: {}, senderId: 'ou', chatId: null, messageId: null } as const;

  it('answers a click with a toast and the new card in place', async () => {
    const res = await platform.respond(click, { toast: { kind: 'success', text: '已批准' }, card });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ toast: { type: 'success', content: '已批准' }, card: { type: 'raw', data: renderLarkCard(card) } });
  });

  it('sends only the parts given: a toast alone leaves the card as it is', async () => {
    expect(larkActionBody({ toast: { kind: 'error', text: '已由李四处理' } })).toEqual({ toast: { type: 'error', content: '已由李四处理' } });
    expect(await (await platform.respond(click)).json()).toEqual({});
  });

  it('acknowledges messages and other events with an empty 200', async () => {
    const res = await platform.respond({ type: 'message', dedupeKey: 'msg:1', messageId: 'om', chatId: 'oc', chatType: 'p2p', senderId: 'ou', text: 'hi' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
  });
});
