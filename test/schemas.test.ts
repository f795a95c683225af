import { describe, expect, it } from 'vitest';
import { codeString, decimalString, nonNegativeDecimal, positiveDecimal } from '../src/http/schemas';

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues.map((i) => i.message);

describe('decimalString', () => {
  const qty = decimalString(3);

  it('accepts numbers and plain strings and returns a normalised string', () => {
    expect(qty.parse(12.5)).toBe('12.5');
    expect(qty.parse('12.500')).toBe('12.5');
    expect(qty.parse(' 7 ')).toBe('7');
    expect(qty.parse('-0.125')).toBe('-0.125');
    expect(qty.parse(0.1)).toBe('0.1');
    expect(qty.parse('-0')).toBe('0');
    expect(qty.parse(1e14 - 1)).toBe('99999999999999');
  });

  it.each([['1e3'], ['NaN'], ['Infinity'], [''], ['1.'], ['.5'], ['1,5'], ['0x10'], ['12 kg']])('refuses %j', (input) => {
    const r = qty.safeParse(input);
    expect(r.success).toBe(false);
    expect(messages(r)?.[0]).toMatch(/must be a decimal number/);
  });

  it('refuses other JSON types with the same message, and says when it is missing', () => {
    for (const input of [true, null, {}, [1]]) expect(messages(qty.safeParse(input))?.[0]).toMatch(/must be a decimal number/);
    expect(messages(qty.safeParse(undefined))).toEqual(['is required']);
  });

  it('refuses more places than allowed, as number or string', () => {
    expect(messages(qty.safeParse('1.2345'))).toEqual(['has more than 3 decimal places']);
    expect(messages(qty.safeParse(0.0001))).toEqual(['has more than 3 decimal places']);
    expect(decimalString(6).parse('0.333333')).toBe('0.333333');
  });

  it('refuses numbers too large for any decimal column', () => {
    expect(messages(qty.safeParse('123456789012345'))?.[0]).toMatch(/at most 14 digits/);
    expect(messages(qty.safeParse(1e21))?.[0]).toMatch(/at most 14 digits/);
  });

  it('checks the sign', () => {
    expect(messages(positiveDecimal(3).safeParse(0))).toEqual(['must be greater than 0']);
    expect(messages(nonNegativeDecimal(3).safeParse('-1'))).toEqual(['must be 0 or more']);
    expect(nonNegativeDecimal(3).parse('0')).toBe('0');
  });
});

describe('codeString', () => {
  it('trims and bounds the length', () => {
    const code = codeString('sku');
    expect(code.parse('  A-1 ')).toBe('A-1');
    expect(messages(code.safeParse('   '))).toEqual(['sku must not be empty']);
    expect(messages(code.safeParse('x'.repeat(65)))).toEqual(['sku must be at most 64 characters']);
    expect(messages(code.safeParse(5))).toEqual(['sku must be a string']);
    expect(messages(code.safeParse(undefined))).toEqual(['sku is required']);
  });
});
