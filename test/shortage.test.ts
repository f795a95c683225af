import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/errors';
import { parseLineQuantities, receivedAfterShortage, type NamedLine } from '../src/chat/shortage';

// What a store manager types for "these arrived short": names or codes, units and packs.
const cola: NamedLine = { lineNo: 1, sku: 'COKE-330', qty: '192', name: '可口可乐 330ml', aliases: ['可乐', 'coke'], unit: '罐', packUnits: [{ name: '箱', factor: '24' }] };
const redbull: NamedLine = { lineNo: 2, sku: 'RB-250', qty: '72', name: '红牛维生素功能饮料 250ml', aliases: ['红牛', 'redbull'], unit: '罐', packUnits: [{ name: '箱', factor: '24' }] };
const lines = [cola, redbull];
const read = (text: string, ls = lines) => Object.fromEntries(parseLineQuantities(text, ls, 'shortage'));
const refusal = (text: string, ls = lines) => {
  try {
    parseLineQuantities(text, ls, 'shortage');
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues[0]!.message;
  }
  throw new Error(`read ${text}`);
};

describe('a shortage as people type it', () => {
  it.each([
    ['可乐 6', { 1: '6' }],
    ['红牛 1箱', { 2: '24' }],
    ['COKE-330:6', { 1: '6' }],
    ['coke-330：6, rb-250=2', { 1: '6', 2: '2' }],
    ['可乐 6 红牛 1箱', { 1: '6', 2: '24' }],
    ['可乐少了2罐', { 1: '2' }],
    ['红牛缺一箱，可乐 两罐', { 1: '2', 2: '24' }],
    ['可口可乐 330ml 3', { 1: '3' }],
    ['有短缺：可乐 1箱 可乐 2', { 1: '26' }],
    ['redbull 4 cases', { 2: '96' }],
  ])('%s', (text, expected) => {
    expect(read(text)).toEqual(expected);
  });

  it('takes a bare number (or a number in packs) for a one-line document only', () => {
    expect(read('5', [cola])).toEqual({ 1: '5' });
    expect(read('1箱', [cola])).toEqual({ 1: '24' });
    expect(refusal('5')).toBe('这张单有多行，请写上商品，例如 可乐 2, 红牛 1箱');
  });

  it('names what it cannot read, in the document’s own items', () => {
    expect(refusal('不知道')).toBe('看不懂「不知道」：请写成 商品 数量，例如 可乐 2, 红牛 1箱');
    expect(refusal('雪碧 2')).toBe('这张单上没有「雪碧」，单上有：可口可乐 330ml、红牛维生素功能饮料 250ml');
    expect(refusal('可乐 2盘')).toBe('可口可乐 330ml 没有单位「盘」，可以用：罐、箱');
    expect(refusal('')).toBe('请填写短缺数量，例如 可乐 2, 红牛 1箱');
  });

  it('takes the shortage off what was shipped, never more than shipped', () => {
    expect(receivedAfterShortage(lines, new Map([[1, '2']]))).toEqual([{ line: 1, qty: '190' }, { line: 2, qty: '72' }]);
    expect(() => receivedAfterShortage(lines, new Map([[2, '96']]))).toThrow('红牛维生素功能饮料 250ml 的短缺数量 96 罐 (4 箱) 超过了发货数量 72 罐 (3 箱)');
  });
});
