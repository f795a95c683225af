import type { ReturnIntent } from './intent';
import type { Token } from './lexer';
import { isParticle, isWordToken, spell, storeNameEnd, wordRuns, type Reading, type Run } from './reading';

/**
 * A return report: `退货 可乐330ml 五箱 临期 客户张三`, `return 5 cases of cola, expired`,
 * `可乐 退货 2箱 包装破了`, `客户退回 红牛 3罐 漏了`, `张三退回可乐5箱`.
 * The item is the first run of words (bar a name glued before the report word), the first
 * count is the quantity, the first reason keyword gives the class, and words left over are
 * the reason in the person's own words.
 */
export function readReturn(r: Reading): ReturnIntent {
  const trigger = r.triggers.get('return')!;
  const runs = wordRuns(r, isWordToken);
  let customer = r.customer;
  let warehouse = r.warehouse;
  const byName = nameGluedBefore(r, runs, trigger);
  if (byName) {
    const who = spell(r, byName);
    if (storeNameEnd(r, byName) === byName.length) warehouse ??= who;
    else customer ??= who;
  }
  let candidates = runs.filter((run) => run !== byName);
  // `退货 可乐 5箱 破损 客户李四 徐汇店`: a run after the item that is only a store name is where it goes back to.
  const store = warehouse ? undefined : candidates.slice(1).find((run) => storeNameEnd(r, run) === run.length);
  if (store) {
    warehouse = spell(r, store);
    candidates = candidates.filter((run) => run !== store);
  }
  const item = candidates[0];

  const qty = r.tokens.find((tok, k) => tok.t === 'qty' && !r.taken.has(k));
  const reasons = r.tokens.flatMap((tok) => (tok.t === 'kw' && tok.sense.kind === 'reason' ? [tok.sense.reason] : []));
  const told = r.tokens.flatMap((tok, k) => (tok.t === 'kw' && (tok.sense.kind === 'reason' || tok.sense.kind === 'note') ? [k] : []));
  const free = candidates.filter((run) => run !== item).flat();
  const saidMore = free.length > 0 || told.some((k) => isNote(r.tokens[k]!));
  // 化了, 包装破了: particles after the reason's words are part of how it was said.
  const said = [...free, ...told].flatMap((k) => [k, ...particlesAfter(r, k)]);
  return {
    intent: 'return',
    item: item ? spell(r, item) : '',
    ...(qty?.t === 'qty' && { qty: qty.unit === undefined ? { amount: qty.amount } : { amount: qty.amount, unit: qty.unit } }),
    reason: reasons[0] ?? 'other',
    ...(saidMore && { reasonText: spell(r, [...new Set(said)]) }),
    ...(customer && { customer }),
    ...(warehouse && { warehouse }),
  };
}

const isNote = (tok: Token) => tok.t === 'kw' && tok.sense.kind === 'note';

/**
 * `张三退回可乐5箱`: words glued in front of the report word, with the item glued after it
 * (a count may stand between), name who brought the goods back — not the item.
 */
function nameGluedBefore(r: Reading, runs: Run[], trigger: number): Run | undefined {
  const first = runs[0];
  if (!first || first.at(-1)! + 1 !== trigger || r.atoms[r.tokens[trigger]!.from]!.gapBefore) return undefined;
  let k = trigger + 1;
  if (r.tokens[k]?.t === 'qty' && !r.atoms[r.tokens[k]!.from]!.gapBefore) k++;
  const next = r.tokens[k];
  const glued = next?.t === 'word' && !r.atoms[next.from]!.gapBefore;
  return glued && runs.some((run) => run[0] === k) ? first : undefined;
}

function particlesAfter(r: Reading, k: number): number[] {
  const after: number[] = [];
  for (let j = k + 1; isParticle(r.tokens[j]) && !r.taken.has(j); j++) after.push(j);
  return after;
}
