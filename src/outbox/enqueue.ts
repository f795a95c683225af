import { outbox, type OutboxKind } from '../../db/schema';
import type { Ctx } from '../context';

/**
 * Records an event someone must hear about, in the caller's transaction (transactional outbox).
 * The same `dedupeKey` twice is stored once, so a retried job or a replayed click adds nothing.
 */
export async function enqueue(ctx: Ctx, kind: OutboxKind, dedupeKey: string, payload: Record<string, unknown>): Promise<void> {
  await ctx.db.insert(outbox)
    .values({ orgId: ctx.orgId, kind, dedupeKey, payload, nextAttemptAt: ctx.now(), createdAt: ctx.now() })
    .onConflictDoNothing();
}
