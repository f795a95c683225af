import { z } from '@hono/zod-openapi';
import { dec, fmt } from '../lib/decimal';

// Plain notation only: "12", "-0.5". Exponents, NaN and Infinity never reach the ledger.
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;
/** Every decimal column (qty 18,3 · unit cost 20,6 · money 18,2) holds at least 14 digits before the point. */
const MAX_INTEGER_DIGITS = 14;

export type DecimalSign = 'positive' | 'non_negative' | 'any';

const signRule: Record<DecimalSign, { ok: (d: ReturnType<typeof dec>) => boolean; message: string } | undefined> = {
  positive: { ok: (d) => d.gt(0), message: 'must be greater than 0' },
  non_negative: { ok: (d) => d.gte(0), message: 'must be 0 or more' },
  any: undefined,
};

/**
 * A decimal given as a JSON number or a string in plain notation, with at most `places` decimals
 * (trailing zeros do not count), produced as a normalised string ("12.50" → "12.5").
 */
export function decimalString(places: number, sign: DecimalSign = 'any') {
  const notADecimal = `must be a decimal number such as 12.5 (a JSON number or a string), with at most ${places} decimal places`;
  return z
    .union([z.number(), z.string()], { error: (issue) => (issue.input === undefined ? 'is required' : notADecimal) })
    .transform((value, ctx) => {
      // A JSON number is already a double; its shortest form is what the client wrote.
      const text = typeof value === 'number' ? (Number.isFinite(value) ? dec(value).toFixed() : '') : value.trim();
      if (!PLAIN_DECIMAL.test(text)) {
        ctx.addIssue({ code: 'custom', message: notADecimal });
        return z.NEVER;
      }
      const d = dec(text);
      if (d.decimalPlaces() > places) {
        ctx.addIssue({ code: 'custom', message: `has more than ${places} decimal places` });
        return z.NEVER;
      }
      if (d.abs().trunc().toFixed().length > MAX_INTEGER_DIGITS) {
        ctx.addIssue({ code: 'custom', message: `must have at most ${MAX_INTEGER_DIGITS} digits before the decimal point` });
        return z.NEVER;
      }
      const rule = signRule[sign];
      if (rule && !rule.ok(d)) {
        ctx.addIssue({ code: 'custom', message: rule.message });
        return z.NEVER;
      }
      return fmt(d);
    })
    .openapi({ type: 'string', example: '12.5', description: `decimal, up to ${places} places; a JSON number is accepted too` });
}

export const positiveDecimal = (places: number) => decimalString(places, 'positive');
export const nonNegativeDecimal = (places: number) => decimalString(places, 'non_negative');
export const signedDecimal = (places: number) => decimalString(places, 'any');

/** A short human-chosen identifier: an item's sku, a warehouse's code, a unit, a barcode. */
const stringError = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `${what} is required` : `${what} must be a string`;

export const codeString = (what = 'code') =>
  z
    .string({ error: stringError(what) })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(64, `${what} must be at most 64 characters`);

export const sku = codeString('sku');
export const warehouseCode = codeString('warehouse code');

/** Free text with a sane bound (names, categories, notes). */
export const textField = (what: string, max = 200) =>
  z
    .string({ error: stringError(what) })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} must be at most ${max} characters`);

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
} as const;
export const notFound = { 404: errorResponse('unknown sku, warehouse or document (named in the message)') } as const;
export const conflict = { 409: errorResponse('duplicate code, or an Idempotency-Key reused with another body') } as const;

export const idempotencyHeader = z.object({
  'idempotency-key': z.string().min(1).max(200).optional().openapi({
    description: 'Same key and body: the first response again, nothing new created. Same key, other body: 409.',
  }),
});

export const security = [{ apiKey: [] }];
