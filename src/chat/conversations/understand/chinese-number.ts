import { Decimal, fmt } from '../../../lib/decimal';

/** Digits, including the 大写 forms on receipts and the colloquial 两 / 俩 / 仨. */
const digits: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 俩: 2, 三: 3, 叁: 3, 仨: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
/** Multipliers inside a 万-section. */
const small: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
/** Section multipliers. */
const big: Record<string, number> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };
const POINT = new Set(['点', '點']);
const HALF = '半';

/** Nobody types a quantity longer than this; a longer run of numeral characters is text. */
export const CHINESE_NUMBER_MAX_LENGTH = 16;

/** A character that can be part of a Chinese numeral (so a caller can find where one ends). */
export const isChineseNumeralChar = (ch: string) =>
  ch in digits || ch in small || ch in big || POINT.has(ch) || ch === HALF;

/**
 * Reads a Chinese numeral as a decimal string: 五 → "5", 十二 → "12", 二十五 → "25",
 * 一百零五 → "105", 一百五 → "150" (colloquial: the last digit counts in the next lower
 * place), 两千三 → "2300", 三点五 → "3.5", 半 → "0.5", 一二三 → "123" (read digit by digit).
 * Anything that is not one whole numeral gives undefined.
 */
export function parseChineseNumber(s: string): string | undefined {
  if (s.length === 0 || s.length > CHINESE_NUMBER_MAX_LENGTH) return undefined;
  if (s === HALF) return '0.5';
  const chars = [...s];
  const point = chars.findIndex((c) => POINT.has(c));
  if (point < 0) return readInteger(chars);
  const whole = readInteger(chars.slice(0, point));
  const fraction = chars.slice(point + 1);
  if (whole === undefined || fraction.length === 0 || !fraction.every((c) => c in digits)) return undefined;
  return fmt(new Decimal(`${whole}.${fraction.map((c) => digits[c]).join('')}`));
}

function readInteger(chars: string[]): string | undefined {
  if (chars.length === 0) return undefined;
  if (chars.every((c) => c in digits)) return fmt(new Decimal(chars.map((c) => digits[c]).join('')));
  let total = new Decimal(0);
  let section = new Decimal(0);
  let digit: number | undefined; // a non-zero digit waiting for its place value
  let lastSmall = Infinity; // place values fall inside a section: 千 then 百 then 十
  let lastBig = Infinity;
  let afterZero = false; // 一百零五: the 五 is ones
  let prev: 'digit' | 'zero' | 'small' | 'big' | 'start' = 'start';
  for (const c of chars) {
    if (c in digits) {
      if (prev === 'digit') return undefined; // 二三十
      const d = digits[c]!;
      if (d === 0) afterZero = true;
      else digit = d;
      prev = d === 0 ? 'zero' : 'digit';
    } else if (c in small) {
      const unit = small[c]!;
      if (unit >= lastSmall) return undefined;
      // 十二, 一百十 and 一千零十 say 十 for 一十; 百 and 千 need their digit.
      const d = digit ?? (unit === 10 ? 1 : undefined);
      if (d === undefined) return undefined;
      section = section.plus(new Decimal(d).times(unit));
      lastSmall = unit;
      digit = undefined;
      afterZero = false;
      prev = 'small';
    } else if (c in big) {
      const unit = big[c]!;
      if (unit >= lastBig) return undefined;
      section = section.plus(digit ?? 0);
      if (section.isZero()) return undefined;
      total = total.plus(section.times(unit));
      section = new Decimal(0);
      lastSmall = Infinity;
      lastBig = unit;
      digit = undefined;
      afterZero = false;
      prev = 'big';
    } else {
      return undefined; // 半 or 点 inside an integer
    }
  }
  if (digit !== undefined) {
    // 一百五 = 150, 三万五 = 35000: a last bare digit right after 百/千/万 counts one place lower.
    const place = afterZero ? 1 : trailingPlace(chars, lastSmall, lastBig);
    section = section.plus(new Decimal(digit).times(place));
  }
  return fmt(total.plus(section));
}

function trailingPlace(chars: string[], lastSmall: number, lastBig: number): number {
  const before = chars[chars.length - 2];
  if (before !== undefined && before in small) return lastSmall >= 100 ? lastSmall / 10 : 1;
  if (before !== undefined && before in big) return lastBig / 10;
  return 1;
}
