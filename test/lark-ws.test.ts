import { describe, expect, it } from 'vitest';
import { createLarkPlatform } from '../bots/lark/index';
import { createLarkDispatcher, startLarkLongConnection } from '../bots/lark/ws';
import type { InboundEvent } from '../bots/platform';
import { createLogger } from '../src/lib/logger';
import { larkCardAction, larkMessageEvent } from './fakes/lark-server';

// The real long connection speaks protobuf frames to Lark and cannot be pointed at a fake; what can be
// tested here is the SDK's dispatcher feeding our parser, and that only the lock holder connects.
const platform = createLarkPlatform({ app: 'default', appId: 'cli_x', appSecret: 's', verificationToken: undefined, domain: 'feishu', botOpenId: 'ou_bot' });
const log = createLogger('silent');

describe('Lark long connection', () => {
  it("hands the SDK dispatcher's events to the callback as the webhook would, and answers a click over the socket", async () => {
    const seen: InboundEvent[] = [];
    const dispatcher = createLarkDispatcher(platform, async (event) => {
      seen.push(event);
      return event.type === 'action' ? { toast: { kind: 'success', text: '已批准' } } : undefined;
    });
    const answer = await dispatcher.invoke(larkCardAction({ operatorOpenId: 'ou_boss', actionId: 'approve:1', chatId: 'oc_c', messageId: 'om_c', updateToken: 'c-upd', eventId: 'ev_ws' }), { needCheck: false });
    expect(answer).toEqual({ toast: { type: 'success', content: '已批准' } });
    await dispatcher.invoke(larkMessageEvent({ chatId: 'oc_p', senderOpenId: 'ou_li', text: '库存 A1', messageId: 'om_ws' }), { needCheck: false });
    expect(seen).toEqual([
      { type: 'action', dedupeKey: 'evt:ev_ws', actionId: 'approve:1', form: {}, senderId: 'ou_boss', chatId: 'oc_c', messageId: 'om_c', updateToken: 'c-upd' },
      { type: 'message', dedupeKey: 'msg:om_ws', messageId: 'om_ws', chatId: 'oc_p', chatType: 'p2p', senderId: 'ou_li', text: '库存 A1' },
    ]);
  });

  it('does not connect without the lock, and connects once when the lock comes free', async () => {
    let free = false;
    let asked = 0;
    let connects = 0;
    let closes = 0;
    const handle = await startLarkLongConnection({
      platform, appId: 'cli_x', appSecret: 's', domain: 'feishu', log, onEvent: async () => undefined, retryLockMs: 10,
      tryLock: async () => (asked++, free),
      connect: () => (connects++, { close: () => void closes++ }),
    });
    expect(handle.connected).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(asked).toBeGreaterThan(1);
    expect(connects).toBe(0);
    free = true;
    await expect.poll(() => handle.connected).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(connects).toBe(1);
    handle.stop();
    expect(closes).toBe(1);
    expect(handle.connected).toBe(false);
  });

  it('stops asking for the lock when stopped before getting it, and survives a failing lock query', async () => {
    let asked = 0;
    const handle = await startLarkLongConnection({
      platform, appId: 'cli_x', appSecret: 's', domain: 'feishu', log, onEvent: async () => undefined, retryLockMs: 10,
      tryLock: async () => {
        asked++;
        throw new Error('connection refused');
      },
      connect: () => {
        throw new Error('must not connect');
      },
    });
    await new Promise((r) => setTimeout(r, 40));
    expect(asked).toBeGreaterThan(1);
    handle.stop();
    const after = asked;
    await new Promise((r) => setTimeout(r, 40));
    expect(asked).toBe(after);
    expect(handle.connected).toBe(false);
  });
});
