import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { isConcurrencyFailure, sqlState } from '../../db/sqlstate';
import { isDatabaseUnavailable } from '../../db/unavailable';
import { DomainError, type ErrorCode, type FieldIssue } from '../errors';

const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  insufficient_stock: 422,
  unprocessable: 422,
  bom_cycle: 422,
  over_order: 422,
};

/** What a 503 asks clients (and WeCom and Lark, which retry pushes) to wait: a restart takes about this long. */
export const RETRY_AFTER_SECONDS = 5;

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return c.json(body, status);
}

/** zod issues → `[{field: "lines.0.qty", message}]`, the `details` of a 400. */
export function fieldIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
}

/** The single place a thrown error becomes an HTTP answer. No stack trace ever reaches a client. */
export function handleError(err: Error, c: Context) {
  if (err instanceof DomainError) return errorResponse(c, statusOf[err.code], err.code, err.message, err.details);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    // Hono's JSON validator throws a 400 for a body that does not parse.
    const code = status === 400 ? 'invalid_request' : status === 401 ? 'unauthorized' : status === 404 ? 'not_found'
      : status === 415 ? 'unsupported_media_type' : 'error';
    const message = status === 400 ? `malformed JSON body: ${err.message}` : err.message;
    return errorResponse(c, status, code, message, status === 400 ? [{ field: '', message: err.message }] : undefined);
  }
  const state = sqlState(err);
  // A text the database cannot store (NUL, U+0000) that no schema caught: still the client's input. The
  // schemas refuse it first, naming the field (src/http/schemas.ts clientString, url-guard.ts); this is the net.
  if (state === '22021' || state === '22P05') {
    c.var.deps?.log.warn('text the database cannot store reached it', { requestId: c.var.requestId, error: String(err) });
    return errorResponse(c, 400, 'invalid_request', 'the request holds a NUL character (U+0000), which the database cannot store');
  }
  // A number the ledger cannot hold (numeric_value_out_of_range): each field passed its schema, but a
  // quantity times a price, or a balance, went past what the columns store (16 digits before the point).
  if (state === '22003') {
    return errorResponse(c, 400, 'invalid_request', 'a quantity, price or resulting value is too large to store (at most 16 digits before the decimal point)',
      [{ field: '', message: 'number out of range' }]);
  }
  // A unique index caught a race the service's own check could not see (two creates at once).
  if (state === '23505') return errorResponse(c, 409, 'conflict', 'already exists (a concurrent request created it)');
  // Still a deadlock's victim (or unserialisable) after withTransaction's attempts: busy, not broken.
  if (isConcurrencyFailure(err)) {
    c.header('retry-after', '1');
    return errorResponse(c, 503, 'unavailable', 'the request met concurrent changes to the same stock and was not applied; retry it');
  }
  // The database is restarting or away. A retry is safe: a create with an Idempotency-Key replays
  // if its commit got through before the loss, and a transition already made answers 409.
  if (isDatabaseUnavailable(err)) {
    c.var.deps?.log.warn('database unavailable', { requestId: c.var.requestId, error: String(err) });
    c.header('retry-after', String(RETRY_AFTER_SECONDS));
    return errorResponse(c, 503, 'unavailable', `the database is unavailable; retry in ${RETRY_AFTER_SECONDS} seconds`);
  }
  c.var.deps?.log.error('unhandled error', { requestId: c.var.requestId, error: String(err), stack: err.stack });
  return errorResponse(c, 500, 'internal', 'internal error; the request id is ' + (c.var.requestId ?? 'unknown'));
}
