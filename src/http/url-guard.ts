import type { MiddlewareHandler } from 'hono';
import { ValidationError } from '../errors';
import { hasNul, NUL_MESSAGE } from '../lib/text';

/**
 * The path and query of every request, before any route reads them: a NUL (U+0000), which Postgres
 * cannot store or compare, is a 400 naming the query parameter (or the path) — routes that read
 * params without a zod schema (the sandbox, webhooks, the document page) are covered too. In a path
 * it can only arrive percent-encoded: Node refuses a raw NUL in the request line.
 */
export const refuseNulInUrl: MiddlewareHandler = async (c, next) => {
  const url = new URL(c.req.url);
  if (/%00/.test(url.pathname)) throw ValidationError.field('path', `the path ${NUL_MESSAGE}`);
  for (const [key, value] of url.searchParams) {
    if (hasNul(key) || hasNul(value)) throw ValidationError.field(key.replaceAll('\u0000', ''), `${key.replaceAll('\u0000', '') || 'a query parameter'} ${NUL_MESSAGE}`);
  }
  await next();
};
