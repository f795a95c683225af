import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, insertApiKey } from '../src/people/key-store';
import { expectError, expectInvalid } from './assertions';
import { createTestApp, type TestApp } from './harness';
import { expectNoWrites, stockedOrg } from './support/documents';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

type Org = Awaited<ReturnType<typeof stockedOrg>>;

/** POSTs a document that must be refused, and checks the refusal wrote nothing. */
const refused = (org: Org, body: unknown) => expectNoWrites(h, org.orgId, () => org.api('POST', '/api/v1/documents', body));

const issueA = (qty: unknown) => ({ type: 'issue', warehouse: 'WH1', lines: [{ sku: 'A', qty }] });

describe('POST /documents refuses a malformed body with 400 naming each field, writing nothing', () => {
  it('a body that is not JSON', async () => {
    const org = await stockedOrg(h);
    const res = await refused(org, '{"type":');
    expectError(res, 400, 'invalid_request', /malformed JSON/);
    expect(res.body.error.details).toEqual([{ field: '', message: expect.any(String) }]);
  });

  it('missing type, lines or warehouse', async () => {
    const org = await stockedOrg(h);
    expectInvalid(await refused(org, { warehouse: 'WH1', lines: [{ sku: 'A', qty: 1 }] }), ['type']);
    expectInvalid(await refused(org, { type: 'issue', warehouse: 'WH1' }), ['lines']);
    expectInvalid(await refused(org, { type: 'issue', warehouse: 'WH1', lines: [] }), ['lines']);
    expectInvalid(await refused(org, { type: 'issue', lines: [{ sku: 'A', qty: 1 }] }), ['warehouse']);
    expectInvalid(await refused(org, { type: 'issue', warehouse: 'WH1', lines: [{ qty: 1 }] }), ['lines.0.sku']);
    expectInvalid(await refused(org, { type: 'issue', warehouse: 'WH1', lines: [{ sku: 'A' }] }), ['lines.0.qty']);
  });

  it('a value of the wrong type or outside its enum, every bad field listed', async () => {
    const org = await stockedOrg(h);
    expectInvalid(await refused(org, { ...issueA(1), type: 'gift' }), ['type']);
    expectInvalid(await refused(org, { ...issueA(1), submit: 'yes' }), ['submit']);
    expectInvalid(await refused(org, issueA(true)), ['lines.0.qty']);
    expectInvalid(await refused(org, issueA('1e3')), ['lines.0.qty']);
    expectInvalid(await refused(org, { ...issueA('abc'), type: 'gift', lines: [{ sku: 7, qty: 'abc' }] }),
      ['type', 'lines.0.sku', 'lines.0.qty']);
  });

  it('a quantity with more than 3 decimals, or not above 0 on an issue', async () => {
    const org = await stockedOrg(h);
    const res = await refused(org, issueA('1.2345'));
    expectInvalid(res, ['lines.0.qty']);
    expect(res.body.error.details[0].message).toMatch(/3 decimal places/);
    expectInvalid(await refused(org, issueA(0)), ['lines.0.qty']);
    expectInvalid(await refused(org, issueA('-1')), ['lines.0.qty']);
    // Trailing zeros do not count as places.
    expect((await org.api('POST', '/api/v1/documents', issueA('1.2000'))).status).toBe(201);
  });

  it('a receipt line without unitCost', async () => {
    const org = await stockedOrg(h);
    const res = await refused(org, { type: 'receipt', warehouse: 'WH1', lines: [{ sku: 'A', qty: 1, unitCost: 1 }, { sku: 'A', qty: 1 }] });
    expectInvalid(res, ['lines.1.unitCost']);
  });

  it('a transfer without a destination, or to its own source; a destination on anything else', async () => {
    const org = await stockedOrg(h);
    const transfer = { type: 'transfer', warehouse: 'WH1', lines: [{ sku: 'A', qty: 1 }] };
    expectInvalid(await refused(org, transfer), ['toWarehouse']);
    expectInvalid(await refused(org, { ...transfer, toWarehouse: 'WH1' }), ['toWarehouse']);
    expectInvalid(await refused(org, { ...issueA(1), toWarehouse: 'WH2' }), ['toWarehouse']);
  });

  it('a lot-tracked item received without its lot, a lot on an item without lots', async () => {
    const org = await stockedOrg(h);
    expectInvalid(await refused(org, { type: 'receipt', warehouse: 'WH1', lines: [{ sku: 'L', qty: 1, unitCost: 1 }] }), ['lines.0.lot']);
    const res = await refused(org, { type: 'receipt', warehouse: 'WH1', lines: [{ sku: 'A', qty: 1, unitCost: 1, lot: 'B1' }] });
    expectInvalid(res, ['lines.0.lot']);
    expect(res.body.error.message).toMatch(/A is not lot-tracked/);
  });

  it('an Idempotency-Key longer than 200 characters', async () => {
    const org = await stockedOrg(h);
    const res = await expectNoWrites(h, org.orgId, () => org.api('POST', '/api/v1/documents', issueA(1), { 'idempotency-key': 'k'.repeat(201) }));
    expectInvalid(res, ['idempotency-key']);
  });

  it('returnOf on a document that is not a return', async () => {
    const org = await stockedOrg(h);
    expectInvalid(await refused(org, { ...issueA(1), returnOf: org.receipt.number }), ['returnOf']);
  });
});

describe('POST /documents refuses unknown references with 404 naming them, writing nothing', () => {
  it('an unknown sku, warehouse, destination or returned document', async () => {
    const org = await stockedOrg(h);
    expectError(await refused(org, { ...issueA(1), lines: [{ sku: 'A', qty: 1 }, { sku: 'NOPE-9', qty: 1 }] }), 404, 'not_found', /NOPE-9/);
    expectError(await refused(org, { ...issueA(1), warehouse: 'WH-NONE' }), 404, 'not_found', /WH-NONE/);
    expectError(await refused(org, { type: 'transfer', warehouse: 'WH1', toWarehouse: 'WH-FAR', lines: [{ sku: 'A', qty: 1 }] }),
      404, 'not_found', /WH-FAR/);
    expectError(await refused(org, { type: 'customer_return', warehouse: 'WH1', returnOf: 'IS-20260101-0042', lines: [{ sku: 'A', qty: 1 }] }),
      404, 'not_found', /IS-20260101-0042/);
  });
});

describe('POST /documents refuses what the stock or the returned document does not allow, writing nothing', () => {
  it('an issue beyond stock, submitted at once: 422 with the shortage, and no document at all', async () => {
    const org = await stockedOrg(h);
    const res = await refused(org, { ...issueA('10.5'), submit: true });
    expectError(res, 422, 'insufficient_stock', /A/);
    expect(res.body.error.details).toEqual({ sku: 'A', warehouse: 'WH1', lot: null, needed: '10.5', available: '10' });
    expect((await org.api('GET', '/api/v1/documents?type=issue')).body.documents).toEqual([]);
  });

  it('a shortage of a named lot names the lot', async () => {
    const org = await stockedOrg(h);
    await org.inv.receipt('WH1', 'L', 4, 1, { lot: 'B1' });
    const res = await refused(org, { type: 'issue', warehouse: 'WH1', submit: true, lines: [{ sku: 'L', qty: 5, lot: 'B1' }] });
    expectError(res, 422, 'insufficient_stock');
    expect(res.body.error.details).toEqual({ sku: 'L', warehouse: 'WH1', lot: 'B1', needed: '5', available: '4' });
  });

  it('a lot received again with another expiry date: 422 unprocessable', async () => {
    const org = await stockedOrg(h);
    await org.inv.receipt('WH1', 'L', 4, 1, { lot: 'B1', expiresOn: '2027-01-31' });
    const res = await refused(org, { type: 'receipt', warehouse: 'WH1', submit: true,
      lines: [{ sku: 'L', qty: 1, unitCost: 1, lot: 'B1', expiresOn: '2027-02-28' }] });
    expectError(res, 422, 'unprocessable', /B1.*2027-01-31/);
  });

  it('a lot-tracked item returned by a customer without returnOf and without its lot: 400 at once, not a return that can never post', async () => {
    // Without returnOf nothing else can name the lot later: the QC body of POST /post has no lot field.
    const org = await stockedOrg(h);
    const res = await refused(org, { type: 'customer_return', warehouse: 'WH1', submit: true, lines: [{ sku: 'L', qty: 1 }] });
    expectInvalid(res, ['lines.0.lot']);
  });

  it('a customer return of a draft issue, or of a receipt: 422 unprocessable', async () => {
    const org = await stockedOrg(h);
    const draft = await org.inv.ok('POST', '/api/v1/documents', issueA(2));
    const ret = (returnOf: string) => ({ type: 'customer_return', warehouse: 'WH1', returnOf, lines: [{ sku: 'A', qty: 1 }] });
    expectError(await refused(org, ret(draft.number)), 422, 'unprocessable', new RegExp(`${draft.number}.*draft`));
    expectError(await refused(org, ret(org.receipt.number)), 422, 'unprocessable', new RegExp(`${org.receipt.number} \\(receipt\\) cannot be returned`));
  });

  it('returning more than was issued, net of earlier posted returns', async () => {
    const org = await stockedOrg(h);
    const issue = await org.inv.issue('WH1', 'A', 3);
    const ret = (qty: number) => ({ type: 'customer_return', warehouse: 'WH1', returnOf: issue.number, lines: [{ sku: 'A', qty }] });
    const res = await refused(org, ret(4));
    expectError(res, 422, 'unprocessable', /3/);
    expect(res.body.error.details).toMatchObject({ sku: 'A', returnOf: issue.number, requested: '4', returnable: '3' });

    const first = await org.inv.post('customer_return', 'WH1', [{ sku: 'A', qty: 2 }], { returnOf: issue.number });
    expect((await org.api('POST', `/api/v1/documents/${first.id}/post`)).status).toBe(200);
    expectError(await refused(org, ret(2)), 422, 'unprocessable');
    expect((await org.api('POST', '/api/v1/documents', ret(1))).status).toBe(201);
  });

  it('returning an item the issue did not move', async () => {
    const org = await stockedOrg(h);
    await org.inv.item('B');
    const issue = await org.inv.issue('WH1', 'A', 3);
    const res = await refused(org, { type: 'customer_return', warehouse: 'WH1', returnOf: issue.number, lines: [{ sku: 'B', qty: 1 }] });
    expectError(res, 422, 'unprocessable', /B is not on/);
  });
});

describe('numbers too large to store', () => {
  it('a receipt whose value overflows the ledger is refused with 400 and writes nothing', async () => {
    const org = await stockedOrg(h);
    // Each number is fine alone; 99,999,999,999,999 × 99,999 is 19 digits, past money's 16.
    const res = await expectNoWrites(h, org.orgId, () => org.api('POST', '/api/v1/documents', {
      type: 'receipt', warehouse: 'WH1', submit: true, lines: [{ sku: 'A', qty: '99999999999999', unitCost: '99999' }],
    }));
    expectError(res, 400, 'invalid_request', /too large/);
  });
});

describe('keys and organisations', () => {
  it('no key or an unknown key: 401; a read-only key may read but not create: 403', async () => {
    const org = await stockedOrg(h);
    expectError(await expectNoWrites(h, org.orgId, () => h.client(undefined)('POST', '/api/v1/documents', issueA(1))), 401, 'unauthorized');
    expectError(await h.client(undefined)('GET', '/api/v1/documents'), 401, 'unauthorized');
    expectError(await h.client('jxc_not_a_key')('GET', `/api/v1/documents/${org.receipt.id}`), 401, 'unauthorized');

    const reader = await h.createOrg({ scopes: ['read'] });
    expectError(await expectNoWrites(h, reader.orgId, () => reader.api('POST', '/api/v1/documents', issueA(1))), 403, 'forbidden', /write/);
    expect(await reader.api('GET', '/api/v1/documents')).toMatchObject({ status: 200, body: { documents: [] } });
  });

  it('a person kept to one warehouse is refused at another before anything else is judged; an unknown warehouse comes first', async () => {
    const org = await stockedOrg(h);
    const user = await org.inv.ok('POST', '/api/v1/users', { name: '小李', roles: ['staff'], warehouses: ['WH2'] });
    const { key } = await org.inv.ok('POST', '/api/v1/api-keys', { name: 'store key', user: user.id, scopes: ['read', 'write'] });
    const clerk = h.client(key);
    const issue = (warehouse: string, sku: string) => ({ type: 'issue', warehouse, lines: [{ sku, qty: 1 }] });
    await expectNoWrites(h, org.orgId, async () => {
      // The warehouse and the items are read together; what is reported keeps its order: the warehouse, the right to it, the items.
      expectError(await clerk('POST', '/api/v1/documents', issue('WH1', 'NO-SUCH-SKU')), 403, 'forbidden');
      expectError(await clerk('POST', '/api/v1/documents', issue('NOPE', 'NO-SUCH-SKU')), 404, 'not_found', /NOPE/);
      expectError(await clerk('POST', '/api/v1/documents', issue('WH2', 'NO-SUCH-SKU')), 404, 'not_found', /NO-SUCH-SKU/);
    });
  });

  it("a read-only key of the document's own organisation reads it but cannot move it", async () => {
    const org = await stockedOrg(h);
    const draft = await org.inv.ok('POST', '/api/v1/documents', issueA(2));
    const key = generateKey();
    await insertApiKey(h.db, { orgId: org.orgId, name: 'viewer', key, scopes: ['read'] });
    const viewer = h.client(key);
    expect(await viewer('GET', `/api/v1/documents/${draft.number}`)).toMatchObject({ status: 200, body: draft });
    await expectNoWrites(h, org.orgId, async () => {
      for (const verb of ['submit', 'post', 'cancel']) expectError(await viewer('POST', `/api/v1/documents/${draft.id}/${verb}`), 403, 'forbidden');
      expectError(await viewer('POST', `/api/v1/documents/${org.receipt.id}/reverse`), 403, 'forbidden');
    });
    expect((await viewer('GET', `/api/v1/documents/${draft.id}`)).body.status).toBe('draft');
  });

  it("another organisation's document is not found, and nothing of it changes", async () => {
    const a = await stockedOrg(h);
    const b = await stockedOrg(h);
    const draft = await a.inv.ok('POST', '/api/v1/documents', issueA(2));
    const before = (await a.api('GET', `/api/v1/documents/${draft.id}`)).body;

    for (const ref of [draft.id, draft.number]) {
      expectError(await b.api('GET', `/api/v1/documents/${ref}`), 404, 'not_found', new RegExp(ref));
    }
    await expectNoWrites(h, a.orgId, async () => {
      for (const verb of ['submit', 'post', 'cancel', 'ship', 'receive', 'reverse']) {
        expectError(await b.api('POST', `/api/v1/documents/${draft.id}/${verb}`), 404, 'not_found', new RegExp(draft.id));
      }
      expectError(await b.api('POST', `/api/v1/documents/${a.receipt.id}/reverse`), 404, 'not_found');
    });
    expect((await a.api('GET', `/api/v1/documents/${draft.id}`)).body).toEqual(before);

    const listed = (await b.api('GET', '/api/v1/documents')).body.documents as { id: string }[];
    expect(listed.map((d) => d.id)).toEqual([b.receipt.id]);
    expect((await b.api('GET', `/api/v1/documents?number=${draft.number}`)).body.documents).toEqual([]);

    // Org B's own codes do not reach org A's documents either: a return of A's receipt is unknown to B.
    const ret = { type: 'purchase_return', warehouse: 'WH1', returnOf: a.receipt.id, lines: [{ sku: 'A', qty: 1 }] };
    expectError(await expectNoWrites(h, b.orgId, () => b.api('POST', '/api/v1/documents', ret)), 404, 'not_found');
  });
});
