import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLark, type FakeLark } from './fakes/lark-server';
import { larkMessageEvent, larkRequest } from './fakes/lark-inbound';
import { createTestApp, type TestApp } from './harness';
import { inventory } from './support/inventory';

// Input the service must refuse cheaply and by name: bodies over the limit (refused by their
// Content-Length before a byte is read, or while a chunked one streams), NUL characters Postgres
// cannot store, and dates that do not exist. Each is a 4xx, never a 500.
const WECOM = {
  WECOM_CORP_ID: 'wwboundedcorp', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 'secret', WECOM_TOKEN: 'boundedToken',
  WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
};
const LARK_TOKEN = 'bounded-vtok';

let h: TestApp;
let fake: FakeLark;
let o: Awaited<ReturnType<TestApp['createOrg']>> & { inv: ReturnType<typeof inventory> };
beforeAll(async () => {
  fake = await startFakeLark();
  h = await createTestApp({ config: { ...WECOM, LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_VERIFICATION_TOKEN: LARK_TOKEN, LARK_DOMAIN: fake.url } });
  const org = await h.createOrg();
  o = { ...org, inv: inventory(org.api) };
  await o.inv.item('A');
  await o.inv.warehouse('WH');
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

const MB = 1024 * 1024;

/** A body of `bytes` bytes streamed in 64 KiB chunks, counting how much the server pulled. */
function stream(bytes: number) {
  const pulled = { bytes: 0 };
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= bytes) return controller.close();
      pulled.bytes += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { body, pulled };
}

const post = (path: string, init: RequestInit & { duplex?: 'half' }) => h.app.request(path, { method: 'POST', ...init } as RequestInit);

describe('body limits', () => {
  it('a 100 MB webhook push is refused by its Content-Length before any of it is read', async () => {
    const { body, pulled } = stream(100 * MB);
    const started = Date.now();
    const res = await post('/webhooks/wecom/default?msg_signature=x&timestamp=1&nonce=1', {
      body, duplex: 'half', headers: { 'content-type': 'text/xml', 'content-length': String(100 * MB) },
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(pulled.bytes).toBeLessThanOrEqual(128 * 1024);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a chunked body is cut off as soon as it passes 1 MB', async () => {
    const { body, pulled } = stream(50 * MB);
    const res = await post('/webhooks/lark/default', { body, duplex: 'half', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(pulled.bytes).toBeLessThan(2 * MB);
  });

  it('the API and the sandbox take at most 1 MB of JSON', async () => {
    const big = JSON.stringify({ sku: 'X', name: 'x'.repeat(MB), unit: 'pcs' });
    expect((await o.api('POST', '/api/v1/items', big)).status).toBe(413);
    expect((await o.api('POST', '/sandbox/api/messages', JSON.stringify({ chatId: 'c', userId: 'u', text: 'x'.repeat(MB) }))).status).toBe(413);
  });

  it('imports keep their own, larger limit', async () => {
    const csv = `sku,name,unit\n${Array.from({ length: 60_000 }, (_, i) => `BIG-${i},item ${i},pcs`).join('\n')}\n`;
    expect(csv.length).toBeGreaterThan(MB);
    const res = await o.api('POST', '/api/v1/imports?kind=items&dryRun=true', csv, { 'content-type': 'text/csv' });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.rows).toBe(60_000);
  });
});

describe('NUL characters are refused with a 400 naming where they are', () => {
  const fieldsOf = (res: { body: any }) => (res.body.error.details ?? []).map((d: { field: string }) => d.field);

  it('in a query parameter, a path and a JSON body', async () => {
    const query = await o.api('GET', '/api/v1/items?q=a%00b');
    expect(query.status).toBe(400);
    expect(fieldsOf(query)).toEqual(['q']);
    const path = await o.api('GET', '/api/v1/documents/IS-%00');
    expect(path.status).toBe(400);
    expect(fieldsOf(path)).toEqual(['path']);
    const body = await o.api('POST', '/api/v1/items', { sku: 'N1', name: 'bad\u0000name', unit: 'pcs' });
    expect(body.status).toBe(400);
    expect(fieldsOf(body)).toEqual(['name']);
    const line = await o.api('POST', '/api/v1/documents', { type: 'receipt', warehouse: 'WH', lines: [{ sku: 'A', qty: 1, unitCost: 1, lot: 'L\u0000' }] });
    expect(line.status).toBe(400);
    expect(fieldsOf(line)).toEqual(['lines.0.lot']);
    const code = await o.api('POST', '/api/v1/warehouses', { code: 'W\u0000', name: 'w', type: 'store' });
    expect(fieldsOf(code)).toEqual(['code']);
  });

  it('in the sandbox: a chat id, and a chat id in the path', async () => {
    const message = await o.api('POST', '/sandbox/api/messages', { chatId: 'c\u0000', userId: 'u', text: 'hi' });
    expect(message.status).toBe(400);
    expect(message.body.error.message).toMatch(/chatId/);
    const history = await o.api('GET', '/sandbox/api/chats/c%00/messages');
    expect(history.status).toBe(400);
    expect(fieldsOf(history)).toEqual(['path']);
    const after = await o.api('GET', '/sandbox/api/chats/c/messages?after=%00');
    expect(fieldsOf(after)).toEqual(['after']);
  });

  it('in a verified Lark push: a 4xx, never a 500', async () => {
    const event = larkMessageEvent({ chatId: 'oc_\u0000', senderOpenId: 'ou_nul', text: 'hi' });
    const { headers, rawBody } = larkRequest({ body: event, verificationToken: LARK_TOKEN });
    const res = await h.app.request('/webhooks/lark/default', { method: 'POST', headers, body: rawBody });
    expect(res.status).toBe(400);
  });
});

describe('dates that do not exist are refused with a 400 naming the field', () => {
  it('on the metrics and on a lot expiry', async () => {
    for (const path of ['/api/v1/metrics/accuracy?from=2026-13-45', '/api/v1/metrics/dashboard?from=2026-13-45', '/api/v1/metrics/returns?to=2026-02-30']) {
      const res = await o.api('GET', path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field), path).toEqual([path.includes('to=') ? 'to' : 'from']);
    }
    const expiry = await o.api('POST', '/api/v1/documents', { type: 'receipt', warehouse: 'WH', lines: [{ sku: 'A', qty: 1, unitCost: 1, expiresOn: '2026-02-30' }] });
    expect(expiry.status).toBe(400);
    expect(expiry.body.error.details.map((d: { field: string }) => d.field)).toEqual(['lines.0.expiresOn']);
  });
});
