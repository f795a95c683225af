import { Cron } from 'croner';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { Logger } from '../src/lib/logger';
import type { Job, JobDeps } from './schedules';

/** The first key of every job's advisory lock (the second is the hash of the job's name). */
const JOB_LOCK_SPACE = 7262100;

/** Jobs running in this process, per database handle: the guard on PGlite, and a cheap first check on Postgres. */
const running = new WeakMap<object, Set<string>>();

export type LockedRun<T> = { ran: true; result: T } | { ran: false };

/**
 * Runs `fn` unless the job is already running here or on another instance: a transaction-scoped
 * advisory lock (`pg_try_advisory_xact_lock`), released by the commit even if the process dies,
 * and usable from a Worker, which has no lasting session. PGlite belongs to one process, where
 * the in-process guard is the lock (a transaction there would also block the job's own queries).
 */
export async function runLocked<T>(database: Database, name: string, fn: () => Promise<T>): Promise<LockedRun<T>> {
  const here = running.get(database.db) ?? new Set<string>();
  running.set(database.db, here);
  if (here.has(name)) return { ran: false };
  here.add(name);
  try {
    if (database.engine === 'pglite') return { ran: true, result: await fn() };
    return await database.db.transaction(async (tx) => {
      const [row] = await queryRows<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${JOB_LOCK_SPACE}, hashtext(${name})) as ok`);
      if (!row?.ok) return { ran: false } as const;
      return { ran: true, result: await fn() } as const;
    });
  } finally {
    here.delete(name);
  }
}

/** One tick of one job: under its lock, its summary logged, a failure logged and swallowed so the others go on. */
export async function runJob(database: Database, deps: JobDeps, job: Job, now: Date): Promise<'ran' | 'skipped' | 'failed'> {
  try {
    const outcome = await runLocked(database, job.name, () => job.run(deps, now));
    if (!outcome.ran) {
      deps.log.debug('job skipped: running elsewhere', { job: job.name });
      return 'skipped';
    }
    deps.log.info('job done', { job: job.name, summary: outcome.result });
    return 'ran';
  } catch (err) {
    // An outage fails the tick; the next tick runs the job again (jobs are safe to re-run).
    if (isDatabaseUnavailable(err)) deps.log.warn('job failed: database unavailable', { job: job.name, error: String(err) });
    else deps.log.error('job failed', { job: job.name, error: String(err) });
    return 'failed';
  }
}

/**
 * The jobs with a scheduled time in (at − windowMs, at]: what a Workers cron tick runs, the window
 * being the time since the previous tick.
 */
export function dueJobs(jobs: Job[], timezone: string, at: Date, windowMs: number): Job[] {
  return jobs.filter((job) => {
    const next = new Cron(job.schedule, { timezone, paused: true }).nextRun(new Date(at.getTime() - windowMs));
    return next !== null && next.getTime() <= at.getTime();
  });
}

/** Runs the given jobs for one tick, side by side; one failing does not stop the rest. */
export async function runJobs(database: Database, deps: JobDeps, jobs: Job[], now: Date) {
  const outcomes = await Promise.all(jobs.map(async (job) => [job.name, await runJob(database, deps, job, now)] as const));
  return Object.fromEntries(outcomes);
}

/**
 * Schedules every job in this process with croner: `protect` keeps a job from overlapping itself
 * here, the advisory lock keeps instances from running one tick twice at once. `stop` waits for
 * runs in progress.
 */
export function startScheduler(options: { database: Database; deps: JobDeps; jobs: Job[]; now: () => Date; log: Logger }) {
  const inFlight = new Set<Promise<unknown>>();
  const crons = options.jobs.map((job) => new Cron(job.schedule, { name: job.name, timezone: options.deps.timezone, protect: true }, async () => {
    const run = runJob(options.database, options.deps, job, options.now());
    inFlight.add(run);
    await run.finally(() => inFlight.delete(run));
  }));
  options.log.info('scheduler started', { jobs: Object.fromEntries(options.jobs.map((j) => [j.name, j.schedule])) });
  return {
    crons,
    stop: async () => {
      for (const c of crons) c.stop();
      await Promise.all([...inFlight]);
    },
  };
}
