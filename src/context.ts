import type { Queryable } from '../db/client';
import { isConcurrencyFailure, sqlState } from '../db/sqlstate';
import { auditLog, type Channel } from '../db/schema';
import { chunks } from './lib/chunks';
import type { Logger } from './lib/logger';

/**
 * Who is acting. Chat, API, web and jobs call the same service verbs with one of these. A person's
 * `roles` and `warehouseIds` (the warehouses they are assigned; empty = all) are read once where the
 * actor is resolved, for the rule book (`src/people/permissions.ts`).
 */
export type Actor =
  | { type: 'api'; keyId: string; userId: string | null; scopes: string[]; roles: string[]; warehouseIds: string[] }
  | { type: 'chat'; platform: string; externalId: string; userId: string; roles: string[]; warehouseIds: string[] }
  | { type: 'web'; userId: string; roles: string[]; warehouseIds: string[] }
  | { type: 'job'; job: string };

export const channelOf = (actor: Actor): Channel =>
  actor.type === 'api' ? 'api' : actor.type === 'chat' ? 'chat' : actor.type === 'web' ? 'web' : 'job';

export const userIdOf = (actor: Actor): string | null => (actor.type === 'job' ? null : actor.userId);

/** What the actor is, for the audit trail when there is no user: the key id, chat id or job name. */
export const actorRefOf = (actor: Actor): string =>
  actor.type === 'api' ? `key:${actor.keyId}` : actor.type === 'chat' ? `${actor.platform}:${actor.externalId}` : actor.type === 'job' ? `job:${actor.job}` : `web:${actor.userId}`;

/** Everything a service verb needs: the database (or the transaction it joins), the tenant, the actor, the clock. */
export type Ctx = {
  db: Queryable;
  orgId: string;
  actor: Actor;
  now: () => Date;
  timezone: string;
  log: Logger;
  /**
   * The signed address of a document's page, for the link on cards about it; unset (or undefined)
   * when PUBLIC_URL is not set, and cards then carry no link. Set where cards are built for chats.
   */
  documentUrl?: ((documentId: string) => Promise<string | undefined>) | undefined;
  /** Set inside `withTransaction`, so a verb called from another joins its transaction. */
  inTransaction?: boolean;
  /**
   * The database outside any transaction, for a counter that must not be held until the caller
   * commits (document numbers: every posting of an organisation would queue behind that row lock).
   * Set on a server only: PGlite has one connection, and a second statement there would wait for the first.
   */
  outside?: Queryable | undefined;
  /**
   * Writes nobody reads back in this transaction, sent without waiting for their answer
   * and awaited before the commit: on Postgres they travel with the next statements in one round trip.
   */
  later?: Promise<unknown>[];
  /**
   * Audit rows of this transaction, inserted together in one statement before the commit (a posting
   * made with `submit` has three: created, submitted, posted). Nothing reads them back before then.
   * A savepoint opened under such a context must not carry it (set it undefined): rows buffered there
   * would outlive a rollback to the savepoint.
   */
  audit?: Array<typeof auditLog.$inferInsert>;
  /**
   * Undo steps for work done through `outside` (which a rollback does not undo), run by the
   * outermost `withTransaction` when its transaction fails.
   */
  onRollback?: Array<() => Promise<void>> | undefined;
  /**
   * Work that must see every write of the transaction, run once the verb is done and before the
   * commit (low-stock crossings, judged on stock and reservations as they end up). Each is given the
   * transaction's database. Set by the outermost `withTransaction`.
   */
  beforeCommit?: BeforeCommit[] | undefined;
};

export type BeforeCommit = (db: Queryable) => Promise<unknown>;

/**
 * Sends a write nobody reads back: inside `withTransaction` without waiting (awaited before the
 * commit), elsewhere awaited now. A handler is attached at once, so a write that fails while the verb
 * still awaits something else (a connection killed mid-transaction) is not an unhandled rejection,
 * which would end the process; the transaction still sees the failure and rolls back.
 */
export async function writeSoon(ctx: Ctx, write: PromiseLike<unknown>): Promise<void> {
  if (!ctx.later) {
    await write;
    return;
  }
  const sent = Promise.resolve(write).then(() => undefined);
  sent.catch(() => undefined);
  ctx.later.push(sent);
}

/**
 * Runs `fn` in a transaction (or in the caller's). A transaction Postgres chose as a deadlock's victim
 * (40P01) or could not serialise (40001) is run again from the start, up to TRANSACTION_ATTEMPTS times:
 * it changed nothing, and the other one has gone on. Postings take their locks in one order, so this
 * is the net under them, not a path they rely on. `fn` must therefore keep its effects in the
 * transaction, or undo them through `onRollback`.
 */
export async function withTransaction<T>(ctx: Ctx, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return ctx.beforeCommit ? fn(ctx) : finishing(ctx, fn);
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptTransaction(ctx, fn);
    } catch (err) {
      if (attempt >= TRANSACTION_ATTEMPTS || !isConcurrencyFailure(err)) throw err;
      ctx.log.warn('transaction retried', { attempt, sqlState: sqlState(err), error: String(err) });
      // A little jitter, so the two do not meet again at the same instant.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

const TRANSACTION_ATTEMPTS = 3;

/**
 * A verb run in a transaction its caller opened without `withTransaction` (a chat message's savepoint,
 * the demo seed): its before-commit work is done when it returns, in that transaction.
 */
async function finishing<T>(ctx: Ctx, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  const beforeCommit: BeforeCommit[] = [];
  const result = await fn({ ...ctx, beforeCommit });
  for (const work of beforeCommit) await work(ctx.db);
  return result;
}

async function attemptTransaction<T>(ctx: Ctx, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  const onRollback: Array<() => Promise<void>> = [];
  try {
    return await ctx.db.transaction(async (tx) => {
      const later: Promise<unknown>[] = [];
      const audit: Array<typeof auditLog.$inferInsert> = [];
      const beforeCommit: BeforeCommit[] = [];
      try {
        const result = await fn({ ...ctx, db: tx, inTransaction: true, later, onRollback, audit, beforeCommit });
        // Sent behind everything the verb sent, so it sees all of it; in the same round trip as the audit rows.
        for (const work of beforeCommit) later.push(work(tx));
        for (const rows of chunks(audit)) later.push(tx.insert(auditLog).values(rows).then(() => undefined));
        await Promise.all(later);
        return result;
      } catch (err) {
        // The first error is the one to report; a write sent later fails only because the transaction is aborted.
        await Promise.allSettled(later);
        throw err;
      }
    });
  } catch (err) {
    // Best effort: an undo that fails leaves what it would have undone (a gap in numbers), never a second error.
    for (const undo of onRollback.reverse()) await undo().catch(() => undefined);
    throw err;
  }
}
