import { describe, expect, it, vi } from 'vitest';
import worker, { type Env } from '../src/worker';
import { testDatabaseUrl } from './harness';

// The Workers entry speaks postgres.js to Hyperdrive, so it needs a real server; here the test server stands in for Hyperdrive.
describe.skipIf(!testDatabaseUrl)('Workers entry (skipped without TEST_DATABASE_URL: it speaks postgres.js to Hyperdrive, a server stands in)', () => {
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p) };
  const env = (vars: Record<string, string> = {}): Env => ({ HYPERDRIVE: { connectionString: testDatabaseUrl! }, LOG_LEVEL: 'silent', ...vars });

  it('serves the same app and closes its connection after the request', async () => {
    const health = await worker.fetch(new Request('http://worker/healthz'), env(), ctx);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const api = await worker.fetch(new Request('http://worker/api/v1/documents'), env(), ctx);
    expect(api.status).toBe(401);
    expect(pending).toHaveLength(2);
    await Promise.all(pending);
  });

  it('answers 500 without details when a variable is bad, and logs which one', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await worker.fetch(new Request('http://worker/healthz'), env({ APP_TIMEZONE: 'Mars/Olympus' }), ctx);
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain('APP_TIMEZONE');
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('APP_TIMEZONE'));
    logged.mockRestore();
  });
});
