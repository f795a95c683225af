import { describe, expect, it } from 'vitest';
import { apportionLotValues } from '../src/inventory/lot-values';
import { dec, sum } from '../src/lib/decimal';

const run = (qtys: string[], qty: string, value: string) =>
  apportionLotValues(qtys.map(dec), dec(qty), dec(value)).map((v) => v.toFixed(2));

describe('apportionLotValues', () => {
  it('gives a single lot the whole value', () => {
    expect(run(['7'], '7', '10.01')).toEqual(['10.01']);
  });

  it('rounds each lot to cents and gives the last the remainder', () => {
    // 10 / 3 = 3.333…: 3.33 + 3.33 + 3.34
    expect(run(['1', '1', '1'], '3', '10.00')).toEqual(['3.33', '3.33', '3.34']);
    const values = apportionLotValues(['0.333', '1.5', '2.167'].map(dec), dec(4), dec('99.99'));
    expect(sum(values).toFixed(2)).toBe('99.99');
  });

  it('gives empty lots nothing and the remainder to the last lot holding stock', () => {
    expect(run(['2', '1', '0'], '3', '10.00')).toEqual(['6.67', '3.33', '0.00']);
    expect(run(['0', '0'], '0', '0')).toEqual(['0.00', '0.00']);
    expect(run([], '0', '0')).toEqual([]);
  });
});
