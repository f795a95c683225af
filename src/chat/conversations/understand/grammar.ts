import { atomize, type Atom } from './atoms';
import type { DecisionWord, Measure, Period, ReturnReason, WorkList } from './intent';
import * as lex from './lexicon';

/** What a lexicon phrase means once found in a message. */
export type Sense =
  | { kind: 'trigger'; intent: lex.TriggerIntent }
  | { kind: 'decision'; decision: DecisionWord }
  | { kind: 'reason'; reason: Exclude<ReturnReason, 'other'> }
  | { kind: 'note' }
  | { kind: 'slot'; slot: 'warehouse' | 'customer'; tight: boolean }
  | { kind: 'filler' }
  | { kind: 'aside'; price?: true }
  | { kind: 'measure'; measure: Measure }
  | { kind: 'period'; period: Period }
  | { kind: 'work'; list: WorkList };

export type Unit = { measure: boolean; classifier: boolean };

type Node<T> = { next: Map<string, Node<T>>; value?: T; phrase?: string };
export type Trie<T> = Node<T> & { longest: number };
export type Match<T> = { value: T; length: number };

/** Phrases are cut into atoms the same way messages are, so spacing and case never matter. */
export function buildTrie<T>(entries: Iterable<readonly [string, T]>): Trie<T> {
  const root: Trie<T> = { next: new Map(), longest: 0 };
  for (const [phrase, value] of entries) {
    const keys = atomize(phrase).map((a) => a.key);
    let node: Node<T> = root;
    for (const key of keys) {
      let child = node.next.get(key);
      if (!child) node.next.set(key, (child = { next: new Map() }));
      node = child;
    }
    // One meaning per phrase: a phrase in two tables is a lexicon bug, found by the first test.
    if (node.value !== undefined) throw new Error(`lexicon: "${phrase}" is listed twice ("${node.phrase}")`);
    node.value = value;
    node.phrase = phrase;
    root.longest = Math.max(root.longest, keys.length);
  }
  return root;
}

/** The longest phrase starting at atom `i`; the walk stops at the trie's depth, so it is cheap. */
export function matchAt<T>(trie: Trie<T>, atoms: readonly Atom[], i: number): Match<T> | undefined {
  let node: Node<T> | undefined = trie;
  let best: Match<T> | undefined;
  for (let j = i; j < atoms.length && j - i < trie.longest; j++) {
    node = node.next.get(atoms[j]!.key);
    if (!node) break;
    if (node.value !== undefined) best = { value: node.value, length: j - i + 1 };
  }
  return best;
}

function* senses(): Generator<readonly [string, Sense]> {
  for (const [intent, words] of Object.entries(lex.triggerWords)) {
    for (const w of words) yield [w, { kind: 'trigger', intent: intent as lex.TriggerIntent }];
  }
  // 还剩几箱, 多少瓶, how many cases: the unit belongs to the question, not to the item.
  const units = [...lex.countUnits.container, ...lex.countUnits.classifier, ...lex.countUnits.english];
  for (const q of lex.unitQuestions) for (const u of units) yield [`${q} ${u}`, { kind: 'trigger', intent: 'stock' }];
  for (const [reason, words] of Object.entries(lex.reasonWords)) {
    for (const w of words) yield [w, { kind: 'reason', reason: reason as Exclude<ReturnReason, 'other'> }];
  }
  for (const w of lex.noteWords) yield [w, { kind: 'note' }];
  for (const [slot, { tight, loose }] of Object.entries(lex.slotMarkers)) {
    const s = slot as 'warehouse' | 'customer';
    for (const w of tight) yield [w, { kind: 'slot', slot: s, tight: true }];
    for (const w of loose) yield [w, { kind: 'slot', slot: s, tight: false }];
  }
  for (const w of lex.fillerWords) yield [w, { kind: 'filler' }];
  for (const w of lex.asideWords) yield [w, { kind: 'aside' }];
  for (const w of lex.priceWords) yield [w, { kind: 'aside', price: true }];
  for (const [measure, words] of Object.entries(lex.measureWords)) for (const w of words) yield [w, { kind: 'measure', measure: measure as Measure }];
  for (const [period, words] of Object.entries(lex.periodWords)) for (const w of words) yield [w, { kind: 'period', period: period as Period }];
  for (const [list, words] of Object.entries(lex.workWords)) for (const w of words) yield [w, { kind: 'work', list: list as WorkList }];
}

function* units(): Generator<readonly [string, Unit]> {
  for (const u of lex.countUnits.container) yield [u, { measure: false, classifier: false }];
  for (const u of lex.countUnits.classifier) yield [u, { measure: false, classifier: true }];
  for (const u of lex.countUnits.english) yield [u, { measure: false, classifier: false }];
  for (const u of lex.measureUnits) yield [u, { measure: true, classifier: false }];
}

export const phrases = buildTrie(senses());
function* openingSenses(): Generator<readonly [string, Sense]> {
  for (const [intent, words] of Object.entries(lex.openingWords)) {
    for (const w of words) yield [w, { kind: 'trigger', intent: intent as lex.TriggerIntent }];
  }
  for (const [decision, words] of Object.entries(lex.decisionWords)) {
    for (const w of words) yield [w, { kind: 'decision', decision: decision as DecisionWord }];
  }
}

export const openingPhrases = buildTrie(openingSenses());
export const reasonMarkers = buildTrie(lex.decisionReasonMarkers.map((w) => [w, true] as const));
export const unitTrie = buildTrie(units());
export const suffixTrie = buildTrie(lex.warehouseSuffixes.map((s) => [s, true] as const));
export const particles = new Set(lex.particles);
export const itemJoiners = new Set(lex.itemJoiners);
export const englishNumbers = new Map(lex.englishNumbers.map((w, i) => [w, String(i)]));
export const oneBeforeUnit = new Set(lex.oneBeforeUnit);
export const timesMarks = new Set(lex.timesMarks);

const fuzzy = lex.fuzzyCommands.map((w) => ({ word: w, sense: matchAt(phrases, atomize(w), 0)!.value }));

/** An English command word off by one typo (`stok`, `retrun`, `hlep`), for the first word of a message only. */
export function fuzzyCommand(atom: Atom): Sense | undefined {
  if (atom.kind !== 'word' || atom.key.length < 4 || !/^[a-z]+$/.test(atom.key)) return undefined;
  return fuzzy.find((f) => Math.abs(f.word.length - atom.key.length) <= 1 && withinOneEdit(f.word, atom.key))?.sense;
}

/** Optimal string alignment distance ≤ 1: one insertion, deletion, substitution or swap of neighbours. */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i);
}
