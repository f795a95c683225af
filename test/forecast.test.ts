import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forecastSeries, holtWinters } from '../src/replenishment/holt-winters';
import { addDays } from '../src/lib/calendar';
import { and, eq } from 'drizzle-orm';
import { items, warehouses } from '../db/schema';
import { demandByDay } from '../src/replenishment/demand';
import { createTestApp, type TestApp } from './harness';
import { toCsv, uploader } from './support/imports';
import { inventory } from './support/inventory';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(async () => h.close());

// Monday 2026-12-07, noon in Asia/Shanghai: yesterday was a Sunday, tomorrow is a Tuesday.
const MONDAY_NOON = new Date('2026-12-07T04:00:00Z');
/** Local 10:00 on a date, as an instant. */
const at10 = (date: string) => new Date(`${date}T02:00:00Z`);
const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
/** A restaurant's week: 10 on weekdays, twice that at weekends. */
const weekly = (date: string) => (isWeekend(date) ? 20 : 10);
const dates = (from: string, n: number) => Array.from({ length: n }, (_, i) => addDays(from, i));

async function setUp() {
  h.setNow(MONDAY_NOON);
  const org = await h.createOrg();
  const inv = inventory(org.api);
  await inv.warehouse('WH');
  await inv.warehouse('WH2');
  await inv.item('A', { name: '可乐', unit: '罐' });
  return { org, inv, upload: uploader(h, org.key) };
}

describe('forecast (pure)', () => {
  it('carries a clean weekly pattern through exactly', () => {
    const series = dates('2026-11-09', 28).map(weekly); // Monday first
    const f = forecastSeries(series, 7);
    expect(f.method).toBe('holt_winters_additive');
    // The series ends on a Sunday: Monday … Sunday follow.
    expect(f.values.map((v) => Math.round(v * 1000) / 1000)).toEqual([10, 10, 10, 10, 10, 20, 20]);
  });

  it('Holt-Winters worked by hand: one busier Monday lifts the level by half the surprise', () => {
    // Two clean weeks (level 100/7, season −30/7 on weekdays, +40/7 at weekends), then a Monday of 13.
    // α = 0.5: level = 0.5 × (13 + 30/7) + 0.5 × 100/7 = 110.5/7; no trend (β = 0), season kept (γ = 0).
    // Weekdays: (110.5 − 30)/7 = 11.5; weekends: (110.5 + 40)/7 = 21.5.
    const series = [...dates('2026-11-09', 14).map(weekly), 13];
    const { values } = holtWinters(series, { alpha: 0.5, beta: 0, gamma: 0 }, 7);
    expect(values.map((v) => Math.round(v * 1000) / 1000)).toEqual([11.5, 11.5, 11.5, 11.5, 21.5, 21.5, 11.5]);
  });

  it('falls back on short histories: weekday averages, then the mean, then nothing', () => {
    // 10 days from a Monday: Mondays 10 and 16, Tuesdays 10 and 12, Wednesdays 10 and 14.
    const tenDays = [10, 10, 10, 10, 10, 20, 20, 16, 12, 14];
    const f = forecastSeries(tenDays, 7);
    expect(f.method).toBe('weekday_average');
    // Next: Thursday, Friday, Saturday, Sunday, Monday, Tuesday, Wednesday.
    expect(f.values).toEqual([10, 10, 20, 20, 13, 11, 12]);
    expect(forecastSeries([3, 6, 9], 2)).toEqual({ method: 'mean', values: [6, 6] });
    expect(forecastSeries([], 3)).toEqual({ method: 'none', values: [0, 0, 0] });
  });

  it('never forecasts below nothing sold', () => {
    const falling = dates('2026-11-09', 21).map((_, i) => Math.max(0, 40 - 2 * i));
    expect(Math.min(...forecastSeries(falling, 30).values)).toBeGreaterThanOrEqual(0);
  });
});

describe('GET /forecast', () => {
  it('shows the weekly pattern of imported daily sales: weekends twice the weekdays', async () => {
    const { org, upload } = await setUp();
    const rows = dates('2026-11-09', 28).map((d) => [d, 'WH', 'A', weekly(d)]);
    const imported = await upload('demand', toCsv([['date', 'warehouse', 'sku', 'qty'], ...rows]));
    expect(imported.body).toEqual({ rows: 28, created: 28, errors: [] });
    const res = await org.api('GET', '/api/v1/forecast?warehouse=WH&sku=A&days=7');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      warehouse: 'WH', sku: 'A', method: 'holt_winters_additive', total: '90',
      days: [
        { date: '2026-12-08', qty: '10' }, { date: '2026-12-09', qty: '10' }, { date: '2026-12-10', qty: '10' },
        { date: '2026-12-11', qty: '10' }, { date: '2026-12-12', qty: '20' }, { date: '2026-12-13', qty: '20' },
        { date: '2026-12-14', qty: '10' },
      ],
    });
    // Stock untouched: history is history.
    expect((await org.api('GET', '/api/v1/stock?warehouse=WH')).body.balances).toEqual([]);
  });

  it('learns from the ledger: issues and transfers out by local day, a customer return netted on its sale’s day', async () => {
    const { org, inv, upload } = await setUp();
    await upload('demand', toCsv([['date', 'warehouse', 'sku', 'qty'], ...dates('2026-11-09', 21).map((d) => [d, 'WH', 'A', weekly(d)])]));
    h.setNow(at10('2026-11-29'));
    await inv.receipt('WH', 'A', 500, 2);
    let saturdaySale = '';
    for (const d of dates('2026-11-30', 7)) {
      h.setNow(at10(d));
      if (d === '2026-12-02') {
        // Wednesday: 4 sold and 6 sent to the other warehouse make the day's 10.
        await inv.issue('WH', 'A', 4);
        await inv.post('transfer', 'WH', [{ sku: 'A', qty: 6 }], { toWarehouse: 'WH2' });
      } else if (d === '2026-12-05') {
        saturdaySale = (await inv.issue('WH', 'A', 25)).number; // 5 of them come back on Monday
      } else {
        await inv.issue('WH', 'A', weekly(d));
      }
    }
    // A receipt is no demand, whenever it comes.
    await inv.receipt('WH', 'A', 50, 2);
    h.setNow(MONDAY_NOON);
    const back = await inv.post('customer_return', 'WH', [{ sku: 'A', qty: 5 }], { returnOf: saturdaySale });
    await inv.ok('POST', `/api/v1/documents/${back.id}/post`);
    const res = await org.api('GET', '/api/v1/forecast?warehouse=WH&sku=A&days=7');
    expect(res.body.method).toBe('holt_winters_additive');
    expect(res.body.days.map((d: { qty: string }) => d.qty)).toEqual(['10', '10', '10', '10', '20', '20', '10']);
    expect(res.body.total).toBe('90');
  });

  it('a reversed customer return and a reversed transfer count on the day of the sale or the shipment they undo', async () => {
    const { org, inv } = await setUp();
    h.setNow(at10('2026-12-01'));
    await inv.receipt('WH', 'A', 100, 2);
    const sale = await inv.issue('WH', 'A', 10);
    const sent = await inv.post('transfer', 'WH', [{ sku: 'A', qty: 8 }], { toWarehouse: 'WH2' });
    await inv.ok('POST', `/api/v1/documents/${sent.id}/receive`, {});
    h.setNow(at10('2026-12-03'));
    const back = await inv.post('customer_return', 'WH', [{ sku: 'A', qty: 4 }], { returnOf: sale.number });
    await inv.ok('POST', `/api/v1/documents/${back.id}/post`);
    h.setNow(at10('2026-12-04'));
    await inv.ok('POST', `/api/v1/documents/${back.id}/reverse`, {}); // the 4 were not taken back after all
    await inv.ok('POST', `/api/v1/documents/${sent.id}/reverse`, {}); // the 8 never went
    const [wh] = await h.db.select().from(warehouses).where(and(eq(warehouses.orgId, org.orgId), eq(warehouses.code, 'WH')));
    const [a] = await h.db.select().from(items).where(and(eq(items.orgId, org.orgId), eq(items.sku, 'A')));
    const demand = await demandByDay(h.jobCtx(org.orgId), wh!.id, [a!.id], '2026-11-30', '2026-12-06');
    // 12-01: the sale of 10 stands whole, the transfer's 8 is undone on its own day; nothing on the 3rd or the 4th.
    expect(Object.fromEntries([...demand.get(a!.id)!].filter(([, q]) => !q.isZero()).map(([d, q]) => [d, q.toString()]))).toEqual({ '2026-12-01': '10' });
  });

  it('explodes a dish into its ingredients through every level of its BOM, scrap included', async () => {
    const { org, inv, upload } = await setUp();
    await inv.item('D', { name: '番茄炒蛋', unit: '份' });
    await inv.item('SAUCE', { name: '番茄酱汁', unit: 'kg' });
    await inv.item('EGG', { name: '鸡蛋', unit: '个' });
    await inv.item('TOMATO', { name: '番茄', unit: 'kg' });
    // 2 kg of sauce from 1 kg of tomatoes: 0.5 kg a kg of sauce.
    expect((await org.api('PUT', '/api/v1/boms/SAUCE', { outputQty: 2, lines: [{ sku: 'TOMATO', qty: 1 }] })).status).toBe(201);
    // A portion: 2 eggs, 0.2 kg of sauce with 5 % scrap → 0.21 kg of sauce → 0.105 kg of tomatoes.
    expect((await org.api('PUT', '/api/v1/boms/D', { lines: [{ sku: 'EGG', qty: 2 }, { sku: 'SAUCE', qty: '0.2', scrapPct: 5 }] })).status).toBe(201);
    await upload('demand', toCsv([['date', 'warehouse', 'sku', 'qty'], ...dates('2026-11-09', 28).map((d) => [d, 'WH', 'D', weekly(d)])]));

    const res = await org.api('GET', '/api/v1/forecast?warehouse=WH&sku=D&days=7&explode=true');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe('90');
    const byDay = (c: { days: { qty: string }[] }) => c.days.map((d) => d.qty);
    expect(res.body.components.map((c: { sku: string }) => c.sku)).toEqual(['EGG', 'TOMATO']);
    const [egg, tomato] = res.body.components;
    expect(byDay(egg)).toEqual(['20', '20', '20', '20', '40', '40', '20']);
    expect(egg.total).toBe('180');
    // 5 weekdays × 1.05 + 2 weekend days × 2.1 = 9.45
    expect(byDay(tomato)).toEqual(['1.05', '1.05', '1.05', '1.05', '2.1', '2.1', '1.05']);
    expect(tomato.total).toBe('9.45');
    // Without explode, no components; an item without a BOM explodes into nothing.
    expect((await org.api('GET', '/api/v1/forecast?warehouse=WH&sku=D')).body.components).toBeUndefined();
    expect((await org.api('GET', '/api/v1/forecast?warehouse=WH&sku=A&explode=true')).body).toMatchObject({ method: 'none', total: '0', components: [] });
  });

  it('refuses what it cannot answer: 404 naming the code, 400 naming the field', async () => {
    const { org } = await setUp();
    const unknown = await org.api('GET', '/api/v1/forecast?warehouse=NOPE&sku=A');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('NOPE');
    const bad = await org.api('GET', '/api/v1/forecast?warehouse=WH&sku=A&days=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ field: 'days', message: 'days must be a whole number from 1 to 90' }]);
  });
});

describe('demand import', () => {
  it('lists every bad row and writes nothing; a day on file is replaced by a new import', async () => {
    const { org, upload } = await setUp();
    await org.api('POST', '/api/v1/items', { sku: 'B', name: '红牛', unit: '罐', packUnits: [{ name: '箱', factor: 24 }] });
    const bad = await upload('demand', toCsv([
      ['date', 'warehouse', 'sku', 'qty', 'unit'],
      ['2026-12-07', 'WH', 'A', 3, ''],
      ['2026-12-01', 'WH', 'NOPE', 3, ''],
      ['2026-12-01', 'WH', 'A', -1, ''],
      ['2026-12-02', 'WH', 'A', 1, ''],
      ['2026-12-02', 'WH', 'A', 2, ''],
      ['2026-12-02', 'WH', 'B', 1, '包'],
    ]));
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      { row: 2, column: 'date', message: '2026-12-07 is not past: demand history ends yesterday (2026-12-07 is today)' },
      { row: 3, column: 'sku', message: "unknown item 'NOPE'" },
      { row: 4, column: 'qty', message: 'must be 0 or more' },
      { row: 6, column: 'sku', message: 'A in WH on 2026-12-02 is already on row 5' },
      { row: 7, column: 'unit', message: "unknown unit '包' for B: use 罐, 箱" },
    ]);
    expect((await org.api('GET', '/api/v1/forecast?warehouse=WH&sku=A')).body.method).toBe('none');

    // In packs: 2 箱 is 48 罐. Imported again, the day holds the new figure, not the sum.
    await upload('demand', toCsv([['date', 'warehouse', 'sku', 'qty', 'unit'], ['2026-12-06', 'WH', 'B', 2, '箱']]));
    expect((await org.api('GET', '/api/v1/forecast?warehouse=WH&sku=B&days=2')).body).toMatchObject({ method: 'mean', total: '96' });
    await upload('demand', toCsv([['date', 'warehouse', 'sku', 'qty'], ['2026-12-06', 'WH', 'B', 24]]));
    expect((await org.api('GET', '/api/v1/forecast?warehouse=WH&sku=B&days=2')).body).toMatchObject({ method: 'mean', total: '48' });
  });

  it('one day written two ways is a repeat, in the dry run as in the real one (the real one answered 500)', async () => {
    const { upload } = await setUp();
    const csv = toCsv([['date', 'warehouse', 'sku', 'qty'], ['2026-12-01', 'WH', 'A', 3], ['2026/12/1', 'WH', 'A', 4]]);
    const expected = [{ row: 3, column: 'sku', message: 'A in WH on 2026-12-01 is already on row 2' }];
    const dry = await upload('demand', csv, { dryRun: true });
    expect([dry.status, dry.body.errors]).toEqual([422, expected]);
    const real = await upload('demand', csv);
    expect([real.status, real.body.errors]).toEqual([422, expected]);
  });

  it('is an admin import', async () => {
    const { org, upload } = await setUp();
    const staff = await org.api('POST', '/api/v1/users', { name: '小王', roles: ['staff'] });
    const key = await org.api('POST', '/api/v1/api-keys', { name: 'staff', user: staff.body.id });
    const asStaff = uploader(h, key.body.key);
    const res = await asStaff('demand', toCsv([['date', 'warehouse', 'sku', 'qty'], ['2026-12-01', 'WH', 'A', 1]]));
    expect(res.status).toBe(403);
  });
});
