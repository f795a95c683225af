import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { documents } from '../db/schema';
import { expectError, expectInvalid } from './assertions';
import { createTestApp, type TestApp } from './harness';
import { countDocumentRows, expectNoWrites, stockedOrg } from './support/documents';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());
afterEach(() => h.setNow(undefined));

type Org = Awaited<ReturnType<typeof stockedOrg>>;

const issueA = (qty: number | string, extra: Record<string, unknown> = {}) =>
  ({ type: 'issue', warehouse: 'WH1', lines: [{ sku: 'A', qty }], ...extra });
const createDoc = (org: Org, body: unknown, headers: Record<string, string> = {}) => org.api('POST', '/api/v1/documents', body, headers);
const documentCount = (org: Org) => h.db.$count(documents, eq(documents.orgId, org.orgId));

describe('Idempotency-Key and externalRef create once', () => {
  it('the same key and body twice: the first document again, marked as a replay, one document', async () => {
    const org = await stockedOrg(h);
    const headers = { 'idempotency-key': 'erp-order-77' };
    const first = await createDoc(org, issueA(2, { submit: true }), headers);
    expect(first.status).toBe(201);
    expect(first.body.status).toBe('posted');
    const rows = await countDocumentRows(h, org.orgId);

    // The same request spelled differently (a number as a string, keys in another order) is the same request.
    const again = await createDoc(org, { submit: true, lines: [{ qty: '2', sku: 'A' }], warehouse: 'WH1', type: 'issue' }, headers);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await countDocumentRows(h, org.orgId)).toEqual(rows);
    expect(await org.inv.valuation('A', 'WH1')).toMatchObject({ qty: '8' });
  });

  it('the same key with another body: 409, nothing created', async () => {
    const org = await stockedOrg(h);
    const headers = { 'idempotency-key': 'k-1' };
    expect((await createDoc(org, issueA(2), headers)).status).toBe(201);
    const res = await expectNoWrites(h, org.orgId, () => createDoc(org, issueA(3), headers));
    expectError(res, 409, 'conflict', /k-1/);
  });

  it('keys belong to one organisation', async () => {
    const a = await stockedOrg(h);
    const b = await stockedOrg(h);
    const headers = { 'idempotency-key': 'shared-key' };
    const fromA = await createDoc(a, issueA(1), headers);
    const fromB = await createDoc(b, issueA(1), headers);
    expect([fromA.status, fromB.status]).toEqual([201, 201]);
    expect(fromB.body.id).not.toBe(fromA.body.id);
  });

  it('the same externalRef twice without a key: the first document again; with another body: 409', async () => {
    const org = await stockedOrg(h);
    const body = issueA(2, { externalRef: 'SO-1001', submit: true });
    const first = await createDoc(org, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ externalRef: 'SO-1001', status: 'posted' });
    const before = await documentCount(org);
    const again = await expectNoWrites(h, org.orgId, () => createDoc(org, body));
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expectError(await expectNoWrites(h, org.orgId, () => createDoc(org, { ...body, lines: [{ sku: 'A', qty: 5 }] })), 409, 'conflict');
    expect(await documentCount(org)).toBe(before);
  });

  it('the same key three times at once: one document, the same answer to all', async () => {
    const org = await stockedOrg(h);
    const body = { type: 'receipt', warehouse: 'WH1', submit: true, lines: [{ sku: 'A', qty: 3, unitCost: 1 }] };
    const results = await Promise.all([1, 2, 3].map(() => createDoc(org, body, { 'idempotency-key': 'burst' })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await documentCount(org)).toBe(2);
    expect(await org.inv.valuation('A', 'WH1')).toMatchObject({ qty: '13' });
  });

  it('an externalRef first sent with an Idempotency-Key: the same body again without the key answers the first document', async () => {
    // externalRef is "created once per organisation, like an Idempotency-Key", whichever header the first call carried.
    const org = await stockedOrg(h);
    const body = issueA(2, { externalRef: 'SO-2002' });
    const first = await createDoc(org, body, { 'idempotency-key': 'attempt-1' });
    expect(first.status).toBe(201);
    const again = await expectNoWrites(h, org.orgId, () => createDoc(org, body));
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body).toEqual(first.body);
  });

  it('a refused create does not keep its key: a corrected retry with the same key succeeds', async () => {
    const org = await stockedOrg(h);
    const headers = { 'idempotency-key': 'retry-me' };
    expectError(await expectNoWrites(h, org.orgId, () => createDoc(org, issueA(50, { submit: true }), headers)), 422, 'insufficient_stock');
    const retry = await createDoc(org, issueA(5, { submit: true }), headers);
    expect(retry).toMatchObject({ status: 201, body: { status: 'posted', lines: [{ qty: '5' }] } });
    expect((await createDoc(org, issueA(5, { submit: true }), headers)).body).toEqual(retry.body);
    expect(await org.inv.valuation('A', 'WH1')).toMatchObject({ qty: '5' });
  });
});

describe('GET /documents', () => {
  /** Four documents a minute apart (the receipt from setup first): a draft issue, a posted issue, a shipped transfer. */
  async function fourDocuments() {
    h.setNow(new Date('2026-03-01T02:00:00Z'));
    const org = await stockedOrg(h);
    const at = (minute: number) => h.setNow(new Date(`2026-03-01T02:0${minute}:00Z`));
    at(1);
    const draft = await org.inv.ok('POST', '/api/v1/documents', issueA(1));
    at(2);
    const posted = await org.inv.issue('WH1', 'A', 2);
    at(3);
    const transfer = await org.inv.post('transfer', 'WH1', [{ sku: 'A', qty: 3 }], { toWarehouse: 'WH2' });
    h.setNow(undefined);
    return { org, receipt: org.receipt, draft, posted, transfer };
  }
  const numbers = async (org: Org, query: string) => {
    const res = await org.api('GET', `/api/v1/documents${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.documents as { number: string }[]).map((d) => d.number);
  };

  it('lists newest first with lines, filtered by status, type and number', async () => {
    const { org, receipt, draft, posted, transfer } = await fourDocuments();
    const all = (await org.api('GET', '/api/v1/documents')).body.documents;
    expect(all).toEqual(await Promise.all([transfer, posted, draft, receipt].map(async (d) => (await org.api('GET', `/api/v1/documents/${d.id}`)).body)));
    expect(all[0].lines).toMatchObject([{ line: 1, sku: 'A', qty: '3' }]);

    expect(await numbers(org, '?status=draft')).toEqual([draft.number]);
    expect(await numbers(org, '?type=issue')).toEqual([posted.number, draft.number]);
    expect(await numbers(org, '?status=posted&type=issue')).toEqual([posted.number]);
    expect(await numbers(org, '?status=shipped')).toEqual([transfer.number]);
    expect(await numbers(org, '?status=cancelled')).toEqual([]);
    expect(await numbers(org, `?number=${posted.number.toLowerCase()}`)).toEqual([posted.number]);
    expect(await numbers(org, '?warehouse=WH2')).toEqual([transfer.number]);
  });

  it('pages with limit and before, newest first', async () => {
    const { org, receipt, draft, posted, transfer } = await fourDocuments();
    const page1 = (await org.api('GET', '/api/v1/documents?limit=2')).body.documents;
    expect(page1.map((d: { number: string }) => d.number)).toEqual([transfer.number, posted.number]);
    expect(await numbers(org, `?limit=2&before=${page1[1].id}`)).toEqual([draft.number, receipt.number]);
    expect(await numbers(org, `?limit=2&before=${receipt.id}`)).toEqual([]);
    expect(await numbers(org, `?type=issue&before=${posted.id}`)).toEqual([draft.number]);
  });

  it('refuses bad filters with 400, and an unknown cursor with 404', async () => {
    const org = await stockedOrg(h);
    expectInvalid(await org.api('GET', '/api/v1/documents?status=done&type=gift&limit=0&before=x'), ['status', 'type', 'limit', 'before']);
    expectInvalid(await org.api('GET', '/api/v1/documents?limit=201'), ['limit']);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectError(await org.api('GET', `/api/v1/documents?before=${unknown}`), 404, 'not_found', new RegExp(unknown));
  });
});

describe('document numbers', () => {
  it('PREFIX-YYYYMMDD-NNNN in Asia/Shanghai by default, sequential per type and day, restarting each day', async () => {
    expect(h.deps.config.APP_TIMEZONE).toBe('Asia/Shanghai');
    h.setNow(new Date('2026-11-25T15:59:59Z')); // 23:59:59 in Shanghai
    const org = await stockedOrg(h);
    expect(org.receipt.number).toBe('RC-20261125-0001');

    h.setNow(new Date('2026-11-25T17:30:00Z')); // 01:30 the next day in Shanghai, still the 25th in UTC
    const first = await org.inv.issue('WH1', 'A', 1);
    const second = await org.inv.ok('POST', '/api/v1/documents', issueA(1));
    const receipt = await org.inv.receipt('WH1', 'A', 1, 1);
    const transfer = await org.inv.post('transfer', 'WH1', [{ sku: 'A', qty: 1 }], { toWarehouse: 'WH2' });
    const reversal = (await org.inv.ok('POST', `/api/v1/documents/${first.id}/reverse`)).number;
    expect([first.number, second.number, receipt.number, transfer.number, reversal])
      .toEqual(['IS-20261126-0001', 'IS-20261126-0002', 'RC-20261126-0001', 'TR-20261126-0001', 'RV-20261126-0001']);

    h.setNow(new Date('2026-11-26T16:00:00Z')); // 00:00 on the 27th in Shanghai
    expect((await org.inv.issue('WH1', 'A', 1)).number).toBe('IS-20261127-0001');
  });

  it('another organisation counts on its own; a refused create uses no number', async () => {
    h.setNow(new Date('2026-06-01T04:00:00Z'));
    const a = await stockedOrg(h);
    const b = await stockedOrg(h);
    expect((await a.inv.issue('WH1', 'A', 1)).number).toBe('IS-20260601-0001');
    expectError(await createDoc(b, issueA(99, { submit: true })), 422, 'insufficient_stock');
    expect((await b.inv.issue('WH1', 'A', 1)).number).toBe('IS-20260601-0001');
    expect((await a.inv.issue('WH1', 'A', 1)).number).toBe('IS-20260601-0002');
    const [row] = await h.db.select().from(documents).where(and(eq(documents.orgId, b.orgId), eq(documents.number, 'IS-20260601-0001')));
    expect(row?.createdAt.toISOString()).toBe('2026-06-01T04:00:00.000Z');
  });
});

describe('OpenAPI', () => {
  it('GET /api/v1/openapi.json describes the documents routes and their transitions, without a key', async () => {
    const res = await h.client(undefined)('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/api/v1/documents']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/v1/documents/{id}']!)).toEqual(['get']);
    for (const verb of ['submit', 'post', 'ship', 'receive', 'cancel', 'reverse']) {
      expect(paths[`/api/v1/documents/{id}/${verb}`], verb).toHaveProperty('post');
    }
    expect(paths['/api/v1/documents/{id}/reverse']!.post).toHaveProperty('responses.201');
    expect(res.body.components.schemas.CreateDocument.properties).toHaveProperty('lines');
  });
});
