import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness';
import { cupNoodleBoms, kitchenOrg } from './support/production';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
  h.setNow(new Date('2026-12-10T02:00:00Z')); // 10:00 on 10 December in Shanghai: period 2026-12
});
afterAll(() => h?.close());

const P = '2026-12';

/**
 * Two levels in December: MO-A makes 100 NOODLE (moving average), MO-B 60 and MO-C 20 CUPNOODLE
 * (FIFO) from 80 of them; 30 CUPNOODLE are sold before the close.
 */
async function december() {
  const k = await kitchenOrg(h);
  await cupNoodleBoms(k);
  const a = await k.order('NOODLE', 100);
  await k.report(a, { operation: '压面', laborHours: 5, machineHours: 5 }); // 150 + 60 = 210.00
  await k.complete(a, { qty: 100 }); // FLOUR 10.5 × 4 = 42.00 + OIL 2 × 12 = 24.00 → 66.00; + 210 = 276.00 (2.76)
  const b = await k.order('CUPNOODLE', 60);
  await k.report(b, { operation: '包装', laborHours: 2 }); // 48.00
  await k.complete(b, { qty: 60 }); // NOODLE 60 × 2.76 = 165.60 + CUP 61.2 × 0.3 = 18.36 → 183.96; + 48 = 231.96 (3.866)
  const c = await k.order('CUPNOODLE', 20);
  await k.report(c, { operation: '包装', laborHours: 1 }); // 24.00
  await k.complete(c, { qty: 20 }); // NOODLE 55.20 + CUP 20.4 × 0.3 = 6.12 → 61.32; + 24 = 85.32 (4.266)
  await k.inv.issue('K', 'CUPNOODLE', 30); // FIFO: 30 of B's layer at 3.866 = 115.98
  await k.inv.ok('PUT', `/api/v1/cost-periods/${P}/pools`, { pools: [
    { name: '电费', amount: '100.01', driver: 'labor_hours' },
    { name: '模具摊销', amount: 50, driver: 'formula', formula: 'runs * 10 + qty / 10' },
  ] });
  return { k, a, b, c };
}

describe('the period close', () => {
  it('allocates a driver pool and a formula pool over two levels, revalues stock and books the sold share as a variance, to the cent', async () => {
    const { k, a, b, c } = await december();
    const close = await k.inv.ok('POST', `/api/v1/cost-periods/${P}/close`);
    // 电费 by labour hours 5 : 2 : 1 of 100.01 → 62.50625, 25.0025, 12.50125: 62.50 + 25.00 + 12.50 = 100.00, the leftover cent to A (.625 lost most).
    // 模具摊销 by runs × 10 + qty / 10 → A 10 + 10 = 20, B 10 + 6 = 16, C 10 + 2 = 12 (of 48) of 50.00 → 20.833…, 16.666…, 12.50:
    // 20.83 + 16.66 + 12.50 = 49.99, the cent to B (.666).
    expect(close.allocations.map((x: any) => [x.pool, x.number, x.sku, x.amount])).toEqual([
      ['电费', a.number, 'NOODLE', '62.51'], ['电费', b.number, 'CUPNOODLE', '25.00'], ['电费', c.number, 'CUPNOODLE', '12.50'],
      ['模具摊销', a.number, 'NOODLE', '20.83'], ['模具摊销', b.number, 'CUPNOODLE', '16.67'], ['模具摊销', c.number, 'CUPNOODLE', '12.50'],
    ]);
    // Direct: A 62.51 + 20.83 = 83.34; B 25.00 + 16.67 = 41.67; C 12.50 + 12.50 = 25.00.
    // NOODLE first: 80 of A's 100 were consumed → A passes 0.8 × 83.34 = 66.672 → 66.67 (keeps 16.67),
    // shared 60 : 20 → 50.0025, 16.6675 → B 50.00, C 16.67 (the cent to C, .75).
    // A keeps 16.67 for its 20 unconsumed, all 20 on hand (moving average) → stock 16.67.
    // B: 41.67 + 50.00 = 91.67 over its 60: 30 left in its layer, 30 sold → 45.835 each → 45.84 stock, 45.83 variance.
    // C: 25.00 + 16.67 = 41.67, all 20 on hand → 41.67 stock.
    expect(close.orders.map((o: any) => [o.number, o.step, o.direct, o.inherited, o.passedOn, o.stockValue, o.variance])).toEqual([
      [a.number, 0, '83.34', '0.00', '66.67', '16.67', '0.00'],
      [b.number, 1, '41.67', '50.00', '0.00', '45.84', '45.83'],
      [c.number, 1, '25.00', '16.67', '0.00', '41.67', '0.00'],
    ]);
    // 16.67 + 45.84 + 41.67 + 45.83 = 150.01 = 100.01 + 50.00: every pool ends somewhere.
    const cvB = await k.inv.ok('GET', `/api/v1/documents/${close.orders[1].revaluation}`);
    expect(cvB).toMatchObject({ type: 'revaluation', status: 'posted', totalValue: '91.67', lines: [
      { line: 1, sku: 'CUPNOODLE', qty: '0', value: '45.84', reason: 'stock' }, { line: 2, sku: 'CUPNOODLE', qty: '0', value: '45.83', reason: 'cogs_variance' },
    ] });
    expect(cvB.number).toMatch(/^CV-/);
    expect((await k.inv.ledger('CUPNOODLE', 'K')).filter((e: any) => e.number === cvB.number).map((e: any) => [e.qty, e.value])).toEqual([['0', '45.84']]);
    // NOODLE: 20 at 2.76 = 55.20 + 16.67 = 71.87. CUPNOODLE layers: B 115.98 + 45.84 = 161.82 (5.394), C 85.32 + 41.67 = 126.99 (6.3495).
    expect(await k.inv.valuation('NOODLE', 'K')).toMatchObject({ qty: '20', value: '71.87' });
    expect((await k.inv.layers('CUPNOODLE', 'K')).map((l: any) => [l.qty, l.unitCost, l.number])).toEqual([['30', '5.394', b.number], ['20', '6.3495', c.number]]);
    expect(await k.inv.valuation('CUPNOODLE', 'K')).toMatchObject({ qty: '50', value: '288.81' });
  });

  it('the unit cost table: each row adds up, overhead includes what was inherited, as JSON, CSV and xlsx', async () => {
    const { k } = await december();
    const open = await k.inv.ok('GET', `/api/v1/cost-periods/${P}/unit-costs`);
    // Before the close: no overhead. CUPNOODLE 183.96 + 61.32 = 245.28 material, 72.00 labour → 317.28 / 80 = 3.966.
    expect(open).toMatchObject({ status: 'open', rows: [{ sku: 'CUPNOODLE', total: '317.28', overhead: '0.00', unitCost: '3.966' }, { sku: 'NOODLE', total: '276.00' }] });
    await k.inv.ok('POST', `/api/v1/cost-periods/${P}/close`);
    const table = await k.inv.ok('GET', `/api/v1/cost-periods/${P}/unit-costs`);
    // CUPNOODLE overhead: B 41.67 + 50.00 + C 25.00 + 16.67 = 133.34; 245.28 + 72.00 + 0 + 133.34 = 450.62; / 80 = 5.63275.
    // NOODLE: 66.00 + 150.00 + 60.00 + 83.34 = 359.34; / 100 = 3.5934.
    expect(table).toEqual({ period: P, status: 'closed', rows: [
      { sku: 'CUPNOODLE', name: 'CUPNOODLE', qty: '80', material: '245.28', labor: '72.00', machine: '0.00', overhead: '133.34', total: '450.62', unitCost: '5.63275' },
      { sku: 'NOODLE', name: 'NOODLE', qty: '100', material: '66.00', labor: '150.00', machine: '60.00', overhead: '83.34', total: '359.34', unitCost: '3.5934' },
    ] });
    for (const r of table.rows) {
      const cents = (x: string) => Math.round(Number(x) * 100);
      expect(cents(r.material) + cents(r.labor) + cents(r.machine) + cents(r.overhead)).toBe(cents(r.total));
    }
    const csv = await k.api('GET', `/api/v1/cost-periods/${P}/unit-costs?format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body.split('\r\n')[2]).toBe('NOODLE,NOODLE,100,66.00,150.00,60.00,83.34,359.34,3.5934');
    const xlsx = await h.app.request(`/api/v1/cost-periods/${P}/unit-costs?format=xlsx&compare=2026-11`, { headers: { authorization: `Bearer ${k.key}` } });
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'sku', 'name', 'qty', 'material', 'labor', 'machine', 'overhead', 'total', 'unitCost', 'compareUnitCost', 'diff', 'diffPct']);
    expect(sheet.getRow(3).getCell(8).value).toBe(359.34);
  });

  it('409 on a second close and on changing a closed month’s pools; reopening by reversal, then closing again gives the same figures', async () => {
    const { k } = await december();
    const first = await k.inv.ok('POST', `/api/v1/cost-periods/${P}/close`);
    expect((await k.api('POST', `/api/v1/cost-periods/${P}/close`)).status).toBe(409);
    expect((await k.api('PUT', `/api/v1/cost-periods/${P}/pools`, { pools: [] })).status).toBe(409);
    const table = await k.inv.ok('GET', `/api/v1/cost-periods/${P}/unit-costs`);

    const reopened = await k.inv.ok('POST', `/api/v1/cost-periods/${P}/reopen`);
    expect(reopened.reversals).toHaveLength(3);
    // Back to before the close: NOODLE 55.20; CUPNOODLE 115.98 + 85.32 = 201.30.
    expect(await k.inv.valuation('NOODLE', 'K')).toMatchObject({ value: '55.20' });
    expect(await k.inv.valuation('CUPNOODLE', 'K')).toMatchObject({ value: '201.30' });
    const cv = await k.inv.ok('GET', `/api/v1/documents/${first.orders[1].revaluation}`);
    expect(cv.reversedBy).toMatch(/^RV-/);
    expect((await k.api('POST', `/api/v1/documents/${cv.id}/reverse`)).status).toBe(409);
    expect((await k.inv.ok('GET', `/api/v1/cost-periods/${P}/unit-costs`)).status).toBe('open');

    const second = await k.inv.ok('POST', `/api/v1/cost-periods/${P}/close`);
    const strip = (c: any) => ({ allocations: c.allocations, orders: c.orders.map(({ revaluation, ...o }: any) => o) });
    expect(strip(second)).toEqual(strip(first));
    expect(await k.inv.ok('GET', `/api/v1/cost-periods/${P}/unit-costs`)).toEqual(table);
    expect(await k.inv.valuation('CUPNOODLE', 'K')).toMatchObject({ value: '288.81' });
  });

  it('reopening after stock has left takes off only the share still in stock; the share issued comes back as a variance', async () => {
    const { k, a, b, c } = await december();
    const first = await k.inv.ok('POST', `/api/v1/cost-periods/${P}/close`);
    // After the close (see the first test): NOODLE 20 for 71.87 (A's 16.67 in it); CUPNOODLE layers B 30 for 161.82 (45.84 of
    // B's overhead), C 20 for 126.99 (41.67).
    await k.inv.issue('K', 'NOODLE', 10); // 10 × 3.5935 = 35.935 → 35.94; 35.93 left
    await k.inv.issue('K', 'CUPNOODLE', 10); // FIFO: 10 of B's layer at 5.394 = 53.94; 20 for 107.88 left
    const reopened = await k.inv.ok('POST', `/api/v1/cost-periods/${P}/reopen`);
    const reversalOf = async (number: string) => {
      const cv = await k.inv.ok('GET', `/api/v1/documents/${first.orders.find((o: any) => o.number === number).revaluation}`);
      const rv = await k.inv.ok('GET', `/api/v1/documents/${cv.reversedBy}`);
      expect(reopened.reversals).toContain(rv.id);
      return rv.lines.map((l: any) => [l.reason, l.value]);
    };
    // A (moving average): the issue took 35.94 of 71.87, so 35.93 / 71.87 of A's 16.67 is still there: 8.3338… → 8.33 off
    // stock, the other 8.34 went with the issue and comes back as a variance. NOODLE 35.93 − 8.33 = 27.60 = 10 × 2.76, as before the close.
    expect(await reversalOf(a.number)).toEqual([['stock', '-8.33'], ['cogs_variance', '-8.34']]);
    expect(await k.inv.valuation('NOODLE', 'K')).toMatchObject({ qty: '10', value: '27.60' });
    // B (FIFO): 20 of the 30 its 45.84 was spread over are left → 30.56 off stock; 15.28 issued + its own 45.83 → −61.11.
    // B's layer 107.88 − 30.56 = 77.32 = 20 × 3.866, its cost before the close. C untouched: all 41.67 off, 85.32 again.
    expect(await reversalOf(b.number)).toEqual([['stock', '-30.56'], ['cogs_variance', '-61.11']]);
    expect(await reversalOf(c.number)).toEqual([['stock', '-41.67'], ['cogs_variance', '0.00']]);
    expect((await k.inv.layers('CUPNOODLE', 'K')).map((l: any) => [l.qty, l.unitCost, l.number])).toEqual([['20', '3.866', b.number], ['20', '4.266', c.number]]);
    expect(await k.inv.valuation('CUPNOODLE', 'K')).toMatchObject({ qty: '40', value: '162.64' });

    // Closing again shares the same pools over what is in stock now: B 20 of its 60 → 91.67 × 20/60 = 30.5566… → 30.56 stock.
    const second = await k.inv.ok('POST', `/api/v1/cost-periods/${P}/close`);
    expect(second.orders.map((o: any) => [o.number, o.stockValue, o.variance])).toEqual([
      [a.number, '8.34', '8.33'], [b.number, '30.56', '61.11'], [c.number, '41.67', '0.00'],
    ]);
    expect(await k.inv.valuation('NOODLE', 'K')).toMatchObject({ value: '35.94' });
    expect(await k.inv.valuation('CUPNOODLE', 'K')).toMatchObject({ value: '234.87' });
  });

  it('a FIFO order completed over two months: the close revalues only its layers of the month closed', async () => {
    h.setNow(new Date('2026-11-20T02:00:00Z'));
    const k = await kitchenOrg(h);
    await k.bom('JAM', { lines: [{ sku: 'SUGAR', qty: 1 }] });
    const jam = await k.order('JAM', 10);
    await k.complete(jam, { qty: 4 }); // November: SUGAR 4 × 2 = 8.00 → a layer of 4 at 2
    h.setNow(new Date('2026-12-10T02:00:00Z'));
    await k.complete(jam, { qty: 6 }); // December: SUGAR 6 × 2 = 12.00 → a layer of 6 at 2
    await k.inv.ok('PUT', `/api/v1/cost-periods/${P}/pools`, { pools: [{ name: '电费', amount: 30, driver: 'output_qty' }] });
    const close = await k.inv.ok('POST', `/api/v1/cost-periods/${P}/close`);
    expect(close.orders.map((o: any) => [o.qty, o.stockValue, o.variance])).toEqual([['6', '30.00', '0.00']]);
    // All 30 on December's 6: 12 + 30 = 42 → 7 each. November's layer keeps its 2 (spread over both it would be 5 and 5).
    expect((await k.inv.layers('JAM', 'K')).map((l: any) => [l.qty, l.unitCost])).toEqual([['4', '2'], ['6', '7']]);
    await k.inv.ok('POST', `/api/v1/cost-periods/${P}/reopen`);
    expect((await k.inv.layers('JAM', 'K')).map((l: any) => [l.qty, l.unitCost])).toEqual([['4', '2'], ['6', '2']]);
  });

  it('refuses a bad formula naming its token, a pool with nothing to share, and someone who is not an admin', async () => {
    const { k } = await december();
    const bad = await k.api('PUT', `/api/v1/cost-periods/${P}/pools`, { pools: [{ name: 'x', amount: 1, driver: 'formula', formula: 'runs ^ 2' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ field: 'pools.0.formula', message: expect.stringContaining("'^'") }]);
    expect((await k.api('PUT', '/api/v1/cost-periods/2026-13/pools', { pools: [] })).body.error.details[0].field).toBe('period');
    await k.inv.ok('PUT', '/api/v1/cost-periods/2027-01/pools', { pools: [{ name: '折旧', amount: 10, driver: 'machine_hours' }] });
    const empty = await k.api('POST', '/api/v1/cost-periods/2027-01/close');
    expect(empty.status).toBe(422);
    const user = await k.inv.ok('POST', '/api/v1/users', { name: 'Lead', roles: ['warehouse_lead'] });
    const { key } = await k.inv.ok('POST', '/api/v1/api-keys', { name: 'lead', user: user.id, scopes: ['read', 'write'] });
    expect((await h.client(key)('POST', `/api/v1/cost-periods/${P}/close`)).status).toBe(403);
  });
});
