import type { Logger } from './logger';

export type LeaderOptions = {
  /** What runs, for the log (e.g. `lark long connection`). */
  name: string;
  /**
   * Takes the lock that makes this instance the only one running it: a Postgres advisory lock on a
   * connection kept open while the process lives (`Database.tryLock`).
   */
  tryLock: () => Promise<boolean>;
  /** Starts the work once the lock is ours; the handle stops it. */
  start: () => { stop(): void };
  log: Logger;
  /** How often an instance without the lock asks again, so another takes over when the holder dies. */
  retryLockMs?: number;
};

export type Leadership = { readonly running: boolean; stop(): void };

/**
 * Runs something of which there may be only one per deployment (a platform's long connection):
 * started when the lock is ours, otherwise the lock is asked for again every `retryLockMs`. The
 * holder asks again too: a session lock dies with its connection (a database restart), and if
 * another instance took it meanwhile, this one stops, so two never run at once for long.
 */
export async function startWhenLeader(options: LeaderOptions): Promise<Leadership> {
  let work: { stop(): void } | undefined;
  let stopped = false;

  const attempt = async () => {
    try {
      if (stopped) return;
      // Asked again by its holder, a session lock is still (or again) ours unless another instance has it
      // (Postgres counts the repeats; all go with the session).
      const locked = await options.tryLock();
      if (stopped) return;
      if (!locked && work) {
        work.stop();
        work = undefined;
        options.log.warn(`${options.name}: another instance holds the lock now; stopped here`);
      } else if (locked && !work) {
        work = options.start();
        options.log.info(`${options.name}: this instance holds the lock`);
      }
    } catch (err) {
      // The database is away: whoever runs it keeps running it; nobody else can take the lock either.
      options.log.error(`${options.name}: cannot ask for the lock`, { error: err instanceof Error ? err.message : String(err) });
    }
  };
  await attempt();
  const timer = setInterval(attempt, options.retryLockMs ?? 30_000);
  timer.unref?.();
  return {
    get running() {
      return work !== undefined;
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      work?.stop();
      work = undefined;
    },
  };
}
