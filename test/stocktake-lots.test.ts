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
  await inv.warehouse('WH');
  await inv.item('A');
  await inv.item('L', { lotTracked: true, shelfLifeDays: 30 });
  return inv;
}

describe('stocktake', () => {
  it('posts the variance against the book frozen at count start, a surplus at the entered cost', async () => {
    const inv = await setup();
    await inv.receipt('WH', 'A', 10, 5); // 10 · 50.00
    const count = await inv.ok('POST', '/api/v1/documents', { type: 'stocktake', warehouse: 'WH', lines: [{ sku: 'A', qty: 12, unitCost: 6 }] });
    expect(count.lines[0]).toMatchObject({ qty: '12', bookQty: '10', variance: '2' });
    await inv.issue('WH', 'A', 1); // moves during the count do not change its variance
    const posted = await inv.ok('POST', `/api/v1/documents/${count.id}/post`);
    expect(posted.lines[0]).toMatchObject({ value: '12.00', unitCost: '6' });
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '11', value: '57.00' });
  });

  it('values a shortage at the current average and a surplus without a cost at the current cost', async () => {
    const inv = await setup();
    await inv.receipt('WH', 'A', 10, 5);
    await inv.post('stocktake', 'WH', [{ sku: 'A', qty: 12, unitCost: 6 }]); // 12 · 62.00
    const short = await inv.post('stocktake', 'WH', [{ sku: 'A', qty: 11 }]); // −1 at 5.166667 → 5.17
    expect(short.lines[0]).toMatchObject({ variance: '-1', value: '-5.17' });
    expect(short.totalValue).toBe('-5.17');
    const surplus = await inv.post('stocktake', 'WH', [{ sku: 'A', qty: 13 }]); // +2 at 56.83 / 11 = 5.166364 → 10.33
    expect(surplus.lines[0]).toMatchObject({ variance: '2', value: '10.33' });
    const exact = await inv.post('stocktake', 'WH', [{ sku: 'A', qty: 13 }]);
    expect(exact).toMatchObject({ status: 'posted', totalValue: '0.00' });
    expect(exact.lines[0]).toMatchObject({ variance: '0', value: '0.00' });
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '13', value: '67.16' });
  });
});

describe('adjustment and opening', () => {
  it('adjusts down at the current cost and up at the given cost', async () => {
    const inv = await setup();
    await inv.receipt('WH', 'A', 4, '2.50');
    const loss = await inv.post('adjustment', 'WH', [{ sku: 'A', qty: -1, reason: '破损' }], { reason: 'damage' });
    expect(loss.lines[0]).toMatchObject({ qty: '-1', value: '-2.50', reason: '破损' });
    const found = await inv.post('adjustment', 'WH', [{ sku: 'A', qty: 2, unitCost: 4 }]);
    expect(found.lines[0]!.value).toBe('8.00');
    expect(await inv.valuation('A', 'WH')).toMatchObject({ qty: '5', value: '15.50' });
  });

  it('a reversed FIFO adjustment puts back the layers it took, in their age, not one new layer at the average', async () => {
    const inv = await setup();
    await inv.item('F', { valuationMethod: 'fifo' });
    const day = (d: number) => h.setNow(new Date(`2026-12-0${d}T04:00:00Z`));
    try {
      day(1);
      await inv.receipt('WH', 'F', 2, 10);
      day(2);
      await inv.receipt('WH', 'F', 2, 20);
      day(3);
      const loss = await inv.post('adjustment', 'WH', [{ sku: 'F', qty: -3 }]);
      expect(loss.lines[0]).toMatchObject({ value: '-40.00' }); // 2 × 10 + 1 × 20
      day(4);
      await inv.receipt('WH', 'F', 1, 30);
      day(5);
      await inv.ok('POST', `/api/v1/documents/${loss.id}/reverse`, undefined, [201]);
      // Back in age order: 2 × 10 (day 1), 1 × 20 and 1 × 20 (day 2), 1 × 30 (day 4); four out cost 2 × 10 + 2 × 20.
      const issue = await inv.issue('WH', 'F', 4);
      expect(issue.totalValue).toBe('60.00');
    } finally {
      h.setNow(undefined);
    }
    expect(await inv.valuation('F', 'WH')).toMatchObject({ qty: '1', value: '30.00' });
  });

  it('opens a balance at its cost and keeps the old system’s figure on the line', async () => {
    const inv = await setup();
    const opening = await inv.post('opening', 'WH', [{ sku: 'A', qty: 85, unitCost: '3.2', previousQty: 100 }], { note: 'go-live count' });
    expect(opening.number).toMatch(/^OB-\d{8}-0001$/);
    expect(opening.lines[0]).toMatchObject({ qty: '85', previousQty: '100', value: '272.00' });
  });
});

describe('lots', () => {
  it('issues first-expiry-first-out unless a lot is named', async () => {
    const inv = await setup();
    await inv.receipt('WH', 'L', 5, 10, { lot: 'L2', expiresOn: '2027-03-01' });
    await inv.receipt('WH', 'L', 5, 10, { lot: 'L1', expiresOn: '2027-01-01' });
    await inv.receipt('WH', 'L', 5, 10, { lot: 'L3', expiresOn: '2027-02-01' });
    await inv.issue('WH', 'L', 7); // L1 5, then L3 2
    const rows = (await inv.ok('GET', '/api/v1/stock?sku=L&warehouse=WH')).balances.map((b: any) => [b.lot, b.qty, b.expiresOn]);
    expect(rows).toEqual([['L1', '0', '2027-01-01'], ['L2', '5', '2027-03-01'], ['L3', '3', '2027-02-01']]);
    const named = await inv.issue('WH', 'L', 4, { lot: 'L2' });
    expect(named.status).toBe('posted');
    const ledger = await inv.ledger('L', 'WH');
    expect(ledger.filter((e: any) => Number(e.qty) < 0).map((e: any) => [e.lot, e.qty])).toEqual([['L1', '-5'], ['L3', '-2'], ['L2', '-4']]);
  });

  it('a line taking first-expiry-first-out leaves a later line its named lot', async () => {
    const inv = await setup();
    await inv.receipt('WH', 'L', 5, 10, { lot: 'L1', expiresOn: '2027-01-01' });
    await inv.receipt('WH', 'L', 5, 10, { lot: 'L2', expiresOn: '2027-06-01' });
    // Line 1 alone would take L1 (first to expire); line 2 asks for L1 by name, so line 1 takes L2.
    const issue = await inv.post('issue', 'WH', [{ sku: 'L', qty: 5 }, { sku: 'L', qty: 5, lot: 'L1' }]);
    expect(issue.status).toBe('posted');
    expect((await inv.ok('GET', '/api/v1/stock?sku=L&warehouse=WH')).balances.map((b: any) => [b.lot, b.qty])).toEqual([['L1', '0'], ['L2', '0']]);
    // Named lots that ask for more than their lot holds are still refused, naming the lot.
    await inv.receipt('WH', 'L', 5, 10, { lot: 'L1', expiresOn: '2027-01-01' });
    await inv.receipt('WH', 'L', 5, 10, { lot: 'L2', expiresOn: '2027-06-01' });
    const res = await inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH', submit: true, lines: [{ sku: 'L', qty: 3 }, { sku: 'L', qty: 6, lot: 'L1' }] }, [422]);
    expect(res.error).toMatchObject({ code: 'insufficient_stock', details: { sku: 'L', lot: 'L1', needed: '6', available: '5' } });
  });

  it('refuses a named lot that does not hold enough, naming the lot', async () => {
    const inv = await setup();
    await inv.receipt('WH', 'L', 5, 10, { lot: 'L1', expiresOn: '2027-01-01' });
    await inv.receipt('WH', 'L', 5, 10, { lot: 'L2', expiresOn: '2027-02-01' });
    const res = await inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH', submit: true, lines: [{ sku: 'L', qty: 6, lot: 'L1' }] }, [422]);
    expect(res.error.details).toEqual({ sku: 'L', warehouse: 'WH', lot: 'L1', needed: '6', available: '5' });
    // Two lines on the same lot: the document's need against what the lot holds, not line 2 against what line 1 left.
    const two = await inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH', submit: true, lines: [{ sku: 'L', qty: 4, lot: 'L1' }, { sku: 'L', qty: 4, lot: 'L1' }] }, [422]);
    expect(two.error.details).toEqual({ sku: 'L', warehouse: 'WH', lot: 'L1', needed: '8', available: '5' });
  });

  it('dates a lot from the shelf life when no expiry is given, in the organisation’s time zone', async () => {
    const inv = await setup();
    h.setNow(new Date('2026-11-25T18:00:00Z')); // already 26 Nov in Shanghai
    try {
      await inv.receipt('WH', 'L', 1, 1, { lot: 'B7' });
    } finally {
      h.setNow(undefined);
    }
    const [row] = (await inv.ok('GET', '/api/v1/stock?sku=L&warehouse=WH')).balances;
    expect(row).toMatchObject({ lot: 'B7', expiresOn: '2026-12-26' });
  });

  it('a lot received again on a later day, with no date given, keeps the date it was registered with', async () => {
    const inv = await setup();
    try {
      h.setNow(new Date('2026-03-01T04:00:00Z'));
      await inv.receipt('WH', 'L', 2, 1, { lot: 'B1' }); // 30 days of shelf life: 2026-03-31
      h.setNow(new Date('2026-03-05T04:00:00Z'));
      // Worked out again it would be 2026-04-04: that is a default for a new lot, not a date the user gave.
      const again = await inv.receipt('WH', 'L', 3, 1, { lot: 'B1' });
      expect(again.status).toBe('posted');
    } finally {
      h.setNow(undefined);
    }
    const rows = (await inv.ok('GET', '/api/v1/stock?sku=L&warehouse=WH')).balances.map((b: any) => [b.lot, b.qty, b.expiresOn]);
    expect(rows).toEqual([['B1', '5', '2026-03-31']]);
  });

  it('refuses a lot whose expiry contradicts the one on record', async () => {
    const inv = await setup();
    await inv.receipt('WH', 'L', 1, 1, { lot: 'X', expiresOn: '2027-01-01' });
    const res = await inv.ok('POST', '/api/v1/documents', { type: 'receipt', warehouse: 'WH', submit: true, lines: [{ sku: 'L', qty: 1, unitCost: 1, lot: 'X', expiresOn: '2027-05-05' }] }, [422]);
    expect(res.error.code).toBe('unprocessable');
  });

  it('carries lots through a transfer', async () => {
    const inv = await setup();
    await inv.warehouse('ST', 'store');
    await inv.receipt('WH', 'L', 3, 10, { lot: 'L1', expiresOn: '2027-01-01' });
    await inv.receipt('WH', 'L', 3, 11, { lot: 'L2', expiresOn: '2027-02-01' });
    const tr = await inv.post('transfer', 'WH', [{ sku: 'L', qty: 4 }], { toWarehouse: 'ST' });
    await inv.ok('POST', `/api/v1/documents/${tr.id}/receive`);
    const rows = (await inv.ok('GET', '/api/v1/stock?sku=L&warehouse=ST')).balances.map((b: any) => [b.lot, b.qty, b.value]);
    // Moving average: 63.00 / 6 = 10.5 a unit leaves the source; the lots split the 42.00 by quantity.
    expect(rows).toEqual([['L1', '3', '31.50'], ['L2', '1', '10.50']]);
    expect(await inv.valuation('L', 'ST')).toMatchObject({ qty: '4', value: '42.00' });
  });
});

describe('lot codes', () => {
  it('keeps a lot whose code holds a "|" as typed, in its balance and its ledger', async () => {
    const inv = await setup();
    // Codes may hold any character; posting keys lots as item|warehouse|lot internally.
    await inv.ok('POST', '/api/v1/documents', { type: 'receipt', warehouse: 'WH', submit: true,
      lines: [{ sku: 'L', qty: 5, unitCost: 2, lot: 'B|7', expiresOn: '2027-01-01' }, { sku: 'L', qty: 3, unitCost: 2, lot: 'B', expiresOn: '2027-02-01' }] });
    await inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH', submit: true, lines: [{ sku: 'L', qty: 1, lot: 'B|7' }] });
    const lots = (await inv.ok('GET', '/api/v1/stock?sku=L&warehouse=WH')).balances.map((b: any) => [b.lot, b.qty]).sort();
    expect(lots).toEqual([['B', '3'], ['B|7', '4']]);
    expect((await inv.ledger('L', 'WH')).map((e: any) => [e.lot, e.qty])).toEqual(expect.arrayContaining([['B|7', '5'], ['B|7', '-1'], ['B', '3']]));
  });
});
