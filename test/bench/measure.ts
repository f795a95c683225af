/** Timing and memory helpers for the benchmark: wall-clock samples, percentiles, and process memory. */

export type Memory = { rssMb: number; heapUsedMb: number };
export type Stats = { n: number; p50Ms: number; p95Ms: number; maxMs: number; meanMs: number };

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const round = (x: number, places = 2) => Math.round(x * 10 ** places) / 10 ** places;

export function memoryNow(): Memory {
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed) };
}

const watching = new Set<PeakMemory>();

/** Updates every running peak; `timed` calls it after each operation. */
export function sampleMemory() {
  for (const p of watching) p.sample();
}

/**
 * A scenario's peak memory, seen even when it is freed again: sampled every 50 ms and after every
 * timed operation — on PGlite a whole scenario can run in promise callbacks alone, which starves timers.
 */
export class PeakMemory {
  peak: Memory = memoryNow();
  private timer: NodeJS.Timeout | undefined;
  start() {
    watching.add(this);
    this.timer = setInterval(() => this.sample(), 50);
    this.timer.unref();
  }
  sample() {
    const m = memoryNow();
    this.peak = { rssMb: Math.max(this.peak.rssMb, m.rssMb), heapUsedMb: Math.max(this.peak.heapUsedMb, m.heapUsedMb) };
  }
  stop() {
    watching.delete(this);
    clearInterval(this.timer);
    this.sample();
  }
}

/** Nearest-rank percentile of samples in ms. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function stats(samples: number[]): Stats {
  const mean = samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
  return {
    n: samples.length, p50Ms: round(percentile(samples, 50)), p95Ms: round(percentile(samples, 95)),
    maxMs: round(Math.max(0, ...samples)), meanMs: round(mean),
  };
}

/** Milliseconds since `start` (from `performance.now()`). */
export const since = (start: number) => performance.now() - start;

/** Runs `work` and returns its result and how long it took in ms. */
export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  const ms = since(start);
  sampleMemory();
  return [result, ms];
}

export const perSecond = (count: number, ms: number) => round(count / (ms / 1000), 1);
export { round };

/** A benchmark that measured a wrong answer is worthless: stop the run loudly. */
export class BenchCheckFailed extends Error {}
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new BenchCheckFailed(message);
}
