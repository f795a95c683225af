import { describe, expect, it } from 'vitest';
import { browserApp, CHROMIUM, haveChromium, watchPage } from './support/browser';
import { inventory } from './support/inventory';

// The dashboard in Debian's chromium against the real app on a loopback port.
if (!haveChromium) console.warn(`dashboard browser test skipped: ${CHROMIUM} does not exist (apt-get install chromium)`);

const b = browserApp(30_000);

describe.skipIf(!haveChromium)(`the dashboard page in chromium (${CHROMIUM}; skipped when it is not installed)`, () => {
  it('signs in with a key, shows the backlog and overdue tiles and an SVG chart, and signs out', { timeout: 30_000 }, async () => {
    // Two open documents: a draft issue, and a customer return waiting for QC that is 25 h old (due after 24 h).
    b.h.setNow(new Date('2026-03-02T01:00:00Z'));
    const o = await b.h.createOrg();
    const inv = inventory(o.api);
    await inv.warehouse('WH');
    await inv.item('A');
    await inv.receipt('WH', 'A', 10, 2);
    await inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH', lines: [{ sku: 'A', qty: 1 }] });
    expect((await inv.post('customer_return', 'WH', [{ sku: 'A', qty: 1 }])).status).toBe('submitted');
    b.h.setNow(new Date('2026-03-03T02:00:00Z'));

    const page = await b.served.browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
    page.setDefaultTimeout(8_000);
    // The deliberately wrong key is the one failure allowed, and it must happen.
    const problems = watchPage(page);
    await page.goto(`${b.served.base}/dashboard`);

    await page.fill('#apikey', 'jxc_not_a_key');
    await page.click('#signin-form button[type=submit]');
    await expect.poll(() => page.textContent('#signin-error')).toContain('API key 无效');
    expect(problems.splice(0)).toEqual([expect.stringMatching(/^401 .*\/api\/v1\/metrics\/dashboard\?from=/)]);

    await page.fill('#apikey', o.key);
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector('#board:not([hidden])');
    await expect.poll(() => page.textContent('#tile-backlog')).toBe('2');
    expect(await page.textContent('#tile-overdue')).toBe('1');
    expect(await page.textContent('#tile-accuracy')).toBe('—');
    expect(await page.locator('#chart-backlog svg rect').count()).toBe(2);
    expect(await page.locator('#chart-backlog svg text').allTextContents()).toContain('出库单');
    expect(await page.textContent('#table-overdue')).toContain('客户退货单');
    expect(await page.locator('#warehouse option').allTextContents()).toEqual(['全部仓库', 'WH']);
    // The unit cost table of this month: nothing produced yet.
    // The page's own clock picks the month (the browser's, not the test's).
    await expect.poll(() => page.textContent('#table-costs')).toMatch(/^\d{4}-\d{2} 没有生产记录$/);
    // Fits a phone: nothing wider than the viewport.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    // The key is remembered across a reload, and forgotten on sign-out.
    await page.reload();
    await expect.poll(() => page.textContent('#tile-backlog')).toBe('2');
    await page.click('#signout');
    await page.waitForSelector('#signin:not([hidden])');
    expect(await page.evaluate("localStorage.getItem('jxc.dashboard.apiKey')")).toBeNull();
    expect(problems).toEqual([]);
    await page.close();
  });
});
