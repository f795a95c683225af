import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg, sandboxPeople } from './support/approvals';

// Card actions from chat: each allowed for the right role and warehouse, refused otherwise,
// refused when stale, and a repeated tap changes nothing.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

async function setup() {
  const o = await approvalOrg(h);
  // Sandbox ids are unique across organisations, like a platform's user ids.
  const id = await sandboxPeople(o);
  const storeManager = await o.inv.ok('POST', '/api/v1/users', { name: 'Store Mgr', roles: ['store_manager'], warehouses: ['ST'], identities: [{ platform: 'sandbox', externalId: id('store') }] });
  const otherManager = await o.inv.ok('POST', '/api/v1/users', { name: 'Other Mgr', roles: ['store_manager'], warehouses: ['WH'], identities: [{ platform: 'sandbox', externalId: id('other') }] });
  // Any bot message will do to tap on: the action id is what names the document.
  const hello = await o.inv.ok('POST', '/sandbox/api/messages', { chatId: id('lead'), userId: id('lead'), text: '帮助' });
  const messageId = hello.replies[0].id as string;
  const tap = async (who: string, actionId: string, form?: Record<string, string>) =>
    (await o.inv.ok('POST', '/sandbox/api/actions', { userId: id(who), messageId, actionId, ...(form ? { form } : {}) })).toast;
  const transfer = (qty: number, submit: boolean) => o.inv.ok('POST', '/api/v1/documents',
    { type: 'transfer', warehouse: 'WH', toWarehouse: 'ST', lines: [{ sku: 'A', qty }, { sku: 'B', qty }], submit });
  return { ...o, tap, transfer, storeManager, otherManager };
}

describe('ship and receive from a card', () => {
  it('a warehouse lead ships; staff cannot; a second tap is stale', async () => {
    const o = await setup();
    const tr = await o.transfer(3, false);
    expect((await o.tap('clerk', `ship:${tr.id}`)).kind).toBe('error');
    expect((await o.tap('store', `ship:${tr.id}`)).kind).toBe('error');
    expect((await o.inv.ok('GET', `/api/v1/documents/${tr.id}`)).status).toBe('draft');
    expect((await o.tap('lead', `ship:${tr.id}`)).kind).toBe('success');
    const again = await o.tap('lead', `ship:${tr.id}`);
    expect(again.kind).toBe('error');
    expect(again.text).toContain('现在是「已发货」，不能发货');
    expect((await o.inv.ok('GET', `/api/v1/documents/${tr.id}`)).status).toBe('shipped');
  });

  it('the destination’s store manager confirms receipt; another store’s cannot', async () => {
    const o = await setup();
    const tr = await o.transfer(3, true);
    expect((await o.tap('other', `receive:${tr.id}`)).text).toContain('ST');
    expect((await o.tap('store', `receive:${tr.id}`)).kind).toBe('success');
    expect(await o.inv.valuation('A', 'ST')).toMatchObject({ qty: '3' });
    expect((await o.tap('store', `receive:${tr.id}`)).kind).toBe('error');
  });

  it('a short receipt per line becomes the discrepancy; bad input changes nothing', async () => {
    const o = await setup();
    const tr = await o.transfer(5, true);
    expect((await o.tap('store', `receive_short:${tr.id}`, { shortage: 'ZZZ:1' })).kind).toBe('error');
    expect((await o.tap('store', `receive_short:${tr.id}`, { shortage: 'A:9' })).kind).toBe('error');
    expect((await o.inv.ok('GET', `/api/v1/documents/${tr.id}`)).status).toBe('shipped');
    expect((await o.tap('store', `receive_short:${tr.id}`, { shortage: 'A：2，B:0' })).kind).toBe('success');
    const doc = await o.inv.ok('GET', `/api/v1/documents/${tr.id}`);
    expect(doc).toMatchObject({ status: 'received', hasDiscrepancy: true });
    expect(doc.lines.map((l: any) => [l.sku, l.receivedQty, l.discrepancyQty])).toEqual([['A', '3', '2'], ['B', '5', '0']]);
  });
});

describe('QC of a customer return from a card', () => {
  it('a warehouse lead records the accepted quantity; the rest is rejected; staff cannot', async () => {
    const o = await setup();
    const ret = await o.inv.post('customer_return', 'WH', [{ sku: 'A', qty: 4 }]);
    expect((await o.tap('clerk', `qc:${ret.id}`, { accepted: '3' })).kind).toBe('error');
    expect((await o.tap('lead', `qc:${ret.id}`, { accepted: 'x' })).kind).toBe('error');
    expect((await o.tap('lead', `qc:${ret.id}`, { accepted: '3' })).kind).toBe('success');
    const doc = await o.inv.ok('GET', `/api/v1/documents/${ret.id}`);
    expect(doc.lines[0]).toMatchObject({ acceptedQty: '3', rejectedQty: '1' });
    expect((await o.tap('lead', `qc:${ret.id}`, { accepted: '3' })).kind).toBe('error'); // stale: already posted
  });
});

describe('taps that name nothing', () => {
  it('a forged or malformed action id is refused politely', async () => {
    const o = await setup();
    const toast = await o.tap('boss', 'approve:not-a-uuid');
    expect(toast.kind).toBe('error');
    const missing = await o.tap('boss', 'ship:00000000-0000-4000-8000-000000000000');
    expect(missing.kind).toBe('error');
  });
});
