import { isDatabaseUnavailable } from '../db/unavailable';
import type { Logger } from '../src/lib/logger';

/**
 * Keeps a drain running in the Node process: a short poll, plus a nudge after each commit that gave
 * it work so it runs at once. Runs never overlap; a nudge during a run makes one more run. Several
 * processes may run one: claims use SKIP LOCKED. While the database is away the polls go on failing
 * quietly (said once, and again when it is back); nothing is lost, since what waits is in the database.
 * Two run so: outbox delivery, and the inbound events acknowledged before they were handled.
 */
export function startPollLoop(name: string, run: () => Promise<unknown>, options: { intervalMs: number; log: Logger }) {
  let running = false;
  let again = false;
  let stopped = false;
  let away = false;
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
      if (away) options.log.info(`${name}: the database is back`);
      away = false;
    } catch (err) {
      if (!isDatabaseUnavailable(err)) options.log.error(`${name} failed`, { error: String(err) });
      else if (!away) options.log.warn(`${name}: database unavailable, waiting for it`, { error: String(err) });
      away ||= isDatabaseUnavailable(err);
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

/** Outbox delivery's loop (`runOutboxDelivery`), nudged by `deps.nudgeDelivery`. */
export const startDeliveryLoop = (run: () => Promise<unknown>, options: { intervalMs: number; log: Logger }) => startPollLoop('outbox delivery', run, options);

/** The inbound drain's loop (`drainInbound`), nudged by `deps.nudgeInbound`; its poll picks up what a crash or restart left waiting. */
export const startInboundLoop = (run: () => Promise<unknown>, options: { intervalMs: number; log: Logger }) => startPollLoop('inbound events', run, options);
