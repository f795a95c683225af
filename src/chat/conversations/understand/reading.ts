import { atomize, prepareText, type Atom } from './atoms';
import type { TriggerIntent } from './lexicon';
import * as g from './grammar';
import { tokenize, type Token } from './lexer';

/** A message cut into tokens, with what every intent needs: its triggers and its marked slots. */
export type Reading = {
  text: string;
  atoms: Atom[];
  tokens: Token[];
  /** Each intent a keyword asked for, with the index of its first token. */
  triggers: Map<TriggerIntent, number>;
  warehouse?: string;
  customer?: string;
  /** Tokens that are a slot's value, so no item or reason takes them too. */
  taken: Set<number>;
};

/** A run of word tokens next to each other (token indexes), particles trimmed off its ends. */
export type Run = number[];

export function read(message: string): Reading {
  const text = prepareText(message);
  const atoms = atomize(text);
  const tokens = tokenize(atoms);
  const r: Reading = { text, atoms, tokens, triggers: new Map(), taken: new Set() };
  tokens.forEach((tok, k) => {
    if (tok.t !== 'kw') return;
    const { sense } = tok;
    if (sense.kind === 'trigger' && !r.triggers.has(sense.intent)) r.triggers.set(sense.intent, k);
    if (sense.kind === 'slot') {
      const value = readSlot(r, k, sense.slot, sense.tight);
      if (value && r[sense.slot] === undefined) r[sense.slot] = value;
    }
  });
  return r;
}

/**
 * The words after a slot marker: `@浦东店`, `在 浦东店`, `客户：张三`, `customer Zhang San`.
 * A tight marker stops at the first space after its value; a loose one at the next keyword,
 * number or mark.
 */
function readSlot(r: Reading, k: number, slot: 'warehouse' | 'customer', tight: boolean): string | undefined {
  let j = k + 1;
  while (r.tokens[j]?.t === 'mark') j++;
  const value: number[] = [];
  for (; j < r.tokens.length; j++) {
    const tok = r.tokens[j]!;
    if (tok.t !== 'word' || r.taken.has(j)) break;
    if (tight && value.length > 0 && r.atoms[tok.from]!.gapBefore) break;
    value.push(j);
  }
  // `@不存在`: a marker word glued to the end of a tight value (nothing after it but a space) marks
  // nothing; it is the end of the name, which the reply must echo whole (没有叫「不存在」的仓库).
  const next = r.tokens[j];
  if (tight && value.length > 0 && next?.t === 'kw' && next.sense.kind === 'slot' && !r.atoms[next.from]!.gapBefore
    && (j + 1 === r.tokens.length || r.atoms[r.tokens[j + 1]!.from]!.gapBefore)) value.push(j);
  // 在徐汇店红牛还有多少: the store name ends at its 店; the words after it are the item.
  const end = slot === 'warehouse' ? storeNameEnd(r, value) : undefined;
  if (end !== undefined) value.length = end;
  const trimmed = trimParticles(r, value);
  if (trimmed.length === 0) return undefined;
  for (const v of value) r.taken.add(v);
  return spell(r, trimmed);
}

/** Plain words: what items, names and free-text reasons are made of. */
export const isWordToken = (tok: Token) => tok.t === 'word';

/** Runs of the tokens `isWord` accepts that no slot took, in message order. */
export function wordRuns(r: Reading, isWord: (tok: Token) => boolean): Run[] {
  const runs: Run[] = [];
  let run: Run = [];
  r.tokens.forEach((tok, k) => {
    if (isWord(tok) && !r.taken.has(k)) return void run.push(k);
    runs.push(run);
    run = [];
  });
  runs.push(run);
  return runs.map((x) => trimParticles(r, x)).filter((x) => x.length > 0);
}

export const isParticle = (tok: Token | undefined) => tok?.t === 'word' && tok.particle;

export function trimParticles(r: Reading, run: Run): Run {
  let a = 0;
  let b = run.length;
  while (a < b && isParticle(r.tokens[run[a]!])) a++;
  while (b > a && isParticle(r.tokens[run[b - 1]!])) b--;
  return run.slice(a, b);
}

/** Tokens as typed: neighbours keep what stood between them (`coca-cola`, `red bull`), gaps become one space. */
export function spell(r: Reading, ks: readonly number[]): string {
  const sorted = [...ks].sort((x, y) => x - y);
  const spans: string[] = [];
  let first = sorted[0];
  for (let i = 0; i < sorted.length; i++) {
    const k = sorted[i]!;
    if (sorted[i + 1] === k + 1) continue;
    const from = r.atoms[r.tokens[first!]!.from]!;
    const to = r.atoms[r.tokens[k]!.to - 1]!;
    spans.push(r.text.slice(from.start, to.end));
    first = sorted[i + 1];
  }
  return spans.join(' ').trim();
}

/**
 * How many tokens of a run make a store name by how Chinese store names end (`浦东店`,
 * `总仓`, `冷库`): up to the first such ending that has a name before it or is one itself.
 */
export function storeNameEnd(r: Reading, run: Run): number | undefined {
  for (const [p, k] of run.entries()) {
    const m = g.matchAt(g.suffixTrie, r.atoms, r.tokens[k]!.from);
    if (!m || (p === 0 && m.length < 2)) continue;
    const end = p + m.length; // one token per Han character
    if (end <= run.length && r.tokens[run[end - 1]!]!.to === r.tokens[k]!.from + m.length) return end;
  }
  return undefined;
}

/**
 * A store named without a marker in a question that need not name an item (`徐汇店今天卖了多少`,
 * `徐汇店可乐卖了多少`): the first run that is, or starts with, a store name gives the warehouse;
 * the rest are what the question is about.
 */
export function storeRun(r: Reading, runs: Run[]): { warehouse?: string; runs: Run[] } {
  if (r.warehouse) return { warehouse: r.warehouse, runs };
  for (const run of runs) {
    const end = storeNameEnd(r, run);
    if (end === undefined) continue;
    const rest = trimParticles(r, run.slice(end));
    return { warehouse: spell(r, run.slice(0, end)), runs: runs.flatMap((x) => (x !== run ? [x] : rest.length ? [rest] : [])) };
  }
  return { runs };
}

/** The senses of the keywords in a message, in order. */
export function sensesOf(r: Reading): g.Sense[] {
  return r.tokens.flatMap((tok) => (tok.t === 'kw' ? [tok.sense] : []));
}

// Marks that separate items named in a row (NFKC has made ，and ； ASCII).
const ITEM_SEPARATORS = new Set(['、', ',', ';']);

/**
 * The items of `可乐和红牛`, `可乐、红牛`, `red bull and cola`: runs apart by a separating mark are
 * different items, and a run is cut at a joiner word with words on both sides (never `和其正`).
 */
export function itemParts(r: Reading, runs: Run[]): string[] {
  const groups: Run[] = [];
  runs.forEach((run, i) => {
    const prev = runs[i - 1];
    const separated = prev !== undefined && r.tokens.slice(prev.at(-1)! + 1, run[0]).some((tok) => tok.t === 'mark' && ITEM_SEPARATORS.has(r.atoms[tok.from]!.key));
    if (prev === undefined || separated) groups.push([...run]);
    else groups.at(-1)!.push(...run);
  });
  const joiner = (k: number) => r.tokens[k]!.to - r.tokens[k]!.from === 1 && g.itemJoiners.has(r.atoms[r.tokens[k]!.from]!.key);
  return groups.flatMap((group) => splitWhere(group, joiner).map((part, i) => (i > 0 ? part.slice(1) : part)))
    .map((part) => trimParticles(r, part)).filter((part) => part.length > 0).map((part) => spell(r, part));
}

/** Cuts a run before every token `cut` accepts. */
export function splitWhere(run: Run, cut: (k: number) => boolean): Run[] {
  const parts: Run[] = [[]];
  for (const k of run) {
    if (cut(k) && parts.at(-1)!.length) parts.push([]);
    parts.at(-1)!.push(k);
  }
  return parts;
}
