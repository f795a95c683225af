import { seededRandom } from '../support/random';
import { percentile } from './measure';
import { benchItem, stockedIn, warehouseCode, type SeedSize } from './seed';
import { request } from './service';

/**
 * GET /api/v1/stock?warehouse= walked page by page (`limit`, then `after` = the page's `next`) for
 * `pages` pages, and GET /api/v1/ledger of random items in a warehouse that stocks them: each
 * request's time in the app (Server-Timing).
 */
export async function readStock(base: string, key: string, size: SeedSize, pages: number) {
  const pageMs: number[] = [];
  let rows = 0;
  let after: string | undefined;
  for (let p = 0; p < pages; p++) {
    const res = await request(base, key, 'GET', `/api/v1/stock?warehouse=W02&limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    if (res.status !== 200) throw new Error(`stock page ${p} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    pageMs.push(res.serverMs);
    rows += res.body.balances.length;
    after = res.body.next ?? undefined;
    if (!after) break;
  }
  const rnd = seededRandom(5);
  const ledgerMs: number[] = [];
  for (let n = 0; n < pages; n++) {
    const i = Math.floor(rnd() * size.items);
    const w = warehouseCode(stockedIn(i, size)[1]!);
    const res = await request(base, key, 'GET', `/api/v1/ledger?sku=${benchItem(i).sku}&warehouse=${w}`);
    if (res.status !== 200 || res.body.entries.length < 2) throw new Error(`ledger of ${benchItem(i).sku} in ${w} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    ledgerMs.push(res.serverMs);
  }
  return {
    pages: pageMs.length, rows, pageP50Ms: percentile(pageMs, 50), pageP99Ms: percentile(pageMs, 99),
    ledgerP50Ms: percentile(ledgerMs, 50), ledgerP99Ms: percentile(ledgerMs, 99),
  };
}
