import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerEntries } from '../db/schema';
import { createTestApp, type TestApp } from './harness';
import { inventory } from './support/inventory';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

async function setup(valuationMethod: 'moving_average' | 'fifo' = 'moving_average') {
  const org = await h.createOrg();
  const inv = inventory(org.api);
  await inv.warehouse('WH');
  await inv.item('A', { valuationMethod });
  return { inv, orgId: org.orgId };
}

const ledgerRows = async (orgId: string) =>
  (await h.db.select({ n: count() }).from(ledgerEntries).where(eq(ledgerEntries.orgId, orgId)))[0]!.n;

describe('reversal (红字冲销)', () => {
  it('undoes a receipt at its original cost under moving average', async () => {
    const { inv } = await setup();
    await inv.receipt('WH', 'A', 10, 5);
    const r2 = await inv.receipt('WH', 'A', 10, 10); // 20 · 150.00
    const rev = await inv.ok('POST', `/api/v1/documents/${r2.id}/reverse`);
    expect(rev).toMatchObject({ type: 'receipt', status: 'posted', reverses: r2.number, totalValue: '-100.00' });
    expect(rev.number).toMatch(/^RV-\d{8}-\d{4}$/);
    expect(rev.lines[0]).toMatchObject({ qty: '-10', value: '-100.00' });
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '10', value: '50.00', unitCost: '5' });
    expect((await inv.ok('GET', `/api/v1/documents/${r2.number}`)).reversedBy).toBe(rev.number);
  });

  it('undoes a FIFO receipt from its own layer first', async () => {
    const { inv } = await setup('fifo');
    await inv.receipt('WH', 'A', 10, 5);
    const r2 = await inv.receipt('WH', 'A', 10, 10);
    await inv.issue('WH', 'A', 5); // 5 × 5 from the first layer
    await inv.ok('POST', `/api/v1/documents/${r2.id}/reverse`);
    expect((await inv.layers('A', 'WH')).map((l: any) => [l.qty, l.unitCost])).toEqual([['5', '5']]);
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '5', value: '25.00' });
  });

  it('undoes an issue by putting back the exact cost layers it took', async () => {
    const { inv } = await setup('fifo');
    await inv.receipt('WH', 'A', 2, 10);
    await inv.receipt('WH', 'A', 2, 20);
    const issue = await inv.issue('WH', 'A', 3); // 2 × 10 + 1 × 20 = 40.00
    await inv.receipt('WH', 'A', 1, 30);
    const rev = await inv.ok('POST', `/api/v1/documents/${issue.id}/reverse`);
    expect(rev.lines[0]).toMatchObject({ qty: '-3', value: '-40.00' });
    // The restored layers keep their age, so they are consumed before the 30.00 receipt again.
    expect((await inv.layers('A', 'WH')).map((l: any) => [l.qty, l.unitCost])).toEqual([['2', '10'], ['1', '20'], ['1', '20'], ['1', '30']]);
    expect((await inv.issue('WH', 'A', 4)).lines[0]!.value).toBe('60.00');
  });

  it('refuses, whole and with 422, a reversal that would make stock negative', async () => {
    const { inv, orgId } = await setup();
    const receipt = await inv.receipt('WH', 'A', 10, 5);
    await inv.issue('WH', 'A', 8);
    const before = await ledgerRows(orgId);
    const res = await inv.ok('POST', `/api/v1/documents/${receipt.id}/reverse`, undefined, [422]);
    expect(res.error).toMatchObject({ code: 'insufficient_stock', details: { sku: 'A', warehouse: 'WH', needed: '10', available: '2' } });
    expect(await ledgerRows(orgId)).toBe(before);
    expect((await inv.ok('GET', `/api/v1/documents/${receipt.id}`)).reversedBy).toBeNull();
    const list = await inv.ok('GET', '/api/v1/documents');
    expect(list.documents.filter((d: any) => d.reverses !== null)).toEqual([]);
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '2', value: '10.00' });
  });

  it('refuses reversing twice, reversing a reversal, and reversing what has returns against it', async () => {
    const { inv } = await setup();
    await inv.receipt('WH', 'A', 10, 5);
    const issue = await inv.issue('WH', 'A', 4);
    const back = await inv.post('customer_return', 'WH', [{ sku: 'A', qty: 1 }], { returnOf: issue.number });
    await inv.ok('POST', `/api/v1/documents/${back.id}/post`);
    const blocked = await inv.ok('POST', `/api/v1/documents/${issue.id}/reverse`, undefined, [409]);
    expect(blocked.error.message).toContain(back.number);
    const revReturn = await inv.ok('POST', `/api/v1/documents/${back.id}/reverse`);
    expect((await inv.ok('POST', `/api/v1/documents/${back.id}/reverse`, undefined, [409])).error.code).toBe('conflict');
    expect((await inv.ok('POST', `/api/v1/documents/${revReturn.id}/reverse`, undefined, [409])).error.code).toBe('conflict');
    await inv.ok('POST', `/api/v1/documents/${issue.id}/reverse`); // the return is undone, so the issue can be
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '10', value: '50.00' });
  });

  it('undoes a received transfer: the destination gives up what arrived, the source gets back what left', async () => {
    const { inv } = await setup();
    await inv.warehouse('ST', 'store');
    await inv.receipt('WH', 'A', 10, 3);
    const tr = await inv.post('transfer', 'WH', [{ sku: 'A', qty: 6 }], { toWarehouse: 'ST' });
    await inv.ok('POST', `/api/v1/documents/${tr.id}/receive`);
    const rev = await inv.ok('POST', `/api/v1/documents/${tr.id}/reverse`);
    expect(rev.lines[0]).toMatchObject({ qty: '-6', value: '-18.00' });
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '10', value: '30.00' });
    expect(await inv.valuation('A', 'ST')).toMatchObject({ qty: '0', value: '0.00' });
  });
});
