import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

describe('health and auth', () => {
  it('answers /healthz without a key', async () => {
    const res = await h.client(undefined)('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('refuses the API without a key, with the envelope', async () => {
    const res = await h.client(undefined)('GET', '/api/v1/documents');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('refuses an unknown key', async () => {
    const res = await h.client('jxc_nope')('GET', '/api/v1/documents');
    expect(res.status).toBe(401);
  });

  it('serves the OpenAPI document', async () => {
    const res = await h.client(undefined)('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
  });
});
