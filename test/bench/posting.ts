import { seededRandom } from '../support/random';
import { closedLoop, type LoadResult } from './load';
import { benchItem, type SeedSize } from './seed';
import { request } from './service';

/** Items stocked in W01 (a million each): every `step`-th item of the seed. */
export function postingPool(size: SeedSize) {
  const step = Math.floor(size.warehouses / size.perItem);
  return Array.from({ length: Math.floor(size.items / step) }, (_, j) => j * step);
}

/** `count` distinct item indexes of `pool`, drawn with `rnd`, optionally always including `hot`. */
export function pick(pool: number[], count: number, rnd: () => number, hot?: number): number[] {
  const chosen = new Set<number>(hot === undefined ? [] : [hot]);
  while (chosen.size < count) chosen.add(pool[Math.floor(rnd() * pool.length)]!);
  return [...chosen];
}

const issue = (picks: number[]) => ({
  type: 'issue', warehouse: 'W01', submit: true, counterparty: '上海某某贸易有限公司',
  lines: picks.map((i) => ({ sku: benchItem(i).sku, qty: '1' })),
});

/**
 * 10-line issues from W01 through POST /api/v1/documents (submit: true, so each is created,
 * submitted and posted in one request), `clients` at once for `seconds`. With `hot`, every document
 * has that item on a line: all postings queue for one balance row.
 */
export async function postIssues(base: string, key: string, pool: number[], opts: { clients: number; seconds: number; seed: number; hot?: number }): Promise<LoadResult> {
  const rnd = seededRandom(opts.seed);
  return closedLoop(opts.clients, opts.seconds, async () => {
    const res = await request(base, key, 'POST', '/api/v1/documents', issue(pick(pool, 10, rnd, opts.hot)));
    return res.status === 201 && res.body.status === 'posted' ? true : `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
  });
}

/** One receipt of `lines` lines into W01, its wall time in ms. */
export async function bigReceipt(base: string, key: string, pool: number[], lines: number) {
  const body = {
    type: 'receipt', warehouse: 'W01', submit: true,
    lines: pool.slice(0, lines).map((i, k) => ({ sku: benchItem(i).sku, qty: String(10 + (k % 90)), unitCost: (2 + (k % 50) / 10).toFixed(2) })),
  };
  const start = performance.now();
  const res = await request(base, key, 'POST', '/api/v1/documents', body);
  const ms = performance.now() - start;
  if (res.status !== 201 || res.body.status !== 'posted') throw new Error(`the ${lines}-line receipt → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return ms;
}
