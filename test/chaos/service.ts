import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';

/** An answer from the service; status 0 when there was none (refused, reset, timed out). */
export type Answer = { status: number; body: any; retryAfter: string | null; error?: string };

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One HTTP call to the service with an API key; never throws. */
export async function call(base: string, key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch { /* not JSON: keep the text */ }
    return { status: res.status, body: json, retryAfter: res.headers.get('retry-after') };
  } catch (err) {
    return { status: 0, body: undefined, retryAfter: null, error: String((err as Error).cause ?? err) };
  }
}

/**
 * The real service as production runs it (`npx tsx src/main.ts`), in a process group of its own so
 * that SIGKILL takes npx, tsx and node together. Its output goes to `logFile`.
 */
export function startService(env: Record<string, string>, logFile: string) {
  const log = openSync(logFile, 'a');
  const child: ChildProcess = spawn('npx', ['tsx', 'src/main.ts'], {
    env: { ...process.env, ...env }, stdio: ['ignore', log, log], detached: true,
  });
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code ?? 'unknown')));
  let exitedWith: number | string | undefined;
  void exited.then((how) => { exitedWith = how; });
  return {
    pid: child.pid!,
    /** undefined while it runs; else its exit code or signal. */
    get exitedWith() { return exitedWith; },
    /** Ends the whole process group with `signal` and waits for it. */
    async kill(signal: NodeJS.Signals) {
      if (exitedWith !== undefined) return exitedWith;
      try {
        process.kill(-child.pid!, signal);
      } catch { /* already gone */ }
      return exited;
    },
  };
}

export type Service = ReturnType<typeof startService>;

/** Waits until /healthz answers 200 (true), the process exits, or `ms` pass (false). */
export async function waitHealthy(base: string, service: Service, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until && service.exitedWith === undefined) {
    if ((await call(base, '', 'GET', '/healthz')).status === 200) return true;
    await sleep(200);
  }
  return false;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
