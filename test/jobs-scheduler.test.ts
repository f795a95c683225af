import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, queryRows, type Database } from '../db/client';
import { jobs, type Job } from '../jobs/schedules';
import { dueJobs, runJobs, runLocked, startScheduler } from '../jobs/scheduler';
import { createLogger } from '../src/lib/logger';
import { createTestApp, testDatabaseUrl, type TestApp } from './harness';
import { jobDeps } from './support/jobs';

let h: TestApp;
/** A second instance on the same database: its own connections on Postgres; on PGlite the one process's handle. */
let other: Database;
beforeAll(async () => {
  h = await createTestApp();
  if (h.deps.database.engine === 'postgres') {
    const [row] = await queryRows<{ name: string }>(h.db, sql`select current_database() as name`);
    const url = new URL(testDatabaseUrl!);
    url.pathname = `/${row!.name}`;
    other = await openPostgres(url.toString(), { max: 4 });
  } else {
    other = { ...h.deps.database };
  }
});
afterAll(async () => {
  if (other && other !== h.deps.database && h.deps.database.engine === 'postgres') await other.close();
  await h?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('job scheduler', () => {
  it('runs a tick once when two instances fire it together, and again on the next tick', async () => {
    let runs = 0;
    const job = async () => {
      runs++;
      await sleep(150);
      return runs;
    };
    const [a, b] = await Promise.all([runLocked(h.deps.database, 'test-once', job), runLocked(other, 'test-once', job)]);
    expect(runs).toBe(1);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    // The lock is released with the run: the next tick runs.
    expect(await runLocked(other, 'test-once', job)).toEqual({ ran: true, result: 2 });
    // Different jobs do not block each other.
    const [c, d] = await Promise.all([runLocked(h.deps.database, 'test-x', job), runLocked(other, 'test-y', job)]);
    expect([c.ran, d.ran]).toEqual([true, true]);
  });

  it('releases the lock when a job throws', async () => {
    await expect(runLocked(h.deps.database, 'test-throws', async () => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await runLocked(other, 'test-throws', async () => 'fine')).toEqual({ ran: true, result: 'fine' });
  });

  it('a failing job is logged and the others still run', async () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    const ran: string[] = [];
    const tick: Job[] = [
      { name: 'test-fails', schedule: '* * * * *', run: async () => { throw new Error('database on fire'); } },
      { name: 'test-works', schedule: '* * * * *', run: async () => { ran.push('works'); return { sent: 1 }; } },
    ];
    expect(await runJobs(h.deps.database, { ...jobDeps(h), log }, tick, new Date())).toEqual({ 'test-fails': 'failed', 'test-works': 'ran' });
    expect(ran).toEqual(['works']);
    const logged = lines.map((l) => JSON.parse(l));
    expect(logged).toContainEqual(expect.objectContaining({ level: 'error', msg: 'job failed', job: 'test-fails', error: 'Error: database on fire' }));
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'job done', job: 'test-works', summary: { sent: 1 } }));
  });

  it('maps every job to its schedule, in APP_TIMEZONE', () => {
    const byName = Object.fromEntries(jobs.map((j) => [j.name, j.schedule]));
    expect(Object.keys(byName)).toHaveLength(jobs.length);
    expect(byName).toMatchObject({ 'near-expiry': '30 8 * * *', 'daily-digest': '*/15 * * * *' });
    const tick: Job[] = [
      { name: 'every-10', schedule: '*/10 * * * *', run: async () => {} },
      { name: 'every-15', schedule: '*/15 * * * *', run: async () => {} },
      ...jobs.filter((j) => j.name === 'near-expiry'),
    ];
    const names = (at: string, windowMs: number) => dueJobs(tick, 'Asia/Shanghai', new Date(at), windowMs).map((j) => j.name);
    // A Workers tick every 5 minutes: 08:30 in Shanghai is 00:30 UTC.
    expect(names('2026-03-10T00:30:00Z', 300_000)).toEqual(['every-10', 'every-15', 'near-expiry']);
    expect(names('2026-03-10T00:35:00Z', 300_000)).toEqual([]);
    expect(names('2026-03-10T00:40:00Z', 300_000)).toEqual(['every-10']);
    // A tick every 15 minutes still catches the 10-minute job.
    expect(names('2026-03-10T00:45:00Z', 900_000)).toEqual(['every-10', 'every-15']);
    expect(names('2026-03-11T00:30:00Z', 900_000)).toEqual(['every-10', 'every-15', 'near-expiry']);
  });

  it('schedules with croner in the Node process, without overlap, and stops waiting for a run in progress', async () => {
    let runs = 0;
    let finished = 0;
    const slow: Job = { name: 'test-every-second', schedule: '* * * * * *', run: async () => {
      runs++;
      await sleep(1500);
      finished++;
    } };
    const scheduler = startScheduler({ database: h.deps.database, deps: jobDeps(h), jobs: [slow], now: () => new Date(), log: createLogger('silent') });
    expect(scheduler.crons[0]!.options.protect).toBe(true);
    await sleep(2600);
    await scheduler.stop();
    // A run takes 1.5 s and fires every second: protected, at most two started in 2.6 s, and stop waited for both.
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(runs).toBeLessThanOrEqual(2);
    expect(finished).toBe(runs);
  }, 10_000);
});
