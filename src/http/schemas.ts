import { z } from '@hono/zod-openapi';
import { clientString } from '../lib/fields';

export {
  calendarDate, clientString, codeString, decimalString, nonNegativeDecimal, positiveDecimal, signedDecimal, sku, textField, warehouseCode,
  type DecimalSign,
} from '../lib/fields';

/** The error envelope every failure answers with, for the OpenAPI document. */
export const ErrorEnvelope = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .openapi('Error');

/** An OpenAPI response: this JSON schema, described. */
export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const errorResponse = (description: string) => jsonContent(ErrorEnvelope, description);

/** The failures every authenticated route can answer with. */
export const commonErrors = {
  400: errorResponse('invalid request: details lists each bad field'),
  401: errorResponse('missing or unknown API key'),
  403: errorResponse('the API key lacks the needed scope'),
  413: errorResponse('the body is larger than 1 MB'),
  503: errorResponse('the database is unavailable (restarting or away): retry after the Retry-After seconds'),
} as const;
export const notFound = { 404: errorResponse('unknown sku, warehouse or document (named in the message)') } as const;
export const conflict = { 409: errorResponse('duplicate code, or an Idempotency-Key reused with another body') } as const;

export const idempotencyHeader = z.object({
  'idempotency-key': clientString('Idempotency-Key').min(1).max(200).optional().openapi({
    description: 'Same key and body: the first response again, nothing new created. Same key, other body: 409.',
  }),
});

export const security = [{ apiKey: [] }];
