import { percentile } from './measure';

/** What a load run did: how many operations succeeded in how long, and their latencies. */
export type LoadResult = { done: number; failed: number; seconds: number; perSecond: number; p50Ms: number; p99Ms: number; failures: string[] };

const round1 = (x: number) => Math.round(x * 10) / 10;

function result(latencies: number[], failed: number, ms: number, failures: string[]): LoadResult {
  return {
    done: latencies.length, failed, seconds: round1(ms / 1000), perSecond: round1(latencies.length / (ms / 1000)),
    p50Ms: round1(percentile(latencies, 50)), p99Ms: round1(percentile(latencies, 99)), failures: failures.slice(0, 5),
  };
}

/**
 * `clients` loops, each starting its next operation when the last one ended, for `seconds`. An
 * operation returns true when it did what it should; false or a throw counts as a failure. `n` numbers
 * operations across all clients.
 */
export async function closedLoop(clients: number, seconds: number, op: (n: number, client: number) => Promise<boolean | string>): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let failed = 0;
  let n = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    while (performance.now() < until) {
      const t = performance.now();
      let ok: boolean | string;
      try {
        ok = await op(n++, client);
      } catch (err) {
        ok = String(err);
      }
      if (ok === true) latencies.push(performance.now() - t);
      else {
        failed++;
        failures.push(String(ok));
      }
    }
  }));
  return result(latencies, failed, performance.now() - start, failures);
}

/**
 * Operations started at a fixed rate (`perSecond`) for `seconds`, whatever the answers' pace, as a
 * chat platform pushes events; each one's latency is its own (`measure` returns it, e.g. server-side).
 */
export async function openLoop(perSecond: number, seconds: number, op: (n: number) => Promise<number | string>): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let failed = 0;
  const start = performance.now();
  const total = Math.round(perSecond * seconds);
  const running: Promise<void>[] = [];
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    running.push(op(n).then(
      (ms) => { if (typeof ms === 'number') latencies.push(ms); else { failed++; failures.push(ms); } },
      (err) => { failed++; failures.push(String(err)); },
    ));
  }
  await Promise.all(running);
  return result(latencies, failed, performance.now() - start, failures);
}
