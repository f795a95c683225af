/** The SQLSTATE of a driver error, which drizzle may wrap as `cause` (a few levels are enough). */
export function sqlState(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && typeof e === 'object' && i < 3; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/**
 * Postgres failed a transaction because of another one running beside it: a deadlock's victim
 * (40P01) or a serialisation failure (40001). It changed nothing; run again, it can go through.
 */
export function isConcurrencyFailure(err: unknown): boolean {
  const code = sqlState(err);
  return code === '40P01' || code === '40001';
}
