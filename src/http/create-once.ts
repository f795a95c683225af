import type { Context } from 'hono';
import type { Ctx } from '../context';
import { withIdempotency } from '../idempotency';
import type { AppEnv } from './env';
import { ctxOf } from './request-context';

/**
 * Runs a create under the request's `Idempotency-Key` (if any): a replay answers the first
 * response and creates nothing; the key reused with another body is a 409 (ConflictError).
 * `body` is the validated input, so the same request spelled differently ("24" vs 24) still matches.
 */
export async function createOnce<T>(
  c: Context<AppEnv>,
  body: unknown,
  create: (ctx: Ctx) => Promise<T>,
  /** A key the body itself carries (a document's externalRef): either key replays the first answer. */
  fallbackKey?: string,
): Promise<T> {
  const keys = [c.req.header('idempotency-key')?.trim() || undefined, fallbackKey];
  const outcome = await withIdempotency(ctxOf(c), keys, body, async (tx) => ({ status: 201, body: await create(tx) }));
  if (outcome.replayed) c.header('idempotent-replayed', 'true');
  return outcome.body;
}
