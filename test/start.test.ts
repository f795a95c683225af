import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// `npm start` as a user runs it: a real process, no DATABASE_URL, the embedded database on disk.
const root = fileURLToPath(new URL('..', import.meta.url));
const started: { child: ChildProcess; dir: string }[] = [];

afterEach(async () => {
  for (const { child, dir } of started.splice(0)) {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts src/main.ts with only the given variables (plus PATH and HOME), so nothing leaks in from the test run. */
function start(vars: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'jxc-start-'));
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, DATA_DIR: join(dir, 'data'), ...vars };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push({ child, dir });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  /** Resolves with everything printed so far once `pattern` appears; rejects if the process exits first or time runs out. */
  const waitFor = (pattern: RegExp, ms = 60_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`timed out waiting for ${pattern}; output:\n${output}`)), ms);
      const check = () => pattern.test(output) && done();
      const onExit = (code: number | null) => done(new Error(`exited with ${code} before ${pattern}; output:\n${output}`));
      function done(err?: Error) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        child.off('exit', onExit);
        err ? reject(err) : resolve(output);
      }
      child.stdout!.on('data', check);
      child.on('exit', onExit);
      check();
    });
  return { child, exited, waitFor, output: () => output };
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await gone;
  clearTimeout(timer);
}

describe('npm start', () => {
  it('serves /healthz on the embedded database and prints where to look, with a working demo key', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const service = start({ PORT: String(port) });
    const banner = await service.waitFor(/try: .*\n/);
    expect(banner).toContain(`http://localhost:${port}/healthz`);
    // Where to look: the sandbox and the dashboard are served at the printed addresses.
    for (const page of ['sandbox', 'dashboard']) {
      expect(banner).toContain(`http://localhost:${port}/${page}`);
      expect((await fetch(`http://127.0.0.1:${port}/${page}`)).status).toBe(200);
    }

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });

    const key = /shown only now\): (jxc_\S+)/.exec(banner)?.[1];
    expect(key).toBeDefined();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/items`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).not.toBe(401);
  });

  it('accepts BOOTSTRAP_API_KEY as an admin key', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const key = 'jxc_start_test_bootstrap_key_0123456789';
    const service = start({ PORT: String(port), BOOTSTRAP_API_KEY: key, DEMO: 'off' });
    await service.waitFor(/healthz/);
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/documents`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).not.toBe(401);
    const bad = await fetch(`http://127.0.0.1:${port}/api/v1/documents`, { headers: { authorization: 'Bearer jxc_wrong' } });
    expect(bad.status).toBe(401);
  });

  it('stops with a message naming a bad variable', { timeout: 60_000 }, async () => {
    const service = start({ PORT: 'abc' });
    const code = await Promise.race([service.exited, new Promise((r) => setTimeout(() => r('still running'), 45_000))]);
    expect(code).not.toBe(0);
    expect(code).not.toBe('still running');
    expect(service.output()).toMatch(/Invalid configuration[\s\S]*PORT/);
    expect(service.output()).not.toMatch(/at .*\.ts:\d+/);
  });
});
