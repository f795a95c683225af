import { normalizeText } from '../normalize';

/**
 * The smallest pieces the grammar reads: one Han character, one run of other letters, one
 * number, one document number, or one other symbol (punctuation, emoji). Spaces and joiners
 * (`-`, `_`, `/`, `.`, `'`) separate pieces without being pieces, so `coca-cola` is two words
 * whose original text, joiner included, is still there to show.
 */
export type Atom = {
  kind: 'han' | 'word' | 'num' | 'doc' | 'mark';
  /** As typed (after normalising); for a document number the canonical `TR-20261125-0007`. */
  text: string;
  /** Lower-cased, what lexicon lookups compare. */
  key: string;
  start: number;
  end: number;
  /** White space (or the start of the message) comes right before; a joiner alone (`RB-250`) keeps atoms glued. */
  gapBefore: boolean;
};

// Zero-width and direction marks are invisible: a zero-width space separates, the rest vanish.
const ZERO_WIDTH_SPACE = /\u200B/g;
const INVISIBLE = /[\u00AD\u200C-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/** The message as the grammar reads it: normalizeText (NFKC, mentions dropped, spaces folded) after invisibles go. */
export function prepareText(text: string): string {
  return normalizeText(text.replace(ZERO_WIDTH_SPACE, ' ').replace(INVISIBLE, ''));
}

// One pass, every alternative bounded or a simple run: linear time on any input. A document
// number is two letters, the local day and a counter, with or without separators.
const ATOM =
  /(?<![A-Za-z0-9])(?<dp>[A-Za-z]{2})[-_ ]?(?<dd>\d{8})[-_ ]?(?<dn>\d{4,6})(?![A-Za-z0-9])|(?<num>\d+(?:\.\d+)?)|(?<han>\p{Script=Han})|(?<word>(?:(?![0-9]|\p{Script=Han})[\p{L}\p{M}\p{N}])+)|(?<gap>[\s\-_/.'·]+)|(?<mark>[^])/gu;

export function atomize(text: string): Atom[] {
  const atoms: Atom[] = [];
  let gap = true;
  for (const m of text.matchAll(ATOM)) {
    const g = m.groups!;
    const start = m.index;
    const end = start + m[0].length;
    if (g.gap !== undefined) {
      gap ||= /\s/.test(m[0]);
      continue;
    }
    const kind = g.dp !== undefined ? 'doc' : g.num !== undefined ? 'num' : g.han !== undefined ? 'han' : g.word !== undefined ? 'word' : 'mark';
    const shown = kind === 'doc' ? `${g.dp!.toUpperCase()}-${g.dd}-${g.dn}` : m[0];
    atoms.push({ kind, text: shown, key: shown.toLowerCase(), start, end, gapBefore: gap });
    gap = false;
  }
  return atoms;
}
