import { createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
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
 * Runs a create once per key within the organisation. The key rows are inserted first in the same
 * transaction, so a concurrent duplicate waits on them and then replays the stored answer; a failure
 * rolls the keys back with everything else, so a corrected retry may reuse them. Several keys (an
 * Idempotency-Key and a document's external reference) all lead to the same first answer.
 * Throws ConflictError when a key was used with a different input.
 */
export async function withIdempotency<T>(
  ctx: Ctx,
  key: string | (string | undefined)[] | undefined,
  input: unknown,
  run: (ctx: Ctx) => Promise<{ status: number; body: T }>,
): Promise<Outcome<T>> {
  // Sorted, so two requests sharing keys take their row locks in the same order.
  const keys = [...new Set((Array.isArray(key) ? key : [key]).filter((k): k is string => !!k))].sort();
  if (keys.length === 0) return { ...(await withTransaction(ctx, run)), replayed: false };
  const requestHash = hashInput(input);
  return withTransaction(ctx, async (tx) => {
    const inserted = new Set<string>();
    for (const k of keys) {
      const rows = await tx.db.insert(idempotencyKeys).values({ orgId: tx.orgId, key: k, requestHash })
        .onConflictDoNothing().returning({ key: idempotencyKeys.key });
      if (rows.length) inserted.add(k);
    }
    const seen = keys.filter((k) => !inserted.has(k));
    let result: { status: number; body: T };
    if (seen.length > 0) {
      const firsts = await tx.db.select().from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.orgId, tx.orgId), inArray(idempotencyKeys.key, seen)));
      const clash = firsts.find((f) => f.requestHash !== requestHash);
      if (clash || firsts.length === 0) {
        const name = clash?.key ?? seen[0]!;
        throw new ConflictError(`${describe(name)} was already used with a different request`, { key: name });
      }
      result = { status: firsts[0]!.statusCode ?? 200, body: firsts[0]!.response as T };
    } else {
      result = await run(tx);
    }
    if (inserted.size > 0) {
      await tx.db.update(idempotencyKeys).set({ statusCode: result.status, response: result.body as object })
        .where(and(eq(idempotencyKeys.orgId, tx.orgId), inArray(idempotencyKeys.key, [...inserted])));
    }
    return { ...result, replayed: seen.length > 0 };
  });
}

const describe = (key: string) =>
  key.startsWith('externalRef:') ? `externalRef '${key.slice('externalRef:'.length)}'` : `idempotency key '${key}'`;
