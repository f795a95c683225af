import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerEntries } from '../db/schema';
import { expectError, expectInvalid } from './assertions';
import { createTestApp, type TestApp } from './harness';
import { expectNoWrites, stockedOrg } from './support/documents';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

type Org = Awaited<ReturnType<typeof stockedOrg>>;

const create = (org: Org, body: Record<string, unknown>) => org.inv.ok('POST', '/api/v1/documents', body, [201]);
const draftIssue = (org: Org, qty = 3) => create(org, { type: 'issue', warehouse: 'WH1', lines: [{ sku: 'A', qty }] });
const draftTransfer = (org: Org, qty = 4) =>
  create(org, { type: 'transfer', warehouse: 'WH1', toWarehouse: 'WH2', lines: [{ sku: 'A', qty }] });
const act = (org: Org, doc: { id: string }, verb: string, body?: unknown) => org.api('POST', `/api/v1/documents/${doc.id}/${verb}`, body);
const stockOf = async (org: Org, warehouse: string) => (await org.inv.valuation('A', warehouse)) as { qty: string; value: string };
const ledgerRowsOf = (org: Org, documentId: string) =>
  h.db.$count(ledgerEntries, and(eq(ledgerEntries.orgId, org.orgId), eq(ledgerEntries.documentId, documentId)));

/** A transition from the wrong status: 409 naming the document (and its status), nothing written, the document as it was. */
async function expectRefused(org: Org, doc: { id: string; number: string }, verb: string, status?: string) {
  const before = (await org.api('GET', `/api/v1/documents/${doc.id}`)).body;
  const res = await expectNoWrites(h, org.orgId, () => act(org, doc, verb));
  expectError(res, 409, 'conflict', new RegExp(doc.number));
  if (status) expect(res.body.error.message).toContain(status);
  expect((await org.api('GET', `/api/v1/documents/${doc.id}`)).body).toEqual(before);
}

describe('allowed paths', () => {
  it('draft → submit → posted: an issue with no approval rule posts on submit', async () => {
    const org = await stockedOrg(h);
    const draft = await draftIssue(org);
    expect(draft).toMatchObject({ status: 'draft', submittedAt: null, postedAt: null });
    expect(await ledgerRowsOf(org, draft.id)).toBe(0);

    const res = await act(org, draft, 'submit');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: draft.id, status: 'posted', totalValue: '6.00', lines: [{ line: 1, sku: 'A', qty: '3', unitCost: '2', value: '6.00' }] });
    expect(res.body.submittedAt).toEqual(expect.any(String));
    expect(res.body.postedAt).toEqual(expect.any(String));
    expect(await stockOf(org, 'WH1')).toMatchObject({ qty: '7', value: '14.00' });
  });

  it('draft → post directly; draft → cancel moves nothing', async () => {
    const org = await stockedOrg(h);
    const posted = await act(org, await draftIssue(org, 2), 'post');
    expect(posted).toMatchObject({ status: 200, body: { status: 'posted', totalValue: '4.00' } });

    const other = await draftIssue(org, 5);
    const cancelled = await act(org, other, 'cancel', { comment: 'customer changed their mind' });
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled', postedAt: null } });
    expect(cancelled.body.cancelledAt).toEqual(expect.any(String));
    expect(await ledgerRowsOf(org, other.id)).toBe(0);
    expect(await stockOf(org, 'WH1')).toMatchObject({ qty: '8', value: '16.00' });
  });

  it('a transfer: draft → ship (source down, in transit) → receive (destination up)', async () => {
    const org = await stockedOrg(h);
    const draft = await draftTransfer(org);
    const shipped = await act(org, draft, 'ship');
    expect(shipped).toMatchObject({ status: 200, body: { status: 'shipped', toWarehouse: 'WH2' } });
    expect(await stockOf(org, 'WH1')).toMatchObject({ qty: '6', value: '12.00' });
    const balances = (await org.inv.ok('GET', '/api/v1/stock?sku=A&warehouse=WH2')).balances;
    expect(balances).toMatchObject([{ warehouse: 'WH2', qty: '0', inTransit: '4' }]);

    const received = await act(org, draft, 'receive');
    expect(received).toMatchObject({ status: 200, body: { status: 'received', hasDiscrepancy: false, lines: [{ receivedQty: '4' }] } });
    expect(await stockOf(org, 'WH2')).toMatchObject({ qty: '4', value: '8.00' });
  });

  it('a customer return waits for QC, then posts what was accepted and records the rest as rejected', async () => {
    const org = await stockedOrg(h);
    const issue = await org.inv.issue('WH1', 'A', 5);
    const ret = await create(org, { type: 'customer_return', warehouse: 'WH1', returnOf: issue.id, submit: true, reason: 'damaged',
      lines: [{ sku: 'A', qty: 3 }] });
    expect(ret).toMatchObject({ status: 'submitted', returnOf: issue.number, postedAt: null });
    expect(await ledgerRowsOf(org, ret.id)).toBe(0);

    await expectNoWrites(h, org.orgId, async () => {
      expectInvalid(await act(org, ret, 'post', { lines: [{ line: 1, acceptedQty: 4 }] }), ['lines.0.acceptedQty']);
      expectInvalid(await act(org, ret, 'post', { lines: [{ line: 2, acceptedQty: 1 }] }), ['lines.0.line']);
    });
    const posted = await act(org, ret, 'post', { lines: [{ line: 1, acceptedQty: '2' }] });
    expect(posted).toMatchObject({ status: 200, body: { status: 'posted', lines: [{ qty: '3', acceptedQty: '2', rejectedQty: '1' }] } });
    expect(await stockOf(org, 'WH1')).toMatchObject({ qty: '7', value: '14.00' });
  });

  it('a return of a document that moved several lots must name its lot: no units go back into a lot they never left', async () => {
    const org = await stockedOrg(h);
    await org.inv.receipt('WH1', 'L', 2, 2, { lot: 'Z1', expiresOn: '2027-01-01' });
    await org.inv.receipt('WH1', 'L', 5, 4, { lot: 'A2', expiresOn: '2027-06-01' });
    const issue = await org.inv.issue('WH1', 'L', 4); // first-expiry-first-out: Z1 2, A2 2
    const lots = async () => (await org.inv.ok('GET', '/api/v1/stock?sku=L&warehouse=WH1')).balances.map((b: any) => [b.lot, b.qty]);
    const before = await lots();
    // Asked when the return is made, not later at its check-in.
    const refused = await expectNoWrites(h, org.orgId, () => org.api('POST', '/api/v1/documents',
      { type: 'customer_return', warehouse: 'WH1', returnOf: issue.id, submit: true, lines: [{ sku: 'L', qty: 2 }] }));
    expectError(refused, 400, 'invalid_request', /lots A2, Z1|lots Z1, A2/);
    expect(refused.body.error.details[0].field).toBe('lines.0.lot');
    expect(await lots()).toEqual(before);
    // Named, it goes back where it came from.
    const named = await create(org, { type: 'customer_return', warehouse: 'WH1', returnOf: issue.id, submit: true, lines: [{ sku: 'L', qty: 2, lot: 'Z1' }] });
    expect((await act(org, named, 'post')).status).toBe(200);
    expect(await lots()).toEqual([['A2', '3'], ['Z1', '2']]);
  });

  it('QC lines are refused on anything but a customer return', async () => {
    const org = await stockedOrg(h);
    const draft = await draftIssue(org);
    expectInvalid(await expectNoWrites(h, org.orgId, () => act(org, draft, 'post', { lines: [{ line: 1, acceptedQty: 1 }] })), ['lines']);
  });

  it('a reversal answers 201, is posted with `reverses`, and the original shows `reversedBy`', async () => {
    const org = await stockedOrg(h);
    const issue = await org.inv.issue('WH1', 'A', 4);
    const res = await act(org, issue, 'reverse');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'issue', status: 'posted', reverses: issue.number, reversedBy: null });
    expect(res.body.number).toMatch(/^RV-\d{8}-0001$/);
    expect((await org.api('GET', `/api/v1/documents/${issue.id}`)).body).toMatchObject({ status: 'posted', reversedBy: res.body.number });
    expect(await stockOf(org, 'WH1')).toMatchObject({ qty: '10', value: '20.00' });
  });

  it('a document is read by id, by number, and by its number in lower case', async () => {
    const org = await stockedOrg(h);
    const doc = await draftTransfer(org);
    for (const ref of [doc.id, doc.number, doc.number.toLowerCase()]) {
      expect(await org.api('GET', `/api/v1/documents/${ref}`)).toMatchObject({ status: 200, body: doc });
    }
    expect(await act(org, { id: doc.number.toLowerCase() }, 'ship')).toMatchObject({ status: 200, body: { id: doc.id, status: 'shipped' } });
    expectError(await org.api('GET', '/api/v1/documents/TR-19990101-0001'), 404, 'not_found', /TR-19990101-0001/);
  });
});

describe('transitions from the wrong status are 409 and change nothing', () => {
  it('posting a posted document, submitting a non-draft; the ledger holds the posting once', async () => {
    const org = await stockedOrg(h);
    const issue = await org.inv.issue('WH1', 'A', 3);
    const rows = await ledgerRowsOf(org, issue.id);
    expect(rows).toBe(1);
    await expectRefused(org, issue, 'post', 'posted');
    await expectRefused(org, issue, 'submit', 'posted');
    expect(await ledgerRowsOf(org, issue.id)).toBe(rows);
    expect(await stockOf(org, 'WH1')).toMatchObject({ qty: '7' });
  });

  it('cancelling a posted document; posting, submitting or cancelling a cancelled one', async () => {
    const org = await stockedOrg(h);
    await expectRefused(org, org.receipt, 'cancel', 'posted');
    const draft = await draftIssue(org);
    await act(org, draft, 'cancel');
    for (const verb of ['post', 'submit', 'cancel']) await expectRefused(org, draft, verb, 'cancelled');
  });

  it('shipping or receiving anything but a transfer; posting a transfer; receiving one not shipped, or twice', async () => {
    const org = await stockedOrg(h);
    const draft = await draftIssue(org);
    await expectRefused(org, draft, 'ship');
    await expectRefused(org, draft, 'receive');
    const transfer = await draftTransfer(org);
    await expectRefused(org, transfer, 'post');
    await expectRefused(org, transfer, 'receive', 'draft');
    await act(org, transfer, 'ship');
    await expectRefused(org, transfer, 'ship', 'shipped');
    await expectRefused(org, transfer, 'cancel', 'shipped');
    await act(org, transfer, 'receive');
    await expectRefused(org, transfer, 'receive', 'received');
  });

  it('reversing a draft, reversing twice, reversing a reversal', async () => {
    const org = await stockedOrg(h);
    await expectRefused(org, await draftIssue(org), 'reverse', 'draft');
    const issue = await org.inv.issue('WH1', 'A', 2);
    const reversal = (await act(org, issue, 'reverse')).body;
    await expectRefused(org, issue, 'reverse');
    await expectRefused(org, reversal, 'reverse');
    expect(await stockOf(org, 'WH1')).toMatchObject({ qty: '10', value: '20.00' });
  });

  it('reversing an issue that has a posted return', async () => {
    const org = await stockedOrg(h);
    const issue = await org.inv.issue('WH1', 'A', 2);
    const ret = await create(org, { type: 'customer_return', warehouse: 'WH1', returnOf: issue.number, submit: true, lines: [{ sku: 'A', qty: 1 }] });
    await act(org, ret, 'post');
    await expectRefused(org, issue, 'reverse');
  });
});

describe('at once, on the same stock or document', () => {
  it('two concurrent POST /post of one draft: one 200, one 409, the ledger rows written once', async () => {
    const org = await stockedOrg(h);
    const draft = await draftIssue(org, 4);
    const results = await Promise.all([act(org, draft, 'post'), act(org, draft, 'post')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expectError(results.find((r) => r.status === 409)!, 409, 'conflict', new RegExp(`${draft.number} is posted`));
    expect(await ledgerRowsOf(org, draft.id)).toBe(1);
    expect(await stockOf(org, 'WH1')).toMatchObject({ qty: '6', value: '12.00' });
  });

  it('two concurrent submits of one draft issue for all the stock: one posts, the other is 409, never negative', async () => {
    const org = await stockedOrg(h);
    const draft = await draftIssue(org, 10);
    const results = await Promise.all([act(org, draft, 'submit'), act(org, draft, 'submit')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await ledgerRowsOf(org, draft.id)).toBe(1);
    expect(await stockOf(org, 'WH1')).toMatchObject({ qty: '0', value: '0.00' });
  });

  it('five concurrent issues of 3 from 10: three post, two are refused whole, stock never negative, numbers unique', async () => {
    const org = await stockedOrg(h);
    const body = { type: 'issue', warehouse: 'WH1', submit: true, lines: [{ sku: 'A', qty: 3 }] };
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => org.api('POST', '/api/v1/documents', body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 422, 422]);
    for (const r of results.filter((x) => x.status === 422)) expectError(r, 422, 'insufficient_stock');
    const numbers = results.filter((r) => r.status === 201).map((r) => r.body.number as string).sort();
    // On Postgres a number is taken outside the posting's transaction: a refused issue may leave a gap (README, Numbers).
    if (h.deps.database.engine === 'pglite') expect(numbers.map((n) => n.slice(-5))).toEqual(['-0001', '-0002', '-0003']);
    else expect(new Set(numbers).size).toBe(3);
    expect(await stockOf(org, 'WH1')).toMatchObject({ qty: '1', value: '2.00' });
    expect((await org.api('GET', '/api/v1/documents?type=issue')).body.documents).toHaveLength(3);
  });

  it('two concurrent reversals of one document: one 201, one 409, the stock back once', async () => {
    const org = await stockedOrg(h);
    const issue = await org.inv.issue('WH1', 'A', 4);
    const results = await Promise.all([act(org, issue, 'reverse'), act(org, issue, 'reverse')]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expectError(results.find((r) => r.status === 409)!, 409, 'conflict', new RegExp(issue.number));
    expect(await stockOf(org, 'WH1')).toMatchObject({ qty: '10', value: '20.00' });
  });
});
