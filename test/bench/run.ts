import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openPostgres } from '../../db/client';
import { scanLowStock } from '../../src/alerts/low-stock-scan';
import { startFakeLark } from '../fakes/lark-server';
import { createFloor, runFloor } from './floor';
import { round } from './measure';
import { bigReceipt, pick, postingPool, postIssues } from './posting';
import { askStock } from './questions';
import { readStock } from './reads';
import { formatTable, writeReport } from './report';
import { seedShop, type SeedSize } from './seed';
import { request, startBenchService } from './service';
import { LARK, pushLark } from './webhooks';
import { seededRandom } from '../support/random';

/**
 * `npm run bench [-- --quick]`: the service as `npm start` runs it, on the Postgres server at
 * DATABASE_URL, in a fresh database of its own (dropped afterwards), against the posting floor
 * (hand-written SQL, same driver, same database). Progress goes to stderr; the results table, then
 * one JSON line (the last line of stdout), to stdout; the JSON is also written to BENCH_OUT
 * (default .bench/latest.json).
 */
const quick = process.argv.includes('--quick');
const url = process.env.DATABASE_URL;
if (!url || !/^postgres(ql)?:/.test(url)) {
  console.error('npm run bench needs DATABASE_URL=postgres://… (a server where it may create a database)');
  process.exit(2);
}
// 100,000 items in 50 warehouses; each item stocked in 10 of them (1M balances, 2M ledger rows), in 2 on a quick run.
const size: SeedSize = { items: 100_000, warehouses: 50, perItem: quick ? 2 : 10 };
const secs = quick ? { floor: 6, post: 8, single: 5, hot: 5, hook: 3 } : { floor: 15, post: 20, single: 10, hot: 10, hook: 10 };
const say = (s: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0)}s] ${s}\n`);
const t0 = performance.now();

// What `npm start` runs: the compiled service (esbuild.config.mjs, its prestart).
if (spawnSync(process.execPath, ['esbuild.config.mjs'], { stdio: 'inherit' }).status !== 0) process.exit(1);
const admin = postgres(url, { max: 1, onnotice: () => {} });
const dbName = `jxc_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
const benchUrl = Object.assign(new URL(url), { pathname: `/${dbName}` }).toString();
const fakeLark = await startFakeLark();
let failed = false;
let service: Awaited<ReturnType<typeof startBenchService>> | undefined;
try {
  await admin.unsafe(`create database ${dbName}`);
  const [{ v: serverVersion }] = await admin`select current_setting('server_version') as v` as unknown as [{ v: string }];
  say(`Postgres ${serverVersion}, database ${dbName}${quick ? ', quick' : ''}`);
  const key = `bench-${randomBytes(12).toString('hex')}`;
  service = await startBenchService({
    // No scheduled jobs: the low-stock scan is measured below, from here, and the service's own (every
    // tenth minute of the clock) would open the seed's alerts in the middle of whatever phase runs then.
    DATABASE_URL: benchUrl, BOOTSTRAP_API_KEY: key, DEMO: 'off', SANDBOX: 'on', LOG_LEVEL: 'warn', JOBS: 'off',
    LARK_APP_ID: fakeLark.appId, LARK_APP_SECRET: fakeLark.appSecret, LARK_ENCRYPT_KEY: LARK.encryptKey,
    LARK_VERIFICATION_TOKEN: LARK.verificationToken, LARK_DOMAIN: fakeLark.url,
  }, process.env.BENCH_LOG ?? `/tmp/jxc-bench-${process.pid}.log`);
  const idleRssMb = service.rssMb();
  say(`service up (pid ${service.pid}, ${idleRssMb} MB idle)`);

  const sql = postgres(benchUrl, { max: 1, onnotice: () => {} });
  const [{ org_id: orgId }] = await sql`select org_id from api_keys limit 1` as unknown as [{ org_id: string }];
  await seedShop(sql, orgId, size, say);
  const pool = postingPool(size);
  await createFloor(sql, pool.length);
  const balances = Number((await sql`select count(*)::int n from stock_balances`)[0]!.n);
  const ledgerRows = Number((await sql`select count(*)::int n from ledger_entries`)[0]!.n);

  // The floor draws its 10 items from as many rows as the service does.
  const floorRnd = seededRandom(3);
  const floorPick = () => pick(Array.from({ length: pool.length }, (_, j) => j), 10, floorRnd);
  say('floor, 8 clients');
  const floor8 = await runFloor(benchUrl, { clients: 8, seconds: secs.floor, items: pool.length, pick: floorPick });
  say(`  ${floor8.perSecond} docs/s`);
  const floor1 = await runFloor(benchUrl, { clients: 1, seconds: secs.single, items: pool.length, pick: floorPick });
  say(`floor, 1 client: ${floor1.perSecond} docs/s`);

  // A short warm-up: the first requests compile the app's code paths.
  await postIssues(service.base, key, pool, { clients: 2, seconds: 3, seed: 99 });
  const post8 = await postIssues(service.base, key, pool, { clients: 8, seconds: secs.post, seed: 1 });
  say(`service, 8 clients: ${post8.perSecond} docs/s (p50 ${post8.p50Ms} ms, p99 ${post8.p99Ms} ms)${post8.failed ? `, ${post8.failed} failed: ${post8.failures[0]}` : ''}`);
  const post1 = await postIssues(service.base, key, pool, { clients: 1, seconds: secs.single, seed: 2 });
  say(`service, 1 client: ${post1.perSecond} docs/s`);
  const hot = await postIssues(service.base, key, pool, { clients: 8, seconds: secs.hot, seed: 3, hot: pool[0] });
  say(`hot item, 8 clients: ${hot.perSecond} docs/s${hot.failed ? `, ${hot.failed} failed: ${hot.failures[0]}` : ''}`);
  const bigMs = await bigReceipt(service.base, key, pool, 500);
  say(`500-line receipt: ${Math.round(bigMs)} ms`);

  // 100 of each kind (a p99 of 20 is only the slowest one), after 5 of each: the first compile and load their paths, as posting's warm-up does.
  const questions = await askStock(service.base, key, size, quick ? 20 : 100, { warmup: 5 });
  say(`stock questions: p50 ${questions.p50Ms} ms, p99 ${questions.p99Ms} ms${questions.wrong.length ? `; WRONG ${questions.wrong.length}: ${questions.wrong[0]}` : ''}`);
  const reads = await readStock(service.base, key, size, quick ? 20 : 100);
  say(`stock pages p50 ${reads.pageP50Ms} ms, p99 ${reads.pageP99Ms} ms (${reads.pages} pages), ledger p99 ${reads.ledgerP99Ms} ms`);
  const hooks = await pushLark(service.base, key, fakeLark, 200, secs.hook);
  say(`lark webhooks at 200/s: p50 ${hooks.p50Ms} ms, p99 ${hooks.p99Ms} ms (served ${hooks.perSecond}/s)${hooks.failed ? `, ${hooks.failed} failed: ${hooks.failures[0]}` : ''}`);
  say(`  replies at the fake Lark: ${hooks.answered} of ${hooks.pushed}${hooks.doubled ? `, ${hooks.doubled} DOUBLED` : ''}; push → reply p50 ${hooks.replyP50Ms} ms, p99 ${hooks.replyP99Ms} ms`);
  const unanswered = hooks.pushed - hooks.answered + hooks.doubled;

  // The scan as the scheduler runs it, from this process: first the pass that opens alerts, then a quiet one.
  const scanDb = await openPostgres(benchUrl, { migrate: false, max: 1 });
  const scans: number[] = [];
  let opened = 0;
  for (let k = 0; k < 2; k++) {
    const start = performance.now();
    const summary = await scanLowStock(scanDb.db, new Date(), 24);
    scans.push(performance.now() - start);
    opened += summary.opened;
  }
  await scanDb.close();
  say(`low-stock scan over ${balances} balances: ${scans.map((s) => Math.round(s)).join(' ms, ')} ms (${opened} opened)`);
  const rssMb = service.peakRssMb();
  await sql.end();
  await service.stop();
  service = undefined;
  const embedded = await embeddedCost(secs.single);
  say(`embedded PGlite: ${embedded.startPeakRssMb} MB peak at first start, ${embedded.idleRssMb} MB idle, ${embedded.rssMb} MB peak posting, ${embedded.docsPerSec} docs/s at 1 client`);

  const result = {
    postingDocsPerSec: post8.perSecond,
    floorDocsPerSec: floor8.perSecond,
    postingRatio: round(post8.perSecond / floor8.perSecond, 3),
    postingDocsPerSec1: post1.perSecond,
    floorDocsPerSec1: floor1.perSecond,
    postingP99Ms: post8.p99Ms,
    hotItemDocsPerSec: hot.perSecond,
    bigDocLinesPerSec: Math.round(500 / (bigMs / 1000)),
    queryP99Ms: questions.p99Ms,
    queryP50Ms: questions.p50Ms,
    queryByKind: questions.byKind,
    catalogItems: size.items,
    warehouses: size.warehouses,
    ledgerRows,
    stockPageP99Ms: reads.pageP99Ms,
    stockPageP50Ms: reads.pageP50Ms,
    ledgerP99Ms: reads.ledgerP99Ms,
    webhookP99Ms: hooks.p99Ms,
    webhookPerSec: hooks.perSecond,
    webhookPushed: hooks.pushed,
    webhookReplies: hooks.answered,
    webhookReplyP50Ms: hooks.replyP50Ms,
    webhookReplyP99Ms: hooks.replyP99Ms,
    lowStockScanMs: Math.round(Math.max(...scans)),
    scanBalances: balances,
    rssMb,
    idleRssMb,
    pgliteRssMb: embedded.rssMb,
    pgliteIdleRssMb: embedded.idleRssMb,
    pgliteStartPeakRssMb: embedded.startPeakRssMb,
    pgliteDocsPerSec: embedded.docsPerSec,
    // A pushed message without exactly one reply is a failure too: an answer that loses work is not fast.
    failures: post8.failed + post1.failed + hot.failed + hooks.failed + unanswered + questions.wrong.length,
    quick, serverVersion, node: process.version, cpus: cpus().length, date: new Date().toISOString(),
  };
  console.log(formatTable(result));
  writeReport(process.env.BENCH_OUT || '.bench/latest.json', result);
  if (result.failures) failed = true;
  console.log(JSON.stringify(result));
} catch (err) {
  failed = true;
  process.stderr.write(`benchmark failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
} finally {
  await service?.stop();
  await fakeLark.close();
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
}
process.exit(failed ? 1 : 0);

/**
 * The embedded default (no DATABASE_URL): the same service on PGlite in a fresh data directory, a
 * warehouse, 20 items and a receipt made through the API, then 10-line issues from one client for
 * `seconds`. Its memory is the point: PGlite runs Postgres inside the Node process.
 */
async function embeddedCost(seconds: number) {
  const key = `bench-${randomBytes(12).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'jxc-bench-pglite-'));
  const svc = await startBenchService({ DATA_DIR: dataDir, DATABASE_URL: '', BOOTSTRAP_API_KEY: key, DEMO: 'off', LOG_LEVEL: 'warn' },
    process.env.BENCH_LOG ?? `/tmp/jxc-bench-${process.pid}.log`);
  try {
    // The first start on a fresh data directory runs initdb inside the process (once per data directory):
    // its peak is reported apart from the peak while posting.
    const startPeakRssMb = svc.peakRssMb();
    const idleRssMb = svc.rssMb();
    svc.resetPeak();
    await request(svc.base, key, 'POST', '/api/v1/warehouses', { code: 'W01', name: '总仓', type: 'central' });
    const skus = Array.from({ length: 20 }, (_, i) => `P${i}`);
    for (const sku of skus) await request(svc.base, key, 'POST', '/api/v1/items', { sku, name: `商品${sku}`, unit: '件' });
    const receipt = await request(svc.base, key, 'POST', '/api/v1/documents', { type: 'receipt', warehouse: 'W01', submit: true, lines: skus.map((sku) => ({ sku, qty: '100000', unitCost: '2.50' })) });
    if (receipt.status !== 201) throw new Error(`embedded receipt → ${receipt.status} ${JSON.stringify(receipt.body).slice(0, 200)}`);
    const rnd = seededRandom(4);
    const run = await postIssuesOf(svc.base, key, skus, seconds, rnd);
    return { startPeakRssMb, idleRssMb, rssMb: svc.peakRssMb(), docsPerSec: run };
  } finally {
    await svc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postIssuesOf(base: string, key: string, skus: string[], seconds: number, rnd: () => number) {
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    const lines = pick(skus.map((_, i) => i), 10, rnd).map((i) => ({ sku: skus[i]!, qty: '1' }));
    const res = await request(base, key, 'POST', '/api/v1/documents', { type: 'issue', warehouse: 'W01', submit: true, lines });
    if (res.status !== 201) throw new Error(`embedded issue → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    done++;
  }
  return round(done / ((performance.now() - start) / 1000), 1);
}
