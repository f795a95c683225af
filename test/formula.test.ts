import { describe, expect, it } from 'vitest';
import { evaluateFormula, FormulaError, parseFormula } from '../src/costing/formula';
import { dec } from '../src/lib/decimal';

const vars = { qty: dec(100), laborHours: dec('2.5'), machineHours: dec(4), materialCost: dec('350.40'), runs: dec(3) };
const value = (text: string) => evaluateFormula(parseFormula(text), vars).toFixed();
const refusal = (text: string) => {
  try {
    parseFormula(text);
  } catch (err) {
    return err instanceof FormulaError ? [err.token, err.message] : String(err);
  }
  return 'accepted';
};

describe('allocation formulas', () => {
  it('computes with exact decimals, precedence, parentheses, min and max', () => {
    expect(value('runs * 120')).toBe('360'); // 3 runs × 120
    expect(value('qty + laborHours * 2')).toBe('105'); // 100 + 2.5 × 2
    expect(value('(qty + laborHours) * 2')).toBe('205'); // 102.5 × 2
    expect(value('materialCost / 3')).toBe('116.8'); // 350.40 / 3
    expect(value('max(runs, 5) - min(machineHours, 1, 2)')).toBe('4'); // 5 - 1
    expect(value('-runs + 10')).toBe('7');
    expect(value('0.1 + 0.2')).toBe('0.3'); // never a float
  });

  it('refuses anything else, naming the bad token — nothing is evaluated as code', () => {
    expect(refusal('runs ^ 2')[0]).toBe('^');
    expect(refusal('process.exit(1)')[0]).toBe('process.exit');
    expect(refusal('runs * 120; drop')[0]).toBe(';');
    expect(refusal('hours * 2')[0]).toBe('hours');
    expect(refusal('1e5')[0]).toBe('e5');
    expect(refusal('runs *')[1]).toContain('at the end');
    expect(refusal('(runs')[1]).toContain("expected ')'");
    expect(refusal('min runs')[0]).toBe('runs');
    expect(refusal('工时 * 2')[0]).toBe('工时');
    expect(() => evaluateFormula(parseFormula('qty / (runs - 3)'), vars)).toThrow('division by zero');
  });
});
