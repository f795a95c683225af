import { dec } from '../lib/decimal';
import type { RowReader } from './columns';

// Cell converters. Each reads one column of a row, reports a bad value on that row and column,
// and returns undefined for an empty or bad cell, so a row's every problem is found in one pass.

/** `a|b|c` → ['a', 'b', 'c']: several values in one cell, as barcodes and aliases. */
export const splitList = (text: string | undefined): string[] | undefined =>
  text === undefined ? undefined : text.split('|').map((s) => s.trim()).filter((s) => s !== '');

const truthy = new Set(['true', 'yes', 'y', '1', '是']);
const falsy = new Set(['false', 'no', 'n', '0', '否']);

export function readBoolean(r: RowReader, column: string): boolean | undefined {
  const text = r.text(column);
  if (text === undefined) return undefined;
  const t = text.toLowerCase();
  if (truthy.has(t)) return true;
  if (falsy.has(t)) return false;
  r.fail(column, `'${text}' is not true or false (write true/false, yes/no, 1/0 or 是/否)`);
  return undefined;
}

export function readWholeNumber(r: RowReader, column: string): number | undefined {
  const text = r.text(column);
  if (text === undefined) return undefined;
  if (/^\d{1,9}$/.test(text)) return Number(text);
  r.fail(column, `'${text}' is not a whole number`);
  return undefined;
}

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;
// "1,234.50": what Excel writes into a CSV for a cell formatted with thousands separators.
const GROUPED_DECIMAL = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;
/** Every decimal column holds at least 14 digits before the point (as the API's decimals). */
const MAX_INTEGER_DIGITS = 14;

/** A decimal in plain notation with at most `places` decimals, as a normalised string ("12.50" → "12.5"). */
export function readDecimal(r: RowReader, column: string, places: number, sign: 'positive' | 'non_negative'): string | undefined {
  const text = r.text(column);
  if (text === undefined) return undefined;
  const plain = GROUPED_DECIMAL.test(text) ? text.replaceAll(',', '') : text;
  const problem = !PLAIN_DECIMAL.test(plain)
    ? `'${text}' is not a number such as 12.5`
    : dec(plain).decimalPlaces() > places
      ? `'${text}' has more than ${places} decimal places`
      : dec(plain).abs().trunc().toFixed().length > MAX_INTEGER_DIGITS
        ? `'${text}' has more than ${MAX_INTEGER_DIGITS} digits before the decimal point`
        : sign === 'positive' && !dec(plain).gt(0)
          ? 'must be greater than 0'
          : sign === 'non_negative' && dec(plain).isNeg()
            ? 'must be 0 or more'
            : undefined;
  if (problem) {
    r.fail(column, problem);
    return undefined;
  }
  return dec(plain).toFixed();
}

/**
 * A calendar date as YYYY-MM-DD. Also takes YYYY/M/D, which Excel writes into a CSV for a date
 * cell in Chinese locales; an .xlsx date cell arrives here already as YYYY-MM-DD.
 */
export function readDate(r: RowReader, column: string): string | undefined {
  const text = r.text(column);
  if (text === undefined) return undefined;
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d) return date.toISOString().slice(0, 10);
  }
  r.fail(column, `'${text}' is not a date: write YYYY-MM-DD, such as 2026-03-31`);
  return undefined;
}

/** A short code (sku, warehouse code, lot, unit): at most 64 characters, as the API allows. */
export function readCode(r: RowReader, column: string, what: string, required: boolean): string | undefined {
  const text = r.text(column);
  if (text === undefined) {
    if (required) r.fail(column, `${what} is required`);
    return undefined;
  }
  if (text.length > 64) {
    r.fail(column, `${what} must be at most 64 characters`);
    return undefined;
  }
  return text;
}
