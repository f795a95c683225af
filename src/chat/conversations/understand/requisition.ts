import type { RequisitionIntent } from './intent';
import { spell, trimParticles, type Reading } from './reading';

type Line = RequisitionIntent['lines'][number];
type Qty = NonNullable<Line['qty']>;

/**
 * A store's requisition (要货), read after its opening word: items with their quantities, in the
 * order typed — `可乐 10箱 红牛 5箱`, `10箱可乐 5箱红牛`, `可乐10箱，红牛5箱`. The words between
 * two quantities are one item; written quantity first, a quantity belongs to the words after it,
 * else to the words before it. A warehouse slot (`@浦东店`) names the asking store.
 */
export function readRequisition(r: Reading): RequisitionIntent {
  // Pieces in order: runs of item words, and quantities; keywords and marks end a run.
  const pieces: ({ k: 'words'; run: number[] } | { k: 'qty'; qty: Qty })[] = [];
  r.tokens.forEach((tok, k) => {
    if (k === 0 || r.taken.has(k)) return;
    if (tok.t === 'word') {
      const last = pieces.at(-1);
      if (last?.k === 'words' && last.run.at(-1) === k - 1) last.run.push(k);
      else pieces.push({ k: 'words', run: [k] });
    } else if (tok.t === 'qty') {
      pieces.push({ k: 'qty', qty: tok.unit === undefined ? { amount: tok.amount } : { amount: tok.amount, unit: tok.unit } });
    }
  });
  const lines: Line[] = [];
  let waiting: Qty | undefined;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    if (p.k === 'qty') {
      waiting = p.qty;
      continue;
    }
    const run = trimParticles(r, p.run);
    if (run.length === 0) continue;
    const next = pieces[i + 1];
    // 10箱 可乐: the quantity before it; 可乐 10箱: the one after.
    if (waiting) lines.push({ item: spell(r, run), qty: waiting });
    else if (next?.k === 'qty') {
      lines.push({ item: spell(r, run), qty: next.qty });
      i++;
    } else lines.push({ item: spell(r, run) });
    waiting = undefined;
  }
  return { intent: 'requisition', lines, ...(r.warehouse && { warehouse: r.warehouse }) };
}
