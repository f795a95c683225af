import { and, eq, inArray, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LarkPlatform } from '../bots/lark';
import { queryRows } from '../db/client';
import { deliveries, inboundEvents } from '../db/schema';
import { runOutboxDelivery } from '../src/chat/delivery';
import { processEvent } from '../src/chat/inbound';
import { drainInbound, MAX_ATTEMPTS } from '../src/chat/inbound-queue';
import { createLogger } from '../src/lib/logger';
import { startDeliveryLoop, startInboundLoop } from '../jobs/poll-loop';
import { larkMessageEvent, type FakeLark } from './fakes/lark-server';
import { testDatabaseUrl, type TestApp } from './harness';
import { pushLark, withLarkApp } from './support/lark-app';
import { inventory } from './support/inventory';

/**
 * Lark messages are acknowledged once recorded and answered just after (src/chat/inbound-queue.ts):
 * through HTTP with signed, encrypted pushes and a fake Lark, on PGlite and on Postgres. Failures are
 * real ones: a trigger that refuses or delays the reply's insert, inside the handling transaction.
 */
const ENCRYPT_KEY = 'queue key';
const VTOK = 'queue-vtok';

const keys = { encryptKey: ENCRYPT_KEY, verificationToken: VTOK };
let h: TestApp;
let fake: FakeLark;
withLarkApp(keys, (app, lark) => ([h, fake] = [app, lark]));

type Message = ReturnType<typeof larkMessageEvent>;

const push = async (body: Message) => pushLark(h, keys, body) as Promise<{ status: number; body: unknown }>;
const deliver = (at = h.deps.now()) => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, at);
const idOf = (m: Message) => m.event.message.message_id;
const repliesTo = (m: Message) => fake.shown.filter((s) => s.replyTo === idOf(m));
const recorded = async (m: Message) => (await h.db.select().from(inboundEvents)
  .where(and(eq(inboundEvents.platform, 'lark'), eq(inboundEvents.eventKey, `msg:${idOf(m)}`))));
const replyRows = (ms: Message[]) => h.db.select().from(deliveries).where(inArray(deliveries.messageId, ms.map(idOf)));

/** A new organisation with `n` people bound to Lark, each asking in their own 1:1 chat. */
async function people(n = 1) {
  const org = await h.createOrg();
  const inv = inventory(org.api);
  const asker = async (i: number) => {
    const openId = `ou_${org.slug}_${i}`;
    await inv.ok('POST', '/api/v1/users', { name: `Person ${i}`, roles: ['supervisor'], identities: [{ platform: 'lark', externalId: openId }] });
    const chatId = `oc_${org.slug}_${i}`;
    return { openId, chatId, says: (text: string, messageId?: string) => larkMessageEvent({ chatId, senderOpenId: openId, text, ...(messageId ? { messageId } : {}) }) };
  };
  return { ...org, inv, people: await Promise.all(Array.from({ length: n }, (_, i) => asker(i))) };
}

/** A trigger on the reply's insert (inside the handling transaction) that fails or stalls the replies to some messages. */
async function onReplyInsert(name: string, body: string) {
  await h.db.execute(sql.raw(`create or replace function ${name}() returns trigger language plpgsql as $$ begin ${body} return new; end $$`));
  await h.db.execute(sql.raw(`create trigger ${name} before insert on deliveries for each row execute function ${name}()`));
  return async () => {
    await h.db.execute(sql.raw(`drop trigger if exists ${name} on deliveries`));
    await h.db.execute(sql.raw(`drop function if exists ${name}()`));
  };
}

describe('a Lark message is acknowledged first and answered just after', () => {
  it('answers the push 200 while the reply does not exist yet; the drain then answers it, once', async () => {
    const { people: [p] } = await people();
    const m = p!.says('帮助');
    expect(await push(m)).toEqual({ status: 200, body: {} });
    expect(await recorded(m)).toMatchObject([{
      status: 'pending', attempts: 0, chatId: p!.chatId, handledAt: null,
      event: { event: { type: 'message', messageId: idOf(m), chatId: p!.chatId, senderId: p!.openId, text: '帮助' } },
    }]);
    expect(await replyRows([m])).toEqual([]);
    await deliver();
    expect(repliesTo(m)).toEqual([]);

    expect(await h.drainInbound()).toMatchObject({ handled: 1, retried: 0, dead: 0 });
    // Answered: what was written is not kept.
    expect(await recorded(m)).toMatchObject([{ status: 'handled', handledAt: expect.any(Date), event: null }]);
    await deliver();
    expect(repliesTo(m).map((r) => String(r.content?.text))).toEqual([expect.stringContaining('库存')]);
  });

  it('a chat with a long queue behind an event backing off does not hold the other chats back', async () => {
    const { people: [busy, other] } = await people(2);
    // More waiting events in one chat than a claim looks at first (64), its oldest backing off.
    const queued = Array.from({ length: 70 }, (_, i) => busy!.says(`帮助 ${i}`));
    for (const m of queued) expect((await push(m)).status).toBe(200);
    const later = other!.says('帮助');
    expect((await push(later)).status).toBe(200);
    await h.db.update(inboundEvents).set({ nextAttemptAt: new Date(Date.now() + 3_600_000), attempts: 1 })
      .where(and(eq(inboundEvents.platform, 'lark'), eq(inboundEvents.eventKey, (await recorded(queued[0]!))[0]!.eventKey)));
    expect(await h.drainInbound()).toMatchObject({ handled: 1 });
    expect((await recorded(later))[0]).toMatchObject({ status: 'handled' });
    // The busy chat still waits in order: nothing of it was taken past its head.
    expect((await recorded(queued[1]!))[0]).toMatchObject({ status: 'pending' });
  });

  it("over Lark's long connection too: the socket's answer is given once the message is recorded, the reply after", async () => {
    const { people: [p] } = await people();
    const lark = h.deps.platforms.get('lark', 'default', null) as LarkPlatform;
    const m = p!.says('帮助');
    // What the SDK's dispatcher hands over (bots/lark/ws.ts), already authenticated by the socket.
    const [event] = await lark.parseTrusted(m);
    expect(await processEvent(h.deps, lark, event!)).toBeUndefined();
    expect(await recorded(m)).toMatchObject([{ status: 'pending' }]);
    expect(await replyRows([m])).toEqual([]);
    await h.drainInbound();
    await deliver();
    expect(repliesTo(m)).toHaveLength(1);
  });

  it('in the running service the acknowledgement nudges the drain and the drain nudges delivery: the reply arrives within seconds', async () => {
    const log = createLogger('silent');
    // Polls an hour apart: only the nudges can make the reply arrive in time.
    const inbound = startInboundLoop(() => drainInbound(h.deps), { intervalMs: 3_600_000, log });
    const delivery = startDeliveryLoop(() => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log, timezone: 'Asia/Shanghai' }, new Date()),
      { intervalMs: 3_600_000, log });
    h.deps.nudgeInbound = inbound.nudge;
    h.deps.nudgeDelivery = delivery.nudge;
    try {
      const { people: [p] } = await people();
      const m = p!.says('帮助');
      const pushed = Date.now();
      expect((await push(m)).status).toBe(200);
      await expect.poll(() => repliesTo(m).length, { timeout: 5_000, interval: 20 }).toBe(1);
      expect(Date.now() - pushed).toBeLessThan(5_000);
    } finally {
      delete h.deps.nudgeInbound;
      delete h.deps.nudgeDelivery;
      await inbound.stop();
      await delivery.stop();
    }
  });
});

describe('nothing lost, nothing doubled', () => {
  it('a push Lark repeats (same message, new event id), before or after the answer, is answered once', async () => {
    const { people: [p] } = await people();
    const m = p!.says('帮助');
    const again = (suffix: string): Message => ({ ...m, header: { ...m.header, event_id: `${m.header.event_id}-${suffix}` } });
    expect((await push(m)).status).toBe(200);
    expect((await push(again('1'))).status).toBe(200);
    expect(await h.drainInbound()).toMatchObject({ handled: 1 });
    expect((await push(again('2'))).status).toBe(200);
    expect(await h.drainInbound()).toMatchObject({ handled: 0 });
    await deliver();
    await deliver();
    expect(await recorded(m)).toHaveLength(1);
    expect(await replyRows([m])).toHaveLength(1);
    expect(repliesTo(m)).toHaveLength(1);
  });

  it('two drains at once (two instances) share the waiting messages: each is answered exactly once', async () => {
    const { people: ps } = await people(4);
    const ms = Array.from({ length: 16 }, (_, i) => ps[i % 4]!.says(i % 2 ? '帮助' : '库存 X'));
    for (const m of ms) expect((await push(m)).status).toBe(200);
    const [a, b] = await Promise.all([drainInbound(h.deps), drainInbound(h.deps)]);
    expect(a.handled + b.handled).toBe(16);
    const rows = await replyRows(ms);
    expect(rows.map((r) => r.messageId).sort()).toEqual(ms.map(idOf).sort());
  });

  it('a message recorded but never handled (the process died after the acknowledgement) is answered by the periodic drain', async () => {
    const { people: [p] } = await people();
    const m = p!.says('帮助');
    // No drain: as if the process stopped right after answering Lark.
    expect((await push(m)).status).toBe(200);
    expect(await recorded(m)).toMatchObject([{ status: 'pending' }]);
    // A restarted process: its loop is never nudged, only polls.
    const loop = startInboundLoop(() => drainInbound(h.deps), { intervalMs: 50, log: createLogger('silent') });
    try {
      await expect.poll(async () => (await recorded(m))[0]?.status, { timeout: 5_000, interval: 50 }).toBe('handled');
    } finally {
      await loop.stop();
    }
    await deliver();
    expect(repliesTo(m)).toHaveLength(1);
  });
});

describe('failures and order', () => {
  it('a handling that fails is rolled back and tried again after a backoff; the chat waits, other chats do not', async () => {
    const { people: [p, q] } = await people(2);
    const t0 = new Date();
    h.setNow(t0);
    const failing = p!.says('帮助', `om_fail_${randomId()}`);
    const next = p!.says('帮助');
    const elsewhere = q!.says('帮助');
    const stop = await onReplyInsert('refuse_fail_replies', `if new.message_id like 'om_fail_%' then raise exception 'replies refused by the test'; end if;`);
    try {
      for (const m of [failing, next, elsewhere]) expect((await push(m)).status).toBe(200);
      expect(await h.drainInbound()).toEqual({ handled: 1, retried: 1, dead: 0 });
      const [row] = await recorded(failing);
      expect(row).toMatchObject({
        status: 'pending', attempts: 1, lastError: expect.stringContaining('replies refused by the test'), handledAt: null,
        event: { event: { messageId: idOf(failing) } },
      });
      expect(row!.nextAttemptAt!.getTime() - t0.getTime()).toBeGreaterThanOrEqual(750);
      expect(row!.nextAttemptAt!.getTime() - t0.getTime()).toBeLessThanOrEqual(1_250);
      // Nothing of the failed handling stayed; the next message of that chat waits behind it; the other chat was answered.
      expect(await replyRows([failing, next])).toEqual([]);
      expect(await recorded(next)).toMatchObject([{ status: 'pending', attempts: 0 }]);
      expect(await replyRows([elsewhere])).toHaveLength(1);

      // Not before its time; then tried again, failing again: a longer wait.
      expect(await h.drainInbound()).toEqual({ handled: 0, retried: 0, dead: 0 });
      h.setNow(row!.nextAttemptAt!);
      expect(await h.drainInbound()).toEqual({ handled: 0, retried: 1, dead: 0 });
      const [second] = await recorded(failing);
      expect(second!.attempts).toBe(2);
      expect(second!.nextAttemptAt!.getTime() - row!.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(1_500);
    } finally {
      await stop();
    }
    // The cause gone: both answered, in the order they were sent, once.
    h.setNow(new Date(t0.getTime() + 60_000));
    expect(await h.drainInbound()).toEqual({ handled: 2, retried: 0, dead: 0 });
    await deliver();
    const shown = fake.shown.filter((s) => s.replyTo === idOf(failing) || s.replyTo === idOf(next));
    expect(shown.map((s) => s.replyTo)).toEqual([idOf(failing), idOf(next)]);
    h.setNow(undefined);
  });

  it(`a message whose handling keeps failing is dead after ${MAX_ATTEMPTS} tries, and its chat goes on`, async () => {
    const { people: [p] } = await people();
    let at = new Date();
    h.setNow(at);
    const poison = p!.says('帮助', `om_poison_${randomId()}`);
    const after = p!.says('帮助');
    const stop = await onReplyInsert('refuse_poison_replies', `if new.message_id like 'om_poison_%' then raise exception 'poisoned'; end if;`);
    try {
      for (const m of [poison, after]) expect((await push(m)).status).toBe(200);
      const summaries = [];
      for (let i = 0; i < MAX_ATTEMPTS; i++) {
        summaries.push(await h.drainInbound());
        at = new Date(at.getTime() + 120_000);
        h.setNow(at);
      }
      // Each try fails while the next message waits behind it; at the last the dead one lets its chat go on, in the same drain.
      expect(summaries).toEqual([...Array(MAX_ATTEMPTS - 1).fill({ handled: 0, retried: 1, dead: 0 }), { handled: 1, retried: 0, dead: 1 }]);
      expect(await recorded(poison)).toMatchObject([{ status: 'dead', attempts: MAX_ATTEMPTS, lastError: expect.stringContaining('poisoned') }]);
      expect(await replyRows([poison])).toEqual([]);
      expect(await replyRows([after])).toHaveLength(1);
    } finally {
      await stop();
      h.setNow(undefined);
    }
  });

  it("handles one chat's messages one at a time in the order received, while other chats go on", async () => {
    const { people: [a, b] } = await people(2);
    // Every reply's insert is logged with the time it ran; the first message's stalls 2 s inside its transaction
    // (long enough that B's messages, on other connections, are done within it even on a loaded machine).
    await h.db.execute(sql`create table if not exists reply_log (message_id text, at timestamptz)`);
    const stop = await onReplyInsert('log_replies', `insert into reply_log values (new.message_id, clock_timestamp()); if new.message_id like 'om_slow_%' then perform pg_sleep(2); end if;`);
    const first = a!.says('帮助', `om_slow_${randomId()}`);
    const ms = [first, b!.says('帮助'), a!.says('帮助'), b!.says('帮助'), a!.says('帮助')];
    try {
      for (const m of ms) expect((await push(m)).status).toBe(200);
      expect(await drainInbound(h.deps, { concurrency: 4 })).toMatchObject({ handled: 5 });
    } finally {
      await stop();
    }
    const log = await queryRows<{ message_id: string; at: Date | string }>(h.db, sql`select message_id, at from reply_log order by at`);
    const at = (m: Message) => new Date(log.find((l) => l.message_id === idOf(m))!.at).getTime();
    const [a1, b1, a2, b2, a3] = ms as [Message, Message, Message, Message, Message];
    // A's second message began only after its first one committed, past the stall; its third after the second.
    expect(at(a2) - at(a1)).toBeGreaterThanOrEqual(2000);
    expect(at(a3)).toBeGreaterThan(at(a2));
    expect(at(b2)).toBeGreaterThan(at(b1));
    // Another instance's worth of concurrency (Postgres; PGlite has one connection): B did not wait for A's stall.
    if (h.deps.database.engine === 'postgres') expect(at(b2)).toBeLessThan(at(a2));
    await deliver();
    for (const chat of [a!.chatId, b!.chatId]) {
      const sent = ms.filter((m) => m.event.message.chat_id === chat).map(idOf);
      expect(fake.shown.filter((s) => sent.includes(s.replyTo ?? '')).map((s) => s.replyTo)).toEqual(sent);
    }
  });
});

// On a real server the database can go away under the drain: connections killed from a second
// session, the database closed to new ones (as in test/db-outage.test.ts).
describe.skipIf(!testDatabaseUrl)('the database away', () => {
  let admin: ReturnType<typeof postgres>;
  let dbName: string;
  beforeAll(async () => {
    admin = postgres(testDatabaseUrl!, { max: 1, onnotice: () => {} });
    [{ name: dbName }] = await queryRows<{ name: string }>(h.db, sql`select current_database() as name`) as [{ name: string }];
  });
  afterAll(async () => {
    await admin?.unsafe(`alter database ${dbName} allow_connections true`).catch(() => {});
    await admin?.end();
  });
  const terminate = () => admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid()`;
  const close = async () => {
    await admin.unsafe(`alter database ${dbName} allow_connections false`);
    await terminate();
  };
  const open = () => admin.unsafe(`alter database ${dbName} allow_connections true`);

  it('a push that cannot be recorded is refused (503, Lark pushes again); one recorded before is answered once the database is back', async () => {
    const { people: [p] } = await people();
    const before = p!.says('帮助');
    const during = p!.says('帮助');
    expect((await push(before)).status).toBe(200);
    const lines: string[] = [];
    const loop = startInboundLoop(() => drainInbound(h.deps), { intervalMs: 50, log: createLogger('info', (l) => lines.push(l)) });
    try {
      await close();
      try {
        expect((await push(during)).status).toBe(503);
        await new Promise((r) => setTimeout(r, 500));
        expect(lines.filter((l) => l.includes('database unavailable')), 'said once').toHaveLength(1);
      } finally {
        await open();
      }
      // Lark's retry of the refused push, after the database is back.
      await expect.poll(async () => (await push(during)).status, { timeout: 10_000, interval: 100 }).toBe(200);
      await expect.poll(async () => (await recorded(during))[0]?.status, { timeout: 10_000, interval: 50 }).toBe('handled');
      expect((await recorded(before))[0]?.status).toBe('handled');
    } finally {
      await loop.stop();
    }
    await deliver();
    expect([repliesTo(before).length, repliesTo(during).length]).toEqual([1, 1]);
  });

  it('a handling whose connection dies mid-way is rolled back and handled once, later', async () => {
    const { people: [p] } = await people();
    const m = p!.says('帮助', `om_stall_${randomId()}`);
    expect((await push(m)).status).toBe(200);
    const stop = await onReplyInsert('stall_replies', `if new.message_id like 'om_stall_%' then perform pg_sleep(60); end if;`);
    let drained: unknown;
    // One worker: with four, one that had not begun its claim when the connections died (a loaded CI
    // machine) took the rolled-back event up at once, on a new connection — handled once, as it should
    // be, but no longer the 'pending' this test looks at.
    const drain = drainInbound(h.deps, { concurrency: 1 }).then((s) => { drained = s; }, (err: unknown) => { drained = err; });
    try {
      // Kill the connections while the handling sits in its transaction, past the claim.
      await expect.poll(async () => (await admin`select count(*)::int as n from pg_stat_activity where datname = ${dbName} and query like '%deliveries%' and wait_event = 'PgSleep'`)[0]!.n,
        { timeout: 30_000, interval: 20 }).toBe(1);
      await terminate();
      await drain;
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      // The pool notices its killed connections as they fail: a statement or two may meet one first.
      await expect.poll(() => stop().then(() => true, () => false), { timeout: 10_000, interval: 100 }).toBe(true);
    }
    expect(drained).toBeDefined();
    // Not handled, nothing of it kept: it waits for its next try.
    expect(await recorded(m)).toMatchObject([{ status: 'pending', handledAt: null }]);
    expect(await replyRows([m])).toEqual([]);
    h.setNow(new Date(Date.now() + 120_000));
    try {
      expect(await h.drainInbound()).toMatchObject({ handled: 1 });
    } finally {
      h.setNow(undefined);
    }
    await deliver(new Date(Date.now() + 120_000));
    expect(repliesTo(m)).toHaveLength(1);
  });
});

const randomId = () => Math.random().toString(36).slice(2, 10);
