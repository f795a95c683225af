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
/** Due deliveries read per page while looking for a run's worth that their targets' budgets allow. */
const PAGE = BATCH * 4;
/** Pages looked at before a run settles for fewer (every due one so far is for targets out of budget). */
const MAX_PAGES = 20;

/**
 * Takes due deliveries for this run: the lease moves their next attempt out, committed at once.
 * Deliveries for platforms served by another instance (`platform:app` in `skip`) are left to it. For
 * platforms with a per-target budget, a target gets no more than the budget less what it was sent in
 * the last minute (and what is in flight to it): the rest wait, since WeCom drops the excess silently.
 *
 * The choice is made here in plain steps — due rows in order, page by page; the budgeted targets'
 * use in the last minute; the lock — and not in one statement with a window and a lateral count: that
 * statement's plan rested on the table's statistics, and with them taken while the table was empty
 * Postgres looped over the whole table inside a loop over it (17 s a claim at 2,000 rows, seen in the
 * benchmark with auto_explain), which held every reply back.
 */
export async function claimDeliveries(db: Queryable, now: Date, limits: ClaimLimits = {}): Promise<Delivery[]> {
  const at = now.toISOString();
  const leaseEnd = new Date(now.getTime() + LEASE_MS).toISOString();
  const ids = await chooseDue(db, now, leaseEnd, limits);
  if (ids.length === 0) return [];
  // Skip locked: another instance choosing the same rows takes the ones it locked first; the rest are ours.
  const rows = await queryRows<Record<string, unknown>>(db, sql`
    update deliveries set next_attempt_at = ${leaseEnd}, attempts = attempts + 1
    where id in (select id from deliveries where id = any(${`{${ids.join(',')}}`}::bigint[]) and status = 'pending' and next_attempt_at <= ${at}
      for update skip locked)
    returning id`);
  if (rows.length === 0) return [];
  return db.select().from(deliveries).where(sql`${deliveries.id} = any(${`{${rows.map((r) => Number(r.id)).join(',')}}`}::bigint[])`)
    .orderBy(asc(deliveries.id));
}

type DueRow = { id: string; next_attempt_at: string; platform: string; app: string; target_id: string };

/** Up to BATCH due deliveries, oldest first, within their targets' budgets. */
async function chooseDue(db: Queryable, now: Date, leaseEnd: string, limits: ClaimLimits): Promise<string[]> {
  const skip = limits.skip ?? [];
  const budgets = limits.budgets ?? new Map<string, number>();
  const at = now.toISOString();
  const others = skip.length ? sql`and d.platform || ':' || d.app <> all(${textArray(skip)}::text[])` : sql``;
  const chosen: string[] = [];
  /** Per budgeted target: what it was sent or has in flight (from the database), plus what this run chose. */
  const used = new Map<string, number>();
  let after: DueRow | undefined;
  for (let page = 0; page < MAX_PAGES && chosen.length < BATCH; page++) {
    const from = after ? sql`and (d.next_attempt_at, d.id) > (${after.next_attempt_at}::timestamptz, ${after.id}::bigint)` : sql``;
    // Ordered by the columns (d.…), not the text aliases of the same names.
    const due = await queryRows<DueRow>(db, sql`
      select d.id::text as id, d.next_attempt_at::text as next_attempt_at, d.platform, d.app, d.target_id from deliveries d
      where d.status = 'pending' and d.next_attempt_at <= ${at} ${others} ${from}
      order by d.next_attempt_at, d.id limit ${PAGE}`);
    const fresh = [...new Map(due.filter((d) => budgets.has(`${d.platform}:${d.app}`)).map((d) => [targetKey(d), d])).values()]
      .filter((d) => !used.has(targetKey(d)));
    if (fresh.length) for (const [k, n] of await recentUse(db, fresh, now, leaseEnd)) used.set(k, n);
    for (const d of due) {
      if (chosen.length >= BATCH) break;
      const budget = budgets.get(`${d.platform}:${d.app}`);
      if (budget !== undefined) {
        const k = targetKey(d);
        const n = used.get(k) ?? 0;
        if (n >= budget) continue;
        used.set(k, n + 1);
      }
      chosen.push(d.id);
    }
    if (due.length < PAGE) break;
    after = due[due.length - 1];
  }
  return chosen;
}

const targetKey = (d: Pick<DueRow, 'platform' | 'app' | 'target_id'>) => `${d.platform}\u0000${d.app}\u0000${d.target_id}`;

/** For each target: sent in the last minute, or claimed by a run (this instance's or another's) and not yet settled. */
async function recentUse(db: Queryable, targets: DueRow[], now: Date, leaseEnd: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ platform: string; app: string; target_id: string; n: number }>(db, sql`
    select t.platform, t.app, t.target_id, (select count(*)::int from deliveries x
        where x.platform = t.platform and x.app = t.app and x.target_id = t.target_id
          and ((x.status = 'sent' and x.sent_at > ${new Date(now.getTime() - 60_000).toISOString()})
            or (x.status = 'pending' and x.attempts > 0 and x.next_attempt_at > ${now.toISOString()} and x.next_attempt_at <= ${leaseEnd}))) as n
    from unnest(${textArray(targets.map((d) => d.platform))}::text[], ${textArray(targets.map((d) => d.app))}::text[],
      ${textArray(targets.map((d) => d.target_id))}::text[]) as t(platform, app, target_id)`);
  return new Map(rows.map((r) => [targetKey(r), Number(r.n)]));
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
