import { and, eq } from 'drizzle-orm';
import { documents } from '../../db/schema';
import { inventory } from '../support/inventory';
import { checkLedgerAgrees, type Scenario } from './context';
import { check, round, stats, timed } from './measure';

const CONCURRENT = 50;
const ROUNDS = 3;

/**
 * 50 issues of the same item in one warehouse at once, more than the stock covers: exactly the
 * stock's worth must post and the rest be refused, and the ledger must end at zero to the cent.
 * On PGlite (one connection) they queue one after another; on Postgres they race for the row lock.
 */
export const contention: Scenario = {
  name: 'contention',
  async run(ctx) {
    const { api, orgId } = await ctx.h.createOrg();
    const inv = inventory(api);
    await inv.warehouse('XH', 'store');
    const walls: number[] = [];
    const latencies: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const sku = `COLA330-${r}`;
      await inv.item(sku, { name: `可口可乐 330ml 第${r + 1}批`, unit: '瓶', aliases: ['coke'], packUnits: [{ name: '箱', factor: 24 }] });
      // 40 issues of 3 fit, 10 do not; the cost 2.35 per unit makes every posted issue exactly 7.05.
      await inv.receipt('XH', sku, 120, '2.35');
      const [results, wall] = await timed(() => Promise.all(Array.from({ length: CONCURRENT }, async () => {
        const [res, ms] = await timed(() => api('POST', '/api/v1/documents', { type: 'issue', warehouse: 'XH', lines: [{ sku, qty: 3 }], submit: true }));
        latencies.push(ms);
        return res;
      })));
      walls.push(wall);
      const posted = results.filter((x) => x.status === 201);
      const refused = results.filter((x) => x.status === 422 && x.body.error?.code === 'insufficient_stock');
      check(posted.length === 40 && refused.length === 10,
        `round ${r}: expected 40 posted and 10 refused, got ${posted.length} and ${refused.length} (statuses ${[...new Set(results.map((x) => x.status))]})`);
      check(posted.every((x) => x.body.totalValue === '7.05'), `round ${r}: an issue left at other than 7.05`);
      const v = await inv.valuation(sku, 'XH');
      check(v.qty === '0' && v.value === '0.00', `round ${r}: final balance ${v.qty} / ${v.value}, expected 0 / 0.00`);
    }
    const issues = await ctx.h.db.select().from(documents).where(and(eq(documents.orgId, orgId), eq(documents.type, 'issue')));
    check(issues.length === 40 * ROUNDS, `refused issues left documents behind: ${issues.length} issue documents`);
    await checkLedgerAgrees(ctx.h, orgId);
    const per = stats(latencies);
    return {
      metrics: {
        'concurrent issues': CONCURRENT,
        rounds: ROUNDS,
        'wall ms (median)': round(stats(walls).p50Ms, 1),
        'wall ms (max)': round(stats(walls).maxMs, 1),
        'issues/s': round(CONCURRENT / (stats(walls).p50Ms / 1000), 1),
        'p50 ms/request': per.p50Ms,
        'p95 ms/request': per.p95Ms,
      },
      notes: [
        ctx.engine === 'pglite'
          ? 'PGlite has one connection: the 50 requests are serialised, so this is queueing, not lock contention'
          : 'Postgres: 50 transactions race for one valuation row lock (pool of 20 connections)',
        'each round: 120 in stock, 50 × issue 3 → exactly 40 posted, 10 refused 422, balance 0 / 0.00, ledger = valuations (checked)',
      ],
    };
  },
};
