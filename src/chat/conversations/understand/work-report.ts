import { dec, fmt } from '../../../lib/decimal';
import type { Atom } from './atoms';
import { isChineseNumeralChar, parseChineseNumber } from './chinese-number';
import { buildTrie, matchAt } from './grammar';
import type { WorkReportIntent } from './intent';
import { workReportMarkers } from './lexicon';
import type { Reading } from './reading';

type Slot = keyof typeof workReportMarkers;
const markers = buildTrie(Object.entries(workReportMarkers).flatMap(([slot, words]) => words.map((w) => [w, slot as Slot] as const)));
const HALF = '半';

type Piece =
  | { k: 'num'; amount: string; from: number; to: number }
  | { k: 'marker'; slot: Slot; from: number; to: number }
  | { k: 'word'; from: number; to: number }
  | { k: 'at'; from: number; to: number }
  | { k: 'gap'; from: number; to: number };

/**
 * A work report (报工), read after its opening word: the order's number, the operation (the first
 * words), `@工作中心`, and numbers with what they are — a marker glued before or after each
 * (`2小时`, `合格200`, `机时1.5`, `两小时`, `半小时`, `2 h`, `good 200`). A number with no marker
 * is not guessed at: it comes back in `unclear`, for the bot to ask about.
 */
export function readWorkReport(r: Reading, start: number): WorkReportIntent {
  const pieces = cut(r.atoms, start);
  const intent: WorkReportIntent = { intent: 'work_report' };
  const unclear: string[] = [];
  const words: Piece[][] = [[]];
  const text = (p: Piece) => r.text.slice(r.atoms[p.from]!.start, r.atoms[p.to - 1]!.end);
  const used = new Set<Piece>();
  pieces.forEach((p, i) => {
    if (p.k !== 'num') return;
    const before = pieces[i - 1];
    const after = pieces[i + 1];
    const free = (q: Piece | undefined): q is Piece & { k: 'marker' } => q?.k === 'marker' && !used.has(q);
    const gluedToNext = (q: Piece) => pieces[i + 2]?.k === 'num' && !r.atoms[pieces[i + 2]!.from]!.gapBefore && q === after;
    // Glued beats spaced (`2 合格200`: 合格 is 200's); spaced, the marker before wins (`good 200 scrap 3`).
    const marker = [
      free(after) && !r.atoms[after.from]!.gapBefore ? after : undefined,
      free(before) && !r.atoms[p.from]!.gapBefore ? before : undefined,
      free(before) ? before : undefined,
      free(after) && !gluedToNext(after) ? after : undefined,
    ].find((m) => m !== undefined);
    if (marker?.k !== 'marker') return void unclear.push(text(p));
    used.add(marker).add(p);
    if (intent[marker.slot] === undefined) intent[marker.slot] = p.amount;
  });
  for (const [i, p] of pieces.entries()) {
    if (p.k === 'marker' && !used.has(p)) unclear.push(text(p));
    if (p.k === 'word') {
      if (pieces[i - 1]?.k === 'at') {
        intent.workCenter ??= text(p);
        continue;
      }
      words.at(-1)!.push(p);
    } else if (words.at(-1)!.length) words.push([]);
  }
  const runs = words.filter((w) => w.length).map((w) => r.text.slice(r.atoms[w[0]!.from]!.start, r.atoms[w.at(-1)!.to - 1]!.end));
  const doc = r.atoms.slice(start).find((a) => a.kind === 'doc');
  if (doc) intent.number = doc.text;
  if (runs[0]) intent.operation = runs[0];
  unclear.push(...runs.slice(1));
  if (unclear.length) intent.unclear = unclear;
  return intent;
}

/** The atoms after the opening word as numbers, markers, words, `@` and gaps (marks, document numbers). */
function cut(atoms: readonly Atom[], start: number): Piece[] {
  const pieces: Piece[] = [];
  let i = start;
  while (i < atoms.length) {
    const a = atoms[i]!;
    const marker = matchAt(markers, atoms, i);
    // A marker must stand apart from the words around it: `包装` is no `装`, `good day` is a marker and a word.
    const endsClean = marker && (i + marker.length >= atoms.length || atoms[i + marker.length]!.kind !== 'word' || atoms[i + marker.length]!.gapBefore);
    if (a.kind === 'num') pieces.push({ k: 'num', amount: fmt(dec(a.text)), from: i, to: i + 1 });
    else if (a.kind === 'han' && (isChineseNumeralChar(a.text) || a.text === HALF) && numeralAt(atoms, i)) {
      const n = numeralAt(atoms, i)!;
      pieces.push({ k: 'num', amount: n.amount, from: i, to: n.to });
    } else if (marker && endsClean && (a.kind !== 'han' || !glued(pieces, atoms, i) || pieces.at(-1)?.k === 'num')) {
      pieces.push({ k: 'marker', slot: marker.value, from: i, to: i + marker.length });
    } else if (a.kind === 'mark' && a.text === '@') pieces.push({ k: 'at', from: i, to: i + 1 });
    else if (a.kind === 'han' || a.kind === 'word') {
      const last = pieces.at(-1);
      if (last?.k === 'word' && last.to === i && !a.gapBefore) last.to = i + 1;
      else pieces.push({ k: 'word', from: i, to: i + 1 });
    } else pieces.push({ k: 'gap', from: i, to: i + 1 });
    i = pieces.at(-1)!.to;
  }
  return pieces;
}

/** A Chinese numeral (`两`, `十二`, `半`) counts as a number only when a marker is glued right after it (`两小时`, `半小时`). */
function numeralAt(atoms: readonly Atom[], i: number): { amount: string; to: number } | undefined {
  let end = i;
  while (end < atoms.length && (isChineseNumeralChar(atoms[end]!.text) || atoms[end]!.text === HALF) && (end === i || !atoms[end]!.gapBefore)) end++;
  const marker = matchAt(markers, atoms, end);
  if (!marker || atoms[end]!.gapBefore) return undefined;
  const typed = atoms.slice(i, end).map((a) => a.text).join('');
  const amount = typed === HALF ? '0.5' : typed.endsWith(HALF) ? parseHalf(typed) : parseChineseNumber(typed);
  return amount === undefined ? undefined : { amount, to: end };
}

const parseHalf = (typed: string) => {
  const whole = parseChineseNumber(typed.slice(0, -1));
  return whole === undefined ? undefined : fmt(dec(whole).plus('0.5'));
};

/** A Han marker glued into the middle of a word run (`包装好的`) is part of the word, unless a number is right before it. */
const glued = (pieces: Piece[], atoms: readonly Atom[], i: number) => pieces.at(-1)?.k === 'word' && pieces.at(-1)!.to === i && !atoms[i]!.gapBefore;
