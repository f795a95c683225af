import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alerts, deliveries, items, warehouses } from '../db/schema';
import { DASHBOARD_CSP } from '../src/web/dashboard-page';
import { expectError, expectInvalid } from './assertions';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg } from './support/approvals';
import { inventory } from './support/inventory';
import { and, eq } from 'drizzle-orm';

// GET /api/v1/metrics/dashboard and the /dashboard page, on this engine.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());
afterEach(() => h.setNow(undefined));

const HOUR = 3_600_000;
/** 2026-03-02 09:00 in Shanghai: the day the seeded documents start moving. */
const t1 = new Date('2026-03-02T01:00:00Z');
const at = (hours: number) => new Date(t1.getTime() + hours * HOUR);

async function deadDelivery(orgId: string, createdAt: Date, lastError: string, n: number) {
  await h.db.insert(deliveries).values({
    orgId, dedupeKey: `dead-${n}-${Math.random()}`, action: 'send', platform: 'sandbox', targetKind: 'chat', targetId: 'g1',
    subject: 'text', body: { text: 'hi' }, status: 'dead', attempts: 8, lastError, createdAt,
  });
}

async function idsOf(orgId: string, code: string, sku: string) {
  const [w] = await h.db.select({ id: warehouses.id }).from(warehouses).where(and(eq(warehouses.orgId, orgId), eq(warehouses.code, code)));
  const [i] = await h.db.select({ id: items.id }).from(items).where(and(eq(items.orgId, orgId), eq(items.sku, sku)));
  return { warehouseId: w!.id, itemId: i!.id };
}

/**
 * An organisation whose documents move on a fake clock, so every figure can be worked out by hand.
 * Before the period (02-20): receipts of A (100 at 10) and B (100 at 1) into WH, two lots of L.
 * In it, from t1 (03-02 09:00 local):
 *  - I1 issue A 60 (needs approval): draft from t1-1h, submitted t1, approved (and posted) t1+3h, reversed t1+20h;
 *  - I2 issue A 70: submitted t1, rejected t1+5h;
 *  - T1 transfer B 10 WH→ST: shipped t1, received 8 (short) t1+10h; T2 transfer B 5: shipped t1, never received;
 *  - R1 customer return A 2 at WH: submitted t1, waiting for QC; D1 an issue left in draft;
 *  - a stocktake at WH at t1+12h: A counted as booked, B one short;
 *  - I3 issue A 50 (needs approval): submitted t1+30h, still waiting;
 *  - dead chat deliveries: two "rate limited", one "chat not found", and one before the period.
 * Then the clock stands at t1+50h.
 */
async function seeded() {
  h.setNow(new Date('2026-02-20T02:00:00Z'));
  const o = await approvalOrg(h);
  await o.inv.item('L', { lotTracked: true, shelfLifeDays: 60 });
  await o.inv.post('receipt', 'WH', [
    { sku: 'L', qty: 5, unitCost: 1, lot: 'L-SOON', expiresOn: '2026-03-20' },
    { sku: 'L', qty: 5, unitCost: 1, lot: 'L-LATER', expiresOn: '2026-12-31' },
  ]);
  await o.rules([{ name: 'big issues', documentTypes: ['issue'], minValue: 500, levels: [{ roles: ['supervisor'] }] }]);
  await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 50 });
  await deadDelivery(o.orgId, new Date('2026-02-20T02:00:00Z'), 'old failure', 0);

  const clerk = o.as.clerk.inv;
  const sup = o.as.sup1.inv;
  h.setNow(at(-1));
  const i1 = await clerk.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH', lines: [{ sku: 'A', qty: 60 }] });
  h.setNow(at(0));
  expect((await clerk.ok('POST', `/api/v1/documents/${i1.id}/submit`)).status).toBe('awaiting_approval');
  const i2 = await o.submit('issue', [{ sku: 'A', qty: 70 }]);
  expect(i2.status).toBe('awaiting_approval');
  const t1Doc = await o.inv.post('transfer', 'WH', [{ sku: 'B', qty: 10 }], { toWarehouse: 'ST' });
  const t2Doc = await o.inv.post('transfer', 'WH', [{ sku: 'B', qty: 5 }], { toWarehouse: 'ST' });
  expect([t1Doc.status, t2Doc.status]).toEqual(['shipped', 'shipped']);
  const r1 = await o.inv.post('customer_return', 'WH', [{ sku: 'A', qty: 2 }], { reason: '临期' });
  expect(r1.status).toBe('submitted');
  await o.inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH', lines: [{ sku: 'B', qty: 1 }] });

  h.setNow(at(3));
  expect((await sup.ok('POST', `/api/v1/documents/${i1.id}/approve`, {})).status).toBe('posted');
  h.setNow(at(5));
  expect((await sup.ok('POST', `/api/v1/documents/${i2.id}/reject`, { reason: '数量不对' })).status).toBe('rejected');
  h.setNow(at(10));
  const received = await o.inv.ok('POST', `/api/v1/documents/${t1Doc.id}/receive`, { lines: [{ line: 1, qty: 8 }] });
  expect(received).toMatchObject({ status: 'received' });
  h.setNow(at(12));
  expect((await o.inv.post('stocktake', 'WH', [{ sku: 'A', qty: 40 }, { sku: 'B', qty: 84 }])).status).toBe('posted');
  await deadDelivery(o.orgId, at(12), 'rate limited (429)', 1);
  await deadDelivery(o.orgId, at(13), 'rate limited (429)', 2);
  await deadDelivery(o.orgId, at(14), 'chat not found', 3);
  h.setNow(at(20));
  expect((await o.inv.ok('POST', `/api/v1/documents/${i1.id}/reverse`)).status).toBe('posted');
  h.setNow(at(30));
  expect((await o.submit('issue', [{ sku: 'A', qty: 50 }])).status).toBe('awaiting_approval');

  // An acknowledged alert at the store, and a resolved one that no longer counts.
  const st = await idsOf(o.orgId, 'ST', 'B');
  const wh = await idsOf(o.orgId, 'WH', 'B');
  await h.db.insert(alerts).values([
    { orgId: o.orgId, kind: 'low_stock', ...st, status: 'acknowledged', openedAt: at(11), acknowledgedAt: at(12) },
    { orgId: o.orgId, kind: 'low_stock', ...wh, status: 'resolved', openedAt: at(11), resolvedAt: at(12) },
  ]);
  h.setNow(at(50));
  return o;
}

/** Another organisation busy in the same period: none of it may show. */
async function otherOrg() {
  h.setNow(at(1));
  const other = await h.createOrg();
  const inv = inventory(other.api);
  await inv.warehouse('WH');
  await inv.item('A');
  await inv.receipt('WH', 'A', 10, 1);
  await inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH', lines: [{ sku: 'A', qty: 1 }] });
  await inv.post('transfer', 'WH', [{ sku: 'A', qty: 1 }], { toWarehouse: 'WH' }).catch(() => undefined);
  await inv.post('stocktake', 'WH', [{ sku: 'A', qty: 3 }]);
  await inv.post('customer_return', 'WH', [{ sku: 'A', qty: 1 }]);
  await deadDelivery(other.orgId, at(2), 'theirs', 9);
  return other;
}

const PERIOD = '?from=2026-03-01&to=2026-03-10';

describe('GET /api/v1/metrics/dashboard', () => {
  let o: Awaited<ReturnType<typeof seeded>>;
  beforeAll(async () => {
    await otherOrg();
    o = await seeded();
  });

  it('counts the backlog, time in status, overdue, exceptions, accuracy and alerts of one organisation', async () => {
    h.setNow(at(50));
    const res = await o.api('GET', `/api/v1/metrics/dashboard${PERIOD}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const d = res.body;
    expect(d).toMatchObject({ from: '2026-03-01', to: '2026-03-10', warehouse: null, generatedAt: at(50).toISOString() });

    // Open now: D1 (draft), I3 (awaiting approval), R1 (waiting for QC), T2 (shipped). Not posted, received, rejected.
    expect(d.backlog).toEqual({
      total: 4,
      rows: [
        { type: 'customer_return', status: 'submitted', documents: 1 },
        { type: 'issue', status: 'draft', documents: 1 },
        { type: 'issue', status: 'awaiting_approval', documents: 1 },
        { type: 'transfer', status: 'shipped', documents: 1 },
      ],
    });

    // Completed stays. Issue drafts: I1 1 h, I2 0 h, I3 0 h → avg 0.33, p90 0.8. Awaiting approval: I1 3 h, I2 5 h → 4, p90 4.8.
    // T1 shipped 10 h. Everything handed on in the same call took 0 h. Receipts were before the period; the reversal never waited.
    expect(d.timeInStatus).toEqual([
      { type: 'customer_return', status: 'draft', documents: 1, avgHours: 0, p90Hours: 0 },
      { type: 'issue', status: 'draft', documents: 3, avgHours: 0.33, p90Hours: 0.8 },
      { type: 'issue', status: 'awaiting_approval', documents: 2, avgHours: 4, p90Hours: 4.8 },
      { type: 'issue', status: 'approved', documents: 1, avgHours: 0, p90Hours: 0 },
      { type: 'stocktake', status: 'draft', documents: 1, avgHours: 0, p90Hours: 0 },
      { type: 'stocktake', status: 'submitted', documents: 1, avgHours: 0, p90Hours: 0 },
      { type: 'transfer', status: 'draft', documents: 2, avgHours: 0, p90Hours: 0 },
      { type: 'transfer', status: 'submitted', documents: 2, avgHours: 0, p90Hours: 0 },
      { type: 'transfer', status: 'shipped', documents: 1, avgHours: 10, p90Hours: 10 },
    ]);

    // At t1+50h: T2 shipped 50 h (> 48, the store must act), R1 waiting for QC 50 h (> 24), I3 awaiting approval 20 h (> 4).
    expect(d.overdue).toEqual({
      total: 3,
      rows: expect.arrayContaining([
        { warehouse: 'ST', name: 'ST', type: 'transfer', documents: 1 },
        { warehouse: 'WH', name: 'WH', type: 'customer_return', documents: 1 },
        { warehouse: 'WH', name: 'WH', type: 'issue', documents: 1 },
      ]),
    });
    expect(d.overdue.rows).toHaveLength(3);

    // I2 rejected; T1 received short; the stocktake's B line; I1's reversal; three dead deliveries in the period.
    expect(d.exceptions).toEqual({
      total: 7, rejected: 1, shortReceipts: 1, stocktakeVariances: 1, varianceLines: 1, reversals: 1, deadDeliveries: 3,
      deadReasons: [{ reason: 'rate limited (429)', deliveries: 2 }, { reason: 'chat not found', deliveries: 1 }],
    });

    expect(d.accuracy).toEqual({
      countedLines: 2, exactLines: 1, accuracy: '0.5000',
      warehouses: [
        { warehouse: 'ST', name: 'ST', countedLines: 0, exactLines: 0, accuracy: null },
        { warehouse: 'WH', name: 'WH', countedLines: 2, exactLines: 1, accuracy: '0.5000' },
      ],
    });

    // A fell to 40 < 50 when I1 posted and rose back when I1 was reversed: the reversal resolved that
    // alert in the same posting, so only ST's acknowledged one stands.
    expect(d.alerts).toEqual({
      lowStock: { open: 0, acknowledged: 1, snoozed: 0, total: 1 },
      nearExpiryLots: 1,
      nearExpiryDays: 30,
      warehouses: [
        { warehouse: 'ST', name: 'ST', open: 0, acknowledged: 1, snoozed: 0, nearExpiryLots: 0 },
        { warehouse: 'WH', name: 'WH', open: 0, acknowledged: 0, snoozed: 0, nearExpiryLots: 1 },
      ],
    });
  });

  it('narrows to one warehouse: its documents and transfers into it', async () => {
    h.setNow(at(50));
    const d = (await o.api('GET', `/api/v1/metrics/dashboard${PERIOD}&warehouse=ST`)).body;
    expect(d.warehouse).toBe('ST');
    expect(d.backlog).toEqual({ total: 1, rows: [{ type: 'transfer', status: 'shipped', documents: 1 }] });
    expect(d.overdue).toEqual({ total: 1, rows: [{ warehouse: 'ST', name: 'ST', type: 'transfer', documents: 1 }] });
    expect(d.timeInStatus.map((r: any) => `${r.type}/${r.status}/${r.documents}`)).toEqual(['transfer/draft/2', 'transfer/submitted/2', 'transfer/shipped/1']);
    expect(d.exceptions).toMatchObject({ total: 4, rejected: 0, shortReceipts: 1, stocktakeVariances: 0, reversals: 0, deadDeliveries: 3 });
    expect(d.accuracy.warehouses).toEqual([{ warehouse: 'ST', name: 'ST', countedLines: 0, exactLines: 0, accuracy: null }]);
    expect(d.alerts.lowStock).toEqual({ open: 0, acknowledged: 1, snoozed: 0, total: 1 });
  });

  it('counts the period by local dates: a period before anything moved has no stays and no exceptions', async () => {
    h.setNow(at(50));
    const d = (await o.api('GET', '/api/v1/metrics/dashboard?from=2026-02-21&to=2026-03-01')).body;
    expect(d.timeInStatus).toEqual([]);
    expect(d.exceptions).toEqual({
      total: 0, rejected: 0, shortReceipts: 0, stocktakeVariances: 0, varianceLines: 0, reversals: 0, deadDeliveries: 0, deadReasons: [],
    });
    // Backlog and overdue are as they are now, whatever the period.
    expect(d.backlog.total).toBe(4);
    expect(d.overdue.total).toBe(3);
    // The day of the early dead delivery and receipts (02-20, Shanghai) is counted on its own.
    const early = (await o.api('GET', '/api/v1/metrics/dashboard?from=2026-02-20&to=2026-02-20')).body;
    expect(early.exceptions).toMatchObject({ deadDeliveries: 1, deadReasons: [{ reason: 'old failure', deliveries: 1 }] });
    expect(early.timeInStatus.map((r: any) => `${r.type}/${r.status}/${r.documents}`)).toEqual(['receipt/draft/3', 'receipt/submitted/3']);
  });

  it('before its due times, nothing is overdue', async () => {
    h.setNow(at(31));
    const d = (await o.api('GET', `/api/v1/metrics/dashboard${PERIOD}`)).body;
    // R1 has waited 31 h for QC (> 24); T2 31 h of 48; I3 1 h of 4.
    expect(d.overdue).toEqual({ total: 1, rows: [{ warehouse: 'WH', name: 'WH', type: 'customer_return', documents: 1 }] });
  });

  it('answers 400 naming the bad field, 404 naming an unknown (or another organisation\'s) warehouse, 401 without a key', async () => {
    const other = await h.createOrg();
    await inventory(other.api).warehouse('THEIRS');
    expectInvalid(await o.api('GET', '/api/v1/metrics/dashboard?from=2026-02-30'), ['from']);
    expectInvalid(await o.api('GET', '/api/v1/metrics/dashboard?to=yesterday'), ['to']);
    expectInvalid(await o.api('GET', '/api/v1/metrics/dashboard?from=2026-03-10&to=2026-03-01'), ['from']);
    expectInvalid(await o.api('GET', '/api/v1/metrics/dashboard?warehouse='), ['warehouse']);
    expectError(await o.api('GET', '/api/v1/metrics/dashboard?warehouse=NOPE'), 404, 'not_found', /NOPE/);
    expectError(await o.api('GET', '/api/v1/metrics/dashboard?warehouse=THEIRS'), 404, 'not_found', /THEIRS/);
    expectError(await h.client(undefined)('GET', '/api/v1/metrics/dashboard'), 401, 'unauthorized');
  });

  it('is open to a read-only key, and documented in the OpenAPI document', async () => {
    const { key } = await o.inv.ok('POST', '/api/v1/api-keys', { name: 'wall screen', scopes: ['read'] });
    h.setNow(at(50));
    const res = await h.client(key)('GET', `/api/v1/metrics/dashboard${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.body.backlog.total).toBe(4);
    const doc = (await h.client(undefined)('GET', '/api/v1/openapi.json')).body;
    expect(doc.paths['/api/v1/metrics/dashboard'].get.parameters.map((p: any) => p.name).sort()).toEqual(['from', 'to', 'warehouse']);
    expect(JSON.stringify(doc.components.schemas.Dashboard)).toContain('transfers received short');
  });
});

describe('GET /dashboard', () => {
  it('serves the page and its same-origin script with a strict CSP, and no data', async () => {
    const page = await h.app.request('/dashboard');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<script defer src="/dashboard/app.js"></script>');
    expect(html).not.toMatch(/<script(?![^>]*src=)/);
    expect(html).toContain('全局看板');
    expect(html).toContain('<meta name="viewport"');
    expect(html).toContain('调拨单');

    const script = await h.app.request('/dashboard/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    const js = await script.text();
    expect(js).toContain('/api/v1/metrics/dashboard');
    expect(js).not.toContain('innerHTML');
    // It parses as a script.
    expect(() => new Function(js)).not.toThrow();
  });
});
