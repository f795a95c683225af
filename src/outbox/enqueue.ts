import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client';
import { outbox, type OutboxKind } from '../../db/schema';
import type { Ctx } from '../context';
import type { OutboxEvents } from './events';
import { noteQueued } from './queued';

/**
 * Records an event someone must hear about, in the caller's transaction (transactional outbox).
 * The same `dedupeKey` twice is stored once, so a retried job or a replayed click adds nothing.
 */
export async function enqueue<K extends OutboxKind>(ctx: Ctx, kind: K, dedupeKey: string, payload: OutboxEvents[K]): Promise<void> {
  noteQueued();
  await ctx.db.insert(outbox)
    .values({ orgId: ctx.orgId, kind, dedupeKey, payload, nextAttemptAt: ctx.now(), createdAt: ctx.now() })
    .onConflictDoNothing();
}

/** Several events of one kind across organisations (a job's findings), once each; returns how many were new. */
export async function enqueueMany<K extends OutboxKind>(db: Queryable, kind: K, now: Date,
  events: { orgId: string; dedupeKey: string; payload: OutboxEvents[K] }[]): Promise<number> {
  if (events.length === 0) return 0;
  noteQueued();
  const rows = await db.insert(outbox)
    .values(events.map((e) => ({ orgId: e.orgId, kind, dedupeKey: e.dedupeKey, payload: e.payload, nextAttemptAt: now, createdAt: now })))
    .onConflictDoNothing().returning({ id: outbox.id });
  return rows.length;
}

/** A payload built in SQL, field by field, so its keys are checked against the event's shape. */
export function payloadSql<K extends OutboxKind>(_kind: K, fields: { [F in keyof OutboxEvents[K]]-?: SQL }): SQL {
  const pairs = Object.entries(fields as Record<string, SQL>).map(([name, value]) => sql`${name}::text, ${value}`);
  return sql`jsonb_build_object(${sql.join(pairs, sql`, `)})`;
}

/**
 * Set-based enqueueing for jobs: one statement that (optionally after `with` CTEs, e.g. the update
 * that claims alerts) inserts an event for every row of `select`, which yields `org_id`,
 * `dedupe_key` and `payload` (built with `payloadSql`). Returns the new rows' payloads.
 */
export async function enqueueSelect<K extends OutboxKind>(db: Queryable, kind: K, now: Date,
  query: { with?: SQL; select: SQL }): Promise<OutboxEvents[K][]> {
  noteQueued();
  const rows = await queryRows<{ payload: OutboxEvents[K] }>(db, insertSelected(kind, now, query, sql`returning payload`));
  return rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));
}

/** `enqueueSelect` when only how many were enqueued matters: no payload travels back. */
export async function enqueueSelectCount(db: Queryable, kind: OutboxKind, now: Date, query: { with?: SQL; select: SQL }): Promise<number> {
  // A data-modifying WITH must stay at the top level: the insert joins the caller's CTEs as one more.
  noteQueued();
  const insert = insertSelected(kind, now, { select: query.select }, sql`returning 1`);
  const [row] = await queryRows<{ n: number }>(db, sql`${query.with ? sql`${query.with}, ` : sql`with `}inserted as (${insert})
    select count(*)::int as n from inserted`);
  return Number(row?.n ?? 0);
}

function insertSelected(kind: OutboxKind, now: Date, query: { with?: SQL; select: SQL }, returning: SQL): SQL {
  const t = sql`${now.toISOString()}::timestamptz`;
  return sql`
    ${query.with ?? sql``}
    insert into outbox (org_id, kind, dedupe_key, payload, next_attempt_at, created_at)
    select e.org_id, ${kind}, e.dedupe_key, e.payload, ${t}, ${t} from (${query.select}) e
    on conflict (org_id, dedupe_key) do nothing
    ${returning}`;
}
