import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, sandboxMessages } from '../db/schema';
import { backoffMs, claimDeliveries, deliveryKey, LEASE_MS, MAX_ATTEMPTS, runOutboxDelivery } from '../src/chat/delivery';
import { startFakeLark, type FakeLark } from './fakes/lark-server';
import { createTestApp, type TestApp } from './harness';

let h: TestApp;
let fake: FakeLark;
beforeAll(async () => {
  fake = await startFakeLark();
  h = await createTestApp({ config: { LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_VERIFICATION_TOKEN: 'vtok', LARK_DOMAIN: fake.url } });
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

const run = (at: Date) => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, at);

/** Text notifications queued for Lark chats, as the fan-out would write them. */
async function queue(orgId: string, texts: { chat: string; text: string }[], at: Date) {
  await h.db.insert(deliveries).values(texts.map((t, i) => ({
    orgId, dedupeKey: `test:${orgId}:${i}`, action: 'send' as const, platform: 'lark', app: 'default', targetKind: 'chat' as const,
    targetId: t.chat, subject: 'text', body: { text: t.text }, nextAttemptAt: at, createdAt: at,
  })));
}

const texts = (chat: string) => fake.shownIn(chat).map((m) => JSON.parse(typeof m.content === 'string' ? m.content : JSON.stringify(m.content)).text as string);

describe('outbox delivery', () => {
  it('with the platform failing half of all sends, 200 notifications all arrive exactly once', async () => {
    const { orgId } = await h.createOrg();
    const items = Array.from({ length: 200 }, (_, i) => ({ chat: `oc_half_${i % 20}`, text: `n${i}` }));
    let at = new Date('2026-11-25T00:00:00Z');
    await queue(orgId, items, at);
    fake.failRandomly(0.5, 7);
    try {
      for (let round = 0; round < 60; round++) {
        await run(at);
        const left = await h.db.select().from(deliveries).where(and(eq(deliveries.orgId, orgId), eq(deliveries.status, 'pending')));
        if (left.length === 0) break;
        at = new Date(at.getTime() + 13 * 60_000); // past the longest backoff (10 min + 25 %)
      }
    } finally {
      fake.failRandomly(0);
    }
    const rows = await h.db.select().from(deliveries).where(eq(deliveries.orgId, orgId));
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    const shown = Array.from({ length: 20 }, (_, c) => texts(`oc_half_${c}`)).flat().sort();
    expect(shown).toEqual(items.map((i) => i.text).sort());
    expect(rows.some((r) => r.attempts > 1)).toBe(true); // failures really happened
  });

  it('a process killed between claiming and sending loses nothing and, after its lease, sends once', async () => {
    const { orgId } = await h.createOrg();
    const at = new Date('2026-11-26T00:00:00Z');
    await queue(orgId, [{ chat: 'oc_crash', text: 'claimed then lost' }], at);
    const claimed = await claimDeliveries(h.db, at); // …and the process dies here
    expect(claimed.map((d) => d.targetId)).toContain('oc_crash');
    expect((await run(new Date(at.getTime() + LEASE_MS / 2))).sent).toBe(0); // still leased
    await run(new Date(at.getTime() + LEASE_MS + 1));
    expect(texts('oc_crash')).toEqual(['claimed then lost']);
  });

  it('a process killed after sending but before recording it: the retry carries the same uuid and is shown once', async () => {
    const { orgId } = await h.createOrg();
    const at = new Date('2026-11-27T00:00:00Z');
    await queue(orgId, [{ chat: 'oc_twice', text: 'sent, not recorded' }], at);
    const [d] = await claimDeliveries(h.db, at);
    const lark = h.deps.platforms.get('lark', 'default', null)!;
    expect((await lark.send({ kind: 'chat', id: 'oc_twice' }, { text: 'sent, not recorded' }, deliveryKey(d!))).ok).toBe(true);
    await run(new Date(at.getTime() + LEASE_MS + 1));
    expect(texts('oc_twice')).toEqual(['sent, not recorded']);
    const [row] = await h.db.select().from(deliveries).where(eq(deliveries.id, d!.id));
    expect(row!.status).toBe('sent');
  });

  it('the sandbox too: a delivery sent but not recorded before the process died is shown once after its retry', async () => {
    const { orgId } = await h.createOrg();
    const at = new Date('2026-11-27T01:00:00Z');
    await h.db.insert(deliveries).values({
      orgId, dedupeKey: `test:${orgId}:sandbox`, action: 'send', platform: 'sandbox', app: 'default', targetKind: 'chat',
      targetId: 'sb-twice', subject: 'text', body: { text: 'sent, not recorded' }, nextAttemptAt: at, createdAt: at,
    });
    const [d] = await claimDeliveries(h.db, at);
    const sandbox = h.deps.platforms.get('sandbox', 'default', orgId)!;
    expect((await sandbox.send({ kind: 'chat', id: 'sb-twice' }, { text: 'sent, not recorded' }, deliveryKey(d!))).ok).toBe(true);
    await run(new Date(at.getTime() + LEASE_MS + 1));
    const shown = await h.db.select().from(sandboxMessages).where(and(eq(sandboxMessages.orgId, orgId), eq(sandboxMessages.chatId, 'sb-twice')));
    expect(shown.map((m) => m.text)).toEqual(['sent, not recorded']);
    const [row] = await h.db.select().from(deliveries).where(eq(deliveries.id, d!.id));
    expect(row).toMatchObject({ status: 'sent', sentMessageId: shown[0]!.id });
  });

  it('honours a rate limit’s reset, and dead-letters what can never go with the reason', async () => {
    const { orgId } = await h.createOrg();
    const at = new Date('2026-11-28T00:00:00Z');
    await queue(orgId, [{ chat: 'oc_limited', text: 'later' }], at);
    fake.failNext({ status: 429, resetSeconds: 120 });
    await run(at);
    const [row] = await h.db.select().from(deliveries).where(eq(deliveries.orgId, orgId));
    expect(row!.status).toBe('pending');
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(at.getTime() + 120_000);
    await run(new Date(at.getTime() + 121_000));
    expect(texts('oc_limited')).toEqual(['later']);

    const other = await h.createOrg();
    await queue(other.orgId, [{ chat: 'oc_gone', text: 'nobody there' }], at);
    fake.failNext({ code: 230002 });
    await run(at);
    const [dead] = await h.db.select().from(deliveries).where(eq(deliveries.orgId, other.orgId));
    expect(dead).toMatchObject({ status: 'dead', attempts: 1 });
    expect(dead!.lastError).toMatch(/not in (the|this) chat/i);
  });

  it('gives up after the last try, keeping the error', async () => {
    const { orgId } = await h.createOrg();
    let at = new Date('2026-11-29T00:00:00Z');
    await queue(orgId, [{ chat: 'oc_down', text: 'never' }], at);
    fake.failNext({ status: 503, times: MAX_ATTEMPTS });
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await run(at);
      at = new Date(at.getTime() + 13 * 60_000); // past the longest backoff (10 min + 25 %)
    }
    const [row] = await h.db.select().from(deliveries).where(eq(deliveries.orgId, orgId));
    expect(row).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS });
    expect(row!.lastError).toBeTruthy();
    expect(texts('oc_down')).toEqual([]);
  });

  it('two instances delivering at once send each message once', async () => {
    const { orgId } = await h.createOrg();
    const at = new Date('2026-11-30T00:00:00Z');
    const items = Array.from({ length: 60 }, (_, i) => ({ chat: `oc_pair_${i % 30}`, text: `p${i}` }));
    await queue(orgId, items, at);
    const [a, b] = await Promise.all([run(at), run(at)]);
    const more = await run(at);
    expect(a.sent + b.sent + more.sent).toBe(60);
    const shown = Array.from({ length: 30 }, (_, c) => texts(`oc_pair_${c}`)).flat().sort();
    expect(shown).toEqual(items.map((i) => i.text).sort());
    const sends = fake.calls.filter((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages' && JSON.stringify(c.body).includes('"p'));
    expect(sends.filter((c) => c.duplicate)).toEqual([]);
  });

  it('backs off exponentially with jitter, never sooner than the platform asked', () => {
    expect(backoffMs(1, 0, () => 0.5)).toBe(2_000);
    expect(backoffMs(4, 0, () => 0.5)).toBe(16_000);
    expect(backoffMs(30, 0, () => 0.5)).toBe(600_000);
    expect(backoffMs(1, 0, () => 0)).toBe(1_500);
    expect(backoffMs(1, 0, () => 0.999)).toBeLessThan(2_500);
    expect(backoffMs(1, 90_000, () => 0.5)).toBe(90_000);
  });
});
