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
 * started when the lock is ours, otherwise the lock is asked for again every `retryLockMs`.
 */
export async function startWhenLeader(options: LeaderOptions): Promise<Leadership> {
  let work: { stop(): void } | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopped = false;

  const attempt = async () => {
    try {
      if (work || stopped) return;
      const locked = await options.tryLock();
      if (!locked || work || stopped) return;
      if (timer) clearInterval(timer);
      work = options.start();
      options.log.info(`${options.name}: this instance holds the lock`);
    } catch (err) {
      options.log.error(`${options.name}: cannot take the lock`, { error: err instanceof Error ? err.message : String(err) });
    }
  };
  await attempt();
  if (!work) {
    timer = setInterval(attempt, options.retryLockMs ?? 30_000);
    timer.unref?.();
  }
  return {
    get running() {
      return work !== undefined;
    },
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      work?.stop();
      work = undefined;
    },
  };
}
