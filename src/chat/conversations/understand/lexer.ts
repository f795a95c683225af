import { dec, fmt } from '../../../lib/decimal';
import type { Atom } from './atoms';
import { CHINESE_NUMBER_MAX_LENGTH, isChineseNumeralChar, parseChineseNumber } from './chinese-number';
import * as g from './grammar';

/**
 * A message as a row of tokens over its atoms (`from`/`to` are atom indexes, `to` exclusive):
 * lexicon phrases, quantities, document numbers, marks, and plain words — the words are what
 * items, names and free-text reasons are made of.
 */
export type Token =
  | { t: 'kw'; sense: g.Sense; from: number; to: number }
  | { t: 'qty'; amount: string; unit?: string; from: number; to: number }
  | { t: 'doc'; number: string; from: number; to: number }
  | { t: 'mark'; from: number; to: number }
  | { t: 'word'; particle: boolean; from: number; to: number };

// Seven digits is already more than anyone returns at once; longer numbers are barcodes or codes.
const MAX_QTY_DIGITS = 7;
const HALF = '半';

export function tokenize(atoms: readonly Atom[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < atoms.length) {
    const atom = atoms[i]!;
    const afterKw = tokens.at(-1)?.t === 'kw';
    const q = atom.kind === 'doc' ? undefined : readQuantity(atoms, i, afterKw);
    const m = q ? undefined : notInsideAName(atoms, i, longer(g.matchAt(g.phrases, atoms, i), openingWord(atoms, i)));
    if (atom.kind === 'doc') tokens.push({ t: 'doc', number: atom.text, from: i, to: i + 1 });
    else if (q) tokens.push(q);
    else if (m) tokens.push({ t: 'kw', sense: m.value, from: i, to: i + m.length });
    else if (atom.kind === 'mark') tokens.push({ t: 'mark', from: i, to: i + 1 });
    else tokens.push({ t: 'word', particle: g.particles.has(atom.key), from: i, to: i + 1 });
    i = tokens.at(-1)!.to;
  }
  return tokens;
}

/**
 * Small talk glued onto the Chinese characters before it is part of a name, not small talk:
 * 娃哈哈 is a brand, not 娃 and a laugh; `好的` alone or after a space is still an aside, and so is
 * a price asked right after the item (`可乐多少钱`).
 */
function notInsideAName(atoms: readonly Atom[], i: number, m: g.Match<g.Sense> | undefined): g.Match<g.Sense> | undefined {
  if (!m || m.value.kind !== 'aside' || m.value.price || i === 0 || atoms[i]!.gapBefore) return m;
  return atoms[i - 1]!.kind === 'han' && atoms[i]!.kind === 'han' ? undefined : m;
}

/** The longer of two matches; a tie goes to the first. */
const longer = <T>(a: g.Match<T> | undefined, b: g.Match<T> | undefined) => (b && (!a || b.length > a.length) ? b : a);

/**
 * The first word may be a command that counts only there: a short one standing apart (`退 可乐`,
 * `退5箱可乐`, never `退热贴`), a decision (`驳回PO-20261125-0012`, `审批通过 …`; longer than
 * a phrase it starts with), or a command with a typo (`stok`).
 */
function openingWord(atoms: readonly Atom[], i: number): g.Match<g.Sense> | undefined {
  if (i !== 0) return undefined;
  const opening = g.matchAt(g.openingPhrases, atoms, 0);
  const after = opening && atoms[opening.length];
  if (opening && (!after || after.gapBefore || after.kind === 'num' || after.kind === 'mark' || after.kind === 'doc')) return opening;
  const sense = g.fuzzyCommand(atoms[0]!);
  return sense && { value: sense, length: 1 };
}

/** Nothing glued on: the end, a space, a mark, a keyword or a particle comes next. */
function breakAt(atoms: readonly Atom[], j: number): boolean {
  const a = atoms[j];
  return !a || a.gapBefore || a.kind === 'mark' || a.kind === 'doc' || g.particles.has(a.key) || g.matchAt(g.phrases, atoms, j) !== undefined;
}

function breakBefore(atoms: readonly Atom[], i: number, afterKw: boolean): boolean {
  return i === 0 || afterKw || atoms[i]!.gapBefore || atoms[i - 1]!.kind === 'mark';
}

/**
 * A count at atom `i`: `5箱`, `5 cases`, `五箱`, `两瓶`, `1箱半`, `a case`, `x5`, or a number
 * standing alone. A size (`330ml`) comes back as a word, since it belongs to the item's name,
 * and so does a numeral glued into a name (`三全水饺`, `六个核桃`, `可乐330`).
 */
function readQuantity(atoms: readonly Atom[], i: number, afterKw: boolean): Token | undefined {
  const a = atoms[i]!;
  const next = atoms[i + 1];
  if (g.timesMarks.has(a.key) && next?.kind === 'num' && !next.gapBefore && isCount(next.text)) {
    return { t: 'qty', amount: fmt(dec(next.text)), from: i, to: i + 2 };
  }
  let amount: string | undefined;
  let end = i + 1;
  let chinese = false;
  if (a.kind === 'num' && isCount(a.text)) amount = fmt(dec(a.text));
  else if (a.kind === 'word' && g.englishNumbers.has(a.key)) amount = g.englishNumbers.get(a.key);
  else if (a.kind === 'word' && g.oneBeforeUnit.has(a.key)) amount = '1';
  else if (a.kind === 'han' && isChineseNumeralChar(a.text)) {
    while (end < atoms.length && end - i < CHINESE_NUMBER_MAX_LENGTH && !atoms[end]!.gapBefore && isChineseNumeralChar(atoms[end]!.text)) end++;
    amount = parseChineseNumber(atoms.slice(i, end).map((x) => x.text).join(''));
    chinese = true;
  }
  if (amount === undefined || !isCount(amount)) return undefined;

  const unit = g.matchAt(g.unitTrie, atoms, end);
  if (unit) {
    const to = end + unit.length;
    if (unit.value.measure) return { t: 'word', particle: false, from: i, to };
    // 六个核桃, 三只松鼠: a numeral and classifier glued into a name are part of it.
    if (chinese && unit.value.classifier && !breakAt(atoms, to)) return undefined;
    const text = atoms.slice(end, to).map((x, k) => (k > 0 && x.gapBefore ? ` ${x.text}` : x.text)).join('');
    const half = atoms[to]?.text === HALF && !atoms[to]!.gapBefore; // 一箱半, 2箱半
    return { t: 'qty', amount: half ? fmt(dec(amount).plus(0.5)) : amount, unit: text, from: i, to: half ? to + 1 : to };
  }
  // A bare number counts only when it stands apart: `退货 可乐 5 临期`, not `可乐330` or `七喜`.
  const bare = (a.kind !== 'word' || g.englishNumbers.has(a.key)) && !atoms.slice(i, end).some((x) => x.text === HALF);
  if (!bare || !breakBefore(atoms, i, afterKw)) return undefined;
  // `3 x` / `3x` reads like `x3`.
  const times = atoms[end] && g.timesMarks.has(atoms[end]!.key) && breakAt(atoms, end + 1) ? 1 : 0;
  return times || breakAt(atoms, end) ? { t: 'qty', amount, from: i, to: end + times } : undefined;
}

const isCount = (digits: string) => digits.split('.')[0]!.length <= MAX_QTY_DIGITS;
