import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import postgres from 'postgres';
import { deliveryInvariants, ledgerInvariants, type Verdict } from './invariants';
import { startLoad } from './load';
import { call, freePort, sleep, startService, waitHealthy, type Service } from './service';

// The chaos check (.ci/chaos): the real service under concurrent posting load survives a Postgres
// outage (503 with Retry-After while it lasts, 200 after, the process alive) and a SIGKILL mid-work
// (restarted, it carries on), and afterwards the ledger, the documents and the deliveries hold their
// invariants. CHAOS_OUTAGE=restart (CI: stops and starts the local cluster) or simulate (closes only
// this run's database to connections and kills its sessions, for a shared server).
const ADMIN_URL = process.env.CHAOS_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const OUTAGE = process.env.CHAOS_OUTAGE ?? 'simulate';
const LOG = process.env.CHAOS_LOG ?? `/tmp/jxc-chaos-${process.pid}.log`;
const started = Date.now();
const verdicts: Verdict[] = [];
const say = (line: string) => console.log(`[chaos ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);
const record = (name: string, ok: boolean, detail: string) => {
  verdicts.push({ name, ok, detail });
  say(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
};

const dbName = `jxc_chaos_${process.pid}_${randomBytes(3).toString('hex')}`;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
const dbUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${dbName}` }).toString();
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const key = `chaos-${randomBytes(12).toString('hex')}`;
const env = { DATABASE_URL: dbUrl, BOOTSTRAP_API_KEY: key, PORT: String(port), DEMO: 'off', SANDBOX: 'on', LOG_LEVEL: 'warn' };
let service: Service | undefined;

try {
  await admin.unsafe(`create database ${dbName}`);
  say(`database ${dbName}, service on ${base}, log ${LOG}, outage: ${OUTAGE}`);
  service = startService(env, LOG);
  if (!(await waitHealthy(base, service, 90_000))) throw new Error(`the service did not start (exit: ${service.exitedWith}); see ${LOG}`);
  const setup = await prepare();
  say(`set up: ${setup.skus.length} items, ${setup.warehouses.length} warehouses, stock, approval rule, sandbox groups`);

  const load = startLoad({ base, key, approverKey: setup.approverKey, skus: setup.skus, warehouses: setup.warehouses, clients: 6, seed: 7 });
  await sleep(6_000);
  await outage();
  await sleep(4_000);
  say('SIGKILL mid-posting');
  await service.kill('SIGKILL');
  service = startService(env, LOG);
  record('restarted after SIGKILL', await waitHealthy(base, service, 90_000), 'healthy again');
  await sleep(4_000);
  await load.stop();
  const statuses = [...load.stats.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s || 'no answer'}×${n}`).join(' ');
  say(`load done: ${load.stats.created.size} documents created; answers ${statuses}`);
  record('no 5xx but 503, every 503 with Retry-After', load.stats.wrong.length === 0, load.stats.wrong.slice(0, 3).join(' | ') || 'none');
  record('every create settled (a document or a refusal)', load.stats.unsettled.size === 0, [...load.stats.unsettled].slice(0, 5).join(', ') || 'all');

  await drainDeliveries();
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    const [org] = await sql`select id from organizations where slug = 'default'`;
    const orgId = org!.id as string;
    for (const v of [...(await ledgerInvariants(sql, orgId)), ...(await deliveryInvariants(sql, orgId))]) record(v.name, v.ok, v.detail);
    const made = new Set((await sql`select id from documents where org_id = ${orgId}`).map((r) => r.id as string));
    const answered = new Set(load.stats.created.values());
    const unknown = [...made].filter((id) => !answered.has(id) && !setup.documents.has(id));
    const lost = [...answered].filter((id) => !made.has(id));
    record('every document is one a client was answered with (nothing lost, nothing doubled)', unknown.length === 0 && lost.length === 0,
      unknown.length || lost.length ? `unknown ${unknown.slice(0, 3)}, lost ${lost.slice(0, 3)}` : `${answered.size} documents`);
  } finally {
    await sql.end();
  }
} catch (err) {
  record('the run itself', false, String((err as Error).stack ?? err));
} finally {
  await service?.kill('SIGTERM');
  await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
}

const failed = verdicts.filter((v) => !v.ok);
console.log(`\nChaos check: ${verdicts.length - failed.length} passed, ${failed.length} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
for (const v of verdicts) console.log(`  ${v.ok ? 'PASS' : 'FAIL'}  ${v.name}`);
process.exit(failed.length ? 1 : 0);

/** Items, warehouses, stock, an approval rule for large transfers with a supervisor's key, and sandbox groups so events are delivered. */
async function prepare() {
  const ok = async (method: string, path: string, body?: unknown, as = key) => {
    const a = await call(base, as, method, path, body);
    if (a.status >= 300) throw new Error(`${method} ${path} → ${a.status} ${JSON.stringify(a.body)}`);
    return a.body;
  };
  const skus = ['AVG-1', 'AVG-2', 'FIFO-1', 'FIFO-2'];
  const warehouses = ['C1', 'S1', 'S2'];
  for (const sku of skus) await ok('POST', '/api/v1/items', { sku, name: sku, unit: 'pcs', valuationMethod: sku.startsWith('FIFO') ? 'fifo' : 'moving_average' });
  const documents = new Set<string>();
  for (const [i, code] of warehouses.entries()) {
    await ok('POST', '/api/v1/warehouses', { code, name: code, type: i === 0 ? 'central' : 'store' });
    await ok('POST', `/api/v1/warehouses/${code}/chats`, { platform: 'sandbox', chatId: `chaos-${code}` });
    for (const sku of skus) {
      documents.add((await ok('POST', '/api/v1/documents', { type: 'receipt', warehouse: code, lines: [{ sku, qty: i === 0 ? 2000 : 200, unitCost: '3.25' }], submit: true })).id);
      // Low-stock crossings give the outbox work while the load runs.
      await ok('PUT', '/api/v1/reorder-rules', { sku, warehouse: code, minQty: i === 0 ? 1990 : 190 });
    }
  }
  const supervisor = await ok('POST', '/api/v1/users', { name: '张主管', roles: ['supervisor'] });
  const approverKey = (await ok('POST', '/api/v1/api-keys', { name: 'supervisor', user: supervisor.id })).key as string;
  await ok('PUT', '/api/v1/approval-rules', { rules: [{ name: 'large transfers', documentTypes: ['transfer'], minQty: 40, levels: [{ roles: ['supervisor'] }] }] });
  return { skus, warehouses, approverKey, documents };
}

/**
 * Postgres goes away for a few seconds under load: the health check must answer 503 with
 * Retry-After while it is away (the process alive), and 200 once it is back.
 */
async function outage() {
  const health: string[] = [];
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const a = await call(base, '', 'GET', '/healthz');
      health.push(`${a.status}${a.status === 503 && a.retryAfter ? '+retry-after' : ''}`);
      await sleep(50);
    }
  })();
  const cluster = readdirSync('/etc/postgresql')[0];
  if (OUTAGE === 'restart') {
    say(`stopping PostgreSQL ${cluster} for 3 s`);
    pg(['stop', '-m', 'fast']);
    try {
      await sleep(3_000);
    } finally {
      pg(['start']);
    }
  } else {
    say(`closing ${dbName} to connections for 3 s`);
    await admin.unsafe(`alter database ${dbName} allow_connections false`);
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${dbName}`;
    await sleep(3_000);
    await admin.unsafe(`alter database ${dbName} allow_connections true`);
  }
  say('PostgreSQL is back');
  const back = await waitHealthy(base, service!, 30_000);
  watching = false;
  await watcher;
  record('alive through the outage', service!.exitedWith === undefined, service!.exitedWith === undefined ? 'running' : `exited: ${service!.exitedWith}`);
  record('503 with Retry-After while the database was away', health.includes('503+retry-after'),
    `health answers: ${[...new Set(health)].map((s) => `${s}×${health.filter((h) => h === s).length}`).join(' ')}`);
  record('200 again once it was back, without a restart', back, back ? 'healthy' : 'not healthy within 30 s');

  function pg(args: string[]) {
    const r = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster!, 'main', ...args], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`pg_ctlcluster ${args.join(' ')} failed`);
  }
}

/**
 * Waits until nothing is left to deliver. A delivery the killed process had claimed is leased for
 * 60 s (jobs/outbox-delivery.ts LEASE_MS) before the restarted one may send it: wait that out too.
 */
async function drainDeliveries() {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    const until = Date.now() + 75_000;
    for (;;) {
      const [left] = await sql`select (select count(*) from outbox where status = 'pending')::int + (select count(*) from deliveries where status = 'pending')::int as n`;
      if (left!.n === 0 || Date.now() > until) return say(left!.n === 0 ? 'deliveries drained' : `${left!.n} deliveries still pending after 75 s`);
      await sleep(500);
    }
  } finally {
    await sql.end();
  }
}
