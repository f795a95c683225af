import { larkMessageEvent, larkRequest, type FakeLark } from '../fakes/lark-server';
import { openLoop, type LoadResult } from './load';
import { percentile } from './measure';
import { benchItem } from './seed';
import { request } from './service';

export const LARK = { encryptKey: 'bench encrypt key', verificationToken: 'bench-vtok' };

/**
 * People asking at once, each in their own 1:1 chat with the bot. Lark lets a bot send 5 messages a
 * second into one chat (and the outbox paces to that), so 200 questions a second from a single chat
 * could never all be answered; spread over 50 chats it is 4 a second each, within the limit.
 */
const CHATS = 50;
/** How long to wait, after the last push, for every reply to reach the fake Lark. */
const REPLY_WAIT_MS = 120_000;

export type WebhookResult = LoadResult & {
  /** Pushes answered 200, and how many of them got their reply (a stock card) at the fake Lark. */
  pushed: number; answered: number;
  /** Replies beyond one per message: a message answered twice. */
  doubled: number;
  /** From the push to its reply at the fake Lark (what the asker waits), p50 / p99. */
  replyP50Ms: number; replyP99Ms: number;
};

/**
 * Signed, encrypted Lark message events (`库存 <sku>` from bound users) pushed to
 * POST /webhooks/lark/default at `perSecond` for `seconds`, whatever the answers' pace, as Lark
 * pushes them; each one's time in the app (Server-Timing). Then, so that an answer that drops work
 * cannot look fast, waits for every pushed message's reply at the fake Lark (through the outbox) and
 * counts them.
 */
export async function pushLark(base: string, key: string, fake: FakeLark, perSecond: number, seconds: number): Promise<WebhookResult> {
  const openId = (c: number) => `ou_bench_${c}`;
  for (let c = 0; c < CHATS; c++) {
    const user = await request(base, key, 'POST', '/api/v1/users', { name: `主管${c}`, roles: ['warehouse_lead'], warehouses: ['W01'], identities: [{ platform: 'lark', externalId: openId(c) }] });
    if (user.status !== 201) throw new Error(`lark user → ${user.status} ${JSON.stringify(user.body)}`);
  }
  const pushedAt = new Map<string, number>();
  const load = await openLoop(perSecond, seconds, async (n) => {
    const c = n % CHATS;
    const event = larkMessageEvent({ chatId: `oc_bench_p2p_${c}`, senderOpenId: openId(c), text: `库存 ${benchItem(n * 5).sku}` });
    const { headers, rawBody } = larkRequest({ body: event, ...LARK });
    const start = Date.now();
    const res = await fetch(`${base}/webhooks/lark/default`, { method: 'POST', headers, body: rawBody });
    await res.text();
    if (res.status !== 200) return `${res.status}`;
    pushedAt.set(event.event.message.message_id, start);
    return Number(res.headers.get('server-timing')?.match(/app;dur=([\d.]+)/)?.[1] ?? NaN);
  });
  const replies = () => fake.shown.filter((m) => m.replyTo !== undefined && pushedAt.has(m.replyTo));
  const until = Date.now() + REPLY_WAIT_MS;
  while (new Set(replies().map((m) => m.replyTo)).size < pushedAt.size && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  const got = replies().filter((m) => m.msgType === 'interactive');
  const firsts = new Map<string, number>();
  for (const m of got) if (!firsts.has(m.replyTo!)) firsts.set(m.replyTo!, m.shownAt);
  const waits = [...firsts].map(([id, at]) => at - pushedAt.get(id)!);
  return {
    ...load, pushed: pushedAt.size, answered: firsts.size, doubled: got.length - firsts.size,
    replyP50Ms: Math.round(percentile(waits, 50)), replyP99Ms: Math.round(percentile(waits, 99)),
  };
}
