import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvalid } from './assertions';
import { createTestApp, type TestApp } from './harness';
import { stockedOrg } from './support/documents';

// The documents list's filters behind the dashboard's exceptions tile: discrepancies, reversals, a created period.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

const numbers = (r: { documents: { number: string }[] }) => r.documents.map((d) => d.number);

describe('GET /documents?hasDiscrepancy=&reversal=&from=&to=', () => {
  it('lists short receipts and stocktakes with a variance, reversals, and what was created on local days', async () => {
    h.setNow(new Date('2026-03-08T17:00:00Z')); // 2026-03-09 01:00 in Shanghai
    const org = await stockedOrg(h);
    const { inv } = org;
    const transfer = await inv.ok('POST', '/api/v1/documents', { type: 'transfer', warehouse: 'WH1', toWarehouse: 'WH2', lines: [{ sku: 'A', qty: 4 }], submit: true });
    const short = await inv.ok('POST', `/api/v1/documents/${transfer.id}/receive`, { lines: [{ line: 1, qty: 3 }] });
    expect(short).toMatchObject({ status: 'received', hasDiscrepancy: true });
    h.setNow(new Date('2026-03-09T17:00:00Z')); // 2026-03-10 in Shanghai
    const off = await inv.ok('POST', '/api/v1/documents', { type: 'stocktake', warehouse: 'WH1', lines: [{ sku: 'A', qty: 5 }], submit: true });
    const exact = await inv.ok('POST', '/api/v1/documents', { type: 'stocktake', warehouse: 'WH1', lines: [{ sku: 'A', qty: 5 }], submit: true });
    expect([off.status, exact.status]).toEqual(['posted', 'posted']);
    const issue = await inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH1', lines: [{ sku: 'A', qty: 1 }], submit: true });
    const reversal = await inv.ok('POST', `/api/v1/documents/${issue.id}/reverse`, {});

    expect(numbers(await inv.ok('GET', '/api/v1/documents?hasDiscrepancy=true'))).toEqual([off.number, transfer.number]);
    expect(numbers(await inv.ok('GET', '/api/v1/documents?type=stocktake&hasDiscrepancy=false'))).toEqual([exact.number]);
    expect(numbers(await inv.ok('GET', '/api/v1/documents?reversal=true'))).toEqual([reversal.number]);
    expect(numbers(await inv.ok('GET', '/api/v1/documents?reversal=false&type=issue'))).toEqual([issue.number]);
    // Local days in APP_TIMEZONE: 2026-03-09 01:00 Shanghai is still 03-08 in UTC.
    expect(numbers(await inv.ok('GET', '/api/v1/documents?from=2026-03-09&to=2026-03-09')).sort()).toEqual([org.receipt.number, transfer.number].sort());
    expect(numbers(await inv.ok('GET', '/api/v1/documents?from=2026-03-10&hasDiscrepancy=true'))).toEqual([off.number]);
    expect(numbers(await inv.ok('GET', '/api/v1/documents?to=2026-03-08'))).toEqual([]);
  });

  it('refuses bad values with 400 naming the field', async () => {
    const org = await stockedOrg(h);
    expectInvalid(await org.api('GET', '/api/v1/documents?hasDiscrepancy=yes'), ['hasDiscrepancy']);
    expectInvalid(await org.api('GET', '/api/v1/documents?reversal=1'), ['reversal']);
    expectInvalid(await org.api('GET', '/api/v1/documents?from=2026-13-01'), ['from']);
    expectInvalid(await org.api('GET', '/api/v1/documents?from=2026-03-10&to=2026-03-09'), ['from']);
  });
});
