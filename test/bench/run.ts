import { cpus } from 'node:os';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { createShop } from './catalog';
import { contention } from './contention';
import type { BenchContext, Scenario, ScenarioResult } from './context';
import { ledgerReads } from './ledger-reads';
import { BenchCheckFailed, memoryNow, PeakMemory, perSecond, since } from './measure';
import { outboxDelivery } from './outbox';
import { posting } from './posting';
import { formatReport, writeReport, type ScenarioReport } from './report';
import { stockQuestions } from './stock-questions';

/**
 * `npm run bench`: speed and memory of the real app on embedded PGlite, or on the Postgres server
 * at DATABASE_URL (in a fresh database of its own, dropped afterwards). BENCH_SCALE sizes the data
 * (default 1; 0.1 for a quick run), BENCH_OUT names the JSON file (default .bench/latest.json).
 */
const scale = Number(process.env.BENCH_SCALE ?? '1');
if (!(scale > 0 && scale <= 10)) throw new Error(`BENCH_SCALE must be a number above 0 and at most 10, got ${process.env.BENCH_SCALE}`);
const outPath = process.env.BENCH_OUT || '.bench/latest.json';

// The harness opens a fresh database on TEST_DATABASE_URL ?? DATABASE_URL; the benchmark follows DATABASE_URL only.
if (process.env.DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
else delete process.env.TEST_DATABASE_URL;
const { createTestApp } = await import('../harness');

const scenarios: Scenario[] = [posting, contention, stockQuestions, outboxDelivery, ledgerReads];
const gc = (globalThis as { gc?: () => void }).gc;

async function measure(name: string, work: () => Promise<ScenarioResult>): Promise<ScenarioReport> {
  gc?.();
  const before = memoryNow();
  const peak = new PeakMemory();
  peak.start();
  const start = performance.now();
  process.stderr.write(`${name}…`);
  try {
    const result = await work();
    const ms = since(start);
    peak.stop();
    process.stderr.write(` ${(ms / 1000).toFixed(1)} s\n`);
    return { name, ms: Math.round(ms), memory: { before, after: memoryNow(), peak: peak.peak }, ...result };
  } finally {
    peak.stop();
  }
}

const runStart = performance.now();
const runPeak = new PeakMemory();
runPeak.start();
const h = await createTestApp();
let failed = false;
try {
  const engine = h.deps.database.engine;
  const serverVersion = engine === 'postgres'
    ? (await queryRows<{ v: string }>(h.db, sql`select current_setting('server_version') as v`))[0]!.v : null;
  process.stderr.write(`benchmark on ${engine}${serverVersion ? ` ${serverVersion}` : ''}, scale ${scale}\n`);
  const itemCount = Math.max(100, Math.round(5000 * scale));
  let shop!: Awaited<ReturnType<typeof createShop>>;
  const reports: ScenarioReport[] = [];
  reports.push(await measure('setup (import)', async () => {
    const start = performance.now();
    shop = await createShop(h, itemCount);
    const ms = since(start);
    return {
      metrics: { items: itemCount, warehouses: 6, 'opening lines': shop.openingLines, 'import ms': Math.round(ms), 'rows/s': perSecond(itemCount + shop.openingLines, ms) },
      notes: ['items, warehouses and opening stock (in lots) through POST /api/v1/imports, as CSV'],
    };
  }));
  const ctx: BenchContext = { h, shop, scale, engine };
  for (const s of scenarios) reports.push(await measure(s.name, () => s.run(ctx)));
  runPeak.stop();
  const report = {
    engine, serverVersion, node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    platform: `${process.platform}-${process.arch}`, date: new Date().toISOString(), scale,
    totalMs: Math.round(since(runStart)), peak: runPeak.peak, scenarios: reports,
  };
  console.log(formatReport(report));
  writeReport(outPath, report);
  process.stderr.write(`\nwritten to ${outPath}\n`);
} catch (err) {
  failed = true;
  process.stderr.write(`\n${err instanceof BenchCheckFailed ? 'BENCHMARK CHECK FAILED' : 'benchmark failed'}: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
} finally {
  runPeak.stop();
  await h.close();
}
process.exit(failed ? 1 : 0);
