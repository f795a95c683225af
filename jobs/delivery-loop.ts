import type { Logger } from '../src/lib/logger';

/**
 * Keeps outbox delivery running in the Node process: a short poll, plus a nudge after each commit
 * that wrote rows so an answer goes out at once. Runs never overlap; a nudge during a run makes
 * one more run. Several processes may run this: claims use SKIP LOCKED.
 */
export function startDeliveryLoop(run: () => Promise<unknown>, options: { intervalMs: number; log: Logger }) {
  let running = false;
  let again = false;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await run();
      } while (again && !stopped);
    } catch (err) {
      options.log.error('outbox delivery failed', { error: String(err) });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  return {
    nudge: () => void tick(),
    /** Stops polling and waits for a run in progress to finish. */
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      while (running) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
