import type { Intent, Period } from './intent';
import type { Token } from './lexer';
import { itemParts, sensesOf, spell, storeRun, wordRuns, type Reading } from './reading';

// A bare number belongs to the name in these questions too (`可乐 330`).
const isItemWord = (tok: Token) => tok.t === 'word' || (tok.t === 'qty' && tok.unit === undefined);

/**
 * `今天卖了多少可乐`, `上周进了多少货`, `徐汇店这个月出库多少`, `红牛在途多少`, `今天卖了多少红牛和可乐`: a measure word asks; the
 * first period word says when (today when none: what moved is always over some days), whatever
 * else was named is the item ('' for everything), a store name the warehouse. `在途` is now.
 */
export function readMovement(r: Reading): Intent | undefined {
  const senses = sensesOf(r);
  const measure = senses.find((s) => s.kind === 'measure');
  if (measure?.kind !== 'measure') return undefined;
  const { warehouse, runs } = storeRun(r, wordRuns(r, isItemWord));
  const item = runs.map((run) => spell(r, run)).join(' ');
  const items = itemParts(r, runs);
  const period = measure.measure === 'in_transit' ? undefined : periodOf(r) ?? 'today';
  return {
    intent: 'movement', measure: measure.measure, item, ...(items.length > 1 && { items }), ...(period && { period }), ...(warehouse && { warehouse }),
  };
}

export function periodOf(r: Reading): Period | undefined {
  const found = sensesOf(r).find((s) => s.kind === 'period');
  return found?.kind === 'period' ? found.period : undefined;
}

/**
 * A lead's work: `超期单据`, `待收货 @徐汇店`, `待质检`, `日报`, `今天有什么要处理的`; and `临期` /
 * `快过期的` (a near-expiry reason with no return and no item) for the lots near expiry. A
 * warehouse may be named; other words make it something else (`可乐临期吗` is about 可乐).
 */
export function readWork(r: Reading): Intent | undefined {
  const senses = sensesOf(r);
  const work = senses.find((s) => s.kind === 'work');
  const { warehouse, runs } = storeRun(r, wordRuns(r, isItemWord));
  if (work?.kind === 'work') return { intent: 'work', list: work.list, ...(warehouse && { warehouse }) };
  const nearExpiry = senses.some((s) => s.kind === 'reason' && s.reason === 'near_expiry');
  if (nearExpiry && runs.length === 0 && !r.triggers.has('return')) return { intent: 'work', list: 'near_expiry', ...(warehouse && { warehouse }) };
  return undefined;
}
