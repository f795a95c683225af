import { Decimal, dec } from '../lib/decimal';

/**
 * Allocation formulas (a plastics factory shares mould wear by production runs: `runs * 120`), read
 * by a small parser of our own and evaluated with exact decimals — never as code. Numbers, `+ - * /`,
 * parentheses, `min(…)`, `max(…)` and the order's variables; anything else is refused by name.
 */
export const formulaVariables = ['qty', 'laborHours', 'machineHours', 'materialCost', 'runs'] as const;
export type FormulaVariable = (typeof formulaVariables)[number];
export type FormulaVars = Record<FormulaVariable, Decimal>;

type Node =
  | { k: 'num'; value: Decimal }
  | { k: 'var'; name: FormulaVariable }
  | { k: 'neg'; arg: Node }
  | { k: 'bin'; op: '+' | '-' | '*' | '/'; left: Node; right: Node }
  | { k: 'call'; fn: 'min' | 'max'; args: Node[] };

export type Formula = { text: string; root: Node };

/** Why a formula was refused: the token (or the end) and where, for a 400 naming it. */
export class FormulaError extends Error {
  constructor(readonly token: string, readonly position: number, why: string) {
    super(`${why} ${token === '' ? 'at the end' : `'${token}' at position ${position + 1}`}`);
  }
}

type Token = { text: string; at: number; kind: 'num' | 'name' | 'op' };
const MAX_LENGTH = 500;

function tokenize(text: string): Token[] {
  if (text.length > MAX_LENGTH) throw new FormulaError(text.slice(MAX_LENGTH, MAX_LENGTH + 10), MAX_LENGTH, `longer than ${MAX_LENGTH} characters:`);
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    if (/\s/.test(text[at]!)) {
      at++;
      continue;
    }
    const rest = text.slice(at);
    const m = /^(\d+(?:\.\d+)?)|^([A-Za-z_][A-Za-z0-9_.]*)|^([-+*/(),])/.exec(rest);
    // Anything else is named whole, up to the next space, digit or operator (`;`, `^`, `x.y`, `中文`).
    if (!m) throw new FormulaError(/^\S+?(?=[\s\d()+\-*/,]|$)/.exec(rest)![0], at, 'unknown token');
    tokens.push({ text: m[0], at, kind: m[1] ? 'num' : m[2] ? 'name' : 'op' });
    at += m[0].length;
  }
  return tokens;
}

/** Parses a formula, or throws FormulaError naming the first token that does not fit. */
export function parseFormula(text: string): Formula {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const fail = (why: string): never => {
    const t = tokens[i];
    throw new FormulaError(t?.text ?? '', t?.at ?? text.length, why);
  };
  const expect = (op: string) => (peek()?.text === op ? i++ : fail(`expected '${op}', found`));

  const expr = (): Node => {
    let left = term();
    while (peek()?.text === '+' || peek()?.text === '-') left = { k: 'bin', op: tokens[i++]!.text as '+' | '-', left, right: term() };
    return left;
  };
  const term = (): Node => {
    let left = factor();
    while (peek()?.text === '*' || peek()?.text === '/') left = { k: 'bin', op: tokens[i++]!.text as '*' | '/', left, right: factor() };
    return left;
  };
  const factor = (): Node => {
    const t = peek();
    if (!t) return fail('expected a number, a variable or (');
    if (t.text === '-' || t.text === '+') {
      i++;
      const arg = factor();
      return t.text === '-' ? { k: 'neg', arg } : arg;
    }
    if (t.kind === 'num') return i++, { k: 'num', value: dec(t.text) };
    if (t.text === '(') {
      i++;
      const inner = expr();
      expect(')');
      return inner;
    }
    if (t.kind === 'name' && (t.text === 'min' || t.text === 'max')) {
      i++;
      expect('(');
      const args = [expr()];
      while (peek()?.text === ',') i++, args.push(expr());
      expect(')');
      return { k: 'call', fn: t.text, args };
    }
    if (t.kind === 'name' && (formulaVariables as readonly string[]).includes(t.text)) return i++, { k: 'var', name: t.text as FormulaVariable };
    return fail(t.kind === 'name' ? 'unknown name' : 'unexpected');
  };

  const root = expr();
  if (i < tokens.length) fail('unexpected');
  return { text, root };
}

/** The formula's value for one order. Division by zero is an error naming the formula (the close refuses it). */
export function evaluateFormula(f: Formula, vars: FormulaVars): Decimal {
  const ev = (n: Node): Decimal => {
    switch (n.k) {
      case 'num': return n.value;
      case 'var': return vars[n.name];
      case 'neg': return ev(n.arg).neg();
      case 'call': return n.args.map(ev).reduce((a, b) => (n.fn === 'min' ? Decimal.min(a, b) : Decimal.max(a, b)));
      case 'bin': {
        const [a, b] = [ev(n.left), ev(n.right)];
        if (n.op === '/' && b.isZero()) throw new Error(`division by zero in '${f.text}'`);
        return n.op === '+' ? a.plus(b) : n.op === '-' ? a.minus(b) : n.op === '*' ? a.times(b) : a.div(b);
      }
    }
  };
  return ev(f.root);
}
