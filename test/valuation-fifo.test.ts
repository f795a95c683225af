import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness';
import { inventory } from './support/inventory';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

async function setup() {
  const { api } = await h.createOrg();
  const inv = inventory(api);
  await inv.warehouse('WH1');
  await inv.warehouse('WH2', 'store');
  await inv.item('F', { valuationMethod: 'fifo' });
  return inv;
}

const layersOf = async (inv: Awaited<ReturnType<typeof setup>>, wh = 'WH1') =>
  (await inv.layers('F', wh)).map((l: any) => [l.qty, l.unitCost]);

// Hand-worked: each issue consumes the oldest layers; a partial layer gives round2(qty × its cost);
// the piece that empties a layer takes exactly the value the layer has left.
describe('FIFO', () => {
  it('issues across layers, oldest first', async () => {
    const inv = await setup();
    const r1 = await inv.receipt('WH1', 'F', 10, 10);
    await inv.receipt('WH1', 'F', 10, 12);
    await inv.receipt('WH1', 'F', 5, 15); // 25 · 295.00
    const i1 = await inv.issue('WH1', 'F', 15); // 10 × 10 + 5 × 12 = 160.00
    expect(i1.lines[0]).toMatchObject({ value: '160.00', unitCost: '10.666667' });
    expect(await layersOf(inv)).toEqual([['5', '12'], ['5', '15']]);
    const layers = await inv.layers('F', 'WH1');
    expect(layers[0]).toMatchObject({ number: expect.stringMatching(/^RC-/) });
    expect(layers[0].number).not.toBe(r1.number);
    const i2 = await inv.issue('WH1', 'F', 7); // 5 × 12 + 2 × 15 = 90.00
    expect(i2.lines[0]!.value).toBe('90.00');
    expect(await inv.valuation('F', 'WH1')).toMatchObject({ qty: '3', value: '45.00', unitCost: '15' });

    await inv.receipt('WH1', 'F', 3, '3.333333'); // one layer worth 10.00
    const i3 = await inv.issue('WH1', 'F', 5); // 3 × 15 + 2 × 3.333333 (6.666666 → 6.67) = 51.67
    expect(i3.lines[0]!.value).toBe('51.67');
    expect(await layersOf(inv)).toEqual([['1', '3.333333']]);
    const i4 = await inv.issue('WH1', 'F', 1); // the layer's last 3.33, not 3.33 by rounding luck
    expect(i4.lines[0]!.value).toBe('3.33');
    expect(await inv.valuation('F', 'WH1')).toMatchObject({ qty: '0', value: '0.00' });
    expect(await layersOf(inv)).toEqual([]);
  });

  it('after reaching zero, new receipts form new layers only', async () => {
    const inv = await setup();
    await inv.receipt('WH1', 'F', 5, 4);
    expect((await inv.issue('WH1', 'F', 5)).lines[0]!.value).toBe('20.00');
    await inv.receipt('WH1', 'F', 10, 6);
    expect((await inv.issue('WH1', 'F', 3)).lines[0]!.value).toBe('18.00');
    expect(await layersOf(inv)).toEqual([['7', '6']]);
  });

  it('returns to a supplier from the returned receipt’s own layer, and without returnOf from the oldest', async () => {
    const inv = await setup();
    await inv.receipt('WH1', 'F', 10, 10);
    const r2 = await inv.receipt('WH1', 'F', 10, 12);
    const back = await inv.post('purchase_return', 'WH1', [{ sku: 'F', qty: 4 }], { returnOf: r2.number });
    expect(back.lines[0]).toMatchObject({ value: '48.00', unitCost: '12' });
    expect(await layersOf(inv)).toEqual([['10', '10'], ['6', '12']]);
    const loose = await inv.post('purchase_return', 'WH1', [{ sku: 'F', qty: 4 }]);
    expect(loose.lines[0]!.value).toBe('40.00');
    expect(await layersOf(inv)).toEqual([['6', '10'], ['6', '12']]);
  });

  it('takes a customer return with returnOf back as a new layer at the cost its issue left at', async () => {
    const inv = await setup();
    await inv.receipt('WH1', 'F', 5, 10);
    await inv.receipt('WH1', 'F', 5, 20);
    const issue = await inv.issue('WH1', 'F', 6); // 5 × 10 + 1 × 20 = 70.00, 11.666667 each
    expect(issue.lines[0]).toMatchObject({ value: '70.00', unitCost: '11.666667' });
    const back = await inv.post('customer_return', 'WH1', [{ sku: 'F', qty: 3 }], { returnOf: issue.id });
    const posted = await inv.ok('POST', `/api/v1/documents/${back.id}/post`);
    expect(posted.lines[0]!.value).toBe('35.00'); // 3 × 11.666667 = 35.000001 → 35.00
    expect(await layersOf(inv)).toEqual([['4', '20'], ['3', '11.666667']]);
    // Without returnOf: the current unit cost, 115.00 / 7 = 16.428571 → 2 units 32.86.
    const loose = await inv.post('customer_return', 'WH1', [{ sku: 'F', qty: 2 }]);
    expect((await inv.ok('POST', `/api/v1/documents/${loose.id}/post`)).lines[0]!.value).toBe('32.86');
    expect(await inv.valuation('F', 'WH1')).toMatchObject({ qty: '9', value: '147.86' });
  });

  it('a transfer carries its FIFO layers, with their age, to the destination', async () => {
    const inv = await setup();
    await inv.receipt('WH1', 'F', 5, 10);
    await inv.receipt('WH1', 'F', 5, 12);
    await inv.receipt('WH2', 'F', 1, 20); // the store already holds a newer layer
    const tr = await inv.post('transfer', 'WH1', [{ sku: 'F', qty: 7 }], { toWarehouse: 'WH2' });
    expect(tr).toMatchObject({ status: 'shipped', totalValue: '74.00' }); // 5 × 10 + 2 × 12
    const stock = (await inv.ok('GET', '/api/v1/stock?sku=F&warehouse=WH2')).balances;
    expect(stock[0]).toMatchObject({ qty: '1', inTransit: '7' });
    await inv.ok('POST', `/api/v1/documents/${tr.id}/receive`);
    expect(await layersOf(inv, 'WH2')).toEqual([['5', '10'], ['2', '12'], ['1', '20']]);
    const issue = await inv.issue('WH2', 'F', 6); // 5 × 10 + 1 × 12
    expect(issue.lines[0]!.value).toBe('62.00');
    expect(await inv.valuation('F', 'WH1')).toMatchObject({ qty: '3', value: '36.00' });
    expect(await inv.valuation('F', 'WH2')).toMatchObject({ qty: '2', value: '32.00' });
  });

  it('a short receipt keeps the shortage, with its carried value, as the line’s discrepancy', async () => {
    const inv = await setup();
    await inv.receipt('WH1', 'F', 5, 10);
    await inv.receipt('WH1', 'F', 5, 12);
    const tr = await inv.post('transfer', 'WH1', [{ sku: 'F', qty: 7 }], { toWarehouse: 'WH2' });
    const received = await inv.ok('POST', `/api/v1/documents/${tr.id}/receive`, { lines: [{ line: 1, qty: 5 }] });
    expect(received).toMatchObject({ status: 'received', hasDiscrepancy: true });
    expect(received.lines[0]).toMatchObject({ receivedQty: '5', discrepancyQty: '2', discrepancyValue: '24.00' });
    expect(await inv.valuation('F', 'WH2')).toMatchObject({ qty: '5', value: '50.00' });
    const stock = (await inv.ok('GET', '/api/v1/stock?sku=F&warehouse=WH2')).balances;
    expect(stock[0]).toMatchObject({ qty: '5', inTransit: '0' });
    const transit = (await inv.ledger('F', 'WH2')).filter((e: any) => e.bucket === 'transit');
    expect(transit.map((e: any) => [e.qty, e.value, e.balanceQty])).toEqual([['7', '74.00', '7'], ['-7', '-74.00', '0']]);
  });
});
