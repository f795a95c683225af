import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatPlatform } from '../bots/platform';
import { deliveries } from '../db/schema';
import { claimDeliveries, runOutboxDelivery } from '../src/chat/delivery';
import { createTestApp, type TestApp } from './harness';

/**
 * A per-target budget (WeCom drops past 30 messages a minute to one member, silently): whatever is
 * queued, no target is sent more than its budget in any minute, and nothing is lost — the rest waits.
 * The platform here is a recording one with a budget of 3 and no pacing, so the test needs no sleeps.
 */
const BUDGET = 3;
const shown: { target: string; text: string }[] = [];
const budgeted: ChatPlatform = {
  platform: 'wecom-robot',
  app: 'budget',
  perChatPerSecond: 1000,
  perTargetPerMinute: BUDGET,
  repliesInline: false,
  parse: async () => [],
  respond: () => new Response(''),
  send: async (target, message) => {
    shown.push({ target: target.id, text: 'text' in message ? message.text : message.card.title });
    return { ok: true, value: { messageId: `m${shown.length}` } };
  },
  reply: async () => ({ ok: false, error: { retryable: false, message: 'no replies' } }),
  update: async () => ({ ok: true, value: undefined }),
};

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp({ platforms: [budgeted] });
});
afterAll(async () => {
  await h?.close();
});

async function queue(orgId: string, target: string, n: number, at: Date) {
  await h.db.insert(deliveries).values(Array.from({ length: n }, (_, i) => ({
    orgId, dedupeKey: `budget:${target}:${i}`, action: 'send' as const, platform: 'wecom-robot', app: 'budget', targetKind: 'user' as const,
    targetId: target, subject: 'text', body: { text: `${target} #${i}` }, nextAttemptAt: at, createdAt: at,
  })));
}
const run = (at: Date) => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, at);
const plus = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

describe('per-target budget', () => {
  it('sends at most the budget to one target in any minute, others unaffected, and everything in the end', async () => {
    const { orgId } = await h.createOrg();
    const t0 = new Date('2026-12-01T00:00:00Z');
    await queue(orgId, 'busy', 10, t0);
    await queue(orgId, 'quiet', 2, t0);

    await run(t0);
    expect(shown.filter((s) => s.target === 'busy')).toHaveLength(BUDGET);
    expect(shown.filter((s) => s.target === 'quiet')).toHaveLength(2);
    await run(plus(t0, 30));
    expect(shown.filter((s) => s.target === 'busy')).toHaveLength(BUDGET); // the minute is not over

    for (let s = 61; s <= 300; s += 61) await run(plus(t0, s));
    const rows = await h.db.select().from(deliveries).where(and(eq(deliveries.orgId, orgId), eq(deliveries.targetId, 'busy')));
    expect(rows.map((r) => r.status)).toEqual(Array(10).fill('sent'));
    expect(shown.filter((s) => s.target === 'busy').map((s) => s.text).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `busy #${i}`).sort());
    // Every minute-long window holds at most the budget.
    const times = rows.map((r) => r.sentAt!.getTime()).sort((a, b) => a - b);
    for (const start of times) expect(times.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(BUDGET);
  });

  it('looks past a long queue for targets out of budget: a later target is not held back', async () => {
    const { orgId } = await h.createOrg();
    const t0 = new Date('2026-12-03T00:00:00Z');
    // More due rows for one target than a run reads in a page (200), all older than the other target's one.
    await queue(orgId, 'flood', 450, t0);
    await queue(orgId, 'later', 1, plus(t0, 1));
    const claimed = await claimDeliveries(h.db, plus(t0, 2), { budgets: h.deps.platforms.perTargetBudgets() });
    expect(claimed.map((d) => d.targetId).sort()).toEqual([...Array(BUDGET).fill('flood'), 'later']);
    // Oldest first within the target.
    expect(claimed.filter((d) => d.targetId === 'flood').map((d) => d.dedupeKey)).toEqual(['budget:flood:0', 'budget:flood:1', 'budget:flood:2']);
  });

  it('counts what another instance has claimed and not yet sent', async () => {
    const { orgId } = await h.createOrg();
    const t0 = new Date('2026-12-02T00:00:00Z');
    await queue(orgId, 'shared', 5, t0);
    const limits = { budgets: h.deps.platforms.perTargetBudgets() };
    const first = await claimDeliveries(h.db, t0, limits);
    const second = await claimDeliveries(h.db, t0, limits);
    expect(first.filter((d) => d.targetId === 'shared')).toHaveLength(BUDGET);
    expect(second.filter((d) => d.targetId === 'shared')).toHaveLength(0);
  });
});
