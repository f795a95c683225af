import { asc, eq, sql } from 'drizzle-orm';
import type { Outbound, Result } from '../../bots/platform';
import type { Card } from '../../cards/model';
import { queryRows, type Queryable } from '../../db/client';
import { chatMessages, deliveries } from '../../db/schema';
import type { PlatformRegistry } from '../../bots/registry';
import { fanOutPending } from '../outbox/fan-out';
import { cardForSubject } from './cards/subjects';
import type { Ctx } from '../context';
import type { Logger } from '../lib/logger';
import { documentUrls } from '../web/document-links';

/** `publicUrl` (PUBLIC_URL) puts signed document links in cards, signed with `linkSecret` (LINK_SECRET) or the database's own secret. */
export type DeliveryDeps = {
  db: Queryable; platforms: PlatformRegistry; log: Logger; timezone: string; publicUrl?: string | undefined; linkSecret?: string | undefined;
};
export type DeliverySummary = { fannedOut: number; sent: number; retried: number; dead: number };

/** A delivery that has tried this often is dead, its last error kept for the dashboard. */
export const MAX_ATTEMPTS = 12;
/** A claimed delivery is someone's for this long; if its process dies, another picks it up after. */
export const LEASE_MS = 60_000;
const BATCH = 50;

type Delivery = typeof deliveries.$inferSelect;

/**
 * Sends what the outbox holds: fans new events out into one delivery per target, then claims due
 * deliveries with `FOR UPDATE SKIP LOCKED` under a lease (so several instances share the work and
 * a crash loses nothing), renders each from the current state, sends it with the delivery's id as
 * the platform's idempotency key (so a retry after a crash is never shown twice), and records the
 * outcome: sent with its message id, retried with backoff and jitter, or dead with the reason.
 */
export async function runOutboxDelivery(deps: DeliveryDeps, now: Date): Promise<DeliverySummary> {
  const fannedOut = await fanOutPending(deps.db, now, deps.platforms);
  const claimed = await claimDeliveries(deps.db, now, { skip: deps.platforms.servedElsewhere(), budgets: deps.platforms.perTargetBudgets() });
  const summary: DeliverySummary = { fannedOut, sent: 0, retried: 0, dead: 0 };
  // One chat's messages go one after another, paced to the platform's per-chat rate; chats run in parallel.
  const byChat = new Map<string, Delivery[]>();
  for (const d of claimed) byChat.set(`${d.platform}:${d.app}:${d.targetId}`, [...(byChat.get(`${d.platform}:${d.app}:${d.targetId}`) ?? []), d]);
  await Promise.all([...byChat.values()].map(async (queue) => {
    for (const [i, d] of queue.entries()) {
      const platform = deps.platforms.get(d.platform, d.app, d.orgId);
      if (i > 0 && platform) await sleep(Math.ceil(1000 / platform.perChatPerSecond));
      const outcome = await deliver(deps, d, now);
      summary[outcome]++;
    }
  }));
  if (claimed.length || fannedOut) deps.log.info('outbox delivery', summary);
  return summary;
}

/** What a run may not claim: platforms another instance serves, and targets whose minute's budget is spent. */
export type ClaimLimits = { skip?: string[]; budgets?: Map<string, number> };

const textArray = (xs: string[]) => `{${xs.map((x) => JSON.stringify(x)).join(',')}}`;

/**
 * Takes due deliveries for this run: the lease moves their next attempt out, committed at once.
 * Deliveries for platforms served by another instance (`platform:app` in `skip`) are left to it. For
 * platforms with a per-target budget, a target gets no more than the budget less what it was sent in
 * the last minute (and what is in flight to it): the rest wait, since WeCom drops the excess silently.
 */
export async function claimDeliveries(db: Queryable, now: Date, limits: ClaimLimits = {}): Promise<Delivery[]> {
  const skip = limits.skip ?? [];
  const budgets = [...(limits.budgets ?? new Map<string, number>())];
  const at = now.toISOString();
  const leaseEnd = new Date(now.getTime() + LEASE_MS).toISOString();
  const others = skip.length ? sql`and d.platform || ':' || d.app <> all(${textArray(skip)}::text[])` : sql``;
  const due = budgets.length === 0
    ? sql`select d.id from deliveries d where d.status = 'pending' and d.next_attempt_at <= ${at} ${others}
        order by d.next_attempt_at, d.id limit ${BATCH}`
    : sql`select id from (
          select d.id, d.next_attempt_at, b.per_minute, coalesce(r.n, 0) as used,
            row_number() over (partition by d.platform, d.app, d.target_id order by d.next_attempt_at, d.id) as rn
          from deliveries d
          left join unnest(${textArray(budgets.map(([k]) => k))}::text[], ${`{${budgets.map(([, n]) => n).join(',')}}`}::int[]) as b(key, per_minute)
            on b.key = d.platform || ':' || d.app
          left join lateral (select count(*) as n from deliveries x
            where x.platform = d.platform and x.app = d.app and x.target_id = d.target_id
              and ((x.status = 'sent' and x.sent_at > ${new Date(now.getTime() - 60_000).toISOString()})
                or (x.status = 'pending' and x.attempts > 0 and x.next_attempt_at > ${at} and x.next_attempt_at <= ${leaseEnd}))) r
            on b.key is not null
          where d.status = 'pending' and d.next_attempt_at <= ${at} ${others}
        ) c where per_minute is null or rn + used <= per_minute
        order by next_attempt_at, id limit ${BATCH}`;
  const rows = await queryRows<Record<string, unknown>>(db, sql`
    update deliveries set next_attempt_at = ${leaseEnd}, attempts = attempts + 1
    where id in (select id from deliveries where id in (${due}) and status = 'pending' and next_attempt_at <= ${at}
      for update skip locked)
    returning id`);
  if (rows.length === 0) return [];
  return db.select().from(deliveries).where(sql`${deliveries.id} in (${sql.join(rows.map((r) => sql`${Number(r.id)}`), sql`, `)})`)
    .orderBy(asc(deliveries.id));
}

async function deliver(deps: DeliveryDeps, d: Delivery, now: Date): Promise<'sent' | 'retried' | 'dead'> {
  const platform = deps.platforms.get(d.platform, d.app, d.orgId);
  if (!platform) return finish(deps, d, now, { ok: false, error: { message: `chat platform ${d.platform} (app ${d.app}) is not configured`, retryable: false } });
  let result: Result<{ messageId: string } | void>;
  try {
    const message = await render(deps, d, now);
    const key = deliveryKey(d);
    result = d.action === 'send' ? await platform.send({ kind: d.targetKind, id: d.targetId }, message, key)
      : d.action === 'reply' ? await platform.reply(d.messageId!, message, key)
      : 'card' in message ? await platform.update(d.messageId!, message.card) : { ok: false, error: { message: 'only cards are updated', retryable: false } };
  } catch (err) {
    result = { ok: false, error: { message: `unexpected: ${String(err)}`, retryable: true } };
  }
  return finish(deps, d, now, result);
}

/**
 * The platform's idempotency key for a delivery (Lark's uuid, WeCom's task_id): the same on every
 * retry, and unique per platform app even across databases (the creation time tells a reset
 * database's delivery 1 from the old one's).
 */
export const deliveryKey = (d: Pick<Delivery, 'id' | 'createdAt'>) => `jxc-d${d.id}-${d.createdAt.getTime().toString(36)}`;

async function render(deps: DeliveryDeps, d: Delivery, now: Date): Promise<Outbound> {
  if (d.subject === 'text') return { text: String(d.body.text) };
  if (d.subject === 'card') return { card: d.body.card as unknown as Card };
  const ctx: Ctx = {
    db: deps.db, orgId: d.orgId!, actor: { type: 'job', job: 'outbox-delivery' }, now: () => now, timezone: deps.timezone, log: deps.log,
    // The generated secret is read once per database and then remembered.
    documentUrl: documentUrls({ publicUrl: deps.publicUrl, linkSecret: deps.linkSecret, db: deps.db, orgId: d.orgId!, now: () => now }),
  };
  return { card: await cardForSubject(ctx, d.subject) };
}

async function finish(deps: DeliveryDeps, d: Delivery, now: Date, result: Result<{ messageId: string } | void>): Promise<'sent' | 'retried' | 'dead'> {
  if (result.ok) {
    const messageId = result.value && 'messageId' in result.value ? result.value.messageId : d.messageId;
    await deps.db.update(deliveries).set({ status: 'sent', sentAt: now, sentMessageId: messageId, lastError: null }).where(eq(deliveries.id, d.id));
    // Remember where a card about a subject went, so a later change updates every copy.
    if (d.action === 'send' && d.orgId && messageId && !['text', 'card'].includes(d.subject)) {
      await deps.db.insert(chatMessages).values({ orgId: d.orgId, subject: d.subject, platform: d.platform, app: d.app, messageId, targetId: d.targetId, createdAt: now })
        .onConflictDoNothing();
    }
    return 'sent';
  }
  const { error } = result;
  if (!error.retryable || d.attempts >= MAX_ATTEMPTS) {
    await deps.db.update(deliveries).set({ status: 'dead', lastError: error.message }).where(eq(deliveries.id, d.id));
    deps.log.warn('delivery dead', { id: d.id, platform: d.platform, target: d.targetId, error: error.message });
    return 'dead';
  }
  await deps.db.update(deliveries).set({ nextAttemptAt: new Date(now.getTime() + backoffMs(d.attempts, error.retryAfterMs)), lastError: error.message })
    .where(eq(deliveries.id, d.id));
  return 'retried';
}

/** Exponential from 2 s, capped at 10 min, ±25 % jitter so retries do not stampede; never sooner than the platform asked. */
export function backoffMs(attempts: number, retryAfterMs = 0, random = Math.random): number {
  const base = Math.min(2_000 * 2 ** Math.max(0, attempts - 1), 600_000);
  return Math.max(retryAfterMs, Math.round(base * (0.75 + random() * 0.5)));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
