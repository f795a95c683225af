import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { idempotencyKeys } from '../db/schema';
import { withTransaction, type Ctx } from './context';
import { ConflictError } from './errors';

export type Outcome<T> = { status: number; body: T; replayed: boolean };

/** A stable hash of a request body: same keys in any order hash the same. */
export function hashInput(input: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
        : v;
  return createHash('sha256').update(JSON.stringify(canonical(input))).digest('hex');
}

/**
 * Runs a create once per key within the organisation. The key row is inserted first in the same
 * transaction, so a concurrent duplicate waits on it and then replays the stored answer; a failure
 * rolls the key back with everything else, so a corrected retry may reuse it.
 * Throws ConflictError when the key was used with a different input.
 */
export async function withIdempotency<T>(
  ctx: Ctx,
  key: string | undefined,
  input: unknown,
  run: (ctx: Ctx) => Promise<{ status: number; body: T }>,
): Promise<Outcome<T>> {
  if (!key) return { ...(await withTransaction(ctx, run)), replayed: false };
  const requestHash = hashInput(input);
  return withTransaction(ctx, async (tx) => {
    const inserted = await tx.db
      .insert(idempotencyKeys)
      .values({ orgId: tx.orgId, key, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length === 0) {
      const [first] = await tx.db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.orgId, tx.orgId), eq(idempotencyKeys.key, key)));
      if (!first || first.requestHash !== requestHash) {
        throw new ConflictError(`idempotency key '${key}' was already used with a different request`, { key });
      }
      return { status: first.statusCode ?? 200, body: first.response as T, replayed: true };
    }
    const result = await run(tx);
    await tx.db
      .update(idempotencyKeys)
      .set({ statusCode: result.status, response: result.body as object })
      .where(and(eq(idempotencyKeys.orgId, tx.orgId), eq(idempotencyKeys.key, key)));
    return { ...result, replayed: false };
  });
}
