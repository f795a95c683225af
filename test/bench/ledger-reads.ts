import { and, count, eq } from 'drizzle-orm';
import { ledgerEntries, warehouses } from '../../db/schema';
import { seededRandom } from '../support/random';
import { checkLedgerAgrees, scaled, type Scenario } from './context';
import { check, perSecond, sampleMemory, stats, timed } from './measure';
import { POSTING_WAREHOUSE } from './posting';

/**
 * Reads of a warehouse with many movements: first the warehouse gets more (500-line receipts and
 * issues, as daily replenishment and picking would), then stock levels, valuations, FIFO layers and
 * ledger pages are read through the HTTP API, and the whole ledger is walked page by page.
 */
export const ledgerReads: Scenario = {
  name: 'ledger reads',
  async run(ctx) {
    const { shop, h } = ctx;
    const wh = POSTING_WAREHOUSE;
    const rnd = seededRandom(23);
    const item = () => shop.items[Math.floor(rnd() * shop.items.length)]!;

    // More movements: bulk documents alternating receipts and issues of up to 500 lines.
    const bulkDocs = scaled(ctx, 20, 2);
    let bulkLines = 0;
    const [, bulkMs] = await timed(async () => {
      for (let d = 0; d < bulkDocs; d++) {
        const offset = (d * 500) % shop.items.length;
        const slice = [...shop.items.slice(offset, offset + 500), ...shop.items.slice(0, Math.max(0, offset + 500 - shop.items.length))].slice(0, 500);
        const receipt = d % 2 === 0;
        const lines = slice.map((it, k) => receipt
          ? { sku: it.sku, qty: '30', unitCost: (2 + (k % 70) / 10).toFixed(2), ...(it.lotTracked ? { lot: 'L202712', expiresOn: '2027-12-15' } : {}) }
          : { sku: it.sku, qty: '2' });
        const res = await shop.api('POST', '/api/v1/documents', { type: receipt ? 'receipt' : 'issue', warehouse: wh, lines, submit: true });
        check(res.status === 201 && res.body.status === 'posted', `bulk ${d} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        bulkLines += lines.length;
        sampleMemory();
      }
    });
    const [whRow] = await h.db.select().from(warehouses).where(and(eq(warehouses.orgId, shop.orgId), eq(warehouses.code, wh)));
    const [{ n: whEntries }] = (await h.db.select({ n: count() }).from(ledgerEntries)
      .where(and(eq(ledgerEntries.orgId, shop.orgId), eq(ledgerEntries.warehouseId, whRow!.id)))) as [{ n: number }];
    const [{ n: orgEntries }] = (await h.db.select({ n: count() }).from(ledgerEntries).where(eq(ledgerEntries.orgId, shop.orgId))) as [{ n: number }];

    const get = async (path: string) => {
      const [res, ms] = await timed(() => shop.api('GET', path));
      check(res.status === 200, `GET ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return [res.body, ms] as const;
    };
    const repeat = async (times: number, path: () => string) => {
      const xs: number[] = [];
      for (let i = 0; i < times; i++) xs.push((await get(path()))[1]);
      return stats(xs);
    };
    const few = scaled(ctx, 20, 5);
    const many = scaled(ctx, 100, 20);
    const fifo = shop.items.filter((i) => i.fifo);

    const [levels] = await get(`/api/v1/stock?warehouse=${wh}`);
    const stockWarehouse = await repeat(few, () => `/api/v1/stock?warehouse=${wh}`);
    const stockItem = await repeat(many, () => `/api/v1/stock?sku=${item().sku}`);
    const valuation = await repeat(many, () => `/api/v1/stock/valuation?sku=${item().sku}&warehouse=${wh}`);
    const layers = await repeat(many, () => `/api/v1/stock/layers?sku=${fifo[Math.floor(rnd() * fifo.length)]!.sku}&warehouse=${wh}`);
    const ledgerItem = await repeat(many, () => `/api/v1/ledger?sku=${item().sku}&warehouse=${wh}`);
    const ledgerFirst = await repeat(few, () => `/api/v1/ledger?warehouse=${wh}&limit=500`);

    // The whole warehouse's ledger, 500 entries a page, as an export would read it.
    const pages: number[] = [];
    let walked = 0;
    let after: number | undefined;
    const walkStart = performance.now();
    for (;;) {
      const [body, ms] = await get(`/api/v1/ledger?warehouse=${wh}&limit=500${after === undefined ? '' : `&after=${after}`}`);
      pages.push(ms);
      walked += body.entries.length;
      if (body.entries.length < 500) break;
      after = body.entries.at(-1).id;
    }
    const walkMs = performance.now() - walkStart;
    check(walked === whEntries, `walking the ledger of ${wh} saw ${walked} entries, the table has ${whEntries}`);
    await checkLedgerAgrees(h, shop.orgId);
    const pageStats = stats(pages);
    const pair = (s: { p50Ms: number; p95Ms: number }) => `${s.p50Ms} / ${s.p95Ms}`;
    return {
      metrics: {
        'bulk docs × lines': `${bulkDocs} × ≤500`,
        'bulk lines/s': perSecond(bulkLines, bulkMs),
        [`ledger entries in ${wh}`]: whEntries,
        'ledger entries in org': orgEntries,
        [`balances in ${wh}`]: levels.balances.length,
        [`stock?warehouse p50/p95 ms`]: pair(stockWarehouse),
        'stock?sku p50/p95 ms': pair(stockItem),
        'valuation p50/p95 ms': pair(valuation),
        'layers (fifo) p50/p95 ms': pair(layers),
        'ledger?sku&warehouse p50/p95 ms': pair(ledgerItem),
        'ledger first page p50/p95 ms': pair(ledgerFirst),
        'ledger walk pages': pages.length,
        'ledger walk page p50/p95 ms': pair(pageStats),
        'ledger walk ms': Math.round(walkMs),
      },
      notes: [`the ${wh} ledger walked 500 a page must see every entry the table holds (checked); ledger sums = valuations (checked)`],
    };
  },
};
