import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness';
import { inventory } from './support/inventory';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

/** A fresh organisation with one warehouse and one moving-average item. */
async function setup() {
  const { api } = await h.createOrg();
  const inv = inventory(api);
  await inv.warehouse('WH');
  await inv.item('A', { valuationMethod: 'moving_average' });
  return inv;
}

// Every figure below is worked by hand: average = value / qty to 6 places; an issue takes
// round2(qty × average); the issue that empties the balance takes exactly what is left.
describe('moving weighted average', () => {
  it('receipts at several costs, then issues at the running average', async () => {
    const inv = await setup();
    await inv.receipt('WH', 'A', 10, '10.00'); // 10 · 100.00
    await inv.receipt('WH', 'A', 5, '13.00'); //  15 · 165.00 · avg 11
    const i1 = await inv.issue('WH', 'A', 4); //  44.00 → 11 · 121.00
    expect(i1.lines[0]).toMatchObject({ qty: '4', unitCost: '11', value: '44.00' });
    expect(i1.totalValue).toBe('44.00');
    await inv.receipt('WH', 'A', 9, '12.50'); //  112.50 → 20 · 233.50 · avg 11.675
    const i2 = await inv.issue('WH', 'A', 7); //  7 × 11.675 = 81.725 → 81.73 → 13 · 151.77
    expect(i2.lines[0]).toMatchObject({ value: '81.73', unitCost: '11.675714' });
    expect(await inv.valuation('A', 'WH')).toEqual({ sku: 'A', warehouse: 'WH', qty: '13', value: '151.77', unitCost: '11.674615' });
    const i3 = await inv.issue('WH', 'A', 13); // empties: exactly 151.77
    expect(i3.lines[0]!.value).toBe('151.77');
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '0', value: '0.00' });

    const ledger = await inv.ledger('A', 'WH');
    expect(ledger.map((e: any) => [e.qty, e.value, e.balanceQty, e.balanceValue])).toEqual([
      ['10', '100.00', '10', '100.00'],
      ['5', '65.00', '15', '165.00'],
      ['-4', '-44.00', '11', '121.00'],
      ['9', '112.50', '20', '233.50'],
      ['-7', '-81.73', '13', '151.77'],
      ['-13', '-151.77', '0', '0.00'],
    ]);
  });

  it('rounds each issue to cents and lets the last one take the remainder', async () => {
    const inv = await setup();
    await inv.receipt('WH', 'A', 3, '3.333333'); // 9.999999 → 10.00, avg 3.333333
    const values = [];
    for (let i = 0; i < 3; i++) values.push((await inv.issue('WH', 'A', 1)).lines[0]!.value);
    // 3.33; then avg 6.67 / 2 = 3.335 → 3.34; then the last unit takes the 3.33 left.
    expect(values).toEqual(['3.33', '3.34', '3.33']);
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '0', value: '0.00' });
  });

  it('starts afresh after stock reached zero, showing the last cost meanwhile', async () => {
    const inv = await setup();
    await inv.receipt('WH', 'A', 5, 4);
    await inv.issue('WH', 'A', 5);
    expect(await inv.valuation('A', 'WH')).toEqual({ sku: 'A', warehouse: 'WH', qty: '0', value: '0.00', unitCost: '4' });
    await inv.receipt('WH', 'A', 10, 6);
    const issue = await inv.issue('WH', 'A', 3);
    expect(issue.lines[0]).toMatchObject({ unitCost: '6', value: '18.00' });
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '7', value: '42.00', unitCost: '6' });
  });

  it('keeps quantities to 3 places and unit costs to 6', async () => {
    const inv = await setup();
    await inv.receipt('WH', 'A', '2.5', '1.234567'); // 3.0864175 → 3.09
    const issue = await inv.issue('WH', 'A', '0.001'); // avg 3.09 / 2.5 = 1.236 → 0.001236 → 0.00
    expect(issue.lines[0]).toMatchObject({ qty: '0.001', value: '0.00' });
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '2.499', value: '3.09' });
  });

  it('takes a customer return with returnOf at the cost its issue left at, and without it at the current cost', async () => {
    const inv = await setup();
    await inv.receipt('WH', 'A', 10, 10);
    await inv.receipt('WH', 'A', 10, 20); // 20 · 300.00 · avg 15
    const issue = await inv.issue('WH', 'A', 4); // 60.00 at 15 → 16 · 240.00
    await inv.receipt('WH', 'A', 4, 30); // 20 · 360.00 · avg 18
    const back = await inv.post('customer_return', 'WH', [{ sku: 'A', qty: 2 }], { returnOf: issue.number });
    expect(back.status).toBe('submitted'); // waits for QC
    const posted = await inv.ok('POST', `/api/v1/documents/${back.id}/post`);
    expect(posted.lines[0]).toMatchObject({ unitCost: '15', value: '30.00', acceptedQty: '2', rejectedQty: '0' });
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '22', value: '390.00' });

    const loose = await inv.post('customer_return', 'WH', [{ sku: 'A', qty: 2 }]);
    const post2 = await inv.ok('POST', `/api/v1/documents/${loose.id}/post`);
    // 390 / 22 = 17.727273 → 2 × 17.727273 = 35.454546 → 35.45
    expect(post2.lines[0]).toMatchObject({ unitCost: '17.725', value: '35.45' });
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '24', value: '425.45' });
  });

  it('returns to a supplier at the current average, with or without returnOf', async () => {
    const inv = await setup();
    await inv.receipt('WH', 'A', 10, 10);
    const r2 = await inv.receipt('WH', 'A', 10, 12); // 20 · 220.00 · avg 11
    const back = await inv.post('purchase_return', 'WH', [{ sku: 'A', qty: 4 }], { returnOf: r2.number });
    expect(back.lines[0]).toMatchObject({ value: '44.00', unitCost: '11' });
    const loose = await inv.post('purchase_return', 'WH', [{ sku: 'A', qty: 1 }]);
    expect(loose.lines[0]!.value).toBe('11.00');
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '15', value: '165.00' });
  });

  it('refuses returning more than the original moved, net of earlier returns', async () => {
    const inv = await setup();
    await inv.receipt('WH', 'A', 10, 10);
    const issue = await inv.issue('WH', 'A', 4);
    const first = await inv.post('customer_return', 'WH', [{ sku: 'A', qty: 3 }], { returnOf: issue.number });
    await inv.ok('POST', `/api/v1/documents/${first.id}/post`);
    const res = await inv.ok('POST', '/api/v1/documents', { type: 'customer_return', warehouse: 'WH', returnOf: issue.number, lines: [{ sku: 'A', qty: 2 }] }, [422]);
    expect(res.error).toMatchObject({ code: 'unprocessable', details: { sku: 'A', returnable: '1', requested: '2' } });
  });
});
