import { z } from '@hono/zod-openapi';

/**
 * The field shapes every input boundary shares — the API's bodies, import rows, chat — so a sku, a
 * decimal or a name is checked by one rule wherever it comes in.
 */
import { isCalendarDate } from './calendar';
import { dec, fmt } from './decimal';
import { hasNul, NUL_MESSAGE } from './text';

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
 * What is wrong with a decimal's size for a column of `places` decimals (more places, or more digits
 * before the point than every column holds), or undefined. The API's bodies check it here; the verbs
 * check it again for the doors that build their input themselves (chat).
 */
export function decimalSizeIssue(d: ReturnType<typeof dec>, places: number): string | undefined {
  if (d.decimalPlaces() > places) return `has more than ${places} decimal places`;
  if (d.abs().trunc().toFixed().length > MAX_INTEGER_DIGITS) return `must have at most ${MAX_INTEGER_DIGITS} digits before the decimal point`;
  return undefined;
}

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
      const sizeIssue = decimalSizeIssue(d, places);
      if (sizeIssue) {
        ctx.addIssue({ code: 'custom', message: sizeIssue });
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

const stringError = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `${what} is required` : `${what} must be a string`;

/**
 * Every string a client sends (body, params, query, headers) is built from this: it refuses NUL, which
 * Postgres cannot store, as a 400 naming the field. Chain the usual checks after it.
 */
export const clientString = (what?: string) =>
  z.string(what ? { error: stringError(what) } : undefined).refine((s) => !hasNul(s), what ? `${what} ${NUL_MESSAGE}` : NUL_MESSAGE);

/** A calendar date that exists, as YYYY-MM-DD: 2026-02-30 and 2026-13-45 are refused, not rolled over. */
export const calendarDate = (what: string) =>
  clientString(what).refine(isCalendarDate, `${what} must be a real date such as 2026-01-31`);

/** A short human-chosen identifier: an item's sku, a warehouse's code, a unit, a barcode. */
export const codeString = (what = 'code') =>
  clientString(what)
    .trim()
    .min(1, `${what} must not be empty`)
    .max(64, `${what} must be at most 64 characters`);

export const sku = codeString('sku');
export const warehouseCode = codeString('warehouse code');

/** Free text with a sane bound (names, categories, notes). */
export const textField = (what: string, max = 200) =>
  clientString(what)
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} must be at most ${max} characters`);
