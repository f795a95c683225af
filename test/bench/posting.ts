import { seededRandom } from '../support/random';
import { lotOf } from './catalog';
import { checkLedgerAgrees, scaled, type Scenario } from './context';
import { check, perSecond, since, stats, timed } from './measure';

/** The warehouse the posting scenario writes to; the ledger-read scenario reads it afterwards. */
export const POSTING_WAREHOUSE = 'ZC';

/**
 * Posting through the HTTP API: N documents one after another, alternating a receipt and an issue
 * of one to three lines (lots named on receipts, first-expiry-first-out on issues), then one
 * 500-line receipt, as a go-live or a big delivery would be.
 */
export const posting: Scenario = {
  name: 'posting',
  async run(ctx) {
    const { shop } = ctx;
    const n = scaled(ctx, 400, 20);
    const rnd = seededRandom(7);
    const pickItem = () => shop.items[Math.floor(rnd() * shop.items.length)]!;
    const latencies: number[] = [];
    const byType: Record<string, number[]> = { receipt: [], issue: [] };
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const type = i % 2 === 0 ? 'receipt' : 'issue';
      const chosen = new Map<string, (typeof shop.items)[number]>();
      const lineCount = 1 + Math.floor(rnd() * 3);
      while (chosen.size < lineCount) {
        const it = pickItem();
        chosen.set(it.sku, it);
      }
      const lines = [...chosen.values()].map((it, k) => type === 'receipt'
        ? { sku: it.sku, qty: String(12 + ((i + k) % 48)), unitCost: (2 + ((i * 7 + k) % 300) / 100).toFixed(2), ...(it.lotTracked ? lotOf(i + k) : {}) }
        : { sku: it.sku, qty: String(1 + ((i + k) % 5)) });
      const [res, ms] = await timed(() => shop.api('POST', '/api/v1/documents', { type, warehouse: POSTING_WAREHOUSE, lines, submit: true, counterparty: '上海某某贸易有限公司' }));
      check(res.status === 201 && res.body.status === 'posted', `${type} ${i} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      latencies.push(ms);
      byType[type]!.push(ms);
    }
    const wall = since(start);

    // One big document: 500 distinct items (or every item on a small run).
    const bigLines = shop.items.slice(0, Math.min(500, shop.items.length)).map((it, k) => ({
      sku: it.sku, qty: String(24 + (k % 100)), unitCost: (3 + (k % 50) / 10).toFixed(2), ...(it.lotTracked ? lotOf(k + 3) : {}),
    }));
    const [big, bigMs] = await timed(() => shop.api('POST', '/api/v1/documents', { type: 'receipt', warehouse: POSTING_WAREHOUSE, lines: bigLines, submit: true }));
    check(big.status === 201 && big.body.status === 'posted' && big.body.lines.length === bigLines.length,
      `500-line receipt → ${big.status} ${JSON.stringify(big.body).slice(0, 300)}`);
    const [, checkMs] = await timed(() => checkLedgerAgrees(ctx.h, shop.orgId));

    const all = stats(latencies);
    return {
      metrics: {
        documents: n,
        'documents/s': perSecond(n, wall),
        'p50 ms/doc': all.p50Ms,
        'p95 ms/doc': all.p95Ms,
        'max ms/doc': all.maxMs,
        'receipt p50 ms': stats(byType.receipt!).p50Ms,
        'issue p50 ms': stats(byType.issue!).p50Ms,
        'big doc lines': bigLines.length,
        'big doc ms': Math.round(bigMs),
        'big doc lines/s': perSecond(bigLines.length, bigMs),
        'ledger check ms': Math.round(checkMs),
      },
      notes: [`sequential, 1–3 lines each, into ${POSTING_WAREHOUSE} (${shop.items.length} items stocked); ledger sums checked against valuations afterwards`],
    };
  },
};
