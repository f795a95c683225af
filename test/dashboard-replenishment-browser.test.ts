import { describe, expect, it } from 'vitest';
import { addDays } from '../src/lib/calendar';
import { browserApp, CHROMIUM, haveChromium, watchPage } from './support/browser';
import { toCsv, uploader } from './support/imports';
import { inventory } from './support/inventory';

// The dashboard's 补货建议: the suggestions waiting, and each with the parts of its quantity.
const b = browserApp(30_000);

const weekly = (date: string) => ([0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay()) ? 20 : 10);

describe.skipIf(!haveChromium)(`the replenishment list in chromium (${CHROMIUM})`, () => {
  it('shows how many suggestions wait and why each quantity is what it is', { timeout: 30_000 }, async () => {
    b.h.setNow(new Date('2026-12-07T04:00:00Z'));
    const o = await b.h.createOrg();
    const inv = inventory(o.api);
    await inv.warehouse('WH');
    await inv.item('A', { name: '可乐', unit: '罐', packUnits: [{ name: '箱', factor: 24 }], supplier: '可口可乐', leadTimeDays: 2, minOrderQty: 48 });
    await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 10, safetyStock: 20, coverDays: 5 });
    const rows = Array.from({ length: 28 }, (_, i) => addDays('2026-11-09', i)).map((d) => [d, 'WH', 'A', weekly(d)]);
    await uploader(b.h, o.key)('demand', toCsv([['date', 'warehouse', 'sku', 'qty'], ...rows]));
    await inv.receipt('WH', 'A', 30, '1.5');

    const page = await b.served.browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(8_000);
    const problems = watchPage(page);
    await page.goto(`${b.served.base}/dashboard`);
    await page.fill('#apikey', o.key);
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector('#board:not([hidden])');
    await expect.poll(() => page.textContent('#replenish-waiting')).toBe('待处理建议 1 条：WH 1');
    const cells = await page.locator('#table-replenish tbody tr td').allTextContents();
    expect(cells).toEqual(['可乐（A）', 'WH', '采购：可口可乐', '30', '0', '0', '0', '12.857', '2+5 天', '90', '20', '80', '48', '96 罐（4 箱）']);
    expect(problems).toEqual([]);
    await page.close();
  });
});
