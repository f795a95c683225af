import { and, eq, sql } from 'drizzle-orm';
import type { ChatPlatform, PlatformName } from '../../bots/platform';
import { queryRows, type Queryable } from '../../db/client';
import { inboundEvents } from '../../db/schema';
import { isDatabaseUnavailable } from '../../db/unavailable';
import type { Deps } from '../deps';
import { handleFresh, type HandledEvent } from './inbound-handling';

/**
 * Messages answered through the outbox (Lark, the WeCom app) are acknowledged once recorded and
 * handled just after, here: a platform wants its 200 within 3 s (Lark) or 5 s (WeCom) and pushes
 * again otherwise, and understanding a message, finding the item and building its card is most of
 * a request's time. The record is the only thing the acknowledgement waits for, so nothing is lost
 * once the platform is told "got it"; the drain then claims what waits (`FOR UPDATE SKIP LOCKED`,
 * oldest first, so instances share the work) and handles each in one transaction that also marks it
 * handled, so nothing is done twice. One chat's events go one at a time in receive order: only the
 * oldest waiting event of a chat can be claimed, and it stays waiting until its handling commits.
 */

/** The events recorded to be handled later, with the organisation the request asked for (none for webhooks). */
type Recorded = { event: LaterEvent; orgId?: string };
export type LaterEvent = Extract<HandledEvent, { type: 'message' | 'bot_added' }>;

/**
 * Records an event to be handled, in one statement; false when it was recorded before (a platform's
 * retry), which then has no second effect.
 */
export async function recordForLater(db: Queryable, platform: ChatPlatform, event: LaterEvent, orgId: string | undefined, now: Date): Promise<boolean> {
  const recorded: Recorded = { event, ...(orgId ? { orgId } : {}) };
  const fresh = await db.insert(inboundEvents).values({
    platform: platform.platform, app: platform.app, eventKey: event.dedupeKey, kind: event.type, receivedAt: now,
    status: 'pending', event: recorded as unknown as Record<string, unknown>, chatId: event.chatId, nextAttemptAt: now,
  }).onConflictDoNothing().returning({ key: inboundEvents.eventKey });
  return fresh.length > 0;
}

/** Failed handlings (an outage does not count: it leaves the event untouched) after which an event is dead and its chat goes on. */
export const MAX_ATTEMPTS = 10;

/**
 * After a failed handling, the next try: 1 s doubling to at most a minute, ±25 % jitter. Shorter than
 * deliveries' backoff: a person is waiting for this answer, and Lark stops re-pushing after 7 hours.
 */
export function retryInMs(attempts: number, random = Math.random): number {
  return Math.round(Math.min(1_000 * 2 ** Math.max(0, attempts - 1), 60_000) * (0.75 + random() * 0.5));
}

export type DrainSummary = { handled: number; retried: number; dead: number };

/**
 * Handles what waits until nothing more can be claimed (the rest is backing off, or is the next in a
 * chat whose event another worker holds). `concurrency` claims run side by side, each on a chat of its
 * own; PGlite has one connection, so one there. Throws when the database is away: the caller (the
 * poll loop) tries again later, and the events wait where they are.
 */
export async function drainInbound(deps: Deps, options: { concurrency?: number } = {}): Promise<DrainSummary> {
  const summary: DrainSummary = { handled: 0, retried: 0, dead: 0 };
  const concurrency = options.concurrency ?? (deps.database.engine === 'pglite' ? 1 : 4);
  const workers = await Promise.allSettled(Array.from({ length: concurrency }, async () => {
    for (;;) {
      const outcome = await handleNext(deps);
      if (outcome === 'idle') return;
      summary[outcome]++;
    }
  }));
  const failed = workers.find((w): w is PromiseRejectedResult => w.status === 'rejected');
  if (failed) throw failed.reason;
  if (summary.retried || summary.dead) deps.log.info('inbound events', summary);
  return summary;
}

type Claimed = { platform: PlatformName; app: string; event_key: string; event: Recorded; attempts: number };

async function handleNext(deps: Deps): Promise<keyof DrainSummary | 'idle'> {
  const done = await deps.database.db.transaction(async (tx) => {
    const claimed = await claimNext(tx, deps.now());
    if (!claimed) return { outcome: 'idle' as const };
    try {
      const { platform: name, app, event: { event, orgId } } = claimed;
      const platform = deps.platforms.get(name, app, orgId ?? null);
      if (!platform) throw new Error(`chat platform ${name} (app ${app}) is not configured here`);
      // In a savepoint, so that a failure is undone while the event stays locked: no other worker takes it up again before its backoff.
      const handled = await tx.transaction((savepoint) => handleFresh(deps, savepoint, platform, event, orgId));
      return { outcome: 'handled' as const, nudge: handled.nudge };
    } catch (err) {
      // The connection went with the transaction: the event is as it was, waiting; the loop says the database is away.
      if (isDatabaseUnavailable(err)) throw err;
      return { outcome: await putBack(deps, tx, claimed, err) };
    }
  });
  if (done.outcome === 'handled' && done.nudge) deps.nudgeDelivery?.();
  return done.outcome;
}

/** How many of the oldest waiting events one claim looks at to find one it may take. */
const CANDIDATES = 64;

/**
 * Takes the oldest event that is due and is the oldest waiting one of its chat, marking it handled in
 * the caller's transaction: should the process die or its connection drop before the commit, the
 * rollback leaves it waiting as it was (a failed handling is put back by `putBack`). A later event of a
 * chat whose earlier one is being handled is not claimable until that commits (still `pending` in
 * every other snapshot), so no chat has two events handled at once. A handled event keeps only its
 * key: what the person wrote is not kept once answered, as it never was when answered in the request.
 *
 * Two plain statements rather than one join: the oldest waiting events in order (an index walk that
 * stops early), then a lock on the first of them that heads its chat, is due and is free. As one
 * statement (an anti-join for "oldest of its chat") the plan rested on the table's statistics: taken
 * while the queue was empty, they made Postgres loop over every waiting row for every row, 30–450 ms
 * a claim with 2,000 waiting (auto_explain in the benchmark), and the answers fell a minute behind.
 */
async function claimNext(tx: Queryable, now: Date): Promise<Claimed | undefined> {
  const at = now.toISOString();
  // Everything older than a row here is here too (same order, no other filter), so the first row of
  // a chat in this list is that chat's oldest waiting event, due or backing off.
  const oldest = await queryRows<Candidate>(tx, sql`
    select platform, app, event_key, chat_id, next_attempt_at <= ${at} as due from inbound_events
    where status = 'pending' order by seq limit ${CANDIDATES}`);
  const claimed = await claimFirstOf(tx, heads(oldest), at);
  if (claimed || oldest.length < CANDIDATES) return claimed;
  // The whole window is chats that are busy or backing off (one chat's long queue behind a failing
  // event, say): the head of every waiting chat instead, a scan of the whole queue, rarely needed.
  const everyHead = await queryRows<Candidate>(tx, sql`
    select * from (select distinct on (platform, app, coalesce(chat_id, event_key)) platform, app, event_key, chat_id, seq,
        next_attempt_at <= ${at} as due
      from inbound_events where status = 'pending' order by platform, app, coalesce(chat_id, event_key), seq) h
    order by seq`);
  return claimFirstOf(tx, everyHead, at);
}

type Candidate = { platform: PlatformName; app: string; event_key: string; chat_id: string | null; due: boolean };

/** The first event of each chat in a list in queue order: that chat's oldest waiting one, when everything older is in the list. */
function heads(events: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    const chat = `${e.platform}\u0000${e.app}\u0000${e.chat_id ?? e.event_key}`;
    if (seen.has(chat)) return false;
    seen.add(chat);
    return true;
  });
}

/** Locks and marks handled the first due head that is free, trying them in queue order. */
async function claimFirstOf(tx: Queryable, candidates: Candidate[], at: string): Promise<Claimed | undefined> {
  for (const e of candidates) {
    if (!e.due) continue;
    // Locked: another worker is handling it (its chat waits). No longer pending, or no longer due: a
    // worker handled it, or failed it and put it back to wait, since the list was read (the lock
    // checks both again on the row as committed).
    const [row] = await queryRows<Claimed>(tx, sql`
      with next as (
        select platform, app, event_key, event, attempts from inbound_events
        where platform = ${e.platform} and app = ${e.app} and event_key = ${e.event_key} and status = 'pending'
          and next_attempt_at <= ${at}
        for update skip locked)
      update inbound_events i set status = 'handled', handled_at = ${at}, event = null
      from next where i.platform = next.platform and i.app = next.app and i.event_key = next.event_key
      returning next.platform, next.app, next.event_key, next.event, next.attempts`);
    if (row) return row;
  }
  return undefined;
}

/**
 * A handling that failed (its savepoint rolled back): waiting again, tried after a backoff, or dead
 * after MAX_ATTEMPTS failures, so that one event that can never be handled does not hold its chat.
 */
async function putBack(deps: Deps, tx: Queryable, claimed: Claimed, err: unknown): Promise<'retried' | 'dead'> {
  const attempts = claimed.attempts + 1;
  const dead = attempts >= MAX_ATTEMPTS;
  const error = failureText(err);
  await tx.update(inboundEvents)
    .set({
      attempts, lastError: error, handledAt: null, status: dead ? 'dead' : 'pending', event: claimed.event as unknown as Record<string, unknown>,
      nextAttemptAt: new Date(deps.now().getTime() + retryInMs(attempts)),
    })
    .where(and(eq(inboundEvents.platform, claimed.platform), eq(inboundEvents.app, claimed.app), eq(inboundEvents.eventKey, claimed.event_key)));
  const where = { platform: claimed.platform, key: claimed.event_key, attempts, error };
  if (dead) deps.log.error('inbound event dead: handling kept failing', where);
  else deps.log.warn('inbound event failed; tried again later', where);
  return dead ? 'dead' : 'retried';
}

/** What went wrong, for the row and the log: the driver's own message under drizzle's "Failed query: …" (the statement says little). */
function failureText(err: unknown): string {
  let e = err;
  for (let depth = 0; e instanceof Error && e.cause instanceof Error && depth < 3; depth++) e = e.cause;
  return String(e).slice(0, 1000);
}
