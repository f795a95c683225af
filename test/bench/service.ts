import { spawn } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { freePort, sleep } from '../chaos/service';

/**
 * The service as `npm start` runs it, in a child process of its own, so its memory is its own:
 * peak RSS is the kernel's high-water mark of that process (VmHWM), read before it stops.
 */
export async function startBenchService(env: Record<string, string>, logFile: string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = openSync(logFile, 'a');
  // `npm start` without npm in between (npm would be the process whose memory we read): run.ts builds dist/ first.
  const args = process.env.BENCH_SERVICE?.split(' ') ?? npmStartArgs();
  // A variable given as '' is left out (DATABASE_URL for the embedded run).
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env, PORT: String(port) };
  for (const [k, v] of Object.entries(childEnv)) if (v === '') delete childEnv[k];
  const child = spawn(process.execPath, args, { env: childEnv, stdio: ['ignore', log, log] });
  let exited: number | string | undefined;
  const gone = new Promise<void>((resolve) => child.on('exit', (code, signal) => { exited = signal ?? code ?? 'exit'; resolve(); }));
  const until = Date.now() + 120_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`the service exited (${exited}) before it was healthy; see ${logFile}`);
    if (Date.now() > until) throw new Error(`the service was not healthy in 120 s; see ${logFile}`);
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) break;
    } catch { /* not listening yet */ }
    await sleep(200);
  }
  const status = (field: 'VmHWM' | 'VmRSS') => {
    const line = readFileSync(`/proc/${child.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
    return line ? Math.round(Number(line.split(/\s+/)[1]) / 1024) : NaN;
  };
  return {
    base, pid: child.pid!,
    /** Peak resident memory of the service so far (since start or the last resetPeak), MB. */
    peakRssMb: () => status('VmHWM'),
    /** Starts the peak over from the current RSS (Linux: /proc/PID/clear_refs), so a phase's own peak can be read. */
    resetPeak: () => writeFileSync(`/proc/${child.pid}/clear_refs`, '5'),
    rssMb: () => status('VmRSS'),
    async stop() {
      if (exited === undefined) child.kill('SIGTERM');
      await Promise.race([gone, sleep(10_000)]);
      if (exited === undefined) child.kill('SIGKILL');
      await gone;
    },
  };
}

export type BenchService = Awaited<ReturnType<typeof startBenchService>>;

/** node's arguments in package.json's `start` script (its V8 flags among them), so the bench runs what `npm start` runs. */
function npmStartArgs(): string[] {
  const start: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start;
  return start.replace(/^node\s+/, '').split(/\s+/);
}

/** An HTTP call with an API key: status, JSON body and the app's own time (Server-Timing), in ms. */
export async function request(base: string, key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: any = text;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch { /* not JSON */ }
  return { status: res.status, body: json, serverMs: serverMs(res.headers.get('server-timing')) };
}

const serverMs = (h: string | null) => {
  const m = h?.match(/app;dur=([\d.]+)/);
  return m ? Number(m[1]) : NaN;
};
